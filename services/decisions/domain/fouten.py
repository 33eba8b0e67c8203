"""The decisions service's errors: one root, each error also of a category (schakel.errors), with
the code and field the API has always answered."""

from schakel.errors import Conflict, DomainError, NotFound, Refused, Unavailable


class DecisionsError(DomainError):
    """Root of the decisions service's errors."""


class Onbekend(DecisionsError, NotFound):
    """Not there, or another municipality's (answered the same: its existence is not theirs to know)."""


class GeenIngezetene(DecisionsError, NotFound):
    """The BRP does not register the person in the caller's municipality (or does not know them:
    answered the same, so the answer does not reveal where someone lives)."""

    code = "geen-ingezetene"


class RegelFout(DecisionsError):
    """A rule about a case or its situation says no; `code` and `field` say which."""

    def __init__(self, code: str, field: str | None, reason: str) -> None:
        super().__init__(reason, code=code, field=field)

    @property
    def reason(self) -> str:
        return self.detail


class Geweigerd(RegelFout, Refused):
    """A legal rule refuses input of valid shape."""


class AlBeeindigd(RegelFout, Conflict):
    """The case's state forbids it: it has ended already."""


class NogNietAan(DecisionsError, Unavailable):
    """An operation the operator turns on after a rolling deploy, not on yet."""

    code = "nog-niet-beschikbaar"
    retry_after = 3600


class KenmerkGebruikt(RegelFout, Conflict):
    """A repayment's reference was booked already for another repayment of the case."""


class VoorstelVastgezet(RegelFout, Conflict):
    """The case has no proposal to end it to dismiss, or its proposal was dismissed for another reason."""


class EindeVastgezet(RegelFout, Conflict):
    """The end date cannot be corrected now: the case has not ended, the person has had a later case,
    or a month it brings back cannot be settled yet."""


class AbonnementGestopt(DecisionsError, Conflict):
    """The subscription has stopped: nothing is sent to it any more."""

    code = "abonnement-gestopt"


class UitkeringLooptAl(DecisionsError, Conflict):
    code = "uitkering-bestaat-al"
    BERICHT = (
        "Voor dit BSN loopt al een uitkering, of een eerdere loopt door tot op of na de startdatum: beëindig "
        "die eerst, of kies een latere startdatum."
    )


class AnderHuishouden(DecisionsError, Conflict):
    """Someone of the household belongs to another case's household over some of the same days."""

    code = "ander-huishouden"
    BERICHT = (
        "De aanvrager of de partner hoort in (een deel van) deze periode bij het huishouden van een andere "
        "uitkering: een persoon krijgt bijstand in één huishouden tegelijk, en een maand wordt verrekend met het "
        "huishouden van de eerste dag. Laat die uitkering eerst wijzigen of beëindigen, of kies een latere datum "
        "(wie halverwege een maand een huishouden verliet: de eerste van de volgende maand)."
    )


class GeenStabielInkomen(DecisionsError, Conflict):
    code = "geen-stabiel-inkomen"


class NietTeBerekenen(DecisionsError, Refused):
    """No norm or no legal amounts for this situation: a caseworker decides."""

    code = "norm-onbekend"


class UrlNietToegestaan(DecisionsError, Refused):
    code = "url-niet-toegestaan"
