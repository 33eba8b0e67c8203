"""The income service's errors: one root, each error also of a category (schakel.errors)."""

from schakel.errors import Conflict, DomainError, Forbidden, NotFound, Refused


class IncomeError(DomainError):
    """Root of the income service's errors."""


class GeenUitkering(IncomeError, NotFound):
    """No running case or open window of the caller's municipality for the person (a stranger is
    answered the same)."""


class MaandBuitenUitkering(IncomeError, Refused):
    """A month outside the periods of the caller's own cases and windows."""

    code = "maand-buiten-uitkering"


class MaandInDeToekomst(IncomeError, Refused):
    """A month that has not begun: it has no income to state yet."""

    code = "maand-in-de-toekomst"


class GeenOverschrijving(IncomeError, NotFound):
    """No override was set for the month."""


class OnbekendeLevering(IncomeError, NotFound):
    """The caller delivered nothing under this id."""


class OnbekendeAfsluiting(IncomeError, NotFound):
    """The caller asked for no closing under this id (another provider's is not found either)."""


class TeVeelAfsluitingen(IncomeError, Conflict):
    """The provider has as many closings running as it may have at once."""

    code = "te-veel-afsluitingen"


class OnbekendeUitkering(IncomeError, NotFound):
    """An ended case that was never opened."""


class LeveringBestaatAl(IncomeError, Conflict):
    code = "levering-bestaat-al"


class GelijktijdigeLevering(IncomeError, Conflict):
    """A concurrent delivery changed the same periods, each retry too."""


class AfsluitingGeweigerd(IncomeError, Refused):
    """A month that cannot be closed (yet), or a population date that cannot support it."""

    code = "afsluiting-geweigerd"


class NietGeleverd(IncomeError, Conflict):
    """A month the provider delivered nothing for: closing it would say everyone had no income."""

    code = "niet-geleverd"


class NietGecontracteerd(IncomeError, Forbidden):
    """A municipality the provider is not contracted for."""

    code = "niet-gecontracteerd"
