"""After a partner leaves, what is expected of the months to come is the household's as it is then: the
instalment on a claim (Rv art. 475dc: the beslagvrije voet of the norm in force, at most the month's
expected payment), the advance and the provisional holiday allowance no longer count the income of
a partner who left, nor the couple's norm."""

from datetime import date

from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.entrypoints import consumers
from decisions.service import kalender, uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
BSN, PARTNER = "999993653", "999990019"
GEBOREN, START = date(1985, 5, 1), date(2026, 1, 1)
GEHUWD = Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)))
VERTROKKEN = Situatie(date(2026, 4, 16), Huishouden.alleenstaand)
CLAIMS = (events.VorderingOntstaan.TYPE, events.VorderingGewijzigd.TYPE)
VOORGESTELD = events.VoorschotVoorgesteld.TYPE

ALLEEN = 140_150  # the single norm per 2026-01-01
VOET = 133_143  # 95% of it, € 1.331,425 rounded half up (Rv art. 475dc)
BETAALBAAR = ALLEEN - 7_008  # without income: the norm less 5% holiday allowance (€ 70,075 half up)


async def binnen(p, bsn: str, maand: str, netto: int, soort: str | None = None) -> None:
    event = received(f"p-{bsn}", maandinkomen(bsn, maand, netto, soort=soort))
    await consumers.on_maandinkomens(lambda c: p).handle(None, [event])


async def vertrokken(vandaag: date):
    p, uow = ports(vandaag)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, VERTROKKEN)
    return p, uow, zaak


async def test_the_instalment_after_a_partner_left_leaves_the_single_beslagvrije_voet():
    p, uow, zaak = await vertrokken(date(2026, 3, 1))
    await verrekeningen.betaal(p, AMSTERDAM, zaak, Maand(2026, 3), 190_000)
    p.clock.advance(date(2026, 5, 20) - date(2026, 3, 1))
    for maand in ("2026-03", "2026-04"):  # both settled with the couple (April's first day: still a couple)
        await binnen(p, PARTNER, maand, 150_000)
    # March and April: € 2.002,13 − (€ 1.500,00 − € 285,00) = € 787,13 bijstand, € 747,77 payable; March
    # € 1.152,23 too much, April's back-payment pays € 747,77 of it off
    [claim] = await vorderingen.lees(p, AMSTERDAM, zaak)
    assert claim["open"] == 115_223 - 74_777 == 40_446

    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    assert await vorderingen.houd_termijnen_in(p) == 1
    inhouding = [e for e in uow.published if e.type in CLAIMS][-1].data
    # June: single and without income of their own, so the whole single norm as bijstand; 95% of it stays
    assert inhouding["boekingen"] == [{"soort": "inhouding", "bedrag": ALLEEN - VOET, "maand": "2026-06"}]
    assert ALLEEN - VOET == 7_007
    assert "(naar verwachting € 70,07 per maand)" in inhouding["uitleg"]


async def test_the_claim_read_after_a_partner_left_expects_the_single_instalment():
    p, uow, zaak = await vertrokken(date(2026, 3, 1))
    await verrekeningen.betaal(p, AMSTERDAM, zaak, Maand(2026, 3), 190_000)
    p.clock.advance(date(2026, 5, 20) - date(2026, 3, 1))
    for maand in ("2026-03", "2026-04"):
        await binnen(p, PARTNER, maand, 150_000)
    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    [claim] = await vorderingen.lees(p, AMSTERDAM, zaak)
    assert "(naar verwachting € 70,07 per maand)" in claim["uitleg"]


async def test_the_instalment_is_never_more_than_the_months_expected_payment():
    """The applicant keeps earning after the partner left: the room above the voet is more than what
    June is expected to pay, and the instalment is withheld from that payment."""
    p, uow, zaak = await vertrokken(date(2026, 3, 1))
    await verrekeningen.betaal(p, AMSTERDAM, zaak, Maand(2026, 3), 190_000)
    p.clock.advance(date(2026, 5, 20) - date(2026, 3, 1))
    for maand in ("2026-03", "2026-04"):
        await binnen(p, BSN, maand, 140_000, soort="arbeid")
        await binnen(p, PARTNER, maand, 60_000, soort="arbeid")
    # the couple: (€ 1.400,00 − € 285,00) + (€ 600,00 − € 150,00) = € 1.565,00 counts; € 437,13 bijstand, € 21,86
    # reserved, € 415,27 payable. March € 1.484,73 too much, April pays € 415,27 and no more (April's own
    # back-payment, paid off on March's claim before the partner's wage arrived, is a claim of April now)
    claims = await vorderingen.lees(p, AMSTERDAM, zaak)
    assert sum(c["open"] for c in claims) == 190_000 - 2 * 41_527 == 106_946
    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    [juni] = [r for r in (await kalender.lees(p, AMSTERDAM, zaak))[0] if r.maand == Maand(2026, 6)]
    # June, single: € 1.400,00 wage less € 285,00 vrijlating counts € 1.115,00; € 286,50 bijstand, € 14,33 of
    # it reserved: € 272,17 payable. Income € 1.686,50 leaves € 355,07 above the voet: more than is paid
    assert juni.verwacht == 28_650 - 1_433 == 27_217
    assert 28_650 + 140_000 - VOET == 35_507
    assert await vorderingen.houd_termijnen_in(p) == 1
    inhouding = [e for e in uow.published if e.type in CLAIMS][-1].data
    assert inhouding["boekingen"] == [{"soort": "inhouding", "bedrag": 27_217, "maand": "2026-06"}]


async def test_the_advance_after_a_partner_left_does_not_count_their_income():
    p, uow, zaak = await vertrokken(date(2026, 5, 20))
    for maand in ("2026-02", "2026-03", "2026-04"):
        await binnen(p, PARTNER, maand, 250_000)
    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    assert await kalender.stel_voorschotten_voor(p) == 1
    [voorstel] = [e.data for e in uow.published if e.type == VOORGESTELD]
    assert (voorstel["maand"], voorstel["verwacht"], voorstel["bedrag"]) == ("2026-06", BETAALBAAR, BETAALBAAR)
    assert BETAALBAAR == 133_142
    assert "uw norm over juni 2026 min uw gemiddelde inkomen" in voorstel["uitleg"]
    assert (
        "het inkomen van een partner die niet meer tot uw huishouden hoort, telt daarin niet mee" in voorstel["uitleg"]
    )


async def test_the_provisional_holiday_allowance_after_a_partner_left_is_the_singles():
    p, uow, zaak = await vertrokken(date(2026, 5, 20))
    for maand in ("2026-02", "2026-03", "2026-04"):
        await binnen(p, PARTNER, maand, 250_000)
    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    uitbetalingen = await kalender.vakantietoeslag(p, AMSTERDAM, zaak)
    per_maand = {r.maand: (r.gereserveerd, r.voorlopig) for u in uitbetalingen for r in u.maanden}
    # May and June are not settled and their polis is not due: they reserve from the bijstand expected,
    # single and without income: 5% of € 1.401,50
    assert per_maand["2026-05"] == (7_008, True)
    assert per_maand["2026-06"] == (7_008, True)
    # February to April: the couple earned above its norm, no bijstand and nothing reserved
    assert [per_maand[f"2026-0{m}"] for m in (2, 3, 4)] == [(0, False)] * 3


async def test_a_claim_says_nothing_is_withheld_when_the_month_is_expected_to_pay_no_bijstand():
    """Earning above the norm: no bijstand is expected, so there is nothing to withhold from (not the
    beslagvrije voet stops it)."""
    p, uow = ports(date(2026, 3, 1))
    alleen = Situatie(START, Huishouden.alleenstaand)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, alleen)).uitkering.uitkering_id
    await verrekeningen.betaal(p, AMSTERDAM, zaak, Maand(2026, 3), 100_000)
    p.clock.advance(date(2026, 5, 20) - date(2026, 3, 1))
    for maand in ("2026-03", "2026-04"):
        await binnen(p, BSN, maand, 200_000, soort="arbeid")
    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    assert await vorderingen.houd_termijnen_in(p) == 0
    [claim] = await vorderingen.lees(p, AMSTERDAM, zaak)
    assert claim["open"] == 100_000
    assert (
        "Op uw bijstand houden wij nu niets in: wij verwachten u deze maand geen bijstand te betalen."
        in claim["uitleg"]
    )


async def test_a_claim_says_the_instalment_waits_while_a_caseworker_sets_the_months_norm():
    """From June a partner under 21 (art. 21): the couple's norm is the municipality's to set, so June's
    bijstand cannot be estimated yet. Nothing is withheld meanwhile, and the text says why: not that no
    bijstand is expected (the amount is not known)."""
    p, uow = ports(date(2026, 3, 1))
    alleen = Situatie(START, Huishouden.alleenstaand)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, alleen)).uitkering.uitkering_id
    for maand in (Maand(2026, 3), Maand(2026, 4)):
        await verrekeningen.betaal(p, AMSTERDAM, zaak, maand, 100_000)
    p.clock.advance(date(2026, 5, 20) - date(2026, 3, 1))
    for maand in ("2026-03", "2026-04"):
        await binnen(p, BSN, maand, 50_000)
    jong = Situatie(date(2026, 6, 1), Huishouden.gehuwd, Partner(PARTNER, date(2006, 1, 1)))
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, jong)
    p.clock.advance(date(2026, 6, 1) - date(2026, 5, 20))
    assert await vorderingen.houd_termijnen_in(p) == 0
    claims = await vorderingen.lees(p, AMSTERDAM, zaak)
    assert claims and all(c["open"] for c in claims)
    for claim in claims:
        assert claim["invordering"] == "inhouding"
        assert "geen bijstand te betalen" not in claim["uitleg"]
        assert (
            "Op uw bijstand houden wij nu niets in: een consulent stelt uw bijstandsnorm vast, dus wij weten nog "
            "niet hoeveel bijstand u deze maand krijgt. Tot dan houden wij niets in." in claim["uitleg"]
        )
