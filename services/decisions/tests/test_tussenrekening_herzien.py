"""The intermediate account (stable income) when a month is revised back in time: what the account paid the
person (the fixed amount) and the wage that went into it stay what they were; a revision that lowers what a
month was owed below the fixed amount paid makes the difference a claim, explained as on advances. Only work
income is paid into the account (a benefit such as WW goes to the person). The history's partner clock is
that of today's partner."""

from datetime import date

import pytest

from decisions.domain.fouten import Geweigerd
from decisions.domain.situatie import Betaalmodel, Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.entrypoints import consumers
from decisions.service import uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from tests.support.events import maandinkomen, received

VANDAAG = date(2026, 7, 1)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
BSN, PARTNER, ANDERE_PARTNER = "999993653", "999990019", "999991905"
GEBOREN, START = date(1985, 5, 1), date(2026, 1, 1)
STABIEL = Betaalmodel.stabiel_inkomen
ALLEEN = Situatie(START, Huishouden.alleenstaand, betaalmodel=STABIEL)
GEHUWD = Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)), betaalmodel=STABIEL)


async def geopend(p, situatie):
    return (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, situatie)).uitkering.uitkering_id


async def binnen(p, bsn, maand, netto, soort=None):
    await consumers.on_maandinkomens(lambda c: p).handle(
        None, [received(f"p-{bsn}", maandinkomen(bsn, maand, netto, soort=soort))]
    )


async def rekening(p, uitkering_id):
    boek, _ = await verrekeningen.tussenrekening(p, AMSTERDAM, uitkering_id)
    return boek


async def test_a_cost_sharer_back_in_time_keeps_the_fixed_amount_paid_and_claims_what_was_paid_too_much():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    for maand in ("2026-02", "2026-03", "2026-04"):
        await binnen(p, BSN, maand, 40000)
    voor = await rekening(p, uitkering_id)
    assert [b.vast_bedrag for b in voor] == [133142] * 3
    assert voor[-1].saldo == 34500
    februari = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[0]
    assert "Daaruit krijgt u het vaste bedrag van € 1.331,42: de norm min" in verrekeningen.uitleg(
        februari.verrekening, februari.beweging
    ), "the text names the fixed amount in euros"

    kostendeler = Situatie(date(2026, 2, 1), Huishouden.alleenstaand, kostendelers=1, betaalmodel=STABIEL)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, kostendeler)

    na = await rekening(p, uitkering_id)
    assert [b.vast_bedrag for b in na] == [133142] * 3, "what the person actually received"
    assert [b.teruggevorderd for b in na] == [38040] * 3, "the fixed amount above what was owed"
    # 34500 − 3 × 38040 taken from the account, and 3 × 38040 claimed back into it
    assert na[-1].saldo == 34500
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["bedrag"]) for c in claims] == [(m, 38040) for m in ("2026-02", "2026-03", "2026-04")]
    februari = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[0]
    assert februari.verrekening.verschil == -38040
    tekst = verrekeningen.uitleg(februari.verrekening, februari.beweging)
    assert "vaste bedrag van € 1.331,42" in tekst and "€ 951,02" in tekst
    assert "Daaruit krijgt u het vaste bedrag van € 951,02" in tekst, "what the month owes now"
    assert "€ 380,40 te veel gekregen, dat vorderen wij terug" in tekst
    assert "de uitleg bij de verrekening zegt waarom" in claims[0]["uitleg"]


async def test_a_partner_removed_back_in_time_leaves_their_wage_on_the_account_and_the_fixed_amount_paid():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, GEHUWD)
    for maand in ("2026-03", "2026-04"):
        await binnen(p, PARTNER, maand, 150000)
    voor = await rekening(p, uitkering_id)
    assert [(b.loon, b.vast_bedrag) for b in voor] == [(150000, 190202)] * 2
    assert voor[-1].saldo == 69150

    alleen = Situatie(date(2026, 3, 1), Huishouden.alleenstaand, betaalmodel=STABIEL)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, alleen)

    na = await rekening(p, uitkering_id)
    assert [(b.loon, b.vast_bedrag, b.teruggevorderd) for b in na] == [(150000, 190202, 57060)] * 2
    assert [b.bijstand for b in na] == [133142] * 2
    # per month: 150000 + 133142 − 190202 + 57060 = 150000
    assert na[-1].saldo == 300000
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["bedrag"]) for c in claims] == [("2026-03", 57060), ("2026-04", 57060)]


async def test_an_end_back_in_time_claims_the_fixed_amount_paid_for_a_month_after_it():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    for maand in ("2026-02", "2026-03"):
        await binnen(p, BSN, maand, 100000)
    assert (await rekening(p, uitkering_id))[-1].saldo == 57500

    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 2, 28), Reden.werk)

    # April to July (today), paid the fixed amount and never settled, are claimed too (see below)
    februari, maart, *_ = await rekening(p, uitkering_id)
    assert (maart.loon, maart.bijstand, maart.vast_bedrag, maart.teruggevorderd) == (100000, 0, 133142, 133142)
    assert maart.saldo == 28750 + 100000
    claim, *_ = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert (claim["maand"], claim["bedrag"]) == ("2026-03", 133142)
    opgeslagen = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[1]
    tekst = verrekeningen.uitleg(opgeslagen.verrekening, opgeslagen.beweging)
    assert "vaste bedrag van € 1.331,42" in tekst
    assert "€ 1.331,42 te veel gekregen, dat vorderen wij terug" in tekst


async def test_a_benefit_is_not_wage_into_the_account():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, GEHUWD)
    await binnen(p, PARTNER, "2026-03", 80000, soort="overig")
    [maart] = await rekening(p, uitkering_id)
    assert (maart.loon, maart.bijstand, maart.vast_bedrag) == (0, 114202, 190202)
    assert maart.saldo == -76000


async def test_the_partner_clock_in_the_history_is_todays_partners():
    p, uow = ports(VANDAAG)
    eerste = Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)))
    uitkering_id = await geopend(p, eerste)
    tweede = Situatie(date(2026, 4, 1), Huishouden.gehuwd, Partner(ANDERE_PARTNER, date(1988, 3, 1)))
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, tweede)
    for maand in ("2026-01", "2026-02", "2026-03"):
        await binnen(p, PARTNER, maand, 30000)
    for maand in ("2026-04", "2026-05"):
        await binnen(p, ANDERE_PARTNER, maand, 30000)
    _, partner, _ = await verrekeningen.geschiedenis(p, AMSTERDAM, uitkering_id)
    assert partner == {"n": 2}


async def test_what_the_account_booked_is_stored_with_the_settlement(tmp_path):
    """On the SQL store: the fixed amount paid and the wage received read back, so a partner removed back
    in time leaves them on the account there too."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        uitkering_id = await geopend(p, GEHUWD)
        await binnen(p, PARTNER, "2026-03", 150000)
        alleen = Situatie(date(2026, 3, 1), Huishouden.alleenstaand, betaalmodel=STABIEL)
        await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, alleen)
        [maart] = await rekening(p, uitkering_id)
        assert (maart.loon, maart.vast_bedrag, maart.teruggevorderd, maart.saldo) == (150000, 190202, 57060, 150000)
        [opgeslagen] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
        r = opgeslagen.verrekening.rekening
        assert (r.vast, r.terug, r.loon, r.partnerloon) == (190202, 57060, 0, 150000)
    finally:
        await db.dispose()


async def test_a_month_paid_before_a_cost_sharer_back_in_time_but_settled_after_it_books_the_fixed_amount_paid():
    """April's fixed amount was paid (at the start of the month, as every month on stable income) before the
    cost-sharer was set back in time, its polis came after: it is settled with the fixed amount as paid."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    for maand in ("2026-02", "2026-03"):
        await binnen(p, BSN, maand, 40000)
    kostendeler = Situatie(date(2026, 2, 1), Huishouden.alleenstaand, kostendelers=1, betaalmodel=STABIEL)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, kostendeler)
    await binnen(p, BSN, "2026-04", 40000)

    na = await rekening(p, uitkering_id)
    # paid 1.401,50 − 70,08 = 1.331,42 a month; owed now 1.001,07 − 50,05 = 951,02: 380,40 claimed each
    assert [(str(b.maand), b.vast_bedrag, b.teruggevorderd) for b in na] == [
        ("2026-02", 133142, 38040),
        ("2026-03", 133142, 38040),
        ("2026-04", 133142, 38040),
    ]
    # April: 400,00 wage + (1.001,07 − 300,00 counted) − 35,05 reserved = 666,02 bijstand; 400,00 + 666,02
    # − 1.331,42 + 380,40 = 115,00, as every month before the change
    assert na[-1].bijstand == 66602
    assert na[-1].saldo == 3 * 11500
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["bedrag"]) for c in claims] == [(m, 38040) for m in ("2026-02", "2026-03", "2026-04")]
    april = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[-1]
    assert april.verrekening.verschil == -38040
    tekst = verrekeningen.uitleg(april.verrekening, april.beweging)
    assert "vaste bedrag van € 1.331,42" in tekst and "€ 951,02" in tekst


async def test_an_end_back_in_time_claims_the_fixed_amount_paid_for_months_never_settled():
    """March to July (today) were paid the fixed amount, and none had its polis: ended at the end of
    February, each is settled at nil and its fixed amount claimed."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    await binnen(p, BSN, "2026-02", 100000)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 2, 28), Reden.werk)

    februari, *erna = await rekening(p, uitkering_id)
    # February: 1.000,00 + (1.401,50 − 750,00 counted) − 32,58 reserved − 1.331,42 = 287,50
    assert februari.saldo == 28750
    assert [str(b.maand) for b in erna] == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    assert {(b.loon, b.bijstand, b.vast_bedrag, b.teruggevorderd, b.saldo) for b in erna} == {
        (0, 0, 133142, 133142, 28750)
    }
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["bedrag"]) for c in claims] == [
        (m, 133142) for m in ("2026-03", "2026-04", "2026-05", "2026-06", "2026-07")
    ]
    maart = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[1]
    assert (maart.verrekening.te_betalen, maart.verrekening.verschil) == (0, -133142)
    tekst = verrekeningen.uitleg(maart.verrekening, maart.beweging)
    assert "vaste bedrag van € 1.331,42" in tekst


async def test_an_end_date_corrected_back_claims_the_fixed_amount_paid_for_the_months_it_takes_out():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    await binnen(p, BSN, "2026-02", 100000)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 5, 31), Reden.werk)
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["bedrag"]) for c in claims] == [("2026-06", 133142), ("2026-07", 133142)]
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 3, 31))
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["bedrag"]) for c in claims] == [
        (m, 133142) for m in ("2026-04", "2026-05", "2026-06", "2026-07")
    ]
    # later again: April is the case's once more (settled without income, its polis being due), its claim gone
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 4, 30))
    claims = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert [(c["maand"], c["open"]) for c in claims] == [
        ("2026-04", 0),
        ("2026-05", 133142),
        ("2026-06", 133142),
        ("2026-07", 133142),
    ]
    april = (await rekening(p, uitkering_id))[1]
    assert (april.bijstand, april.vast_bedrag, april.teruggevorderd) == (133142, 133142, 0)


async def test_a_partner_replaced_back_in_time_leaves_the_first_partners_wage_on_the_account():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, GEHUWD)
    await binnen(p, PARTNER, "2026-03", 150000)
    [voor] = await rekening(p, uitkering_id)
    # 1.500,00 + (2.002,13 − (1.500,00 − 285,00)) − 39,36 reserved − 1.902,02 = 345,75
    assert (voor.loon, voor.bijstand, voor.vast_bedrag, voor.saldo) == (150000, 74777, 190202, 34575)

    ander = Situatie(
        date(2026, 3, 1), Huishouden.gehuwd, Partner(ANDERE_PARTNER, date(1988, 3, 1)), betaalmodel=STABIEL
    )
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, ander)

    # the other partner has no income: the full 2.002,13 − 100,11 reserved goes in, the wage stays in
    [na] = await rekening(p, uitkering_id)
    assert (na.loon, na.bijstand, na.vast_bedrag, na.teruggevorderd, na.saldo) == (150000, 190202, 190202, 0, 150000)

    # the other partner's wage for March, when it comes, goes in on top of the first one's
    await binnen(p, ANDERE_PARTNER, "2026-03", 20000)
    [daarna] = await rekening(p, uitkering_id)
    assert daarna.loon == 170000


async def test_the_fixed_amount_paid_and_each_partners_wage_are_stored(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        uitkering_id = await geopend(p, GEHUWD)
        await binnen(p, PARTNER, "2026-03", 150000)
        ander = Situatie(
            date(2026, 3, 1), Huishouden.gehuwd, Partner(ANDERE_PARTNER, date(1988, 3, 1)), betaalmodel=STABIEL
        )
        await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, ander)
        # April was paid as the household was (married: 1.902,02), settled now with the other partner's wage
        await binnen(p, ANDERE_PARTNER, "2026-04", 20000)
        maart, april = await rekening(p, uitkering_id)
        assert (maart.loon, maart.saldo) == (150000, 150000)
        assert (april.loon, april.vast_bedrag, april.teruggevorderd) == (20000, 190202, 0)
        [opgeslagen, _] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
        assert opgeslagen.verrekening.rekening.partnerloon == 150000
    finally:
        await db.dispose()


async def test_a_month_the_account_paid_keeps_stable_income_though_no_polis_settled_it_yet():
    """The account pays the fixed amount at the start of every month: a switch to advances from such a
    month, not yet settled, would pay it twice (the fixed amount, then a back-payment as an advance)."""
    p, _ = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    for maand in ("2026-02", "2026-03", "2026-04"):
        await binnen(p, BSN, maand, 40000)
    voorschot = Situatie(date(2026, 5, 1), Huishouden.alleenstaand)
    with pytest.raises(Geweigerd) as fout:
        await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, voorschot)
    assert fout.value.code == "betaalmodel-al-verrekend" and "juli 2026" in fout.value.detail
    vanaf_augustus = Situatie(date(2026, 8, 1), Huishouden.alleenstaand)
    assert (await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, vanaf_augustus)).situaties[-1] == vanaf_augustus


async def test_a_corrected_birth_date_books_the_fixed_amount_paid_for_a_month_settled_after_it():
    """April's fixed amount was paid at the start of the month by the birth date as it was; its polis came
    after the birth date was corrected (19, not 40): it is settled with what was paid, and the fixed amount
    above what the young person's norm owes is claimed, as for March, settled before."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p, ALLEEN)
    await binnen(p, BSN, "2026-03", 40000)
    await uitkeringen.corrigeer_geboortedatum(p, AMSTERDAM, uitkering_id, date(2006, 3, 1))
    await binnen(p, BSN, "2026-04", 40000)

    maart, april = await rekening(p, uitkering_id)
    assert maart.vast_bedrag == 133142, "settled before the correction: as paid"
    assert (april.vast_bedrag, april.teruggevorderd) == (maart.vast_bedrag, maart.teruggevorderd)
    assert april.teruggevorderd > 0
