"""What a couple's case shows of whom, and to whom: a partner reads the intermediate account without a
former partner's wage; the applicant as a citizen reads only the caseworker's judgements of their own
income, without the reason (it may hold health data); and a read that shows the household's income
leaves a processing record for its partners too (AVG art. 15)."""

from datetime import date

from decisions.domain.inkomen import Oordeel
from decisions.domain.situatie import Betaalmodel, Huishouden, Partner, Situatie
from decisions.entrypoints import consumers, models
from decisions.service import uitkeringen, verrekeningen
from decisions.tests.fakes import ports
from schakel import logboek
from schakel.caller import Caller, Rol
from schakel.logboek import BETROKKENE, GEZINSLID
from tests.support.events import maandinkomen, received

VANDAAG = date(2026, 7, 1)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
BSN, EERSTE, TWEEDE = "999993653", "999990019", "999991905"
GEBOREN, START = date(1985, 5, 1), date(2026, 1, 1)
STABIEL = Betaalmodel.stabiel_inkomen


def burger(bsn: str) -> Caller:
    return Caller("burger", Rol.burger, bsn=bsn)


async def binnen(p, bsn, maand, netto, soort=None):
    await consumers.on_maandinkomens(lambda c: p).handle(
        None, [received(f"p-{bsn}", maandinkomen(bsn, maand, netto, soort=soort))]
    )


async def test_a_partner_put_in_anothers_place_reads_the_account_without_the_former_partners_wage():
    p, _ = ports(VANDAAG)
    gehuwd = Situatie(START, Huishouden.gehuwd, Partner(EERSTE, date(1987, 2, 1)), betaalmodel=STABIEL)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, gehuwd)).uitkering.uitkering_id
    await binnen(p, BSN, "2026-03", 40000)
    await binnen(p, EERSTE, "2026-03", 150000)  # settled with the first partner: their wage went into the account
    ander = Situatie(date(2026, 3, 1), Huishouden.gehuwd, Partner(TWEEDE, date(1988, 3, 1)), betaalmodel=STABIEL)
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, ander)
    await binnen(p, TWEEDE, "2026-03", 30000)

    gemeente, _ = await verrekeningen.tussenrekening(p, AMSTERDAM, zaak)
    tweede, _ = await verrekeningen.tussenrekening(p, burger(TWEEDE), zaak)
    aanvrager, _ = await verrekeningen.tussenrekening(p, burger(BSN), zaak)

    assert [(str(b.maand), b.loon) for b in gemeente] == [("2026-03", 220000)], "the account keeps all of it"
    assert [(str(b.maand), b.loon) for b in aanvrager] == [("2026-03", 220000)]
    assert [(str(b.maand), b.loon) for b in tweede] == [("2026-03", 70000)], "the applicant's and their own"
    assert [b.saldo for b in tweede] == [b.saldo for b in gemeente], "the balance is the household's"


async def test_the_applicant_as_citizen_reads_only_their_own_judgements_without_the_reason():
    p, _ = ports(VANDAAG)
    gehuwd = Situatie(START, Huishouden.gehuwd, Partner(EERSTE, date(1987, 2, 1)))
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, gehuwd)).uitkering.uitkering_id
    await binnen(p, BSN, "2026-02", 20000, soort="onbekend")
    await binnen(p, EERSTE, "2026-02", 90000, soort="onbekend")
    eigen = Oordeel("123456782L01", 1, "arbeid", "loon voor gewerkte uren, na ziekte hersteld")
    ex = Oordeel("123456782L01", 1, "overig", "WIA-uitkering wegens arbeidsongeschiktheid")
    await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, zaak, eigen)
    await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, zaak, ex, EERSTE)
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, Situatie(date(2026, 4, 1), Huishouden.alleenstaand))

    gemeente = (await uitkeringen.lees(p, AMSTERDAM, zaak)).oordelen
    assert sorted(gemeente) == sorted([(BSN, eigen), (EERSTE, ex)]), "the municipality reads them all"
    for gelezen in (
        (await uitkeringen.lees(p, burger(BSN), zaak)).oordelen,
        (await uitkeringen.mijn(p, burger(BSN)))[0].oordelen,
    ):
        assert [(bsn, o.soort) for bsn, o in gelezen] == [(BSN, "arbeid")], "only of their own income"
        assert [o.reden for _, o in gelezen] == [uitkeringen.REDEN_VOOR_GEMEENTE], "the reason is the caseworker's"


async def test_a_citizen_reads_why_a_month_waits_in_their_own_words_the_municipality_the_task():
    """A month waiting for a caseworker: the municipality reads what to record (with the codes), a
    citizen why it waits in plain words, with the month's name and without codes or instructions."""
    p, _ = ports(VANDAAG)
    zonder_bsn = Situatie(date(2026, 3, 1), Huishouden.gehuwd, Partner(None, date(1990, 1, 1)))
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, zonder_bsn)).uitkering.uitkering_id
    await binnen(p, BSN, "2026-03", 50000, soort="onbekend")

    gemeente = [t.reden for t in (await uitkeringen.lees(p, AMSTERDAM, zaak)).te_beoordelen]
    assert any("leg vast" in r and "L01/" in r for r in gemeente) and any("leg de partner vast" in r for r in gemeente)
    for gelezen in (
        (await uitkeringen.lees(p, burger(BSN), zaak)).te_beoordelen,
        (await uitkeringen.mijn(p, burger(BSN)))[0].te_beoordelen,
    ):
        redenen = [t.reden for t in gelezen]
        assert len(redenen) == 2 and not any("leg " in r or "L01/" in r or "2026-" in r for r in redenen)
        assert redenen[0].startswith("Over maart 2026 kreeg u inkomen waarvan niet bekend is")
        assert redenen[1].startswith("Van uw partner heeft de gemeente geen burgerservicenummer (BSN)")
        assert all("Een medewerker van de gemeente bekijkt deze maand" in r for r in redenen)


async def test_each_partner_reads_of_their_own_income_as_theirs_and_of_the_others_as_their_partners():
    p, _ = ports(VANDAAG)
    gehuwd = Situatie(START, Huishouden.gehuwd, Partner(EERSTE, date(1987, 2, 1)), betaalmodel=STABIEL)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, gehuwd)).uitkering.uitkering_id
    await binnen(p, EERSTE, "2026-02", 90000, soort="onbekend")

    [aanvrager] = (await uitkeringen.lees(p, burger(BSN), zaak)).te_beoordelen
    [partner] = (await uitkeringen.lees(p, burger(EERSTE), zaak)).te_beoordelen
    [op_rekening] = (await verrekeningen.tussenrekening(p, burger(EERSTE), zaak))[1]
    assert aanvrager.reden.startswith("Over februari 2026 kreeg uw partner inkomen")
    assert partner.reden.startswith("Over februari 2026 kreeg u inkomen") and op_rekening == partner


async def betrokkenen(p, caller, lees, zaak) -> dict[str, str | None]:
    """The persons a read of the case by `caller` records as processed, with their capacity."""
    verwerking = logboek.Verwerking("decisions", p.pseudonym, caller.oin, {"lees": "x"}, naam="lees")
    with logboek.binnen(verwerking):
        logboek.handelt(caller, "lees")
        await lees(p, caller, zaak)
    return verwerking.betrokkenen


async def test_a_read_of_the_households_income_records_its_partners_too():
    p, _ = ports(VANDAAG)
    gehuwd = Situatie(START, Huishouden.gehuwd, Partner(EERSTE, date(1987, 2, 1)), betaalmodel=STABIEL)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, gehuwd)).uitkering.uitkering_id
    await binnen(p, EERSTE, "2026-03", 150000)
    ander = Situatie(date(2026, 4, 1), Huishouden.gehuwd, Partner(TWEEDE, date(1988, 3, 1)), betaalmodel=STABIEL)
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, ander)
    # the applicant is the one the case is about; its partners are on record as members of the household
    huishouden = {p.pseudonym(BSN): BETROKKENE, p.pseudonym(EERSTE): GEZINSLID, p.pseudonym(TWEEDE): GEZINSLID}

    for lees in (verrekeningen.tussenrekening, verrekeningen.lijst, verrekeningen.geschiedenis, uitkeringen.lees):
        assert await betrokkenen(p, AMSTERDAM, lees, zaak) == huishouden, lees.__name__
        # today's partner reads their own period, not the former partner's: about themselves, the applicant
        # as a member of their household (so the applicant's own view of the log does not show their look)
        gelezen = await betrokkenen(p, burger(TWEEDE), lees, zaak)
        assert gelezen == {p.pseudonym(TWEEDE): BETROKKENE, p.pseudonym(BSN): GEZINSLID}, lees.__name__
        # and the applicant reads theirs: every partner the case named as a member of the household
        assert await betrokkenen(p, burger(BSN), lees, zaak) == huishouden, lees.__name__


def test_a_request_that_records_a_partner_s_own_data_is_about_them_the_case_shown_a_read_of_the_household():
    """Their health and subsidy set, their employment judged: the partner reads that in their own view of
    the log. The case shown back (a read, an answer) names them as a member of the household only, so a
    former partner does not read the case's life there."""
    partner = {"bsn": EERSTE, "geboortedatum": "1987-02-01", "medischUrenbeperkt": True}
    oordeel = {"loonheffingennummer": "123456789L01", "inkomstenverhouding": 1, "bsn": EERSTE}

    def genoteerd(model, body) -> str | None:
        verwerking = logboek.Verwerking("decisions", lambda b: f"p-{b}", AMSTERDAM.oin, {})
        with logboek.binnen(verwerking):
            model.model_validate(body)
        return verwerking.betrokkenen[f"p-{EERSTE}"]

    gehuwd = {"huishouden": "gehuwd", "partner": partner}
    assert (
        genoteerd(
            models.UitkeringOpenen, {"bsn": BSN, "geboortedatum": "1985-05-01", "startdatum": "2026-01-01"} | gehuwd
        )
        == BETROKKENE
    )
    # a change names the whole situation: the service notes the partner where it records their data (below)
    assert genoteerd(models.Wijziging, {"ingangsdatum": "2026-03-01"} | gehuwd) == GEZINSLID
    assert genoteerd(models.InkomstensoortOordeel, oordeel | {"soort": "arbeid", "reden": "loon"}) == BETROKKENE
    assert genoteerd(models.SituatieWeergave, {"ingangsdatum": "2026-03-01"} | gehuwd) == GEZINSLID
    assert genoteerd(models.InkomstensoortWeergave, oordeel | {"soort": "arbeid", "reden": "loon"}) == GEZINSLID


def test_the_register_names_the_partners_whose_data_the_case_processes():
    """The activities under which a read of a couple's case records its partners (above) name them, and
    the offsetting names the judgements, the account and who reads them (AVG art. 30)."""
    register = logboek.register()

    def activiteit(operatie: str) -> dict:
        return register.activiteiten[register.operaties[("decisions", operatie)]]

    for operatie in ("leesUitkering", "leesGeschiedenis", "leesVerrekeningen", "leesTussenrekening", "leesVorderingen"):
        assert "hun partners" in activiteit(operatie)["betrokkenen"], operatie
    verrekenen = activiteit("leesTussenrekening")
    assert [g.split(" (")[0] for g in verrekenen["persoonsgegevens"] if "oordelen" in g or "tussenrekening" in g] == [
        "oordelen van de consulent over de soort inkomen, met hun reden",
        "de tussenrekening",
    ]
    assert {"de persoon zelf", "zijn partner"} <= {o.split(" (")[0] for o in verrekenen["ontvangers"]}


async def test_the_partner_s_history_holds_no_month_that_waited_before_they_joined():
    """A month that starts to wait is in the case's history (`verrekening.te-beoordelen`), filed under its
    month as a settlement is: the partner reads the history from their first month on, so not of a month
    of the applicant's from before they joined, as they do not read its settlement either."""
    p, _ = ports(VANDAAG)
    alleen = Situatie(START, Huishouden.alleenstaand)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, alleen)).uitkering.uitkering_id
    await uitkeringen.wijzig(
        p, AMSTERDAM, zaak, Situatie(date(2026, 4, 1), Huishouden.gehuwd, Partner(EERSTE, date(1987, 2, 1)))
    )
    await binnen(p, BSN, "2026-02", 50000, soort="arbeid")
    await binnen(p, BSN, "2026-03", 50000, soort="onbekend")  # the applicant's, before the partner's time
    wacht, vastgesteld = "nl.participatiewet.verrekening.te-beoordelen", "nl.participatiewet.verrekening.vastgesteld"

    async def gemeld(caller) -> set[tuple[str, str | None]]:
        gebeurtenissen = (await verrekeningen.geschiedenis(p, caller, zaak))[2]
        return {(g.type, g.maand) for g in gebeurtenissen if g.type in (wacht, vastgesteld)}

    assert await gemeld(burger(EERSTE)) == set()
    assert await gemeld(AMSTERDAM) == {(vastgesteld, "2026-02"), (wacht, "2026-03")}
    await binnen(p, BSN, "2026-04", 50000, soort="onbekend")  # the household's first month with them
    assert await gemeld(burger(EERSTE)) == {(wacht, "2026-04")}


async def test_a_change_that_repeats_a_former_partner_s_data_unchanged_is_not_about_them():
    """A change names the whole situation, the partner in it too. After the split the municipality corrects
    the applicant's own data of a month they shared (co-residents): the partner's data stays as it was, so
    the former partner is on record as a member of the household only and does not read, in their own view,
    that the other's case is being worked on. A change of their own data (their health) is about them."""
    p, _ = ports(VANDAAG)
    zaak = (
        await uitkeringen.open_uitkering(
            p, AMSTERDAM, BSN, GEBOREN, START, Situatie(START, Huishouden.gehuwd, Partner(EERSTE, date(1987, 2, 1)))
        )
    ).uitkering.uitkering_id
    await uitkeringen.wijzig(p, AMSTERDAM, zaak, Situatie(date(2026, 4, 1), Huishouden.alleenstaand, None))

    async def genoteerd(body) -> str | None:
        verwerking = logboek.Verwerking("decisions", p.pseudonym, AMSTERDAM.oin, {"wijzigUitkering": "x"})
        with logboek.binnen(verwerking):
            logboek.handelt(AMSTERDAM, "wijzigUitkering")
            wijziging = models.Wijziging.model_validate(body)
            await uitkeringen.wijzig(p, AMSTERDAM, zaak, wijziging.situatie(wijziging.ingangsdatum))
        return verwerking.betrokkenen[p.pseudonym(EERSTE)]

    zelfde = {"huishouden": "gehuwd", "partner": {"bsn": EERSTE, "geboortedatum": "1987-02-01"}}
    assert await genoteerd({"ingangsdatum": "2026-02-01", "kostendelers": 1} | zelfde) == GEZINSLID
    assert await genoteerd({"ingangsdatum": "2026-01-01"} | zelfde) == GEZINSLID, "the same again"
    gezondheid = {"bsn": EERSTE, "geboortedatum": "1987-02-01", "medischUrenbeperkt": True}
    assert await genoteerd({"ingangsdatum": "2026-03-01", "huishouden": "gehuwd", "partner": gezondheid}) == BETROKKENE
