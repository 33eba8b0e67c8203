"""Who is in the population and how long their data is kept: doelbinding (ARCHITECTURE.md) and
AVG art. 5 lid 1 onder c en e (no more data than the task needs, kept no longer than needed)."""

from datetime import date

from income.domain.populatie import (
    Dossier,
    Termijn,
    Uitkering,
    bewaren_tot,
    binnen,
    inzage,
    leden,
    lid,
    populatie,
    uitgestroomd,
)

OP = date(2027, 3, 1)


def uitkering(
    gemeente: str = "GM0363", sinds: date = date(2026, 1, 1), tot: date | None = None, bsn: str = "999993653"
) -> Uitkering:
    return Uitkering(f"u-{gemeente}-{sinds}", f"p-{bsn}", bsn, gemeente, sinds, tot)


def termijn(geldig_tot: date, gemeente: str = "GM0363", bsn: str = "999993653") -> Termijn:
    return Termijn(f"t-{gemeente}", f"p-{bsn}", bsn, gemeente, geldig_tot)


def test_a_case_not_ended_before_the_day_makes_a_member():
    assert lid("p", Dossier((uitkering(),)), OP).gemeenten == {"GM0363"}
    assert lid("p", Dossier((uitkering(tot=OP),)), OP) is not None, "the last day of the case still counts"
    assert lid("p", Dossier((uitkering(tot=date(2027, 2, 28)),)), OP) is None
    assert lid("p", Dossier(), OP) is None


def test_an_open_window_keeps_a_person_in_after_the_case_ended_for_its_municipality():
    ended = Dossier((uitkering(tot=date(2027, 1, 31)),), (termijn(date(2027, 7, 31)),))
    member = lid("p", ended, OP)
    assert member is not None and member.gemeenten == {"GM0363"}
    assert lid("p", ended, date(2027, 8, 1)) is None


def test_a_municipality_reads_income_only_for_the_periods_of_its_own_cases_and_windows():
    """AVG art. 5 lid 1 onder b: the case from its start, the window after it to its end; nothing
    of another municipality's case, and nothing at all once its own case and window are over."""
    rotterdam = Uitkering("u-r", "p", "999993653", "GM0599", date(2025, 1, 1), date(2025, 12, 31))
    amsterdam = Uitkering("u-a", "p", "999993653", "GM0363", date(2026, 6, 1), date(2027, 1, 31))
    d = Dossier((rotterdam, amsterdam), (Termijn("u-a", "p", "999993653", "GM0363", date(2027, 7, 31)),))
    assert inzage(d, "GM0363", OP) == [(date(2026, 6, 1), date(2027, 7, 31))]
    assert inzage(d, "GM0599", OP) == [], "Rotterdam's case is over: not even its own months"
    assert inzage(d, "GM0363", date(2027, 8, 1)) == []
    perioden = inzage(d, "GM0363", OP)
    assert binnen(perioden, date(2026, 5, 1), date(2026, 6, 1))
    assert not binnen(perioden, date(2025, 1, 1), date(2026, 5, 31)), "the months before its case"
    assert inzage(Dossier((Uitkering("u", "p", "b", "GM0363", date(2026, 1, 1)),)), "GM0363", OP) == [
        (date(2026, 1, 1), None)
    ]


def test_a_member_is_of_the_latest_case_and_counts_income_from_the_earliest():
    d = Dossier((uitkering("GM0363", date(2025, 1, 1), date(2025, 12, 31)), uitkering("GM0599", date(2026, 6, 1))))
    member = lid("p", d, OP)
    assert (member.gemeentecode, member.aanvang, member.gemeenten) == ("GM0599", date(2025, 1, 1), {"GM0599"})
    only_window = lid("p", Dossier((), (termijn(OP, "GM0772"),)), OP)
    assert (only_window.gemeentecode, only_window.aanvang) == ("GM0772", None)
    assert set(leden({"a": d, "b": Dossier()}, OP)) == {"a"}


def test_providers_see_each_member_of_their_municipalities_once_by_bsn_with_the_lowest_code():
    dossiers = [
        Dossier((uitkering("GM0599", bsn="999993653"),), (termijn(OP, "GM0363", bsn="999993653"),)),
        Dossier((uitkering(bsn="999990019", tot=date(2027, 2, 1)),)),
        Dossier((uitkering("GM0772", bsn="999990020"),)),
    ]
    alle = frozenset({"GM0363", "GM0599", "GM0772"})
    assert populatie(dossiers, OP, alle) == [("999990020", "GM0772"), ("999993653", "GM0363")]
    assert populatie(dossiers, OP, frozenset({"GM0599"})) == [("999993653", "GM0599")]
    assert populatie(dossiers, OP, frozenset()) == [], "a provider contracted for no municipality sees no one"


def test_data_is_forgotten_once_every_case_and_window_ended_more_than_the_retention_ago():
    grens = bewaren_tot(OP, 12)
    assert grens == date(2026, 3, 1)
    dossiers = {
        "oud": Dossier((uitkering(tot=date(2025, 6, 30)),), (termijn(date(2026, 2, 28)),)),
        "venster": Dossier((uitkering(tot=date(2025, 6, 30)),), (termijn(date(2026, 3, 1)),)),
        "lopend": Dossier((uitkering(tot=date(2025, 6, 30)), uitkering(sinds=date(2026, 1, 1)))),
        "leeg": Dossier(),
    }
    assert uitgestroomd(dossiers, grens) == ["oud"]
    assert bewaren_tot(date(2027, 3, 31), 1) == date(2027, 2, 28)
