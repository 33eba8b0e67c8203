"""The holiday allowance a case builds up: 5% of each month's bijstand, paid out in June for June to
May, or at the latest three months after the benefit ends when that comes first; a month not settled
reserves as one without income until it is; against in-memory ports: read by the municipality and
the citizen, another municipality's case not found."""

from datetime import date

import pytest

from decisions.domain import vakantietoeslag as vt
from decisions.domain.fouten import Onbekend
from decisions.domain.uitkering import Reden
from decisions.service import kalender, uitkeringen
from decisions.tests.fakes import ports
from decisions.tests.test_service_kalender import AMSTERDAM, ANDERE_BURGER, BURGER, geopend
from decisions.tests.test_service_vorderingen import ROTTERDAM, inkomen
from schakel.primitives import Maand

ZONDER_INKOMEN = 7_008  # 5% of a single person's norm from 2026-01-01 (140.150), half a cent rounded up


def maanden(van: Maand, tot: Maand) -> list[Maand]:
    rij = [van]
    while rij[-1] < tot:
        rij.append(rij[-1].volgende())
    return rij


def test_june_starts_a_new_payout_and_a_month_not_settled_reserves_as_one_without_income():
    [mei, juni] = vt.opbouw(maanden(Maand(2026, 4), Maand(2026, 7)), None, {}, lambda m: m.maand * 100)
    assert ([r.maand for r in mei.maanden], mei.uiterlijk, mei.bedrag) == (
        [Maand(2026, 4), Maand(2026, 5)],
        date(2026, 6, 30),
        900,
    )
    assert ([r.maand for r in juni.maanden], juni.uiterlijk, juni.bedrag) == (
        [Maand(2026, 6), Maand(2026, 7)],
        date(2027, 6, 30),
        1300,
    )
    assert mei.voorlopig and juni.einddatum is None


def test_an_end_brings_its_payout_forward_to_three_months_after_it_unless_june_comes_first():
    vroeg = vt.opbouw(maanden(Maand(2026, 9), Maand(2027, 2)), date(2027, 2, 15), {}, lambda m: 1)
    assert [(o.uiterlijk, o.einddatum, o.bedrag) for o in vroeg] == [(date(2027, 5, 15), date(2027, 2, 15), 6)]
    laat = vt.opbouw(maanden(Maand(2026, 5), Maand(2027, 4)), date(2027, 4, 30), {}, lambda m: 1)
    assert [(o.uiterlijk, o.einddatum) for o in laat] == [
        (date(2026, 6, 30), None),
        (date(2027, 6, 30), date(2027, 4, 30)),
    ]


def test_a_month_whose_norm_waits_for_a_caseworker_is_not_counted_and_keeps_the_payout_provisional():
    [o] = vt.opbouw([Maand(2026, 9)], None, {}, lambda m: None)
    assert (o.bedrag, o.voorlopig) == (0, True)
    assert "Over september 2026 is de bijstand nog niet verrekend" in vt.uitleg(o, 5)


async def test_a_settled_month_reserves_what_its_settlement_says_and_the_others_as_without_income():
    p, _ = ports(date(2026, 11, 20))
    uitkering_id = await geopend(p)
    await inkomen(p, "2026-10", 100_000)  # October settled with wage; September and November not
    [(opbouw, uitleg)] = await kalender.vakantietoeslag(p, AMSTERDAM, uitkering_id)

    [oktober] = [r for r in opbouw.maanden if r.verrekend]
    assert oktober.maand == Maand(2026, 10) and 0 < oktober.bedrag < ZONDER_INKOMEN
    assert [(r.maand, r.bedrag) for r in opbouw.maanden if not r.verrekend] == [
        (Maand(2026, 9), ZONDER_INKOMEN),
        (Maand(2026, 11), ZONDER_INKOMEN),
    ]
    assert (opbouw.bedrag, opbouw.uiterlijk, opbouw.voorlopig) == (
        oktober.bedrag + 2 * ZONDER_INKOMEN,
        date(2027, 6, 30),
        True,
    )
    assert uitleg.startswith("Over september 2026 tot en met november 2026 reserveren we 5% van uw bijstand")
    assert uitleg.endswith("U krijgt deze vakantietoeslag in juni 2027.")


async def test_after_the_end_the_citizen_reads_when_it_is_paid_and_another_municipality_finds_nothing():
    p, _ = ports(date(2027, 3, 10))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 12, 15), Reden.werk)
    [(opbouw, uitleg)] = await kalender.vakantietoeslag(p, BURGER, uitkering_id)
    assert [r.maand for r in opbouw.maanden] == maanden(Maand(2026, 9), Maand(2026, 12))
    december = opbouw.maanden[-1].bedrag
    assert december == 3_391  # 5% of the norm for the 15 days the case ran: 140.150 × 15 / 31 = 67.815
    assert (opbouw.uiterlijk, opbouw.einddatum) == (date(2027, 3, 15), date(2026, 12, 15))
    assert "Uw bijstand loopt tot en met 15-12-2026: u krijgt deze vakantietoeslag uiterlijk op 15-03-2027." in uitleg
    for vreemde in (ROTTERDAM, ANDERE_BURGER):
        with pytest.raises(Onbekend):
            await kalender.vakantietoeslag(p, vreemde, uitkering_id)
