"""The registration service's errors: one root, each error also of a category (schakel.errors)."""

from schakel.errors import DomainError, Forbidden, NotFound, Refused


class RegistrationError(DomainError):
    """Root of the registration service's errors."""


class GeenTaak(RegistrationError, Forbidden):
    """The caller's organisation does not report or set this."""


class Onbekend(RegistrationError, NotFound):
    """No participation status the caller may see (another municipality's resident is answered
    as a stranger)."""


class DatumBuitenBereik(RegistrationError, Refused):
    code = "datum-buiten-bereik"
