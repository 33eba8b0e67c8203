"""The participation status from the registration service: its events may arrive in any order.
Numbered ones (ce_sequence) go by their number: each reports the status of the day it was sent.
Unnumbered ones (from before numbering) by the latest effective date (a later report on the same date
replaces it)."""

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


def test_numbered_reports_go_by_their_number_not_their_date():
    """A late, back-dated fact (UWV ends a registration from February) makes a newer event with an
    earlier date; a replayed older event with the same date comes after the newer one."""
    nieuw = Deelnamestatus("geen", None, date(2026, 2, 1), volgnummer=8)
    oud = Deelnamestatus("doelgroepregister", "wajong", date(2026, 5, 1), volgnummer=7)
    assert nieuwste(oud, nieuw) == nieuw
    assert nieuwste(nieuw, oud) == nieuw
    assert nieuwste(nieuw, Deelnamestatus("doelgroepregister", "wajong", date(2026, 2, 1), volgnummer=7)) == nieuw
