"""The reapplication service's errors: one root, each error also of a category (schakel.errors)."""

from schakel.errors import Conflict, DomainError, NotFound, Refused


class ReapplicationError(DomainError):
    """Root of the reapplication service's errors."""


class Onbekend(ReapplicationError, NotFound):
    """No such re-application or handover in the caller's municipality (another municipality's,
    also after a move, is answered as a stranger)."""


class GeenIngezetene(ReapplicationError, NotFound):
    """The BRP does not register the person in the caller's municipality (or does not know them:
    answered the same, so the answer does not reveal where someone lives)."""

    code = "geen-ingezetene"


class NietWoongemeente(ReapplicationError, Refused):
    """UWV hands a Max-WW handover only to the municipality the BRP registers the person in: another
    has no task for them (and a stale notification after a move does not take the handover back)."""

    code = "niet-woongemeente"


class PartnerElders(ReapplicationError, Refused):
    """The partner of the reused household is not registered in the municipality per the BRP: the
    household changed, so a grant needs the situation as it is now."""

    code = "partner-elders"


class HeraanvraagFout(ReapplicationError, Refused):
    """A re-application the rules refuse outright (a start too far back, an unknown change);
    `code` and `field` say which rule and which field."""


class MeldingTeVroeg(ReapplicationError, Refused):
    code = "melding-te-vroeg"


class DatumBuitenOverdracht(ReapplicationError, Refused):
    code = "datum-buiten-overdracht"


class MeldingstijdstipVooruit(ReapplicationError, Refused):
    """UWV's notification names a moment after it arrived: it would count as made after every notification
    to come, and make each of those `verouderd`."""

    code = "meldingstijdstip-in-de-toekomst"


class WwEinddatumBuitenBereik(ReapplicationError, Refused):
    """A WW end further ahead than the WW lasts, or so long ago that nothing is left to hand over;
    `code` says which."""


class StapAlVastgelegd(ReapplicationError, Conflict):
    code = "stap-al-vastgelegd"


class StapNietVastgelegd(ReapplicationError, NotFound):
    code = "stap-niet-vastgelegd"


class UitkomstNietVastgelegd(ReapplicationError, NotFound):
    code = "uitkomst-niet-vastgelegd"


class AlBesloten(ReapplicationError, Conflict):
    code = "al-besloten"


class HeraanvraagLoopt(ReapplicationError, Conflict):
    """Another application of the person waits for a caseworker, or was granted and decisions has yet
    to open its case: a second grant would ask decisions for a second running case, which it refuses."""

    code = "heraanvraag-loopt"


class UitkeringLoopt(ReapplicationError, Conflict):
    """The person has a running case (anywhere: decisions says so to every municipality too); a
    re-application follows its end."""

    code = "uitkering-loopt"


class GeenHergebruik(ReapplicationError, Refused):
    """Approving needs something to reuse; without a window it is a new application."""

    code = "geen-hergebruik"


class ZoektermijnLoopt(ReapplicationError, Refused):
    """Granting while the four-week search period runs needs the caseworker's waiver with a reason."""

    code = "zoektermijn-loopt"


class BuitenGrondslag(ReapplicationError, Refused):
    """UWV shares only what the person's consent or the legal basis covers."""

    code = "buiten-grondslag"


class AlAfgerond(ReapplicationError, Conflict):
    code = "al-afgerond"
