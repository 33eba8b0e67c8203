"""The registration use cases against in-memory ports: a fact reported and folded, who may report
what (DOMAIN.md §5), residence, a refused transition leaving no trace, UWV told to end a
registration, capacity (art. 10b) and UWV's Kafka mutations. Milliseconds, any date."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.exc import OperationalError

from registration.domain.deelname import Feit, OvergangFout, Soort
from registration.domain.fouten import (
    DatumBuitenBereik,
    GeenTaak,
    NietWoongemeente,
    Onbekend,
    VerhuizingNietGemeld,
    VerhuizingVoorInschrijving,
    VerhuizingVoorTijdlijn,
)
from registration.domain.melding import datum_fout
from registration.entrypoints import api, consumers
from registration.entrypoints.models import MutatieInvoer, weergave
from registration.service import deelname
from registration.tests.fakes import op_database, ports, verwerk
from schakel.api.types import Zoekvraag
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.errors import Unavailable
from schakel.events import models as events
from schakel.messaging import PermanentError
from schakel.messaging.errors import is_outage
from schakel.messaging.tables import outbox
from tests.support import builders
from tests.support.events import received

VANDAAG = date(2028, 3, 15)
UWV = Caller("00000001003214345000", Rol.uwv)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BSN, ANDER = "999993653", "999990019"

RETENTIE = 12  # months, the setting's default


def feit(soort: Soort, dagen_geleden: int, gemeente: str = "GM0363", **gegevens) -> Feit:
    return Feit(soort, VANDAAG - timedelta(days=dagen_geleden), gemeente, gegevens)


async def test_uwv_names_where_the_brp_has_the_person_or_a_municipality_from_before_they_came():
    """A fact naming another municipality (a typing error, a code of none) from the day the BRP has the
    person where they live would make it theirs, and shut out the municipality they live in."""
    p, uow = ports(VANDAAG)
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=60)  # in GM0363 for 60 days
    for fout in (feit(Soort.verhuisd, 30, "GM9999"), feit(Soort.advies_uitgebracht, 60, "GM0599", uitkomst="positief")):
        with pytest.raises(NietWoongemeente) as geweigerd:
            await deelname.meld(p, UWV, BSN, fout)
        assert geweigerd.value.field == "gemeentecode"
        assert "GM0363" not in str(geweigerd.value) and str(p.brp.sinds[BSN]) not in str(geweigerd.value)
    assert not uow.feiten.rijen and not uow.published
    # judged last: a fact refused for another rule says that, whichever municipality it names
    ver = feit(Soort.advies_uitgebracht, -400, "GM0599", uitkomst="positief")
    with pytest.raises(DatumBuitenBereik):
        await deelname.meld(p, UWV, BSN, ver)
    with pytest.raises(OvergangFout):  # a registration that ends without having started
        await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_beeindigd, 10, "GM0599"))
    # a date the BRP knows to the month only (its last day, ahead) counts until today at most
    p.brp.sinds[BSN] = VANDAAG + timedelta(days=10)
    with pytest.raises(NietWoongemeente):
        await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 0, "GM9999", uitkomst="positief"))
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=60)
    # from before they came UWV's records name where they lived then; where they live, any day
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 61, "GM0599", uitkomst="positief"))
    await deelname.meld(p, UWV, ANDER, feit(Soort.advies_uitgebracht, 400, uitkomst="positief"))
    # the BRP does not say since when: only where they live now; one the BRP does not know: not checked
    with pytest.raises(NietWoongemeente):
        await deelname.meld(p, UWV, ANDER, feit(Soort.verhuisd, 30, "GM0599"))
    p.brp.personen["999990020"] = None
    await deelname.meld(p, UWV, "999990020", feit(Soort.advies_uitgebracht, 30, "GM0599", uitkomst="positief"))
    assert len(uow.feiten.rijen) == 3


async def test_a_reported_fact_is_folded_into_the_status_and_the_change_is_published():
    p, uow = ports(VANDAAG)
    toestand, _, _, _ = await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 30, uitkomst="positief"))

    assert (toestand.status, toestand.wachtlijst_sinds) == ("beschut-werk-wachtlijst", VANDAAG - timedelta(days=30))
    [event] = uow.published
    assert (event.type, event.key) == (events.DeelnamestatusGewijzigd.TYPE, f"p-{BSN}")
    assert event.data | {"bsn": "…"} == {
        "bsn": "…",
        "gemeentecode": "GM0363",
        "status": "beschut-werk-wachtlijst",
        "doelgroepregisterGrond": None,
        "terugvalopties": [],
        "ingangsdatum": (VANDAAG - timedelta(days=30)).isoformat(),
    }


@pytest.mark.parametrize(
    "caller, soort",
    [
        (AMSTERDAM, Soort.advies_uitgebracht),
        (AMSTERDAM, Soort.doelgroepregistratie_gestart),
        (UWV, Soort.beschutte_plek_gestart),
        (UWV, Soort.driehoeksverklaring),
    ],
)
async def test_each_organisation_reports_only_its_own_facts(caller, soort):
    p, uow = ports(VANDAAG)
    with pytest.raises(GeenTaak):
        await deelname.meld(p, caller, BSN, feit(soort, 1))
    assert not uow.feiten.rijen and not uow.published


@pytest.mark.parametrize(
    "datum, toegestaan",
    [
        (date(1999, 12, 31), False),
        (date(2000, 1, 1), True),
        (date(2029, 3, 15), True),  # a year after VANDAAG
        (date(2029, 3, 16), False),  # 366 days: 2028 is a leap year, its year has them
    ],
)
async def test_a_fact_counts_from_2000_and_at_most_a_year_ahead(datum, toegestaan):
    p, uow = ports(VANDAAG)
    registratie = Feit(Soort.doelgroepregistratie_gestart, datum, "GM0363", {"grond": "participatiewet"})
    melding = deelname.meld(p, UWV, BSN, registratie)
    if toegestaan:
        await melding
        assert len(uow.feiten.rijen) == 1
    else:
        with pytest.raises(DatumBuitenBereik) as refused:
            await melding
        assert refused.value.field == "datum" and not uow.feiten.rijen


def test_a_year_ahead_of_a_leap_day_is_the_28th_of_february():
    def fout(datum: date) -> tuple[str, str] | None:
        return datum_fout(
            Feit(Soort.doelgroepregistratie_gestart, datum, "GM0363", {"grond": "wajong"}), date(2028, 2, 29)
        )

    assert fout(date(2029, 2, 28)) is None
    assert fout(date(2029, 3, 1)) == ("datum", "een feit geldt vanaf 2000 en hooguit een jaar vooruit")


async def test_another_municipality_is_answered_as_a_stranger_and_cannot_report():
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 30, uitkomst="positief"))
    with pytest.raises(Onbekend):
        await deelname.status(p, ROTTERDAM, BSN)
    with pytest.raises(Onbekend):
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 1, "GM0599"))
    assert (await deelname.status(p, AMSTERDAM, BSN))[0].gemeentecode == "GM0363"
    assert len((await deelname.status(p, UWV, BSN))[1]) == 1
    with pytest.raises(Onbekend):
        await deelname.status(p, UWV, ANDER)


async def test_residence_comes_from_the_brp_not_from_who_reports_first():
    """Rotterdam reporting first does not make it the municipality; a move in the BRP does."""
    p, uow = ports(VANDAAG)
    p.brp.standaard = None
    p.brp.personen[BSN] = "GM0363"
    with pytest.raises(Onbekend):
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.dagbesteding_gestart, 30, "GM0599", indicatie="wmo"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, 30, indicatie="wmo"))
    assert (await deelname.status(p, AMSTERDAM, BSN))[0].status
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=2)
    with pytest.raises(Onbekend):
        await deelname.status(p, AMSTERDAM, BSN)
    with pytest.raises(VerhuizingNietGemeld) as refused:  # Amsterdam's on that day, by the timeline
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.dagbesteding_beeindigd, 1, "GM0599"))
    assert (refused.value.code, refused.value.field, len(uow.feiten.rijen)) == ("verhuizing-niet-gemeld", "datum", 1)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 2, "GM0599"))
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.dagbesteding_beeindigd, 1, "GM0599"))
    with pytest.raises(VerhuizingNietGemeld):  # before the move it reported
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.dagbesteding_gestart, 3, "GM0599", indicatie="wlz"))
    with pytest.raises(GeenTaak):  # a municipality reports only under its own code
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.dagbesteding_gestart, 0, "GM0363", indicatie="wmo"))


PLEK = {"werkgever": "Werkbedrijf", "urenPerWeek": 31, "vorm": "regulier"}


async def met_aanbod_en_verhuisd(aanbod_dagen_geleden: int):
    """Waiting for a place in Amsterdam with its alternative offer; the BRP then has them in Rotterdam."""
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 50))
    omschrijving = "zorgboerderij, na de diagnose"
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.ander_aanbod, aanbod_dagen_geleden, omschrijving=omschrijving))
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=30)
    return p, uow


async def test_after_a_move_the_old_municipalitys_offer_stays_its_own_and_the_new_one_counts_its_place():
    p, uow = await met_aanbod_en_verhuisd(40)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 30, "GM0599"))

    toestand, feiten, _, _ = await deelname.status(p, ROTTERDAM, BSN)
    assert toestand.wachtlijst_sinds == VANDAAG - timedelta(days=60), "the obligation to offer a place moved"
    assert toestand.ander_aanbod is None and Soort.ander_aanbod not in [f.soort for f in feiten]
    [wachtend] = (await deelname.capaciteit(p, ROTTERDAM, None)).wachtlijst
    assert (wachtend.bsn, wachtend.ander_aanbod) == (BSN, None)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 10, "GM0599", **PLEK))
    assert (uow.published[-1].data["gemeentecode"], uow.published[-1].data["status"]) == ("GM0599", "beschut-werk")
    assert (await deelname.capaciteit(p, ROTTERDAM, None)).gerealiseerd == 1
    assert (await deelname.capaciteit(p, AMSTERDAM, None)).gerealiseerd == 0


async def test_the_move_cannot_be_skipped_by_a_date_before_the_timeline_nor_an_offer_carried_past_it():
    # Amsterdam records its offer while the BRP still has the person there, after they had moved
    p, uow = await met_aanbod_en_verhuisd(10)
    with pytest.raises(VerhuizingNietGemeld):  # before every fact: the timeline's first municipality's day
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.dagbesteding_gestart, 400, "GM0599", indicatie="wmo"))
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=61)  # a BRP that says so does not make it possible
    with pytest.raises(VerhuizingVoorTijdlijn) as refused:  # a move before all Amsterdam recorded
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 61, "GM0599"))
    assert (refused.value.code, len(uow.feiten.rijen)) == ("verhuizing-voor-tijdlijn", 3)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 30, "GM0599"))  # the day the BRP gives
    [wachtend] = (await deelname.capaciteit(p, ROTTERDAM, None)).wachtlijst
    assert wachtend.ander_aanbod is None, "Amsterdam's offer is not on Rotterdam's waiting list"
    # a place from before Amsterdam's offer: the offer is nothing on Rotterdam's timeline, so it stops nothing
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 20, "GM0599", **PLEK))

    toestand, feiten, _, _ = await deelname.status(p, ROTTERDAM, BSN)
    assert toestand.ander_aanbod is None and Soort.ander_aanbod not in [f.soort for f in feiten]
    assert toestand.status == "beschut-werk" and not (await deelname.capaciteit(p, ROTTERDAM, None)).wachtlijst
    burger = Caller("00000001003214345000", Rol.burger, bsn=BSN)
    _, eigen, _, _ = await deelname.status(p, burger, BSN)
    assert Soort.ander_aanbod in [f.soort for f in eigen], "the citizen reads their whole timeline"


async def test_a_move_is_not_dated_before_the_brp_registered_the_person_in_the_municipality():
    """The review's attack: once the BRP had the person in Rotterdam, Rotterdam reported a move dated
    years back, and Amsterdam's place and waiting time counted for Rotterdam."""
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 50))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 35, **PLEK))
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=30)
    for dagen in (59, 31):
        with pytest.raises(VerhuizingVoorInschrijving) as refused:
            await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, dagen, "GM0599"))
        assert (refused.value.code, refused.value.field, len(uow.feiten.rijen)) == (
            "verhuizing-voor-inschrijving",
            "datum",
            3,
        )
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 30, "GM0599"))
    # the place counts for Amsterdam up to the move, and moves with the person from then
    assert (await deelname.capaciteit(p, AMSTERDAM, None)).gerealiseerd == 1, (
        "dated before the place, none for Amsterdam"
    )
    await deelname.meld(p, UWV, BSN, feit(Soort.verhuisd, 20, "GM0599"))  # UWV's own report: no BRP date asked
    p.brp.sinds[BSN] = VANDAAG + timedelta(days=200)  # a year known only (its last day): registered by today
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 0, "GM0599"))
    del p.brp.sinds[BSN]  # the BRP does not say since when: from today on only
    with pytest.raises(VerhuizingVoorInschrijving):
        await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 1, "GM0599"))
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 0, "GM0599"))


async def test_an_old_uwv_fact_naming_the_former_municipality_does_not_move_the_timeline_there():
    """The review's repro: UWV's records are historical, so a fact from before the person came, naming
    the municipality they lived in then and dated before their first fact, is that municipality's up to
    the next fact's day only: Amsterdam's advice, place and next fact stay Amsterdam's."""
    p, uow = ports(VANDAAG)
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=400)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 70, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 65))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 60, **PLEK))
    oud = feit(Soort.wajong_beeindigd, 3000, "GM0599", aowDatum="2060-01-01")
    toestand, _, _, _ = await deelname.meld(p, UWV, BSN, oud)
    assert toestand.gemeentecode == "GM0363"
    assert toestand.woonperioden == ((oud.datum, "GM0599"), (VANDAAG - timedelta(days=70), "GM0363"))
    amsterdam, rotterdam = [await deelname.capaciteit(p, c, None) for c in (AMSTERDAM, ROTTERDAM)]
    assert (amsterdam.gerealiseerd, amsterdam.gemiddelde_dagen_tot_plaatsing) == (1, 10)
    assert (rotterdam.gerealiseerd, rotterdam.gemiddelde_dagen_tot_plaatsing) == (0, None)
    toestand, _, _, _ = await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_beeindigd, 10))
    assert (toestand.gemeentecode, toestand.status) == ("GM0363", "beschut-werk-wachtlijst")


async def test_a_beschut_werk_probe_by_another_municipality_is_no_oracle():
    """With or without a positive advice, for a resident elsewhere or a stranger: the same answer, nothing kept."""
    p, uow = ports(VANDAAG)
    p.brp.standaard = None
    p.brp.personen.update({BSN: "GM0363", ANDER: "GM0363"})
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 30, uitkomst="positief"))
    antwoorden = []
    for bsn in (BSN, ANDER, "999990019"):
        with pytest.raises(Onbekend) as refused:
            await deelname.meld(p, ROTTERDAM, bsn, feit(Soort.beschut_werk_vastgesteld, 1, "GM0599"))
        antwoorden.append((refused.value.code, refused.value.detail))
    assert len(set(antwoorden)) == 1 and len(uow.feiten.rijen) == 1


async def test_uwv_sees_the_register_and_the_advice_not_the_dagbesteding():
    p, uow = ports(VANDAAG)
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, 60, indicatie="wlz"))
    with pytest.raises(Onbekend):
        await deelname.status(p, UWV, BSN)
    # the answer to UWV's own report shows what a search would, not the whole timeline
    gemeld = await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 30, uitkomst="positief"))
    toestand, feiten, _, _ = await deelname.status(p, UWV, BSN)
    assert [f.soort for f in feiten] == [Soort.advies_uitgebracht]
    assert toestand.dagbesteding is None and not toestand.terugvalopties
    assert gemeld == (toestand, feiten, [], None)
    assert len((await deelname.status(p, AMSTERDAM, BSN))[1]) == 2


async def test_uwv_reads_that_a_beschut_place_runs_not_its_employer_hours_or_form():
    """A place ends a registration, so UWV reads that one runs and since when; where, how many hours and
    in what form its task does not need (AVG art. 5 lid 1 onder c). Its status is the same otherwise."""
    p, _ = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 50))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 35, **PLEK))

    gemeente, uwv = [await api.zoek(Zoekvraag(bsn=BSN), p, caller) for caller in (AMSTERDAM, UWV)]

    sinds = (VANDAAG - timedelta(days=35)).isoformat()
    assert gemeente["beschutWerk"]["plek"] == {**PLEK, "sinds": sinds}
    assert uwv["beschutWerk"]["plek"] == {"werkgever": None, "urenPerWeek": None, "vorm": None, "sinds": sinds}
    assert "Werkbedrijf" in gemeente["uitleg"] and "Werkbedrijf" not in str(uwv)
    assert {k: v for k, v in uwv.items() if k not in ("beschutWerk", "uitleg")} == {
        k: v for k, v in gemeente.items() if k not in ("beschutWerk", "uitleg")
    }
    gemeld = await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))  # again
    assert gemeld.toestand.plek == {
        "werkgever": None,
        "urenPerWeek": None,
        "vorm": None,
        "sinds": VANDAAG - timedelta(days=35),
    }


async def test_the_answer_to_a_report_is_the_status_a_search_gives_right_after():
    """`POST /mutaties` answers the `Deelnamestatus` `_zoek` gives: today's status (a fact dated ahead
    changes it on its date) and the whole history the caller may see (UWV no dagbesteding)."""
    p, _ = ports(VANDAAG)
    invoer = TypeAdapter(MutatieInvoer)

    async def meld(caller: Caller, **body) -> dict:
        return await api.meld(invoer.validate_python({"bsn": BSN, **body}), p, caller)

    async def zoek(caller: Caller) -> dict:
        return await api.zoek(Zoekvraag(bsn=BSN), p, caller)

    vooruit = (VANDAAG + timedelta(days=5)).isoformat()
    gemeld = await meld(AMSTERDAM, soort="dagbesteding-gestart", datum=vooruit, indicatie="wmo")
    assert (gemeld["status"], gemeld["geschiedenis"]) == ("geen", [{"soort": "dagbesteding-gestart", "datum": vooruit}])
    assert gemeld == await zoek(AMSTERDAM)
    advies = (VANDAAG - timedelta(days=30)).isoformat()
    gemeld = await meld(UWV, soort="advies-uitgebracht", datum=advies, gemeentecode="GM0363", uitkomst="positief")
    assert gemeld["geschiedenis"] == [{"soort": "advies-uitgebracht", "datum": advies}]
    assert gemeld == await zoek(UWV)
    gemeld = await meld(AMSTERDAM, soort="beschut-werk-vastgesteld", datum=VANDAAG.isoformat())
    assert [g["soort"] for g in gemeld["geschiedenis"]] == [
        "advies-uitgebracht",
        "beschut-werk-vastgesteld",
        "dagbesteding-gestart",
    ]
    assert gemeld == await zoek(AMSTERDAM)


async def test_a_transition_that_does_not_fit_leaves_no_trace():
    p, uow = ports(VANDAAG)
    with pytest.raises(OvergangFout) as refused:
        await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_beeindigd, 1))
    assert (refused.value.code, refused.value.field) == ("geen-plek", "soort")
    assert not uow.feiten.rijen and not uow.published


async def test_establishing_beschut_werk_tells_uwv_to_end_the_registration_the_day_after():
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 90, grond="participatiewet"))
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 10))

    [uwv] = [e for e in uow.published if e.type == events.BeschutWerkVastgesteld.TYPE]
    assert uwv.data["doelgroepregistratieEindigtOp"] == (VANDAAG - timedelta(days=9)).isoformat()


async def test_capacity_counts_places_in_the_year_the_waiting_list_and_the_days_to_a_place():
    p, uow = ports(VANDAAG)
    for bsn, advies, plek in ((BSN, 100, 40), (ANDER, 20, None)):
        await deelname.meld(p, UWV, bsn, feit(Soort.advies_uitgebracht, advies, uitkomst="positief"))
        await deelname.meld(p, AMSTERDAM, bsn, feit(Soort.beschut_werk_vastgesteld, advies - 1))
        if plek:
            await deelname.meld(
                p,
                AMSTERDAM,
                bsn,
                feit(Soort.beschutte_plek_gestart, plek, werkgever="SW", urenPerWeek=24, vorm="regulier"),
            )
    await deelname.zet_taakstelling(p, AMSTERDAM, "GM0363", VANDAAG.year, 12)

    overzicht = await deelname.capaciteit(p, AMSTERDAM, None)
    assert (overzicht.jaar, overzicht.taakstelling, overzicht.gerealiseerd) == (2028, 12, 1)
    assert [(w.bsn, w.dagen) for w in overzicht.wachtlijst] == [(ANDER, 20)]
    assert overzicht.gemiddelde_dagen_tot_plaatsing == overzicht.maximale_dagen_tot_plaatsing == 60
    assert (await deelname.capaciteit(p, ROTTERDAM, None)).gerealiseerd == 0


async def test_who_moved_away_in_the_brp_leaves_the_waiting_list_before_any_verhuisd_fact():
    p, uow = ports(VANDAAG)
    for bsn in (BSN, ANDER):
        await deelname.meld(p, UWV, bsn, feit(Soort.advies_uitgebracht, 20, uitkomst="positief"))
        await deelname.meld(p, AMSTERDAM, bsn, feit(Soort.beschut_werk_vastgesteld, 19))
    assert {w.bsn for w in (await deelname.capaciteit(p, AMSTERDAM, None)).wachtlijst} == {BSN, ANDER}
    p.brp.personen[ANDER] = "GM0599"  # the move is in the BRP; nobody reported it here
    assert [w.bsn for w in (await deelname.capaciteit(p, AMSTERDAM, None)).wachtlijst] == [BSN]


async def test_a_municipality_sets_only_its_own_minimum_and_the_operator_any():
    p, uow = ports(VANDAAG)
    with pytest.raises(GeenTaak):
        await deelname.zet_taakstelling(p, AMSTERDAM, "GM0599", 2028, 5)
    await deelname.zet_taakstelling(p, Caller("00000001823288444000", Rol.operator), "GM0599", 2028, 5)
    assert uow.taakstellingen.aantallen == {("GM0599", 2028): 5}


async def test_uwvs_register_mutations_from_kafka_fold_in_and_an_impossible_one_is_a_dead_letter():
    p, uow = ports(VANDAAG)
    handle = consumers.on_register(p, lambda conn: p)
    gestart = received(
        "p-1",
        events.DoelgroepregistratieGestart(bsn=BSN, gemeentecode="GM0363", grond="wajong", startdatum=date(2028, 1, 1)),
    )
    einde = received(
        "p-2", events.DoelgroepregistratieBeeindigd(bsn=ANDER, gemeentecode="GM0363", einddatum=date(2028, 1, 31))
    )

    await verwerk(handle, [gestart])
    assert [e.data["status"] for e in uow.published] == ["doelgroepregister"]
    with pytest.raises(PermanentError, match="niet-geregistreerd: er loopt geen registratie"):
        await verwerk(handle, [einde])
    assert len(uow.feiten.rijen) == 1


async def test_a_mutation_from_kafka_is_the_bsn_s_person_whatever_key_uwv_gave_it():
    """UWV does not hold the pseudonym key: its record key only orders its records. The fact is the
    person's whose BSN it names, never the key's (another person's pseudonym, or anything)."""
    p, uow = ports(VANDAAG)
    handle = consumers.on_register(p, lambda conn: p)
    gestart = events.DoelgroepregistratieGestart(
        bsn=BSN, gemeentecode="GM0363", grond="wajong", startdatum=date(2028, 1, 1)
    )
    await verwerk(handle, [received("x", gestart)])
    einde = events.DoelgroepregistratieBeeindigd(bsn=BSN, gemeentecode="GM0363", einddatum=date(2028, 1, 31))
    await verwerk(handle, [received(p.pseudonym(ANDER), einde)])
    assert [persoon for persoon, *_ in uow.feiten.rijen] == [p.pseudonym(BSN)] * 2
    assert {e.key for e in uow.published} == {p.pseudonym(BSN)}


async def test_uwvs_register_mutations_from_kafka_name_where_the_brp_has_the_person_as_the_api_does():
    """A mutation naming a municipality the person did not live in on its day is a dead letter with the
    rule (naming neither municipality nor day); the BRP away is an outage the consumer waits out."""
    p, uow = ports(VANDAAG)
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=60)
    handle = consumers.on_register(p, lambda conn: p)
    elders = received(
        "p-1",
        events.DoelgroepregistratieGestart(
            bsn=BSN, gemeentecode="GM0599", grond="wajong", startdatum=VANDAAG - timedelta(days=30)
        ),
    )
    with pytest.raises(PermanentError, match="^niet-woongemeente: ") as geweigerd:
        await verwerk(handle, [elders])
    assert "GM0363" not in str(geweigerd.value) and str(p.brp.sinds[BSN]) not in str(geweigerd.value)
    assert not uow.feiten.rijen and not uow.published
    # from before the BRP registered the person where they live: UWV's history stands
    eerder = received(
        "p-2",
        events.DoelgroepregistratieGestart(
            bsn=BSN, gemeentecode="GM0599", grond="wajong", startdatum=VANDAAG - timedelta(days=90)
        ),
    )
    await verwerk(handle, [eerder])
    assert [e.data["status"] for e in uow.published] == ["doelgroepregister"]

    async def weg(bsns) -> dict[str, str | None]:
        raise Unavailable("De BRP is nu niet bereikbaar.")

    p.brp.woongemeenten = weg  # asked once for the batch, before its transaction
    with pytest.raises(Unavailable) as uitval:
        await handle.prepare(
            [received("p-3", events.DoelgroepregistratieBeeindigd(bsn=BSN, gemeentecode="GM0599", einddatum=VANDAAG))]
        )
    assert is_outage(uitval.value)
    assert len(uow.feiten.rijen) == 1


async def test_a_mutation_is_judged_on_its_own_facts_when_its_id_repeats_in_the_batch():
    """The runner prepares every record of the batch but hands `handle` only the first of a repeated id:
    a repeat naming another municipality must not decide for the first."""
    p, uow = ports(VANDAAG)
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=60)
    handler = consumers.on_register(p, lambda conn: p)
    start = VANDAAG - timedelta(days=30)
    elders = received(
        "p-1", events.DoelgroepregistratieGestart(bsn=BSN, gemeentecode="GM0599", grond="wajong", startdatum=start)
    )
    herhaald = replace(
        elders,
        data=events.DoelgroepregistratieGestart(
            bsn=BSN, gemeentecode="GM0363", grond="wajong", startdatum=start
        ).as_json(),
    )
    await handler.prepare([elders, herhaald])
    with pytest.raises(PermanentError, match="^niet-woongemeente: "):
        await handler.handle(None, [elders])
    assert not uow.feiten.rijen


async def test_a_batch_of_uwvs_mutations_asks_the_brp_once_for_all_its_persons():
    p, uow = ports(VANDAAG)
    gevraagd, woongemeenten = [], p.brp.woongemeenten

    async def eenmaal(bsns) -> dict[str, str | None]:
        gevraagd.append(sorted(bsns))
        return await woongemeenten(gevraagd[-1])

    async def per_persoon(bsn: str) -> str | None:
        raise AssertionError("asked one by one")

    p.brp.woongemeenten, p.brp.woongemeente = eenmaal, per_persoon
    batch = [
        received(
            f"p-{bsn}",
            events.DoelgroepregistratieGestart(
                bsn=bsn, gemeentecode="GM0363", grond="wajong", startdatum=date(2028, 1, 1)
            ),
        )
        for bsn in (BSN, ANDER)
    ]
    assert await verwerk(consumers.on_register(p, lambda conn: p), batch) == {}
    assert gevraagd == [sorted((BSN, ANDER))] and len(uow.feiten.rijen) == 2


@pytest.mark.parametrize("startdatum", [date(1999, 12, 31), VANDAAG + timedelta(days=367)])
async def test_uwvs_register_mutations_from_kafka_meet_the_date_rules_of_the_api(startdatum):
    """The topic is UWV's own, but a date the API refuses is refused there too: a dead letter naming
    the rule, and nothing recorded or published."""
    p, uow = ports(VANDAAG)
    gestart = received(
        "p-1", events.DoelgroepregistratieGestart(bsn=BSN, gemeentecode="GM0363", grond="wajong", startdatum=startdatum)
    )
    with pytest.raises(PermanentError, match="datum-buiten-bereik: een feit geldt vanaf 2000 en hooguit een jaar"):
        await verwerk(consumers.on_register(p, lambda conn: p), [gestart])
    assert not uow.feiten.rijen and not uow.published


async def test_a_banenafspraak_job_without_a_registration_is_pending_and_uwv_is_asked_to_assess():
    """Wfsv art. 38b lid 1: it counts only with a registration; UWV assesses (Besluit SUWI art. 3.5)."""
    p, uow = ports(VANDAAG)
    toestand, _, _, _ = await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.baan_gestart, 30, werkgever="Bakkerij"))
    assert (toestand.status, toestand.baan_telt_mee) == ("banenafspraakbaan", False)
    [signaal] = [e for e in uow.published if e.type == events.BanenafspraakbaanZonderRegistratie.TYPE]
    assert signaal.data["startdatum"] == (VANDAAG - timedelta(days=30)).isoformat()
    geregistreerd, _, _, _ = await deelname.meld(
        p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 30, grond="participatiewet")
    )
    assert geregistreerd.baan_telt_mee

    await deelname.meld(p, UWV, ANDER, feit(Soort.doelgroepregistratie_gestart, 30, grond="participatiewet"))
    await deelname.meld(p, AMSTERDAM, ANDER, feit(Soort.baan_gestart, 20, werkgever="Bakkerij"))
    assert len([e for e in uow.published if e.type == events.BanenafspraakbaanZonderRegistratie.TYPE]) == 1


async def test_uwv_reports_its_guarantees_and_does_not_see_the_alternative_offer():
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.wajong_beeindigd, 10, aowDatum="2058-04-01"))
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 5, uitkomst="positief"))
    with pytest.raises(GeenTaak):
        await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.wia_beeindigd, 1))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.ander_aanbod, 1, omschrijving="werkervaringsplek"))
    toestand, feiten, _, _ = await deelname.status(p, UWV, BSN)
    assert toestand.ander_aanbod is None and Soort.ander_aanbod not in {f.soort for f in feiten}
    assert [o["soort"] for o in toestand.terugvalopties] == ["wajong"]
    assert (await deelname.status(p, AMSTERDAM, BSN))[0].ander_aanbod["omschrijving"] == "werkervaringsplek"


async def test_an_aow_date_on_or_before_the_wajong_end_is_refused_and_nothing_is_stored():
    """The right revives until the AOW age: an AOW date before its end would give a revival that ended
    before it began (and an answer the contract cannot carry)."""
    p, uow = ports(VANDAAG)
    eind = VANDAAG - timedelta(days=10)
    with pytest.raises(DatumBuitenBereik) as refused:
        await deelname.meld(p, UWV, BSN, feit(Soort.wajong_beeindigd, 10, aowDatum=eind.isoformat()))
    assert refused.value.field == "aowDatum" and not uow.feiten.rijen and not uow.published
    await deelname.meld(p, UWV, BSN, feit(Soort.wajong_beeindigd, 10, aowDatum=(eind + timedelta(days=1)).isoformat()))


async def test_an_aow_date_beyond_a_lifetime_an_advice_dated_ahead_and_a_late_signature_are_refused():
    p, uow = ports(VANDAAG)
    with pytest.raises(DatumBuitenBereik) as refused:
        await deelname.meld(p, UWV, BSN, feit(Soort.wajong_beeindigd, 10, aowDatum="2100-01-01"))
    assert refused.value.field == "aowDatum" and "hooguit 54 jaar" in refused.value.detail
    for soort, gegevens in (
        (Soort.advies_uitgebracht, {"uitkomst": "positief"}),
        (Soort.advies_aangevraagd, {"aanvrager": "gemeente"}),
        (Soort.driehoeksverklaring, {}),
    ):
        melder = UWV if soort is not Soort.driehoeksverklaring else AMSTERDAM
        with pytest.raises(DatumBuitenBereik) as ahead:
            await deelname.meld(p, melder, BSN, feit(soort, -1, **gegevens))
        assert ahead.value.field == "datum" and "niet vooruit" in ahead.value.detail
    assert not uow.feiten.rijen and not uow.published
    getekend = {"naam": "x", "datum": (VANDAAG - timedelta(days=3)).isoformat()}
    partijen = {"werkgever": getekend, "gemeente": getekend, "client": getekend}
    na = {"naam": "x", "datum": (VANDAAG - timedelta(days=1)).isoformat()}

    def verklaring(dagen_geleden: int) -> Feit:
        return Feit(
            Soort.driehoeksverklaring, VANDAAG - timedelta(days=dagen_geleden), "GM0363", partijen | {"client": na}
        )

    with pytest.raises(DatumBuitenBereik) as later:  # the client signed after the statement's date
        await deelname.meld(p, AMSTERDAM, BSN, verklaring(2))
    assert later.value.field == "client.datum"
    assert not uow.feiten.rijen and not uow.published
    assert datum_fout(verklaring(1), VANDAAG) is None, "signed on its date at the latest"
    await deelname.meld(p, UWV, BSN, feit(Soort.wajong_beeindigd, 10, aowDatum="2082-03-15"))  # 54 years on
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 0, uitkomst="positief"))  # made today


async def test_a_person_whose_facts_all_lie_ahead_belongs_to_the_first_one_s_municipality_today():
    p, _ = ports(VANDAAG)
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, -30, indicatie="wlz"))
    toestand, feiten, _, _ = await deelname.status(p, AMSTERDAM, BSN)
    assert toestand.status == "geen"
    assert weergave(toestand, feiten, [], None, date(2026, 11, 30))["gemeentecode"] == "GM0363"


async def test_a_fact_dated_ahead_is_announced_on_its_date_once(tmp_path):
    """The status an event reports is the one on the day it is sent, so a registration reported ten
    days ahead changes nothing that day: decisions and reapplication hear of it on its date (the
    hourly task, a transaction per `per` persons), once."""
    p, uow = ports(VANDAAG)
    p_db, db = await op_database(tmp_path, VANDAAG)
    vooruit = VANDAAG + timedelta(days=10)
    try:
        for q in (p, p_db):
            registratie = Feit(Soort.doelgroepregistratie_gestart, vooruit, "GM0363", {"grond": "participatiewet"})
            await deelname.meld(q, UWV, BSN, registratie)
            dagbesteding = Feit(Soort.dagbesteding_gestart, vooruit + timedelta(days=1), "GM0363", {"indicatie": "wmo"})
            await deelname.meld(q, AMSTERDAM, ANDER, dagbesteding)
            assert await deelname.kondig_aan(replace(q, clock=FixedClock(vooruit - timedelta(days=1))), RETENTIE) == 0
            assert await deelname.kondig_aan(replace(q, clock=FixedClock(vooruit)), RETENTIE, per=1) == 1
            op_de_dag = replace(q, clock=FixedClock(vooruit + timedelta(days=1)))
            assert await deelname.kondig_aan(op_de_dag, RETENTIE, per=1) == 1, "the dagbesteding's day"
            assert await deelname.kondig_aan(op_de_dag, RETENTIE) == 0, "once"
        gewijzigd = [e for e in uow.published if e.type == events.DeelnamestatusGewijzigd.TYPE]
        assert [(e.key, e.data["status"], e.data["ingangsdatum"]) for e in gewijzigd] == [
            (f"p-{BSN}", "doelgroepregister", vooruit.isoformat()),
            (f"p-{ANDER}", "dagbesteding", (vooruit + timedelta(days=1)).isoformat()),
        ]
    finally:
        await db.dispose()


def gewijzigd(uow) -> list[tuple[str, str]]:
    return [
        (e.data["status"], e.data["ingangsdatum"])
        for e in uow.published
        if e.type == events.DeelnamestatusGewijzigd.TYPE
    ]


async def test_a_status_announced_on_the_day_is_not_announced_again_by_the_task():
    """A registration reported ahead; on its day, before the hourly task ran, a banenafspraak job of
    that day arrives: its event reports the day's status, the registration in it, so the task has
    nothing left to announce."""
    p, uow = ports(VANDAAG)
    dag = VANDAAG + timedelta(days=10)
    await deelname.meld(
        p, UWV, BSN, Feit(Soort.doelgroepregistratie_gestart, dag, "GM0363", {"grond": "participatiewet"})
    )
    op_de_dag = replace(p, clock=FixedClock(dag))
    await deelname.meld(op_de_dag, AMSTERDAM, BSN, Feit(Soort.baan_gestart, dag, "GM0363", {"werkgever": "X"}))
    assert await deelname.kondig_aan(op_de_dag, RETENTIE) == 0
    assert gewijzigd(uow) == [("banenafspraakbaan", dag.isoformat())]


async def test_a_fact_arriving_between_the_task_s_read_and_its_hold_is_not_announced_again():
    """The task read whom to announce; before it held them, a banenafspraak job of the day arrived for
    one of them: its event reports the day's status, so the task, asking again once it holds the
    person, announces nothing more (a second event would carry a new id: inboxes would not drop it)."""
    p, uow = ports(VANDAAG)
    dag = VANDAAG + timedelta(days=10)
    await deelname.meld(
        p, UWV, BSN, Feit(Soort.doelgroepregistratie_gestart, dag, "GM0363", {"grond": "participatiewet"})
    )
    op_de_dag = replace(p, clock=FixedClock(dag))
    lees, gemeld = uow.feiten.aan_te_kondigen, []

    async def en_dan_een_feit(*args, **kwargs):
        gelezen = await lees(*args, **kwargs)
        if gelezen and not gemeld:
            gemeld.append(
                await deelname.meld(
                    op_de_dag, AMSTERDAM, BSN, Feit(Soort.baan_gestart, dag, "GM0363", {"werkgever": "X"})
                )
            )
        return gelezen

    uow.feiten.aan_te_kondigen = en_dan_een_feit
    assert await deelname.kondig_aan(op_de_dag, RETENTIE) == 0
    assert gemeld and gewijzigd(uow) == [("banenafspraakbaan", dag.isoformat())]


async def test_a_late_announcement_gives_the_day_the_status_changed_not_a_later_fact_s():
    """The task did not run on the registration's day (an outage); a fact that changes no status
    came two days later. The event dates the change by the registration."""
    p, uow = ports(VANDAAG)
    dag = VANDAAG + timedelta(days=10)
    await deelname.meld(
        p, UWV, BSN, Feit(Soort.doelgroepregistratie_gestart, dag, "GM0363", {"grond": "participatiewet"})
    )
    later = replace(p, clock=FixedClock(dag + timedelta(days=2)))
    await deelname.meld(later, UWV, BSN, Feit(Soort.wia_werkhervatting, dag + timedelta(days=2), "GM0363", {}))
    assert gewijzigd(uow) == [], "the WIA resumption changed no status"
    assert await deelname.kondig_aan(replace(p, clock=FixedClock(dag + timedelta(days=3))), RETENTIE) == 1
    assert gewijzigd(uow) == [("doelgroepregister", dag.isoformat())]


async def test_a_school_registration_ends_when_beschut_werk_is_established_and_uwv_hears_in_either_order():
    """A positive advice 60 days ago; UWV registers the school leaver 50 days ago (from DUO's data); the
    municipality establishes beschut werk 40 days ago. The registration ends the day after, and UWV
    hears it once, also when the registration reaches Schakel after the establishment. A school
    registration after beschut werk holds puts the advice to sleep, as before 0.7.4: nothing to end."""
    advies = feit(Soort.advies_uitgebracht, 60, uitkomst="positief")
    vastgesteld = feit(Soort.beschut_werk_vastgesteld, 40)
    school = feit(Soort.doelgroepregistratie_gestart, 50, grond="vso-pro")
    for volgorde in ((advies, school, vastgesteld), (advies, vastgesteld, school)):
        p, uow = ports(VANDAAG)
        for f in volgorde:
            toestand, _, _, _ = await deelname.meld(p, AMSTERDAM if f is vastgesteld else UWV, BSN, f)
        uwv = [e.data for e in uow.published if e.type == events.BeschutWerkVastgesteld.TYPE]
        assert [(d["vastgesteldOp"], d["doelgroepregistratieEindigtOp"]) for d in uwv] == [
            (vastgesteld.datum.isoformat(), (VANDAAG - timedelta(days=39)).isoformat())
        ]
        assert (toestand.status, toestand.registratie, toestand.advies) == ("beschut-werk-wachtlijst", None, "positief")
    p, uow = ports(VANDAAG)
    for f in (advies, vastgesteld, feit(Soort.doelgroepregistratie_gestart, 30, grond="vso-pro")):
        toestand, _, _, _ = await deelname.meld(p, AMSTERDAM if f is vastgesteld else UWV, BSN, f)
    assert (toestand.status, toestand.advies) == ("doelgroepregister", "slapend")
    assert [
        e.data["doelgroepregistratieEindigtOp"] for e in uow.published if e.type == events.BeschutWerkVastgesteld.TYPE
    ] == []


async def test_uwv_hears_a_registration_end_a_place_brings():
    """A place on an establishment from before the registration (a later advice woke the advice): UWV
    hears the registration ends the day after the place starts, beschut werk holding since before."""
    p, uow = ports(VANDAAG)
    for dagen, soort, gegevens in (
        (60, Soort.advies_uitgebracht, {"uitkomst": "positief"}),
        (55, Soort.beschut_werk_vastgesteld, {}),
        (52, Soort.doelgroepregistratie_gestart, {"grond": "participatiewet"}),
        (50, Soort.advies_uitgebracht, {"uitkomst": "positief"}),
    ):
        melder = AMSTERDAM if soort is Soort.beschut_werk_vastgesteld else UWV
        await deelname.meld(p, melder, BSN, feit(soort, dagen, **gegevens))
    assert not [e for e in uow.published if e.type == events.BeschutWerkVastgesteld.TYPE]
    plek = feit(Soort.beschutte_plek_gestart, 45, werkgever="SW-bedrijf", urenPerWeek=24, vorm="regulier")
    await deelname.meld(p, AMSTERDAM, BSN, plek)
    [uwv] = [e.data for e in uow.published if e.type == events.BeschutWerkVastgesteld.TYPE]
    assert (uwv["vastgesteldOp"], uwv["doelgroepregistratieEindigtOp"]) == (
        (VANDAAG - timedelta(days=55)).isoformat(),
        (VANDAAG - timedelta(days=44)).isoformat(),
    )


async def test_a_new_triangle_statement_on_an_advice_a_school_registration_left_awake_is_refused():
    """Only a sleeping advice revives; the fold takes such a statement only from before 0.7.4."""
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 30, grond="vso-pro"))
    getekend = {"naam": "x", "datum": VANDAAG.isoformat()}
    partijen = {"werkgever": getekend, "gemeente": getekend, "client": getekend}
    with pytest.raises(OvergangFout) as refused:
        await deelname.meld(p, AMSTERDAM, BSN, Feit(Soort.driehoeksverklaring, VANDAAG, "GM0363", partijen))
    assert refused.value.code == "geen-slapend-advies"
    assert [f.soort for _, _, f in uow.feiten.rijen] == [Soort.advies_uitgebracht, Soort.doelgroepregistratie_gestart]


async def test_whom_a_school_registration_put_to_sleep_is_announced_once_migration_0004_marked_them():
    """Registration 0.7.4 wakes the advice a school leaver's registration put to sleep: the fallback
    decisions and reapplication were told of (the sleeping advice) is gone, though the status before
    the advice and today's are the same. Migration 0004 marks the person's earliest fact, so the task
    announces today's status, dated by its last change, once."""
    p, uow = ports(VANDAAG)
    tijdlijn = [
        feit(Soort.baan_gestart, 90, werkgever="Bakkerij"),
        feit(Soort.advies_uitgebracht, 60, uitkomst="positief"),
        feit(Soort.doelgroepregistratie_gestart, 30, grond="vso-pro"),
        feit(Soort.doelgroepregistratie_beeindigd, 10),
    ]
    for f in tijdlijn:  # stored before 0.7.4, announced then
        await uow.feiten.voeg_toe(p.pseudonym(BSN), BSN, f, "uwv", datetime(2028, 1, 1, tzinfo=UTC))
    uow.feiten.aankondigen[1] = tijdlijn[0].datum
    assert await deelname.kondig_aan(p, RETENTIE) == 1
    [event] = [e for e in uow.published if e.type == events.DeelnamestatusGewijzigd.TYPE]
    assert (event.data["status"], event.data["ingangsdatum"], event.data["terugvalopties"]) == (
        "banenafspraakbaan",
        tijdlijn[3].datum.isoformat(),
        [],
    )
    assert await deelname.kondig_aan(p, RETENTIE) == 0


async def test_an_announcement_run_the_database_fails_in_leaves_the_rest_for_the_next_run(tmp_path):
    """The database goes away in the hourly task's second transaction: the first's announcements
    stand, no one of the second is marked announced without their event, and the next run (the
    periodic runner tries again) announces them; everyone once."""
    p, db = await op_database(tmp_path, VANDAAG)
    dag = VANDAAG + timedelta(days=10)
    mensen = [builders.bsn() for _ in range(3)]
    transacties = 0

    def haperend():
        nonlocal transacties
        transacties += 1
        uow = p.uow()
        if transacties == 2:

            async def weg(*_):
                raise OperationalError("INSERT INTO outbox", {}, ConnectionError("server closed the connection"))

            uow.publish = weg
        return uow

    try:
        for b in mensen:
            await deelname.meld(p, UWV, b, Feit(Soort.doelgroepregistratie_gestart, dag, "GM0363", {"grond": "wajong"}))
        op_de_dag = replace(p, clock=FixedClock(dag))
        with pytest.raises(OperationalError):
            await deelname.kondig_aan(replace(op_de_dag, uow=haperend), RETENTIE, per=2)
        assert len(await aangekondigd(db)) == 2, "the first transaction's two stand"
        assert await deelname.kondig_aan(op_de_dag, RETENTIE, per=2) == 1
        assert await deelname.kondig_aan(op_de_dag, RETENTIE) == 0
        assert sorted(await aangekondigd(db)) == sorted(p.pseudonym(b) for b in mensen)
    finally:
        await db.dispose()


async def aangekondigd(db) -> list[str]:
    """The persons whose status change is in the outbox."""
    async with db.transaction() as conn:
        rijen = (await conn.execute(sa.select(outbox.c.key, outbox.c.headers))).all()
    return [r.key for r in rijen if r.headers["ce_type"] == events.DeelnamestatusGewijzigd.TYPE]
