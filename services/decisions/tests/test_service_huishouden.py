"""The household through the service with in-memory ports: a couple's case names the partner, who
follows the same doelbinding as the applicant (the BRP must register them in the municipality);
the partner's monthly income settles the couple's case; a benefit gets no vrijlating; a month of an
unknown kind waits for a caseworker, whose judgement settles it. A person belongs to one household's
case at a time, in any municipality."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from decisions.domain.fouten import AnderHuishouden, GeenIngezetene, Geweigerd, Onbekend, UitkeringLooptAl
from decisions.domain.inkomen import Oordeel
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.entrypoints import consumers, models
from decisions.service import kalender, toeslagen, uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.errors import Unavailable
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received
from tests.support.fakes import FakeBrp

VANDAAG = date(2029, 6, 15)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
BSN, PARTNER, ELDERS = "999993653", "999990019", "999991905"
GEBOREN, START = date(1985, 5, 1), date(2026, 1, 1)
GEHUWD = Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)))


ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")


async def gesplitst(op: date):
    """Rotterdam's couple, split on `op`; the partner has moved to Amsterdam since."""
    brp = FakeBrp({BSN: "GM0599", PARTNER: "GM0599", ELDERS: "GM0363"})
    p, uow = ports(VANDAAG, brp=brp)
    zaak = (await uitkeringen.open_uitkering(p, ROTTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await uitkeringen.wijzig(p, ROTTERDAM, zaak, Situatie(op, Huishouden.alleenstaand))
    brp.personen[PARTNER] = "GM0363"
    return p, uow, brp, zaak


async def binnen(p, bsn: str, maand: str, netto: int, soort: str | None = None) -> None:
    event = received(f"p-{bsn}", maandinkomen(bsn, maand, netto, soort=soort))
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [event])


async def test_a_couple_s_case_names_the_partner_and_announces_them_to_income():
    p, uow = ports(VANDAAG)
    weergave = await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)
    [geopend] = uow.published
    assert geopend.data["partners"] == [{"bsn": PARTNER, "vanaf": "2026-01-01"}]
    assert PARTNER not in str(geopend.key) + geopend.source + geopend.type, "the partner's BSN only in the data"
    uitkering_id = weergave.uitkering.uitkering_id

    alleen = Situatie(date(2026, 7, 1), Huishouden.alleenstaand)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, alleen)
    gewijzigd = uow.published[-1]
    assert gewijzigd.data["partners"] == [{"bsn": PARTNER, "vanaf": "2026-01-01", "tot": "2026-06-30"}]


def test_the_deprecated_partner_birth_date_must_be_the_partner_s_and_is_read_without_a_warning(recwarn):
    """`partnerGeboortedatum` gives way to `partner.geboortedatum`; given, it must be the same."""
    partner = {"bsn": "999990019", "geboortedatum": "1987-02-01"}
    gehuwd = {"ingangsdatum": "2026-03-01", "huishouden": "gehuwd", "partner": partner}
    situatie = models.Wijziging.model_validate(gehuwd | {"partnerGeboortedatum": "1987-02-01"}).situatie(START)
    assert situatie.partner is not None and situatie.partner.geboortedatum == date(1987, 2, 1)
    with pytest.raises(Geweigerd) as anders:
        models.Wijziging.model_validate(gehuwd | {"partnerGeboortedatum": "1988-02-01"}).situatie(START)
    assert anders.value.code == "partner-geboortedatum-wijkt-af"
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)], "a warning for every request"


async def test_a_partner_the_brp_registers_elsewhere_is_answered_as_an_unknown_person():
    p, uow = ports(VANDAAG, brp=FakeBrp({BSN: "GM0363", ELDERS: "GM0599"}, standaard=None))
    for partner in (ELDERS, "999992107"):  # lives in Rotterdam; unknown to the BRP
        situatie = Situatie(START, Huishouden.gehuwd, Partner(partner, date(1987, 2, 1)))
        with pytest.raises(GeenIngezetene) as refused:
            await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, situatie)
        assert refused.value.code == "geen-ingezetene"
    assert not uow.uitkeringen.rijen and not uow.published, "nothing stored"
    with pytest.raises(Geweigerd) as zelf:
        await uitkeringen.open_uitkering(
            p, AMSTERDAM, BSN, GEBOREN, START, Situatie(START, Huishouden.gehuwd, Partner(BSN, GEBOREN))
        )
    assert (zelf.value.code, zelf.value.field) == ("partner-is-aanvrager", "partner.bsn")

    weergave = await uitkeringen.open_uitkering(
        p, AMSTERDAM, BSN, GEBOREN, START, Situatie(START, Huishouden.alleenstaand)
    )
    elders = Situatie(date(2026, 3, 1), Huishouden.gehuwd, Partner(ELDERS, date(1987, 2, 1)))
    with pytest.raises(GeenIngezetene):
        await uitkeringen.wijzig(p, AMSTERDAM, weergave.uitkering.uitkering_id, elders)
    assert len(await uow.situaties.van(weergave.uitkering.uitkering_id)) == 1


class BrpWeg(FakeBrp):
    async def woongemeente(self, bsn: str) -> str | None:
        raise Unavailable("De BRP is nu niet bereikbaar; probeer het later opnieuw.")


async def test_a_change_asks_the_brp_before_any_transaction_so_an_outage_leaves_nothing_to_replay():
    """Over the API a request's first transaction takes its Idempotency-Key: one taken before the BRP
    failed would store the 503 and give it to every retry with that key."""
    p, uow = ports(VANDAAG)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    transacties: list[object] = []
    weg = replace(p, brp=BrpWeg(), uow=lambda: transacties.append(1) or p.uow())
    ander = Situatie(date(2026, 7, 1), Huishouden.gehuwd, Partner(ELDERS, date(1987, 2, 1)))
    with pytest.raises(Unavailable):
        await uitkeringen.wijzig(weg, AMSTERDAM, uitkering_id, ander)
    assert not transacties
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, ander)
    assert len(await uow.situaties.van(uitkering_id)) == 2


async def test_the_partner_s_income_settles_the_couple_s_months_with_their_own_vrijlating():
    p, uow = ports(VANDAAG)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await binnen(p, PARTNER, "2026-03", 80000, "arbeid")  # the partner's polis arrives first: March is settled
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (maart.verrekening.inkomen.totaal, maart.verrekening.partner.vrijlating.bedrag) == (0, 20000)
    eerder = len(uow.published)
    await binnen(p, BSN, "2026-03", 50000, "arbeid")  # then the applicant's: March is revised by the difference
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (maart.versie, maart.verrekening.gekort_inkomen) == (2, (50000 - 12500) + (80000 - 20000))
    # less bijstand than first settled: the difference is recovered (a toeslagen signal may follow)
    nu = [e.type for e in uow.published[eerder:]]
    assert events.VerrekeningHerzien.TYPE in nu and events.VorderingOntstaan.TYPE in nu
    klok, partnerklok, _ = await verrekeningen.geschiedenis(p, AMSTERDAM, uitkering_id)
    assert (klok, partnerklok) == ({"n": 1}, {"n": 1})


async def test_a_month_whose_only_income_was_a_former_partner_s_is_settled_again_with_none():
    """A household change back in time can take away the only income a settled month counted: the month
    stays settled, now with none, so the citizen is not left with a cut for income that was not theirs."""
    p, uow = ports(VANDAAG)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await binnen(p, PARTNER, "2026-03", 150_000, "arbeid")
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert maart.verrekening.gekort_inkomen == 150_000 - 28_500  # the partner's vrijlating at its cap
    eerder = len(uow.published)

    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, Situatie(date(2026, 3, 1), Huishouden.alleenstaand))

    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    v = maart.verrekening
    assert (maart.versie, v.partner, v.gekort_inkomen, v.bijstand, v.te_betalen) == (2, None, 0, 140_150, 133_142)
    [herzien] = [e for e in uow.published[eerder:] if e.type == events.VerrekeningHerzien.TYPE]
    couple = 200_213 - (150_000 - 28_500)
    assert (herzien.data["vorigTeBetalen"], herzien.data["herziening"]) == (couple - 3_936, 133_142 - (couple - 3_936))
    assert (
        "Uw partner" not in herzien.data["uitleg"]
        and "Over deze maand is geen inkomen van u bekend." in herzien.data["uitleg"]
    )

    # the month stays as it is now when the case is settled again from a later month's income
    eerder = len(uow.published)
    await binnen(p, BSN, "2026-04", 50_000, "arbeid")
    assert [e.data["maand"] for e in uow.published[eerder:] if e.type.startswith("nl.participatiewet.verrekening")] == [
        "2026-04"
    ]


async def test_a_benefit_counts_in_full_and_an_unknown_kind_waits_for_the_caseworker():
    p, uow = ports(VANDAAG)
    alleen = Situatie(START, Huishouden.alleenstaand)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, alleen)).uitkering.uitkering_id
    await binnen(p, BSN, "2026-02", 60000, "overig")
    [februari] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (februari.verrekening.vrijlating, februari.verrekening.gekort_inkomen) == (None, 60000)

    await binnen(p, BSN, "2026-03", 60000, "onbekend")
    weergave = await uitkeringen.lees(p, AMSTERDAM, uitkering_id)
    [vraag] = weergave.te_beoordelen
    assert (str(vraag.maand), vraag.wie, len(await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))) == (
        "2026-03",
        "aanvrager",
        1,
    )
    oordeel = Oordeel("123456782L01", 1, "arbeid", "thuiswerker met loon voor werk, loonstrook gezien")
    weergave = await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, uitkering_id, oordeel)
    assert weergave.te_beoordelen == [] and weergave.oordelen == [(BSN, oordeel)]
    maart = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[-1].verrekening
    assert (str(maart.maand), maart.vrijlating.grond) == ("2026-03", "n")


async def test_a_judgement_of_an_income_kind_is_of_one_person_s_relationship():
    """Employers number income relationships per employee: the applicant's and the partner's can share
    an employer and a number. A judgement of one says nothing of the other's."""
    p, _ = ports(VANDAAG)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await binnen(p, BSN, "2026-03", 50000, "onbekend")
    await binnen(p, PARTNER, "2026-03", 90000, "onbekend")
    wachtend = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).te_beoordelen
    assert sorted(v.wie for v in wachtend) == ["aanvrager", "partner"]

    loon = Oordeel("123456782L01", 1, "arbeid", "loonstrook van de aanvrager gezien")
    weergave = await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, uitkering_id, loon)
    assert [v.wie for v in weergave.te_beoordelen] == ["partner"], "the partner's relationship waits still"
    assert weergave.oordelen == [(BSN, loon)]
    with pytest.raises(Geweigerd) as fout:
        await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, uitkering_id, loon, ELDERS)
    assert fout.value.field == "bsn"

    ww = Oordeel("123456782L01", 1, "overig", "WW van de partner")
    weergave = await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, uitkering_id, ww, PARTNER)
    assert weergave.te_beoordelen == [] and sorted(weergave.oordelen) == sorted([(BSN, loon), (PARTNER, ww)])
    maart = (await verrekeningen.lijst(p, AMSTERDAM, uitkering_id))[-1].verrekening
    assert maart.vrijlating is not None and maart.partner is not None and maart.partner.vrijlating is None


async def test_the_partner_reads_their_own_income_as_their_own():
    """The explanation is told to whoever reads it: the partner's wage is "U" to the partner and "Uw
    partner" to the applicant; the back office reads it as the applicant does."""
    p, _ = ports(VANDAAG)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await binnen(p, PARTNER, "2026-03", 80000)

    def uitleg(vastgesteld) -> str:
        [maart] = [models.verrekening(v) for v in vastgesteld if str(v.verrekening.maand) == "2026-03"]
        return maart["uitleg"]

    partner = uitleg(await verrekeningen.lijst(p, Caller("burger", Rol.burger, bsn=PARTNER), uitkering_id))
    aanvrager = uitleg(await verrekeningen.lijst(p, Caller("burger", Rol.burger, bsn=BSN), uitkering_id))
    assert (
        "U verdiende netto € 800,00" in partner and "Over deze maand is geen inkomen van uw partner bekend." in partner
    )
    assert "Uw partner verdiende netto € 800,00" in aanvrager and "geen inkomen van u bekend" in aanvrager
    assert uitleg(await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)) == aanvrager


async def test_a_case_opened_when_the_household_s_income_is_known_settles_it_at_once():
    """Income decisions knows before the case opens (the partner's from a case of their own, or a
    reopened case's) is settled as it opens; a month of an unknown kind shows as waiting at once."""
    p, uow = ports(VANDAAG)
    await binnen(p, PARTNER, "2026-02", 60000)
    await binnen(p, PARTNER, "2026-03", 60000, "onbekend")
    weergave = await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)

    assert [e.type for e in uow.published] == [
        events.UitkeringGeopend.TYPE,
        events.VerrekeningVastgesteld.TYPE,
        events.VerrekeningTeBeoordelen.TYPE,
    ]
    [februari] = await verrekeningen.lijst(p, AMSTERDAM, weergave.uitkering.uitkering_id)
    assert str(februari.verrekening.maand) == "2026-02"
    assert [(str(v.maand), v.wie) for v in weergave.te_beoordelen] == [("2026-03", "partner")]
    assert weergave.situaties == [GEHUWD]


async def test_the_partner_sees_the_household_s_case_as_a_citizen_until_the_partnership_ends():
    """A couple's bijstand is the household's (art. 4, 11): the partner reads its settlements and
    claims with their own DigiD, as the applicant does; once the case's household no longer names
    them, it is an unknown case to them, and a stranger never sees it."""
    p, _ = ports(VANDAAG)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await binnen(p, PARTNER, "2026-03", 80000, "arbeid")
    partner, vreemde = Caller("burger", Rol.burger, bsn=PARTNER), Caller("burger", Rol.burger, bsn=ELDERS)

    assert [w.uitkering.uitkering_id for w in await uitkeringen.mijn(p, partner)] == [uitkering_id]
    [maart] = await verrekeningen.lijst(p, partner, uitkering_id)
    assert maart.verrekening.partner.inkomen.totaal == 80000
    assert await vorderingen.mijn(p, partner) == await vorderingen.mijn(p, Caller("burger", Rol.burger, bsn=BSN))
    assert await uitkeringen.mijn(p, vreemde) == []
    with pytest.raises(Onbekend):
        await verrekeningen.lijst(p, vreemde, uitkering_id)

    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, Situatie(date(2026, 7, 1), Huishouden.alleenstaand))
    assert await uitkeringen.mijn(p, partner) == [], "a former partner"
    with pytest.raises(Onbekend):
        await verrekeningen.lijst(p, partner, uitkering_id)


async def test_a_new_partner_sees_the_case_from_the_day_they_joined_and_a_future_one_not_yet():
    """Before a partner joined, the case was another household's: a former partner's BSN, birth date
    and health, their income and the months settled then are not the new partner's to see. A change
    dated later names its partner from that day, not before; until then the partner of today reads on."""
    p, uow = ports(VANDAAG)
    ziek = Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1), medisch_urenbeperkt=True))
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, ziek)).uitkering.uitkering_id
    await binnen(p, PARTNER, "2026-03", 80000, "arbeid")
    nieuw = Situatie(date(2026, 7, 1), Huishouden.gehuwd, Partner(ELDERS, date(1990, 4, 1)))
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, nieuw)
    await binnen(p, BSN, "2026-08", 30000, "arbeid")
    nieuwe_partner = Caller("burger", Rol.burger, bsn=ELDERS)

    [weergave] = await uitkeringen.mijn(p, nieuwe_partner)
    assert weergave.situaties == [nieuw] and weergave.deelnamestatus is None and weergave.oordelen == []
    assert [str(v.verrekening.maand) for v in await verrekeningen.lijst(p, nieuwe_partner, uitkering_id)] == ["2026-08"]
    _, _, gebeurtenissen = await verrekeningen.geschiedenis(p, nieuwe_partner, uitkering_id)
    assert all(g.maand is None or g.maand >= "2026-07" for g in gebeurtenissen)
    assert PARTNER not in repr(await uitkeringen.lees(p, nieuwe_partner, uitkering_id))
    assert len((await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).situaties) == 2, "the municipality sees all"

    kamer = replace(nieuw, ingangsdatum=date(2029, 8, 1), kostendelers=1)  # from after VANDAAG, still theirs
    later = Situatie(date(2029, 9, 1), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1), medisch_urenbeperkt=True))
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, kamer)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, later)
    assert await uitkeringen.mijn(p, Caller("burger", Rol.burger, bsn=PARTNER)) == [], "not yet the partner"
    [weergave] = await uitkeringen.mijn(p, nieuwe_partner)
    # the partner of today reads the changes of their period, not the one that names the next partner
    assert weergave.uitkering.uitkering_id == uitkering_id and weergave.situaties == [nieuw, kamer]
    assert (await uitkeringen.lees(p, nieuwe_partner, uitkering_id)).situaties == [nieuw, kamer]
    assert PARTNER not in repr(models.uitkering(weergave))


async def test_a_partner_who_joined_mid_month_reads_nothing_of_that_month():
    """May is settled with the household of 1 May: the applicant and the former partner, whose wage of
    € 777,77 it counts. A partner who joined on 15 May reads the case from June, on every read: the
    settlements, the history and both clocks, the payment calendar, the holiday allowance, the claims
    and the toeslagen estimate; of June's back-payment that paid off May's claim, the amount, not May."""
    p, uow = ports(VANDAAG)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    nieuw = Situatie(date(2026, 5, 15), Huishouden.gehuwd, Partner(ELDERS, date(1990, 4, 1)))
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, nieuw)
    await verrekeningen.betaal(p, AMSTERDAM, zaak, Maand(2026, 5), 200_000)  # overpaid: May leaves a claim
    await binnen(p, PARTNER, "2026-05", 77_777, "arbeid")
    for maand in ("2026-05", "2026-06"):
        await binnen(p, BSN, maand, 51_111, "arbeid")
    nieuwe_partner = Caller("burger", Rol.burger, bsn=ELDERS)

    gezien = await verrekeningen.lijst(p, nieuwe_partner, zaak)
    maanden = [str(v.verrekening.maand) for v in gezien]
    klok, partnerklok, gebeurtenissen = await verrekeningen.geschiedenis(p, nieuwe_partner, zaak)
    rijen, vastgesteld = await kalender.lees(p, nieuwe_partner, zaak)
    gelezen = [
        [models.verrekening(v) for v in gezien],
        [models.verrekening(v) for v in vastgesteld.values()],
        klok,
        partnerklok,
        gebeurtenissen,
        rijen,
        await kalender.vakantietoeslag(p, nieuwe_partner, zaak),
        await vorderingen.lees(p, nieuwe_partner, zaak),
        await uitkeringen.lees(p, nieuwe_partner, zaak),
    ]
    assert maanden == ["2026-06"] and partnerklok == {} and str(rijen[0].maand) == "2026-06"
    assert not [t for t in ("2026-05", "mei 2026", "jaar=2026, maand=5)", "77777") if t in repr(gelezen)]
    # June's back-payment paid off May's claim: the amount is the household's, the month is not named
    [juni] = [
        models.verrekening(v)
        for v in await verrekeningen.lijst(p, AMSTERDAM, zaak)
        if v.verrekening.maand == Maand(2026, 6)
    ]
    assert gelezen[0][0]["verrekendMetVorderingen"] == juni["verrekendMetVorderingen"] > 0
    assert "verrekenen wij € 1.016,30 met openstaande vorderingen over andere maanden" in gelezen[0][0]["uitleg"]
    # the estimate asks them to add their own income of May (named), and shows none of May's
    assert "77777" not in repr(await toeslagen.lees(p, nieuwe_partner, zaak))
    assert [v["maand"] for v in await vorderingen.lees(p, AMSTERDAM, zaak)] == ["2026-05"], "the claim is there"


async def test_a_partner_back_within_the_month_they_left_reads_the_months_since_they_first_joined():
    """Out on 10 March, back on 1 April: March is settled with them (on 1 March they belonged to the
    household), and no month since January without them. One back only on 20 April reads from May; one
    whose place someone else took meanwhile reads from their return, and nothing of that other."""

    async def gezien(*tussen: Situatie) -> tuple[list[str], str]:
        p, uow = ports(VANDAAG)
        zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
        for maand in ("2026-02", "2026-03", "2026-04", "2026-05"):
            await binnen(p, BSN, maand, 20_000, "arbeid")
        for situatie in tussen:
            if situatie.partner and situatie.partner.bsn is None:  # stored before a partner's BSN was asked
                await uow.situaties.zet(zaak, situatie, None)
            else:
                await uitkeringen.wijzig(p, AMSTERDAM, zaak, situatie)
        partner = Caller("burger", Rol.burger, bsn=PARTNER)
        maanden = [str(v.verrekening.maand) for v in await verrekeningen.lijst(p, partner, zaak)]
        return maanden, repr(await uitkeringen.lees(p, partner, zaak))

    uit = Situatie(date(2026, 3, 10), Huishouden.alleenstaand)
    ander = Situatie(date(2026, 3, 15), Huishouden.gehuwd, Partner(ELDERS, date(1970, 7, 7), medisch_urenbeperkt=True))
    terug, laat = replace(GEHUWD, ingangsdatum=date(2026, 4, 1)), replace(GEHUWD, ingangsdatum=date(2026, 4, 20))
    assert (await gezien(uit, terug))[0] == ["2026-02", "2026-03", "2026-04", "2026-05"]
    assert (await gezien(uit, laat))[0] == ["2026-05"]
    maanden, gelezen = await gezien(uit, ander, terug)
    assert maanden == ["2026-04", "2026-05"] and ELDERS not in gelezen
    maanden, gelezen = await gezien(uit, replace(ander, partner=replace(ander.partner, bsn=None)), terug)
    assert maanden == ["2026-04", "2026-05"] and "1970" not in gelezen


async def test_a_person_belongs_to_one_household_s_case_at_a_time_in_any_municipality():
    """Rotterdam's case names PARTNER until the household split on 1 July. A case of PARTNER's own
    backdated over those months, or a household naming someone whose own case runs, would pay the same
    days twice, and the new case's municipality would read the other household's income: refused, and
    nothing of either change stays."""
    p, uow, brp, zaak = await gesplitst(date(2026, 7, 1))
    gepubliceerd = len(uow.published)

    for start in (START, date(2026, 6, 30)):
        with pytest.raises(AnderHuishouden):
            await uitkeringen.open_uitkering(
                p, AMSTERDAM, PARTNER, date(1987, 2, 1), start, Situatie(start, Huishouden.alleenstaand)
            )
    assert await uitkeringen.mijn(p, Caller("burger", Rol.burger, bsn=PARTNER)) == [], "nothing stayed"
    assert len(uow.published) == gepubliceerd
    eigen = await uitkeringen.open_uitkering(
        p, AMSTERDAM, PARTNER, date(1987, 2, 1), date(2026, 7, 1), Situatie(date(2026, 7, 1), Huishouden.alleenstaand)
    )

    # Amsterdam's ELDERS names PARTNER, whose own case runs: refused; and Rotterdam cannot take PARTNER back
    elders = await uitkeringen.open_uitkering(
        p, AMSTERDAM, ELDERS, GEBOREN, date(2026, 8, 1), Situatie(date(2026, 8, 1), Huishouden.alleenstaand)
    )
    samen = Situatie(date(2026, 9, 1), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)))
    with pytest.raises(AnderHuishouden):
        await uitkeringen.wijzig(p, AMSTERDAM, elders.uitkering.uitkering_id, samen)
    assert (await uitkeringen.lees(p, AMSTERDAM, elders.uitkering.uitkering_id)).situaties[-1].partner is None
    brp.personen[PARTNER] = "GM0599"
    with pytest.raises(AnderHuishouden):
        await uitkeringen.wijzig(p, ROTTERDAM, zaak, replace(samen, ingangsdatum=date(2026, 10, 1)))

    # once PARTNER's own case ended, Rotterdam's household may name them from the day after
    await uitkeringen.beeindig(p, AMSTERDAM, eigen.uitkering.uitkering_id, date(2026, 9, 30), Reden.verhuizing)
    await uitkeringen.wijzig(p, ROTTERDAM, zaak, replace(samen, ingangsdatum=date(2026, 10, 1)))
    with pytest.raises(UitkeringLooptAl):  # the applicant's own cases stay the store's rule
        await uitkeringen.open_uitkering(p, ROTTERDAM, BSN, GEBOREN, START, GEHUWD)


async def test_a_partner_who_left_mid_month_is_paid_for_that_month_in_the_household_of_its_first_day():
    """Rotterdam's couple splits on 16 March. March settles with the household of 1 March, the couple's,
    for all its days (the couple's norm and the partner's income): a case of the partner's own, or a
    household naming them, in March would pay their days of March twice. From 1 April it may."""
    p, uow, brp, zaak = await gesplitst(date(2026, 3, 16))
    await binnen(p, BSN, "2026-03", 20_000, "arbeid")
    [maart] = [v for v in await verrekeningen.lijst(p, ROTTERDAM, zaak) if str(v.verrekening.maand) == "2026-03"]
    assert maart.verrekening.dagen == 31 and maart.verrekening.partner is not None, "the couple's March"
    gepubliceerd = len(uow.published)

    with pytest.raises(AnderHuishouden):  # the partner's own case
        await uitkeringen.open_uitkering(
            p,
            AMSTERDAM,
            PARTNER,
            date(1987, 2, 1),
            date(2026, 3, 16),
            Situatie(date(2026, 3, 16), Huishouden.alleenstaand),
        )
    samen = Situatie(date(2026, 3, 16), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)))
    with pytest.raises(AnderHuishouden):  # a new household, from its start
        await uitkeringen.open_uitkering(p, AMSTERDAM, ELDERS, GEBOREN, date(2026, 3, 16), samen)
    assert len(uow.published) == gepubliceerd, "nothing stayed"

    april = date(2026, 4, 1)
    await uitkeringen.open_uitkering(
        p, AMSTERDAM, PARTNER, date(1987, 2, 1), april, Situatie(april, Huishouden.alleenstaand)
    )


async def test_a_change_from_within_a_month_is_held_up_only_by_an_overlap_from_the_next_month():
    """A change dated 20 March is settled from April (March settles with the household of 1 March). So
    an overlap in March stored before (a split on 16 March and the partner's own case from that day, as
    0.10.1 allowed) holds up a change from 20 March on neither case, and one from 1 March it does."""
    brp = FakeBrp({BSN: "GM0599", PARTNER: "GM0363"})
    p, _ = ports(VANDAAG, brp=brp)
    rotterdam = Caller("00000001002220647001", Rol.municipality, "GM0599")
    split = date(2026, 3, 16)
    eigen = await uitkeringen.open_uitkering(
        p, AMSTERDAM, PARTNER, date(1987, 2, 1), split, Situatie(split, Huishouden.alleenstaand)
    )
    zaak = (
        await uitkeringen.open_uitkering(p, rotterdam, BSN, GEBOREN, START, Situatie(START, Huishouden.alleenstaand))
    ).uitkering.uitkering_id
    async with p.uow() as uow:  # as it was stored before
        await uow.situaties.zet(zaak, GEHUWD, p.pseudonym(PARTNER))
        await uow.situaties.zet(zaak, Situatie(split, Huishouden.alleenstaand), None)

    twintig = Situatie(date(2026, 3, 20), Huishouden.alleenstaand, kostendelers=2)
    await uitkeringen.wijzig(p, rotterdam, zaak, twintig)
    await uitkeringen.wijzig(p, AMSTERDAM, eigen.uitkering.uitkering_id, twintig)
    brp.personen[PARTNER] = "GM0599"
    with pytest.raises(AnderHuishouden):  # the couple's March again, now with a housemate
        await uitkeringen.wijzig(p, rotterdam, zaak, replace(GEHUWD, ingangsdatum=date(2026, 3, 1), kostendelers=2))


async def test_an_end_corrected_later_may_not_reach_into_the_partner_s_own_case():
    """Rotterdam's couple ended on 30 September; the partner's own case in Amsterdam runs from 1
    October. An end corrected to December would make the partner a member of both households."""
    brp = FakeBrp({BSN: "GM0599", PARTNER: "GM0599"})
    p, _ = ports(VANDAAG, brp=brp)
    rotterdam = Caller("00000001002220647001", Rol.municipality, "GM0599")
    zaak = (await uitkeringen.open_uitkering(p, rotterdam, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    await uitkeringen.beeindig(p, rotterdam, zaak, date(2026, 9, 30), Reden.verhuizing)
    brp.personen[PARTNER] = "GM0363"
    alleen = Situatie(date(2026, 10, 1), Huishouden.alleenstaand)
    await uitkeringen.open_uitkering(p, AMSTERDAM, PARTNER, date(1987, 2, 1), date(2026, 10, 1), alleen)

    with pytest.raises(AnderHuishouden):
        await uitkeringen.corrigeer_einde(p, rotterdam, zaak, date(2026, 12, 31))
    assert (await uitkeringen.lees(p, rotterdam, zaak)).uitkering.einddatum == date(2026, 9, 30), "nothing changed"
    await uitkeringen.corrigeer_einde(p, rotterdam, zaak, date(2026, 8, 31))  # earlier: no overlap


async def test_an_end_correction_holds_a_partner_named_while_it_waited_to_hold_the_household():
    """The correction reads the case's partners to know whom to hold; a caseworker's change that names a
    partner is made while it waits for the person: it holds that partner too, so the partner's own
    case cannot open alongside on the days the later end adds."""
    p, uow = ports(VANDAAG)
    zaak = await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, Situatie(START, Huishouden.alleenstaand))
    zaak_id = zaak.uitkering.uitkering_id
    await uitkeringen.beeindig(p, AMSTERDAM, zaak_id, date(2026, 3, 31), Reden.werk)
    gehouden: list[set[str]] = []

    async def vergrendel(*personen: str) -> None:
        if not gehouden:  # the change is made just before the person is held
            await uow.situaties.zet(zaak_id, replace(GEHUWD, ingangsdatum=date(2026, 2, 1)), p.pseudonym(PARTNER))
        gehouden.append(set(personen))

    uow.vergrendel = vergrendel
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, zaak_id, date(2026, 6, 30))

    assert gehouden == [{p.pseudonym(BSN)}, {p.pseudonym(PARTNER)}]


async def test_an_overlap_stored_before_the_rule_holds_up_only_a_change_of_its_own_days():
    """Rotterdam's case named PARTNER from January to June while PARTNER's own Amsterdam case ran, stored
    before one household at a time was checked. A change of later days, or an end corrected earlier,
    goes on; a change that names PARTNER again on those days does not."""
    brp = FakeBrp({BSN: "GM0599", PARTNER: "GM0363"})
    p, _ = ports(VANDAAG, brp=brp)
    rotterdam = Caller("00000001002220647001", Rol.municipality, "GM0599")
    alleen = Situatie(START, Huishouden.alleenstaand)
    eigen = (await uitkeringen.open_uitkering(p, AMSTERDAM, PARTNER, date(1987, 2, 1), START, alleen)).uitkering
    zaak = (await uitkeringen.open_uitkering(p, rotterdam, BSN, GEBOREN, START, alleen)).uitkering.uitkering_id
    async with p.uow() as uow:  # as it was stored before the rule
        await uow.situaties.zet(zaak, GEHUWD, p.pseudonym(PARTNER))
        await uow.situaties.zet(zaak, Situatie(date(2026, 7, 1), Huishouden.alleenstaand), None)

    await uitkeringen.wijzig(p, AMSTERDAM, eigen.uitkering_id, replace(alleen, ingangsdatum=date(2026, 8, 1)))
    await uitkeringen.beeindig(p, rotterdam, zaak, date(2026, 10, 31), Reden.werk)
    await uitkeringen.corrigeer_einde(p, rotterdam, zaak, date(2026, 9, 30))
    brp.personen[PARTNER] = "GM0599"
    with pytest.raises(AnderHuishouden):
        await uitkeringen.wijzig(p, rotterdam, zaak, replace(GEHUWD, ingangsdatum=date(2026, 5, 1)))


async def test_a_change_is_dated_no_further_ahead_than_a_start_or_an_end():
    """The probe's case: a partner named from 2100 kept that person out of any other household's case,
    in any municipality, for as long as this one ran."""
    p, uow = ports(VANDAAG)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    voor = len(uow.published)
    ver = Situatie(date(2100, 12, 31), Huishouden.gehuwd, Partner(ELDERS, date(1990, 1, 1)))
    with pytest.raises(Geweigerd) as refused:
        await uitkeringen.wijzig(p, AMSTERDAM, zaak, ver)
    assert (refused.value.code, refused.value.field) == ("ingangsdatum-te-ver-vooruit", "ingangsdatum")
    assert len(uow.published) == voor and len(await uow.situaties.van(zaak)) == 1, "nothing changed"
    # the last day of the sixth month after this one still can be (as a start or an end)
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, replace(ver, ingangsdatum=date(2029, 12, 31)))


async def test_a_partner_reads_the_change_recorded_on_the_dutch_day_they_joined():
    """Recorded at 00:30 on New Year's Day in the Netherlands (still 31 December in UTC), the change
    that names the partner from that day is in their history."""
    klok = FixedClock(date(2027, 1, 1), at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    p, uow = ports(date(2027, 1, 1), clock=klok)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, GEHUWD)).uitkering.uitkering_id
    nieuw = Situatie(date(2027, 1, 1), Huishouden.gehuwd, Partner(ELDERS, date(1990, 4, 1)))
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, nieuw)
    _, _, gebeurtenissen = await verrekeningen.geschiedenis(p, Caller("burger", Rol.burger, bsn=ELDERS), zaak)
    assert events.UitkeringGewijzigd.TYPE in [g.type for g in gebeurtenissen]


async def test_a_municipality_finds_its_own_cases_of_a_person_by_bsn_and_no_other_s():
    """A back office that lost a case's id finds it again: its own cases of the person, as the
    applicant or as a partner in any situation, newest first. Another municipality's case of them
    is not shown: asking about someone with no case here is answered as about someone unknown."""
    p, _, _, zaak = await gesplitst(date(2026, 7, 1))
    await uitkeringen.beeindig(p, ROTTERDAM, zaak, date(2026, 9, 30), Reden.werk)
    weer = await uitkeringen.open_uitkering(
        p, ROTTERDAM, BSN, GEBOREN, date(2026, 11, 1), Situatie(date(2026, 11, 1), Huishouden.alleenstaand)
    )
    amsterdam = await uitkeringen.open_uitkering(
        p, AMSTERDAM, PARTNER, date(1987, 2, 1), date(2026, 8, 1), Situatie(date(2026, 8, 1), Huishouden.alleenstaand)
    )

    def ids(weergaven):
        return [w.uitkering.uitkering_id for w in weergaven]

    assert ids(await uitkeringen.zoek(p, ROTTERDAM, BSN)) == [weer.uitkering.uitkering_id, zaak], "newest first"
    assert ids(await uitkeringen.zoek(p, ROTTERDAM, PARTNER)) == [zaak], "as the partner, then"
    assert ids(await uitkeringen.zoek(p, AMSTERDAM, PARTNER)) == [amsterdam.uitkering.uitkering_id]
    onbekend = await uitkeringen.zoek(p, AMSTERDAM, "999992107")
    assert onbekend == [] and await uitkeringen.zoek(p, AMSTERDAM, BSN) == onbekend, "Rotterdam's resident"
    [gevonden] = await uitkeringen.zoek(p, AMSTERDAM, PARTNER)
    assert gevonden == await uitkeringen.lees(p, AMSTERDAM, amsterdam.uitkering.uitkering_id), "as reading it by id"


async def test_a_young_single_parent_s_months_wait_until_the_caseworker_sets_the_jongerennorm():
    """The law leaves the norm of a parent under 21 to the municipality (art. 20 lid 1): the months wait
    with that reason until the caseworker records the norm in the situation; then they are settled
    with it, and the case shows it."""
    p, _ = ports(VANDAAG)
    jong, kind = date(2006, 6, 1), date(2025, 1, 1)
    ouder = Situatie(START, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=kind)
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, jong, START, ouder)).uitkering.uitkering_id
    await binnen(p, BSN, "2026-03", 40000, "arbeid")
    wacht = await uitkeringen.lees(p, AMSTERDAM, uitkering_id)
    assert [(str(t.maand), t.soort) for t in wacht.te_beoordelen] == [("2026-03", "norm")]
    assert "jongerennorm" in wacht.te_beoordelen[0].reden, "the reason says what to record"

    weergave = await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, replace(ouder, jongerennorm=120_000))
    assert weergave.te_beoordelen == [] and weergave.situaties[-1].jongerennorm == 120_000
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (maart.verrekening.norm.bedrag, maart.verrekening.norm.omschrijving) == (
        120_000,
        "jongerennorm (Participatiewet artikel 20), door uw gemeente vastgelegd",
    )
    assert models.uitkering(weergave)["situaties"][-1]["jongerennorm"] == 120_000


async def heropend(start: date, einde: date, heropening: date, jongerennorm: int):
    """A young single parent's case with a jongerennorm from `start`, ended on `einde` and reopened by a
    re-application from `heropening`, with the situation the end event offered for reuse: the ports, the
    reused situation and the reopened case."""
    p, uow = ports(VANDAAG)
    jong, kind = date(2006, 6, 1), date(2025, 1, 1)
    ouder = Situatie(start, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=kind, jongerennorm=jongerennorm)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, jong, start, ouder)).uitkering.uitkering_id
    await uitkeringen.beeindig(p, AMSTERDAM, zaak, einde, Reden.werk)
    [einde_] = [e for e in uow.published if e.type == events.UitkeringBeeindigd.TYPE]
    hergebruik = events.UitkeringBeeindigd.model_validate(einde_.data).hergebruik
    assert hergebruik is not None
    toegekend = events.HeraanvraagToegekend(
        heraanvraagId="7d1e3c1c-1111-4c1c-9c1c-000000000001",
        bsn=BSN,
        gemeentecode="GM0363",
        geboortedatum=jong,
        startdatum=heropening,
        situatie=hergebruik.situatie,
        vrijlatingsklok=[],
    )
    await consumers.on_heraanvraag_toegekend(lambda conn: p)(None, received(f"p-{BSN}", toegekend))
    [nieuw] = [u for u in await uitkeringen.zoek(p, AMSTERDAM, BSN) if u.uitkering.uitkering_id != zaak]
    return p, hergebruik.situatie, nieuw


async def test_a_re_application_reopens_the_case_with_its_jongerennorm():
    """The end event carries the jongerennorm with the situation a re-application reuses, and the grant
    brings it back: the reopened months under the same normenbrief settle without waiting again."""
    p, situatie, heropend_ = await heropend(START, date(2026, 2, 28), date(2026, 4, 1), 120_000)
    assert (situatie.jongerennorm, situatie.jongerennormVanaf) == (120_000, START)
    assert heropend_.situaties[-1].jongerennorm == 120_000
    await binnen(p, BSN, "2026-05", 40000, "arbeid")
    assert (await uitkeringen.lees(p, AMSTERDAM, heropend_.uitkering.uitkering_id)).te_beoordelen == []


async def test_a_reopened_case_does_not_carry_a_jongerennorm_past_an_indexation():
    """Recorded under the normenbrief of January 2025, reopened in 2026: that amount is not the law's then."""
    p, _, heropend_ = await heropend(date(2025, 3, 1), date(2025, 5, 31), date(2026, 2, 1), 110_000)
    assert heropend_.situaties[-1].jongerennorm is None
    await binnen(p, BSN, "2026-03", 40000, "arbeid")
    [maart] = (await uitkeringen.lees(p, AMSTERDAM, heropend_.uitkering.uitkering_id)).te_beoordelen
    assert (str(maart.maand), maart.soort) == ("2026-03", "norm")
