"""Who is in the population and how long their data is kept: doelbinding (ARCHITECTURE.md) and
AVG art. 5 lid 1 onder c en e (no more data than the task needs, kept no longer than needed)."""

import random
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from income.adapters.repository import UnitOfWork
from income.domain.populatie import (
    Bekend,
    Dossier,
    Termijn,
    Uitkering,
    binnen,
    einden,
    gesloten,
    inzage,
    leden,
    lid,
    populatie,
    zoals_op,
)
from schakel.persistence import Database
from schakel.primitives.bewaring import bewaren_tot, uitgestroomd
from tests.support.opslag import op_revisie

OP = date(2027, 3, 1)


def vergeten(dossiers: Mapping[str, Dossier], tot: date) -> list[str]:
    """Whom retention forgets, by income's ends and the shared rule."""
    return uitgestroomd({p: einden(d) for p, d in dossiers.items()}, tot)


def uitkering(
    gemeente: str = "GM0363", sinds: date = date(2026, 1, 1), tot: date | None = None, bsn: str = "999993653"
) -> Uitkering:
    return Uitkering(f"u-{gemeente}-{sinds}", f"p-{bsn}", bsn, gemeente, sinds, tot)


def termijn(
    geldig_tot: date, gemeente: str = "GM0363", bsn: str = "999993653", sinds: date = date(2026, 1, 1)
) -> Termijn:
    """The window after the case `uitkering(gemeente, sinds)`."""
    return Termijn(f"u-{gemeente}-{sinds}", f"p-{bsn}", bsn, gemeente, geldig_tot)


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


def test_a_municipality_reads_a_partner_from_the_first_month_settled_with_them():
    """Decisions settles a month with the household of its first day (or of the case's start): a
    partner who joined within a month counts from the next, and that month's income is not the
    household's business (it is settled in the household the partner belonged to on its first day)."""

    def zicht(sinds: date, tot: date | None, zaak_sinds: date | None) -> list[tuple[date, date | None]]:
        partner = Uitkering("u-a", "p", "999990019", "GM0363", sinds, tot, True, zaak_sinds=zaak_sinds)
        return inzage(Dossier((partner,)), "GM0363", sinds)

    begin = date(2026, 1, 1)
    assert zicht(date(2026, 3, 16), None, begin) == [(date(2026, 4, 1), None)], "joined within March"
    assert zicht(date(2026, 3, 1), None, begin) == [(date(2026, 3, 1), None)], "joined on the first"
    assert zicht(date(2026, 3, 16), None, date(2026, 3, 16)) == [(date(2026, 3, 16), None)], "from the start"
    assert zicht(date(2026, 3, 16), None, None) == [(date(2026, 4, 1), None)], "the case's start not known"
    # left within the month: that month was settled with them (its first day)
    assert zicht(date(2026, 3, 1), date(2026, 5, 10), begin) == [(date(2026, 3, 1), date(2026, 5, 10))]
    assert zicht(date(2026, 3, 10), date(2026, 3, 20), begin) == [], "in and out within March: no month"
    # the applicant's own case from a day within a month: from that day, as before
    eigen = Uitkering("u-b", "p", "999990019", "GM0363", date(2026, 3, 16))
    assert inzage(Dossier((eigen,)), "GM0363", date(2026, 3, 16)) == [(date(2026, 3, 16), None)]


def test_a_member_is_in_the_care_of_the_municipality_of_their_latest_case_and_counts_income_from_the_earliest():
    d = Dossier((uitkering("GM0599", date(2026, 6, 1)), uitkering("GM0363", date(2025, 1, 1), date(2025, 12, 31))))
    member = lid("p", d, OP)
    assert (member.aanvang, member.gemeenten) == (date(2025, 1, 1), {"GM0599"})
    in_charge = [date(2024, 1, 1), date(2025, 1, 1), date(2026, 5, 31), date(2026, 6, 1)]
    assert [member.gemeente_op(dag) for dag in in_charge] == ["GM0363", "GM0363", "GM0363", "GM0599"]
    only_window = lid("p", Dossier((), (termijn(OP, "GM0772"),)), OP)
    assert (only_window.gemeente_op(OP), only_window.aanvang) == ("GM0772", None)
    assert set(leden({"a": d, "b": Dossier()}, OP)) == {"a"}


def test_providers_see_each_member_of_their_municipalities_once_by_bsn_with_the_lowest_code():
    dossiers = [
        Dossier(
            (uitkering("GM0599", bsn="999993653"), uitkering("GM0363", tot=OP - timedelta(days=30))),
            (termijn(OP, "GM0363", bsn="999993653"),),
        ),
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
    assert vergeten(dossiers, grens) == ["oud"]
    assert bewaren_tot(date(2027, 3, 31), 1) == date(2027, 3, 1)  # 28 February was kept through 28 March


async def test_the_database_pages_the_population_and_selects_the_forgotten_as_the_rules_give_them(tmp_path):
    """The population's page (by place and by key) and retention's selection are worked out in the database (a national
    population is paged through; retention runs every hour): the same persons, municipalities and
    order as `populatie`, and the same persons as `vergeten`, over everyone's dossier, on a real
    database (SQLite here, PostgreSQL in CI), for cases ended on, before and after the day, partners
    and windows, in and outside the provider's municipalities."""
    db = await op_revisie(tmp_path, "income")
    kies = random.Random(15)
    codes, tot = ["GM0363", "GM0518", "GM0599", "GM0772"], [None, OP, OP - timedelta(days=1), OP + timedelta(days=40)]
    sinds = [date(2026, 1, 1), OP, OP + timedelta(days=1)]  # begun before the day, on it, after it
    bsns = list({f"{kies.randrange(10**8, 10**9):09d}" for _ in range(300)})
    kies.shuffle(bsns)  # stored out of order: the page's order is the query's
    try:
        await vul_en_vergelijk(db, kies, bsns, codes, tot, sinds)
    finally:
        await db.dispose()


async def vul_en_vergelijk(
    db: Database, kies: random.Random, bsns: list[str], codes: list[str], tot: list, sinds: list
) -> None:
    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        for i, bsn in enumerate(bsns):
            eigen = [
                Uitkering(f"u-{bsn}-{n}", f"p-{bsn}", bsn, kies.choice(codes), kies.choice(sinds), kies.choice(tot))
                for n in range(kies.randrange(3))
            ]
            await uow.populatie.neem_op(eigen)
            for u in eigen:
                if u.tot is not None:
                    await uow.populatie.beeindig(u.uitkering_id, u.tot, datetime(2026, 1, 1, tzinfo=UTC))
                    if kies.random() < 0.5:
                        await uow.populatie.open_termijn(
                            Termijn(u.uitkering_id, u.persoon, bsn, u.gemeentecode, kies.choice(tot[1:]))
                        )
            if eigen and i + 1 < len(bsns) and kies.random() < 0.3:  # the next person as partner in this case
                partner = bsns[i + 1]
                await uow.populatie.zet_partners(
                    eigen[0].uitkering_id, [replace(eigen[0], persoon=f"p-{partner}", bsn=partner)]
                )
        alle = await uow.populatie.dossiers()
        dossiers = alle.values()
        for bewaren in (OP, OP + timedelta(days=41), date(2030, 1, 1)):
            assert await uow.populatie.uitgestroomd(bewaren) == vergeten(alle, bewaren)
        assert 0 < len(vergeten(alle, OP + timedelta(days=41))) < len(alle), "some are forgotten, some kept"
        for gemeenten in (frozenset(codes), frozenset(codes[1:3]), frozenset()):
            verwacht = populatie(dossiers, OP, gemeenten)
            assert await uow.populatie.pagina(OP, gemeenten, 0, 10_000) == (len(verwacht), verwacht)
            pages = [await uow.populatie.pagina(OP, gemeenten, begin, 7) for begin in range(0, len(verwacht) + 7, 7)]
            assert {totaal for totaal, _ in pages} == {len(verwacht)}
            assert [p for _, page in pages for p in page] == verwacht
            assert await uow.populatie.tel(OP, gemeenten) == len(verwacht)
            for aantal in (1, 7, 10_000):  # by key: each page from the last BSN of the one before
                na, gelezen = None, []
                while page := await uow.populatie.na(OP, gemeenten, na, aantal):
                    assert len(page) <= aantal
                    gelezen, na = gelezen + page, page[-1][0]
                assert gelezen == verwacht
        assert 50 < len(populatie(dossiers, OP, frozenset(codes))) < len(bsns), "some in, some out"


def test_a_later_case_anywhere_own_or_as_partner_closes_a_window_the_day_before_and_an_earlier_one_does_not():
    amsterdam = uitkering(sinds=date(2026, 1, 1), tot=date(2026, 6, 30))
    termijn = Termijn(amsterdam.uitkering_id, amsterdam.persoon, amsterdam.bsn, "GM0363", date(2027, 6, 30))
    eerder = uitkering("GM0518", sinds=date(2025, 1, 1), tot=date(2025, 6, 30))
    assert gesloten(termijn, Dossier((eerder, amsterdam), (termijn,))) == termijn
    assert gesloten(termijn, Dossier((eerder,), (termijn,))) == termijn, "its own case not (yet) known: left open"
    op_de_einddag = uitkering("GM0518", sinds=date(2026, 6, 30))
    assert gesloten(termijn, Dossier((amsterdam, op_de_einddag), (termijn,))) == termijn, (
        "only a case that starts after the window's case ended"
    )
    rotterdam = uitkering("GM0599", sinds=date(2026, 9, 1))
    dicht = gesloten(termijn, Dossier((amsterdam, rotterdam), (termijn,)))
    assert dicht == replace(termijn, geldig_tot=date(2026, 8, 31))
    # joining a household's case as its partner: the person lives there, and Amsterdam's task ended
    als_partner = replace(uitkering("GM0599", sinds=date(2026, 8, 1)), als_partner=True)
    assert gesloten(termijn, Dossier((amsterdam, als_partner, rotterdam), (termijn,))) == replace(
        termijn, geldig_tot=date(2026, 7, 31)
    )
    assert inzage(Dossier((amsterdam, rotterdam), (dicht,)), "GM0363", date(2026, 9, 1)) == []
    assert inzage(Dossier((amsterdam, rotterdam), (dicht,)), "GM0363", date(2026, 8, 31)) == [
        (date(2026, 1, 1), date(2026, 8, 31))
    ], "until then the window's months, not the new municipality's"


async def test_the_database_keeps_the_numbers_applied_and_no_partner_outlasts_the_case(tmp_path):
    """On a real database: a window's number survives its closing by a later case (stored without one),
    and partners stated as running on are stored up to the case's end."""
    db = await op_revisie(tmp_path, "income")
    try:
        async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
            a = Uitkering("u-a", "p-1", "999993653", "GM0363", date(2026, 1, 1))
            assert await uow.populatie.neem_op([a], {"u-a": 4}) == set()
            assert await uow.populatie.neem_op([a], {"u-a": 9}) == {"u-a"}, "a known case stays as it is"
            assert await uow.populatie.volgnummer("u-a") == 4
            await uow.populatie.beeindig("u-a", date(2026, 6, 30), datetime(2026, 7, 1, tzinfo=UTC))
            partner = Uitkering("u-a", "p-2", "999990019", "GM0363", date(2026, 2, 1))
            await uow.populatie.zet_partners("u-a", [partner])
            await uow.populatie.open_termijn(Termijn("u-a", "p-1", "999993653", "GM0363", date(2027, 6, 30)), 7)
            await uow.populatie.open_termijn(Termijn("u-a", "p-1", "999993653", "GM0363", date(2026, 8, 31)))
            assert await uow.populatie.termijn_volgnummer("u-a") == 7
            dossiers = await uow.populatie.dossiers(["p-1", "p-2"])
        assert [u.tot for u in dossiers["p-2"].uitkeringen] == [date(2026, 6, 30)]
        assert [u.zaak_sinds for u in dossiers["p-2"].uitkeringen] == [date(2026, 1, 1)], "the case's start"
        assert [u.zaak_sinds for u in dossiers["p-1"].uitkeringen] == [date(2026, 1, 1)]
        assert [t.geldig_tot for t in dossiers["p-1"].termijnen] == [date(2026, 8, 31)]
    finally:
        await db.dispose()


async def test_the_database_keeps_when_it_learned_of_each_row_and_its_end_before_the_latest_change(tmp_path):
    """A month's closing judges the population as the provider read it: each case, partner's period
    and window keeps when income learned of it, and its end before the latest change with when that
    was; a row stated again unchanged keeps all of it."""
    db = await op_revisie(tmp_path, "income")
    eerst, later, laatst = (datetime(2026, m, 5, 9, tzinfo=UTC) for m in (1, 9, 10))
    try:
        async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
            a = Uitkering("u-a", "p-1", "999993653", "GM0363", date(2026, 1, 1), bekend=Bekend(eerst))
            await uow.populatie.neem_op([a])
            await uow.populatie.neem_op([replace(a, bekend=Bekend(later))])  # known: stays as it is
            partner = Uitkering("u-a", "p-2", "999990019", "GM0363", date(2026, 2, 1), date(2026, 3, 31))
            blijft = Uitkering("u-a", "p-3", "999990020", "GM0363", date(2026, 2, 1), date(2026, 12, 31))
            await uow.populatie.zet_partners(
                "u-a", [replace(partner, bekend=Bekend(eerst)), replace(blijft, bekend=Bekend(eerst))]
            )
            await uow.populatie.zet_partners(
                "u-a", [replace(partner, bekend=Bekend(later)), replace(blijft, bekend=Bekend(later))]
            )
            await uow.populatie.beeindig("u-a", date(2026, 8, 31), later)  # ends the case and caps p-3
            langer = replace(partner, tot=date(2026, 7, 31), bekend=Bekend(laatst))
            terug = Uitkering("u-a", "p-2", "999990019", "GM0363", date(2026, 8, 1), bekend=Bekend(laatst))
            await uow.populatie.zet_partners("u-a", [langer, terug, replace(blijft, bekend=Bekend(laatst))])
            termijn = Termijn("u-a", "p-1", "999993653", "GM0363", date(2027, 8, 31), Bekend(later))
            await uow.populatie.open_termijn(termijn)
            await uow.populatie.open_termijn(replace(termijn, geldig_tot=date(2027, 6, 30), bekend=Bekend(laatst)))
            dossiers = await uow.populatie.dossiers()
        assert {p: sorted((u.sinds, u.bekend) for u in d.uitkeringen) for p, d in dossiers.items()} == {
            "p-1": [(date(2026, 1, 1), Bekend(eerst, None, later, eerst))],  # ended: it ran on before
            "p-2": [
                (date(2026, 2, 1), Bekend(eerst, date(2026, 3, 31), laatst, eerst)),
                (date(2026, 8, 1), Bekend(laatst)),
            ],
            # capped by the case's end (in SQL), then stated again as capped: unchanged since
            "p-3": [(date(2026, 2, 1), Bekend(eerst, date(2026, 12, 31), later, eerst))],
        }
        assert [t.bekend for t in dossiers["p-1"].termijnen] == [Bekend(later, date(2027, 8, 31), laatst, later)]
    finally:
        await db.dispose()


async def test_the_database_reads_the_population_as_income_knew_it_at_a_moment_as_the_rules_do(tmp_path):
    """A month's closing pages the population as it was read (domain.populatie.zoals_op): cases,
    partners and windows learned of at different moments, ends recorded, corrected once or twice,
    windows cut; the database gives the same members as the rule, at moments before, between and
    after the changes."""
    db = await op_revisie(tmp_path, "income")
    kies = random.Random(47)
    momenten = [datetime(2027, 1, d, 12, tzinfo=UTC) for d in (1, 10, 20, 30)]
    einden = [None, OP - timedelta(days=5), OP, OP + timedelta(days=30)]
    codes = ["GM0363", "GM0599"]
    bsns = list({f"{kies.randrange(10**8, 10**9):09d}" for _ in range(200)})
    try:
        async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
            for i, bsn in enumerate(bsns):
                op = sorted(kies.sample(momenten, 3))
                u = Uitkering(f"u-{bsn}", f"p-{bsn}", bsn, kies.choice(codes), date(2026, 6, 1), bekend=Bekend(op[0]))
                await uow.populatie.neem_op([u])
                for moment in op[1 : 1 + kies.randrange(3)]:  # its end recorded, then corrected
                    await uow.populatie.beeindig(u.uitkering_id, kies.choice(einden[1:]), moment)
                if kies.random() < 0.4:
                    termijn = Termijn(u.uitkering_id, u.persoon, bsn, u.gemeentecode, OP + timedelta(days=60))
                    await uow.populatie.open_termijn(replace(termijn, bekend=Bekend(op[1])))
                    if kies.random() < 0.5:  # cut by a later case
                        await uow.populatie.open_termijn(
                            replace(termijn, geldig_tot=OP - timedelta(days=1), bekend=Bekend(op[2]))
                        )
                if i + 1 < len(bsns) and kies.random() < 0.3:
                    partner = bsns[i + 1]
                    lid = replace(u, persoon=f"p-{partner}", bsn=partner, tot=None, bekend=Bekend(op[0]))
                    await uow.populatie.zet_partners(u.uitkering_id, [lid])
                    later = replace(lid, tot=kies.choice(einden), bekend=Bekend(op[2]))
                    await uow.populatie.zet_partners(u.uitkering_id, [later])
            dossiers = (await uow.populatie.dossiers()).values()
            for moment in [m + timedelta(hours=h) for m in momenten for h in (-1, 1)]:
                for gemeenten in (frozenset(codes), frozenset(codes[:1])):
                    verwacht = populatie([zoals_op(d, moment) for d in dossiers], OP, gemeenten)
                    assert await uow.populatie.na(OP, gemeenten, None, 10_000, moment) == verwacht, moment
        toen = {len(populatie([zoals_op(d, m) for d in dossiers], OP, frozenset(codes))) for m in momenten}
        assert len(toen) > 2, "the moments give different populations"
    finally:
        await db.dispose()
