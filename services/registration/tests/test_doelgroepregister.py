"""Doelgroepregister banenafspraak (Wet banenafspraak, art. 38b Wfsv): one registration at a time."""

from datetime import date

import pytest

from registration.domain.doelgroepregister import Registratie, RegistratieFout, beeindig, start


def test_start_and_end_give_the_status_changes_with_their_dates():
    registraties, gestart = start([], "participatiewet", date(2026, 2, 1))
    assert (gestart.status, gestart.grond, gestart.ingangsdatum) == ("doelgroepregister", "participatiewet", date(2026, 2, 1))
    registraties, beeindigd = beeindig(registraties, date(2026, 8, 31))
    assert registraties == [Registratie("participatiewet", date(2026, 2, 1), date(2026, 8, 31))]
    assert (beeindigd.status, beeindigd.ingangsdatum) == ("geen", date(2026, 9, 1))
    assert registraties[0].loopt_op(date(2026, 8, 31)) and not registraties[0].loopt_op(date(2026, 9, 1))


def test_a_new_registration_after_an_ended_one():
    registraties, _ = beeindig(start([], "wajong", date(2025, 1, 1))[0], date(2025, 12, 31))
    registraties, _ = start(registraties, "participatiewet", date(2026, 1, 1))
    assert [r.grond for r in registraties] == ["wajong", "participatiewet"]


@pytest.mark.parametrize("action,reason", [
    (lambda: start(start([], "wajong", date(2026, 1, 1))[0], "wsw", date(2026, 6, 1)), "al een registratie"),
    (lambda: start([], "onbekend", date(2026, 1, 1)), "onbekende grond"),
    (lambda: beeindig([], date(2026, 1, 1)), "geen lopende registratie"),
    (lambda: beeindig(start([], "wajong", date(2026, 2, 1))[0], date(2026, 1, 31)), "vóór de startdatum"),
])
def test_impossible_mutations_are_refused(action, reason):
    with pytest.raises(RegistratieFout, match=reason):
        action()
