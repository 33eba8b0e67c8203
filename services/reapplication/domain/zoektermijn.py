"""The four-week search period (zoektermijn, Participatiewet art. 41 lid 4), for every application:
a re-application within the window, a first application, one started from a Max-WW handover.

- Who: an applicant under 27 (a couple: both under 27). Exempt (lid 4 onder a and b): praktijkonderwijs
  or VSO in the year before the application, medically limited hours, the loonkostensubsidie target
  group (the doelgroepregister via the Participatiewet).
- What: the application is not handled before four weeks after the melding (lid 4).
- Waiver: since 2026 the college may handle it before the four weeks end when the person's
  circumstances call for it (art. 41 lid 11, Participatiewet in balans), recorded with its reason; a
  melding before then cannot be waived.
- Early melding: someone whose WW ends may make the melding from four weeks before (art. 41 lid 6),
  so the search period ends when the income does. Lid 6 names only the WW; Schakel applies the same
  four weeks to the end of a temporary contract, as the letter of December 2018 describes the search
  period coinciding with it (seeds/000): a choice of Schakel, not a rule of art. 41. An earlier
  melding is refused.
"""

from __future__ import annotations

from datetime import date, timedelta

from schakel.primitives import geldig_op, leeftijd

ZOEKTERMIJN = timedelta(weeks=4)
ONDER = 27
VROEGE_MELDING = timedelta(weeks=4)  # before the end of the WW or of a temporary contract
# (melding from, may the college waive the period case by case: art. 41 lid 11, Participatiewet in balans)
ONTHEFFING: tuple[tuple[date, bool], ...] = ((date.min, False), (date(2026, 1, 1), True))


def geldt(melding: date, geboortedata: list[date], vrijgesteld: bool) -> bool:
    """Whether the search period applies: everyone in the application under 27 and no exemption."""
    return bool(geboortedata) and not vrijgesteld and all(leeftijd(g, melding) < ONDER for g in geboortedata)


def ontheffing_mogelijk(melding: date) -> bool:
    return geldig_op(ONTHEFFING, melding)


def tot(melding: date) -> date:
    """The first day the application may be handled."""
    return melding + ZOEKTERMIJN


def melding_te_vroeg(melding: date, einde_inkomen: date) -> bool:
    """A melding before the last four weeks of the WW or temporary contract that ends."""
    return melding < einde_inkomen - VROEGE_MELDING
