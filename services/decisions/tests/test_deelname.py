"""The participation status from the registration service: its events may arrive in any order,
and the status with the latest effective date holds (a later report on the same date replaces it)."""

from datetime import date

from decisions.domain.deelname import Deelnamestatus, nieuwste

MEI = Deelnamestatus("doelgroepregister", "wajong", date(2026, 5, 1))
FEBRUARI = Deelnamestatus("geen", None, date(2026, 2, 1))


def test_the_first_report_holds():
    assert nieuwste(None, FEBRUARI) == FEBRUARI


def test_the_latest_effective_date_wins_whatever_the_order_of_arrival():
    assert nieuwste(FEBRUARI, MEI) == MEI
    assert nieuwste(MEI, FEBRUARI) == MEI


def test_on_the_same_date_the_later_report_holds():
    herzien = Deelnamestatus("doelgroepregister", "wsw", MEI.ingangsdatum)
    assert nieuwste(MEI, herzien) == herzien
