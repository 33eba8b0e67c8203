"""The programme's figures of the reapplication service (Simpel Switchen): decision time of
re-applications and handovers settled before the WW ended, per municipality and nationally, with
small groups withheld (AVG art. 89 lid 1). Domain rules, then the use case against the fakes."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from reapplication.domain.heraanvraag import Aanvraag, Heraanvraag
from reapplication.domain.overdracht import Overdracht
from reapplication.domain.programmacijfers import beslisdagen, cijfers
from reapplication.service import programmacijfers
from reapplication.tests.fakes import op_database, ports
from schakel.primitives.cijfers import Cijfer, Periode

VANDAAG = date(2029, 6, 15)
JAAR = Periode(date(2029, 1, 1), date(2029, 6, 30))


def heraanvraag(n: int, dagen: int | None, gemeente: str = "GM0363", melding: date = date(2029, 3, 1)) -> Heraanvraag:
    besloten = None if dagen is None else datetime.combine(melding + timedelta(days=dagen), time(10, tzinfo=UTC))
    return Heraanvraag(
        f"h{n}",
        f"p{n}",
        "999993653",
        gemeente,
        Aanvraag(melding, melding, ()),
        None,
        None,
        (),
        melding,
        datetime(2029, 3, 1, 9),
        "beoordelen" if dagen is None else "toegekend",
        besloten,
    )


def overdracht(n: int, geslaagd: bool, einde: date = date(2029, 4, 30), gemeente: str = "GM0363") -> Overdracht:
    besluit = (einde - timedelta(days=10), einde + timedelta(days=1)) if geslaagd else (None, None)
    return Overdracht(f"o{n}", gemeente, einde, {}, besluit_op=besluit[0], besluit_startdatum=besluit[1])


def test_decision_time_runs_from_the_melding_and_an_early_melding_counts_as_zero():
    assert beslisdagen(date(2029, 3, 1), date(2029, 3, 11)) == 10
    assert beslisdagen(date(2029, 3, 1), date(2029, 2, 20)) == 0


def test_median_and_90th_percentile_of_the_decisions_in_the_period_only():
    dagen = [0] * 50 + [3] * 20 + [5] * 10 + [14] * 5 + [30] * 5  # 90: the 45th and the 81st
    decided = [heraanvraag(i, d) for i, d in enumerate(dagen)]
    earlier = heraanvraag(200, 30, melding=date(2028, 10, 1))  # decided before the period
    straddling = [heraanvraag(300 + i, 100, melding=date(2028, 12, 1)) for i in range(3)]  # decided in it: count
    undecided = heraanvraag(400, None)
    mediaan, p90, _ = cijfers(decided + [earlier, undecided], [], JAAR, VANDAAG)
    assert mediaan == Cijfer("heraanvraagBeslisduurMediaan", 0.0, 90)
    assert p90 == Cijfer("heraanvraagBeslisduurP90", 14.0, 90), "ten decisions at or above it"
    assert cijfers(decided + straddling, [], JAAR, VANDAAG)[1].aantal == 95, "93, rounded to fives"
    assert cijfers(decided[:89], [], JAAR, VANDAAG)[1].reden == "minder-dan-drempel", "nine at or above the 81st"
    assert cijfers(decided, [], Periode(date(2029, 4, 1), date(2029, 6, 30)), VANDAAG)[0].reden == "minder-dan-drempel"


def test_a_decision_counts_on_its_dutch_day():
    """Decided at 23:30 UTC on New Year's Eve, 00:30 on New Year's Day in the Netherlands: in the new
    quarter, 31 days after a melding on 1 December."""
    oudjaar = datetime(2028, 12, 31, 23, 30, tzinfo=UTC)
    besloten = [replace(heraanvraag(i, 0, melding=date(2028, 12, 1)), besloten_op=oudjaar) for i in range(20)]
    assert cijfers(besloten, [], JAAR, VANDAAG)[0] == Cijfer("heraanvraagBeslisduurMediaan", 31.0, 20)
    vierde_kwartaal = Periode(date(2028, 10, 1), date(2028, 12, 31))
    assert cijfers(besloten, [], vierde_kwartaal, VANDAAG)[0].reden == "minder-dan-drempel", "none in it"


def test_handovers_count_once_the_ww_ended_in_the_period_and_small_groups_are_withheld():
    geslaagd = [overdracht(i, True) for i in range(10)] + [overdracht(i, False) for i in range(10, 20)]
    lopend = [overdracht(30 + i, False, einde=date(2029, 6, 20)) for i in range(5)]  # ends after today
    assert cijfers([], geslaagd + lopend, JAAR, VANDAAG)[2] == Cijfer("overdrachtenAfgerondVoorEindeWw", 0.5, 20)
    # two failures among twelve would single out a small group
    klein = [overdracht(i, True) for i in range(10)] + [overdracht(i, False) for i in range(10, 12)]
    assert cijfers([], klein, JAAR, VANDAAG)[2] == Cijfer("overdrachtenAfgerondVoorEindeWw", None, 10, "kleine-groep")


async def test_a_municipality_reads_its_own_figures_and_the_operator_the_country_and_each_municipality():
    p, uow = ports(VANDAAG)
    for i in range(20):
        await uow.heraanvragen.voeg_toe(heraanvraag(i, i))
        await uow.heraanvragen.voeg_toe(heraanvraag(100 + i, 2 * i, gemeente="GM0599"))
    eigen = await programmacijfers.lees(p, JAAR, "GM0363")
    assert list(eigen) == ["GM0363"] and eigen["GM0363"][0].waarde == 9.0, "the 10th of 0 to 19 days"
    landelijk = await programmacijfers.lees(p, JAAR, None)
    assert list(landelijk) == [None, "GM0363", "GM0599"]
    # the 20th of 40: 0 to 12 days in Amsterdam (13) and 0, 2 … 12 in Rotterdam (7)
    assert landelijk[None][0] == Cijfer("heraanvraagBeslisduurMediaan", 12.0, 40)
    assert landelijk["GM0599"][0] == Cijfer("heraanvraagBeslisduurMediaan", 18.0, 20)
    assert landelijk["GM0599"][1].reden == "minder-dan-drempel", "a 90th percentile of 20: two above it"


async def test_a_municipality_without_data_gets_its_figures_withheld_not_an_error():
    p, _ = ports(VANDAAG)
    eigen = await programmacijfers.lees(p, JAAR, "GM0363")
    assert [c.reden for c in eigen["GM0363"]] == ["minder-dan-drempel"] * 3


async def test_the_sql_store_reads_the_decisions_of_the_period_s_dutch_days(tmp_path):
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    try:
        async with p.uow() as uow:
            for i, besloten_op in enumerate(
                [
                    datetime(2028, 12, 31, 22, 59, tzinfo=UTC),  # 23:59 on New Year's Eve in the Netherlands
                    datetime(2028, 12, 31, 23, 0, tzinfo=UTC),  # midnight: New Year's Day
                    datetime(2029, 6, 30, 21, 59, tzinfo=UTC),  # 23:59 on the period's last day (summer time)
                    datetime(2029, 6, 30, 22, 0, tzinfo=UTC),  # midnight: 1 July
                ]
            ):
                await uow.heraanvragen.voeg_toe(replace(heraanvraag(i, 0), besloten_op=besloten_op))
        async with p.uow() as uow:
            assert sorted(h.heraanvraag_id for h in await uow.heraanvragen.besloten_in(None, JAAR)) == ["h1", "h2"]
    finally:
        await db.dispose()


async def test_the_sql_store_reads_only_the_period_s_decisions_and_ww_ends(tmp_path):
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    try:
        async with p.uow() as uow:
            for i, melding in enumerate([date(2028, 12, 1), date(2029, 3, 1), date(2029, 6, 29)]):
                await uow.heraanvragen.voeg_toe(heraanvraag(i, 1, melding=melding))  # decided a day later
            await uow.heraanvragen.voeg_toe(heraanvraag(9, None))
            for i, einde in enumerate([date(2028, 12, 31), date(2029, 1, 1), date(2029, 7, 1)]):
                await uow.overdrachten.bewaar(f"p{i}", "999993653", overdracht(i, True, einde=einde))
        async with p.uow() as uow:
            assert sorted(h.heraanvraag_id for h in await uow.heraanvragen.besloten_in(None, JAAR)) == ["h1", "h2"]
            assert await uow.heraanvragen.besloten_in("GM0599", JAAR) == []
            assert [o.overdracht_id for o in await uow.overdrachten.met_einde_in("GM0363", JAAR)] == ["o1"]
    finally:
        await db.dispose()
