"""The registration service's errors: one root, each error also of a category (schakel.errors)."""

from schakel.errors import Conflict, DomainError, Forbidden, NotFound, Refused


class RegistrationError(DomainError):
    """Root of the registration service's errors."""


class GeenTaak(RegistrationError, Forbidden):
    """The caller's organisation does not report or set this."""


class Onbekend(RegistrationError, NotFound):
    """No participation status the caller may see (another municipality's resident is answered
    as a stranger)."""


class FeitNietGemeld(RegistrationError, NotFound):
    """A fact to withdraw that the person's timeline does not hold as the caller reported it."""

    code = "feit-niet-gemeld"


class FeitNodig(RegistrationError, Conflict):
    """A fact to withdraw that a later fact rests on, or whose end of the registration UWV was asked for."""

    code = "feit-nodig"


class DatumBuitenBereik(RegistrationError, Refused):
    code = "datum-buiten-bereik"


class VerhuizingNietGemeld(RegistrationError, Conflict):
    """A municipality reports its own fact for a day on which the person's timeline has them in
    another municipality: the move is to be reported first, so places and waits count where they are."""

    code = "verhuizing-niet-gemeld"


class VerhuizingVoorTijdlijn(RegistrationError, Conflict):
    """A move dated before the person's first fact, which another municipality recorded as theirs."""

    code = "verhuizing-voor-tijdlijn"


class VerhuizingVoorInschrijving(RegistrationError, Conflict):
    """A municipality's move dated before the day the BRP registered the person in it: it would put
    under the new municipality what the one they lived in recorded (places, waits)."""

    code = "verhuizing-voor-inschrijving"


class NietWoongemeente(RegistrationError, Refused):
    """UWV names a municipality the BRP does not register the person in on the fact's day (as far as
    the BRP tells: from the day they were registered where they live now)."""

    code = "niet-woongemeente"


class WoongemeenteOntbreekt(RegistrationError, Refused):
    """UWV names no municipality of residence (the contract lets the field be absent: a municipality's fact
    names its own)."""

    code = "woongemeente-ontbreekt"
