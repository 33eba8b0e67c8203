"""The payment calendar's use cases against in-memory ports: the advance proposed once per case and
month (a rerun or a second instance publishes nothing), not over a recorded payment, under the
municipality's dated policy; the calendar read by the municipality and by the citizen (another's:
not found); the timeliness figure."""

from datetime import UTC, date, datetime

import pytest

from decisions.domain.fouten import Onbekend
from decisions.domain.kalender import STANDAARD, Voorschotbeleid
from decisions.domain.situatie import Betaalmodel, Huishouden, Situatie
from decisions.entrypoints import consumers
from decisions.service import kalender, uitkeringen, verrekeningen
from decisions.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
BSN, ANDER = "999993653", "999990019"
BURGER, ANDERE_BURGER = Caller("burger", Rol.burger, bsn=BSN), Caller("burger", Rol.burger, bsn=ANDER)
START = date(2026, 9, 1)
VOORGESTELD = events.VoorschotVoorgesteld.TYPE


async def geopend(p, bsn=BSN):
    situatie = Situatie(START, Huishouden.alleenstaand)
    return (
        await uitkeringen.open_uitkering(p, AMSTERDAM, bsn, date(1990, 5, 1), START, situatie)
    ).uitkering.uitkering_id


async def test_the_advance_is_proposed_once_per_case_and_month():
    p, uow = ports(date(2026, 10, 1))
    uitkering_id = await geopend(p)
    assert await kalender.stel_voorschotten_voor(p) == 1
    [event] = [e for e in uow.published if e.type == VOORGESTELD]
    assert event.data["maand"] == "2026-10" and event.data["bedrag"] == 140_150 - 7_008
    assert event.data["polisVerwachtOp"] == "2026-12-15" and event.data["verrekeningVerwachtOp"] == "2026-12-22"
    assert "bsn" not in event.key and event.key == "p-" + BSN
    # a rerun (a restart, or another instance that lost the race) proposes nothing again
    assert await kalender.stel_voorschotten_voor(p) == 0
    assert [e.type for e in uow.published].count(VOORGESTELD) == 1
    assert [g.type for g in await uow.gebeurtenissen.van(uitkering_id)][-1] == VOORGESTELD


async def test_a_month_already_paid_or_a_case_ended_gets_no_proposal():
    p, uow = ports(date(2026, 10, 1))
    betaald = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, betaald, Maand(2026, 10), 140_000)
    beeindigd = await geopend(p, ANDER)
    await uitkeringen.beeindig(p, AMSTERDAM, beeindigd, date(2026, 9, 30), uitkeringen.Reden.werk)
    assert await kalender.stel_voorschotten_voor(p) == 0


async def test_the_proposal_follows_the_policy_in_force_and_the_last_settled_months():
    p, uow = ports(date(2026, 12, 1))
    await geopend(p)
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(f"p-{BSN}", maandinkomen(BSN, "2026-09", 60_000))]
    )
    await kalender.zet_beleid(p, AMSTERDAM, Voorschotbeleid(date(2026, 12, 1), percentage=95, maanden=1))
    await kalender.stel_voorschotten_voor(p)
    [event] = [e for e in uow.published if e.type == VOORGESTELD]
    assert event.data["verwacht"] < 140_150 - 7_008  # the income of September lowers it
    assert event.data["bedrag"] == round(event.data["verwacht"] * 95 / 100)
    assert await kalender.beleid(p, AMSTERDAM) == [Voorschotbeleid(date(2026, 12, 1), percentage=95, maanden=1)]


async def test_the_calendar_shows_each_month_to_the_municipality_and_to_the_citizen_alone():
    p, uow = ports(date(2026, 10, 1))
    uitkering_id = await geopend(p)
    await kalender.stel_voorschotten_voor(p)
    for caller in (AMSTERDAM, BURGER):
        (september, oktober), _ = await kalender.lees(p, caller, uitkering_id)
        assert (september.maand, oktober.maand) == (Maand(2026, 9), Maand(2026, 10))
        assert september.voorschot_voorgesteld is None and oktober.voorschot_voorgesteld == 140_150 - 7_008
        assert oktober.te_overbruggen == 0 and september.te_overbruggen == september.verwacht
    with pytest.raises(Onbekend):
        await kalender.lees(p, ANDERE_BURGER, uitkering_id)


async def test_timeliness_counts_the_first_settlements_of_the_municipality():
    p, uow = ports(date(2026, 11, 20))
    await geopend(p)
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(f"p-{BSN}", maandinkomen(BSN, "2026-09", 60_000))]
    )
    t, beleid = await kalender.tijdigheid(p, AMSTERDAM)
    # settled on the clock's day, before September's target (polis 15 November, 5 working days)
    assert (t.verrekend, t.binnen_doel, t.aandeel_procent, beleid) == (1, 1, 100, STANDAARD)


async def test_months_closed_without_income_bring_the_advance_back_to_the_whole_bijstand():
    """Work that ends leaves no declaration: only the provider's closing of the months (income's
    month established at nil) lets the advance stop expecting the old wage."""
    p, uow = ports(date(2027, 3, 1))
    await geopend(p)
    await geopend(p, ANDER)  # never any income: the whole bijstand is expected
    handle = consumers.on_maandinkomens(lambda conn: p).handle
    loon = [received(f"p-{BSN}", maandinkomen(BSN, f"2026-{m:02d}", 100_000, soort="arbeid")) for m in (9, 10, 11)]
    await handle(None, loon)
    await kalender.stel_voorschotten_voor(p)
    maart = {e.key: e.data["verwacht"] for e in uow.published if e.type == VOORGESTELD}
    assert maart[f"p-{BSN}"] < maart[f"p-{ANDER}"], "the wage of the last settled months is expected"

    nul = events.Bedragen(nettoInkomen=0, vakantiebijslag=0, arbeidsinkomen=0, overigInkomen=0, onbekendInkomen=0)
    gesloten = [
        received(
            f"p-{BSN}",
            events.MaandinkomenVastgesteld(bsn=BSN, maand=m, vorige=None, huidige=nul, bron="polis", bijdragen=[]),
        )
        for m in ("2026-12", "2027-01", "2027-02")
    ]
    await handle(None, gesloten)
    p.clock.advance(date(2027, 4, 1) - date(2027, 3, 1))
    await kalender.stel_voorschotten_voor(p)

    april = {e.key: e.data["verwacht"] for e in uow.published if e.type == VOORGESTELD and e.data["maand"] == "2027-04"}
    assert april[f"p-{BSN}"] == april[f"p-{ANDER}"]


async def test_stable_income_gets_no_advance_and_leaves_nothing_to_bridge():
    """On stable income (Surplus) the intermediate account pays the fixed amount every month: no advance is
    proposed for such a month, and it leaves nothing to bridge."""
    p, uow = ports(date(2026, 10, 1))
    situatie = Situatie(START, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    uitkering_id = (
        await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, date(1990, 5, 1), START, situatie)
    ).uitkering.uitkering_id
    voorschot = await geopend(p, ANDER)
    assert await kalender.stel_voorschotten_voor(p) == 1, "only the case paid by advance"
    [event] = [e for e in uow.published if e.type == VOORGESTELD]
    assert event.key == "p-" + ANDER

    rijen, _ = await kalender.lees(p, AMSTERDAM, uitkering_id)
    assert [(str(r.maand), r.stabiel, r.voorschot_voorgesteld, r.te_overbruggen) for r in rijen] == [
        ("2026-09", True, None, 0),
        ("2026-10", True, None, 0),
    ]
    [september, _] = (await kalender.lees(p, AMSTERDAM, voorschot))[0]
    assert (september.stabiel, september.te_overbruggen) == (False, 133_142), "paid by advance, none recorded"


async def test_a_month_settled_half_past_midnight_dutch_time_after_its_target_day_is_late():
    """September's target is 20 November (polis 15 November, 5 working days): settled at 00:30 on the
    21st in the Netherlands, still the 20th in UTC, it is late."""
    klok = FixedClock(date(2026, 11, 21), at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
    p, uow = ports(date(2026, 11, 21), clock=klok)
    await geopend(p)
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(f"p-{BSN}", maandinkomen(BSN, "2026-09", 60_000))]
    )
    t, _ = await kalender.tijdigheid(p, AMSTERDAM)
    assert (t.verrekend, t.binnen_doel) == (1, 0)


async def test_the_calendar_shows_the_dutch_day_a_month_was_settled():
    klok = FixedClock(date(2027, 1, 1), at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # New Year, 00:30 in NL
    p, uow = ports(date(2027, 1, 1), clock=klok)
    uitkering_id = await geopend(p)
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(f"p-{BSN}", maandinkomen(BSN, "2026-09", 60_000))]
    )
    september, *_ = (await kalender.lees(p, BURGER, uitkering_id))[0]
    assert september.maand == Maand(2026, 9) and september.verrekend_op == date(2027, 1, 1)
