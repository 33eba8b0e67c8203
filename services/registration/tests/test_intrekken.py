"""A fact reported in error is withdrawn (AVG art. 16): by whoever may report its kind, named as it was
reported; the timeline is as if it never came and the status is announced again; refused, with nothing
changed, when a later fact rests on it or UWV was asked to end a registration with it."""

import hashlib
import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from registration.domain.deelname import Feit, Soort
from registration.domain.fouten import FeitNietGemeld, FeitNodig, GeenTaak, Onbekend
from registration.domain.melding import intrekking_fout
from registration.entrypoints import consumers
from registration.entrypoints.models import weergave
from registration.service import bewaring, deelname
from registration.tests.fakes import op_database, ports, verwerk
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.messaging import PermanentError
from schakel.messaging.tables import outbox_sequences
from schakel.primitives.periode import NL
from tests.support.events import received
from tests.support.fakes import FakeBrp

VANDAAG = date(2028, 3, 15)
UWV = Caller("00000001003214345000", Rol.uwv)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BSN = "999993653"
RETENTIE = 12  # months, the setting's default
PLEK = {"werkgever": "Werkbedrijf", "urenPerWeek": 31, "vorm": "regulier"}


def feit(soort: Soort, dagen_geleden: int, gemeente: str = "GM0363", **gegevens) -> Feit:
    return Feit(soort, VANDAAG - timedelta(days=dagen_geleden), gemeente, gegevens)


def gepubliceerd(uow, soort) -> list[dict]:
    return [e.data for e in uow.published if e.type == soort.TYPE]


async def op_de_wachtlijst(p) -> None:
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 50))


async def test_a_place_reported_in_error_is_withdrawn_and_the_status_announced_again():
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    plek = feit(Soort.beschutte_plek_gestart, 10, **PLEK)
    await deelname.meld(p, AMSTERDAM, BSN, plek)
    uow.published.clear()

    toestand, feiten, _, _ = await deelname.trek_in(p, AMSTERDAM, BSN, plek)
    assert (toestand.status, toestand.wachtlijst_sinds) == ("beschut-werk-wachtlijst", VANDAAG - timedelta(days=60))
    assert Soort.beschutte_plek_gestart not in [f.soort for f in feiten]
    [gewijzigd] = gepubliceerd(uow, events.DeelnamestatusGewijzigd)
    assert (gewijzigd["status"], gewijzigd["ingangsdatum"], gewijzigd["gemeentecode"]) == (
        "beschut-werk-wachtlijst",
        plek.datum.isoformat(),
        "GM0363",
    )
    assert (await deelname.status(p, AMSTERDAM, BSN))[0].status == "beschut-werk-wachtlijst"
    # reported again it counts again
    assert (await deelname.meld(p, AMSTERDAM, BSN, plek))[0].status == "beschut-werk"


async def test_the_history_says_what_was_withdrawn_when_and_by_whom_and_not_what_it_said():
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    plek = feit(Soort.beschutte_plek_gestart, 10, **PLEK)
    await deelname.meld(p, AMSTERDAM, BSN, plek)
    _, feiten, [weg], _ = await deelname.trek_in(p, AMSTERDAM, BSN, plek)
    assert (weg.soort, weg.datum, weg.gemeentecode, weg.door, weg.op) == (
        plek.soort,
        plek.datum,
        "GM0363",
        Rol.municipality,
        p.clock.now(),
    )
    assert "Werkbedrijf" not in repr(uow.intrekkingen.rijen), "what it said is not kept"
    burger = Caller("burger", Rol.burger, bsn=BSN)
    for kijker, ziet in ((AMSTERDAM, [weg]), (burger, [weg]), (UWV, [])):  # an organisation its own only
        assert (await deelname.status(p, kijker, BSN)).ingetrokken == ziet, kijker.rol
    [getoond] = weergave(*await deelname.status(p, AMSTERDAM, BSN), VANDAAG)["ingetrokken"]
    assert getoond == {
        "soort": "beschutte-plek-gestart",
        "datum": plek.datum.isoformat(),
        "gemeentecode": "GM0363",
        "ingetrokkenOp": p.clock.now().isoformat().replace("+00:00", "Z"),
        "ingetrokkenDoor": "gemeente",
    }
    # reported again, it is on the timeline and the withdrawal in the history
    stand = await deelname.meld(p, AMSTERDAM, BSN, plek)
    assert (plek.soort in [f.soort for f in stand.feiten], stand.ingetrokken) == (True, [weg])


async def test_the_fingerprint_is_keyed_so_a_copy_of_the_table_cannot_try_what_the_fact_said():
    """The table holds the kind, date and municipality: an indication is wmo or wlz, so a fingerprint anyone
    can compute would give away which one a fact reported in error named (health, AVG art. 9)."""
    p, uow = ports(VANDAAG)
    geldig_tot = (VANDAAG + timedelta(days=400)).isoformat()
    dagbesteding = feit(Soort.dagbesteding_gestart, 10, indicatie="wlz", geldigTot=geldig_tot)
    await deelname.meld(p, AMSTERDAM, BSN, dagbesteding)
    await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)
    [(_, weg)] = uow.intrekkingen.rijen
    geprobeerd = [
        [weg.soort.value, weg.datum.isoformat(), weg.gemeentecode, {"indicatie": indicatie, "geldigTot": geldig_tot}]
        for indicatie in ("wmo", "wlz")
    ]
    assert weg.kenmerk not in {hashlib.sha256(json.dumps(g, sort_keys=True).encode()).hexdigest() for g in geprobeerd}
    # the key's holder still knows the same withdrawal again
    await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)
    assert len(uow.intrekkingen.rijen) == 1


async def test_an_organisation_sees_its_own_withdrawals_and_the_citizen_every_one_also_with_no_fact_left():
    """Another's mistake (often a fact about someone else) is not the next municipality's or UWV's to read."""
    p, _ = ports(VANDAAG)
    burger = Caller("burger", Rol.burger, bsn=BSN)
    advies = feit(Soort.advies_aangevraagd, 20)
    await deelname.meld(p, UWV, BSN, advies)
    dagbesteding = feit(Soort.dagbesteding_gestart, 10, indicatie="wmo")
    await deelname.meld(p, AMSTERDAM, BSN, dagbesteding)
    await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)
    assert (await deelname.status(p, UWV, BSN)).ingetrokken == []
    assert [i.soort for i in (await deelname.status(p, AMSTERDAM, BSN)).ingetrokken] == [Soort.dagbesteding_gestart]
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=5)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 5, "GM0599"))
    assert (await deelname.status(p, ROTTERDAM, BSN)).ingetrokken == [], "not the former municipality's"
    # every fact withdrawn: organisations see no status; the citizen what is kept, with the BRP's municipality
    await deelname.trek_in(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 5, "GM0599"))
    await deelname.trek_in(p, UWV, BSN, advies)
    with pytest.raises(Onbekend):
        await deelname.status(p, UWV, BSN)
    stand = await deelname.status(p, burger, BSN)
    assert [i.door for i in stand.ingetrokken] == [Rol.municipality, Rol.municipality, Rol.uwv]
    assert weergave(*stand, VANDAAG)["gemeentecode"] == "GM0599", "where they live, not who withdrew last"
    p.brp.personen[BSN] = None  # the BRP does not know them: the last withdrawal's
    assert weergave(*await deelname.status(p, burger, BSN), VANDAAG)["gemeentecode"] == "GM0363"


async def test_the_same_withdrawal_again_changes_nothing_and_another_organisations_is_not_it():
    """A retry under a new Idempotency-Key, or the same withdrawal twice, is done: answered with the status as
    it is, nothing stored or announced. A move that UWV withdrew is not withdrawn by the municipality."""
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    plek = feit(Soort.beschutte_plek_gestart, 10, **PLEK)
    await deelname.meld(p, AMSTERDAM, BSN, plek)
    eerst = await deelname.trek_in(p, AMSTERDAM, BSN, plek)
    gepubliceerd_ = len(uow.published)
    assert await deelname.trek_in(p, AMSTERDAM, BSN, plek) == eerst
    assert (len(uow.published), len(uow.intrekkingen.rijen)) == (gepubliceerd_, 1)
    with pytest.raises(FeitNietGemeld):  # another place than the one withdrawn
        await deelname.trek_in(p, AMSTERDAM, BSN, replace(plek, gegevens=PLEK | {"urenPerWeek": 30}))

    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=5)
    verhuisd = feit(Soort.verhuisd, 5, "GM0599")
    await deelname.meld(p, UWV, BSN, verhuisd)
    await deelname.trek_in(p, UWV, BSN, verhuisd)
    assert await deelname.trek_in(p, UWV, BSN, verhuisd) == await deelname.status(p, UWV, BSN)
    with pytest.raises(FeitNietGemeld):
        await deelname.trek_in(p, ROTTERDAM, BSN, verhuisd)


async def test_a_municipality_the_person_left_hears_its_move_withdrawn_whether_or_not_uwv_reported_it_since():
    """Its move reported in error and withdrawn; UWV's records then say the same move (UWV's now, not its):
    the former municipality asking again hears the same either way, not what UWV reported after it left."""
    p, _ = ports(VANDAAG)
    p.brp.personen[BSN] = "GM0599"
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_aangevraagd, 200, "GM0599"))
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0363", VANDAAG - timedelta(days=100)
    naar_amsterdam = feit(Soort.verhuisd, 100)
    await deelname.meld(p, AMSTERDAM, BSN, naar_amsterdam)
    await deelname.trek_in(p, AMSTERDAM, BSN, naar_amsterdam)
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=5)
    with pytest.raises(Onbekend) as eerst:
        await deelname.trek_in(p, AMSTERDAM, BSN, naar_amsterdam)
    await deelname.meld(p, UWV, BSN, naar_amsterdam)
    with pytest.raises(Onbekend) as daarna:
        await deelname.trek_in(p, AMSTERDAM, BSN, naar_amsterdam)
    assert str(eerst.value) == str(daarna.value)
    assert Soort.verhuisd in [f.soort for f in (await deelname.status(p, UWV, BSN)).feiten], "UWV's move stays"


async def test_a_fact_is_named_as_it_was_reported():
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 10, **PLEK))
    for anders in (
        feit(Soort.beschutte_plek_gestart, 11, **PLEK),  # another day
        feit(Soort.beschutte_plek_gestart, 10, **(PLEK | {"urenPerWeek": 32})),  # other details
    ):
        with pytest.raises(FeitNietGemeld):
            await deelname.trek_in(p, AMSTERDAM, BSN, anders)
    assert len(uow.feiten.rijen) == 3


async def test_a_fact_stored_before_a_field_existed_is_named_without_it():
    """A dagbesteding stored before `geldigTot` (registration 0.5.0) has no such field; the body names it empty."""
    p, uow = ports(VANDAAG)
    oud = feit(Soort.dagbesteding_gestart, 60, indicatie="wmo")
    await uow.feiten.voeg_toe("p-" + BSN, BSN, oud, AMSTERDAM.oin, None)
    toestand, feiten, _, _ = await deelname.trek_in(
        p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, 60, indicatie="wmo", geldigTot=None)
    )
    assert (toestand.status, feiten) == ("geen", [])


async def test_a_fact_a_later_one_rests_on_stays_and_nothing_changes():
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    plek = feit(Soort.beschutte_plek_gestart, 20, **PLEK)
    await deelname.meld(p, AMSTERDAM, BSN, plek)
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_beeindigd, 10))
    rijen, gepubliceerd = list(uow.feiten.rijen), len(uow.published)
    with pytest.raises(FeitNodig) as geweigerd:
        await deelname.trek_in(p, AMSTERDAM, BSN, plek)
    assert "beschutte-plek-beeindigd" in str(geweigerd.value), "the municipality sees which"
    assert (uow.feiten.rijen, len(uow.published)) == (rijen, gepubliceerd)
    # the later one first, then this one
    await deelname.trek_in(p, AMSTERDAM, BSN, feit(Soort.beschutte_plek_beeindigd, 10))
    assert (await deelname.trek_in(p, AMSTERDAM, BSN, plek))[0].status == "beschut-werk-wachtlijst"


async def test_a_withdrawn_move_leaves_the_municipalitys_later_facts_without_their_place():
    p, _ = ports(VANDAAG)
    await op_de_wachtlijst(p)
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=30)
    verhuisd = feit(Soort.verhuisd, 30, "GM0599")
    await deelname.meld(p, ROTTERDAM, BSN, verhuisd)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 10, "GM0599", **PLEK))
    with pytest.raises(FeitNodig):
        await deelname.trek_in(p, ROTTERDAM, BSN, verhuisd)
    # a move only whoever reported it withdraws: UWV reports moves too, but not this one
    with pytest.raises(FeitNietGemeld):
        await deelname.trek_in(p, UWV, BSN, verhuisd)


def test_a_later_fact_the_caller_does_not_see_is_not_named():
    feiten = [
        Feit(Soort.advies_uitgebracht, date(2028, 1, 1), "GM0363", {"uitkomst": "positief"}, 1, "uwv"),
        Feit(Soort.verhuisd, date(2028, 2, 1), "GM0599", {}, 2, "uwv"),
        Feit(Soort.dagbesteding_gestart, date(2028, 3, 1), "GM0599", {"indicatie": "wmo"}, 3, "x"),
    ]
    uwv = intrekking_fout(feiten, feiten[1], Rol.uwv, None)
    gemeente = intrekking_fout(feiten, feiten[1], Rol.municipality, "GM0599")
    assert uwv and gemeente and "dagbesteding" not in str(uwv) and "dagbesteding-gestart" in str(gemeente)
    assert intrekking_fout(feiten, feiten[2], Rol.uwv, None) is None, "nothing rests on the last one"


async def test_a_fact_stored_under_older_rules_rests_on_what_it_does_not_fold_without():
    """An alternative offer stored before the municipality had to report the move first (registration 0.7.0)
    fails that rule with the advice too; without the advice it does not fold: refused as any, and not named
    to UWV, which does not see it."""
    p, uow = ports(VANDAAG)
    p.brp.sinds[BSN] = VANDAAG - timedelta(days=10)
    advies = feit(Soort.advies_uitgebracht, 60, "GM0599", uitkomst="positief")  # where the person lived then
    await deelname.meld(p, UWV, BSN, advies)
    await uow.feiten.voeg_toe("p-" + BSN, BSN, feit(Soort.ander_aanbod, 30, omschrijving="Werkplaats"), "x", None)
    with pytest.raises(FeitNodig) as geweigerd:
        await deelname.trek_in(p, UWV, BSN, advies)
    assert "aanbod" not in str(geweigerd.value)


async def test_the_fact_that_asked_uwv_to_end_a_registration_stays():
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 90, grond="participatiewet"))
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    vastgesteld = feit(Soort.beschut_werk_vastgesteld, 10)
    await deelname.meld(p, AMSTERDAM, BSN, vastgesteld)
    assert gepubliceerd(uow, events.BeschutWerkVastgesteld), "UWV was asked"
    rijen = list(uow.feiten.rijen)
    with pytest.raises(FeitNodig) as geweigerd:
        await deelname.trek_in(p, AMSTERDAM, BSN, vastgesteld)
    assert "UWV" in str(geweigerd.value) and uow.feiten.rijen == rijen
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_beeindigd, 9))  # UWV did as asked
    rijen = list(uow.feiten.rijen)
    with pytest.raises(FeitNodig) as geweigerd:  # without it, UWV would have ended the registration of its own
        await deelname.trek_in(p, AMSTERDAM, BSN, vastgesteld)
    assert "UWV" in str(geweigerd.value) and uow.feiten.rijen == rijen


async def test_uwv_withdraws_its_registration_that_beschut_werk_asked_it_to_end():
    """UWV, asked to end it, is not sent to itself: its registration reported in error goes, and nothing is asked."""
    p, uow = ports(VANDAAG)
    registratie = feit(Soort.doelgroepregistratie_gestart, 90, grond="participatiewet")
    await deelname.meld(p, UWV, BSN, registratie)
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 10))
    uow.published.clear()
    toestand, _, _, _ = await deelname.trek_in(p, UWV, BSN, registratie)
    assert (toestand.registraties, toestand.registratie_einde_verzocht) == ((), None)
    assert not gepubliceerd(uow, events.BeschutWerkVastgesteld)


async def test_who_may_report_a_kind_withdraws_it_and_another_municipalitys_resident_is_a_stranger():
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    vastgesteld = feit(Soort.beschut_werk_vastgesteld, 50)
    with pytest.raises(GeenTaak):  # UWV does not establish beschut werk
        await deelname.trek_in(p, UWV, BSN, vastgesteld)
    with pytest.raises(GeenTaak) as eigen:  # another municipality's fact
        await deelname.trek_in(p, ROTTERDAM, BSN, vastgesteld)
    assert eigen.value.field == "gemeentecode"
    p.brp.personen[BSN] = "GM0599"
    with pytest.raises(Onbekend) as vreemde:  # moved away, a fact it did not report so: as anyone not registered here
        await deelname.trek_in(p, AMSTERDAM, BSN, replace(vastgesteld, datum=vastgesteld.datum + timedelta(days=1)))
    with pytest.raises(Onbekend) as niemand:  # a resident without a status: as a stranger too
        await deelname.trek_in(p, AMSTERDAM, "999990019", vastgesteld)
    with pytest.raises(Onbekend) as uwv:
        await deelname.trek_in(p, UWV, "999990019", feit(Soort.advies_aangevraagd, 5))
    assert str(vreemde.value) == str(niemand.value) == str(uwv.value)
    assert len(uow.feiten.rijen) == 2


async def test_the_last_fact_withdrawn_leaves_no_status():
    p, uow = ports(VANDAAG)
    advies = feit(Soort.advies_aangevraagd, 5)
    await deelname.meld(p, UWV, BSN, advies)
    uow.published.clear()
    stand = await deelname.trek_in(p, UWV, BSN, advies)
    assert (stand.toestand.status, stand.feiten, stand.gemeentecode) == ("geen", [], "GM0363")
    assert weergave(*stand, VANDAAG)["gemeentecode"] == "GM0363"
    [gewijzigd] = gepubliceerd(uow, events.DeelnamestatusGewijzigd)
    assert (gewijzigd["status"], gewijzigd["gemeentecode"]) == ("geen", "GM0363")
    with pytest.raises(Onbekend):
        await deelname.status(p, UWV, BSN)


async def test_in_the_store_the_next_day_to_announce_outlives_the_withdrawn_fact_that_held_it(tmp_path):
    """The next day is kept with the newest fact (announcing one day plans the next there): withdrawn,
    that fact takes the day with it, so it is planned again."""
    p, db = await op_database(tmp_path, VANDAAG)
    geldig_tot = VANDAAG + timedelta(days=40)
    try:
        await deelname.meld(
            p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, 100, indicatie="wmo", geldigTot=geldig_tot.isoformat())
        )
        await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_beeindigd, -10))  # its fallback ends later
        registratie = feit(Soort.doelgroepregistratie_gestart, 5, grond="participatiewet")
        await deelname.meld(p, UWV, BSN, registratie)
        p.clock.advance(timedelta(days=10))
        assert await deelname.kondig_aan(p, RETENTIE) == 1  # the end; the fallback's end is kept with the newest
        await deelname.trek_in(p, UWV, BSN, registratie)
        verloopt = geldig_tot + timedelta(days=1)
        async with p.uow() as uow:
            assert len(await uow.feiten.van("p-" + BSN)) == 2
            assert await uow.feiten.aan_te_kondigen(verloopt, 10) == {"p-" + BSN: (BSN, verloopt)}
    finally:
        await db.dispose()


async def test_in_the_store_a_withdrawal_is_kept_until_retention_forgets_its_person_or_it_is_as_old(tmp_path):
    p, db = await op_database(tmp_path, VANDAAG)
    blijft, vergeten = "999993653", "999990019"
    hervat = feit(Soort.wia_werkhervatting, 20)
    try:
        await deelname.meld(p, UWV, blijft, feit(Soort.advies_aangevraagd, 30, aanvrager="gemeente"))  # runs on
        await deelname.meld(p, UWV, vergeten, feit(Soort.advies_uitgebracht, 30, uitkomst="negatief"))  # ends
        await deelname.meld(p, UWV, blijft, hervat)
        [weg] = (await deelname.trek_in(p, UWV, blijft, hervat)).ingetrokken
        assert (weg.soort, weg.datum, weg.door, weg.op) == (hervat.soort, hervat.datum, Rol.uwv, p.clock.now())
        p.clock.advance(timedelta(days=366))
        later = feit(Soort.wia_werkhervatting, -360)
        await deelname.meld(p, UWV, blijft, later)
        [nieuw] = (await deelname.trek_in(p, UWV, blijft, later)).ingetrokken[1:]
        # withdrawn today, of a person whose facts ended a year ago
        await deelname.meld(p, UWV, vergeten, hervat)
        await deelname.trek_in(p, UWV, vergeten, hervat)
        assert await deelname.trek_in(p, UWV, vergeten, hervat) == await deelname.status(p, UWV, vergeten)
        assert await bewaring.opschonen(p, RETENTIE) == 1
        assert (await deelname.status(p, UWV, blijft)).ingetrokken == [nieuw], "the older one is as old as retention"
        async with p.uow() as uow:
            assert await uow.intrekkingen.van(p.pseudonym(vergeten)) == [], "forgotten with the person"
    finally:
        await db.dispose()


async def test_a_withdrawal_that_announces_todays_status_leaves_nothing_due_today_to_announce_again():
    p, uow = ports(VANDAAG)
    registratie = feit(Soort.doelgroepregistratie_gestart, 30, grond="participatiewet")
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, 60, indicatie="wmo"))
    await deelname.meld(p, UWV, BSN, registratie)
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_beeindigd, -5))
    p.clock.advance(timedelta(days=5))  # the end took effect; the hourly run has not come yet
    uow.published.clear()
    await deelname.trek_in(p, UWV, BSN, registratie)
    assert [e["status"] for e in gepubliceerd(uow, events.DeelnamestatusGewijzigd)] == ["geen"]
    assert await deelname.kondig_aan(p, RETENTIE) == 0, "announced once"


async def test_a_day_that_came_and_is_not_announced_yet_stays_to_announce():
    """A withdrawal that leaves today's status as it is announces nothing: a day that has come meanwhile (a
    fact dated ahead, a fallback ending) is still the hourly task's, whichever row held it."""
    p, uow = ports(VANDAAG)
    geldig_tot = VANDAAG + timedelta(days=10)
    await deelname.meld(
        p, AMSTERDAM, BSN, feit(Soort.dagbesteding_gestart, 60, indicatie="wmo", geldigTot=geldig_tot.isoformat())
    )
    hervat = feit(Soort.wia_werkhervatting, 20)  # recorded only: withdrawn, today's status stays
    await deelname.meld(p, UWV, BSN, hervat)
    await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.dagbesteding_beeindigd, -2))  # the newest row holds its day
    p.clock.advance(timedelta(days=2))  # the end took effect; the hourly run has not come yet
    await deelname.trek_in(p, UWV, BSN, hervat)
    await deelname.meld(p, UWV, BSN, hervat)
    assert await deelname.kondig_aan(p, RETENTIE) == 1, "the end is announced"
    # the next day, the fallback's end, is kept with the newest row: the one withdrawn on that day
    p.clock.advance(timedelta(days=9))
    uow.published.clear()
    await deelname.trek_in(p, UWV, BSN, hervat)
    assert not gepubliceerd(uow, events.DeelnamestatusGewijzigd)
    assert await deelname.kondig_aan(p, RETENTIE) == 1, "the fallback's end is announced"


REGISTRATIE = {"bsn": BSN, "gemeentecode": "GM0363", "grond": "participatiewet", "startdatum": date(2028, 1, 1)}
EINDE = {"bsn": BSN, "gemeentecode": "GM0363", "einddatum": date(2028, 2, 29)}


async def geregistreerd_en_beeindigd():
    """UWV's register sent a registration and its end on its topic."""
    p, uow = ports(VANDAAG)
    handle = consumers.on_register(p, lambda conn: p)
    for mutatie in (events.DoelgroepregistratieGestart(**REGISTRATIE), events.DoelgroepregistratieBeeindigd(**EINDE)):
        await verwerk(handle, [received("x", mutatie)])
    return p, uow, handle, REGISTRATIE, EINDE


async def test_uwvs_register_withdraws_over_kafka_what_it_sent_and_a_withdrawal_that_cannot_be_is_a_dead_letter():
    p, uow, handle, registratie, einde = await geregistreerd_en_beeindigd()
    assert (await deelname.status(p, UWV, BSN))[0].registratie is None

    # the end sent in error: the registration runs on
    uow.published.clear()
    await verwerk(handle, [received("x", events.DoelgroepregistratieBeeindigingIngetrokken(**einde))])
    assert [e["status"] for e in gepubliceerd(uow, events.DeelnamestatusGewijzigd)] == ["doelgroepregister"]
    # the registration again, from another day than UWV sent: not on the timeline so
    anders = events.DoelgroepregistratieIngetrokken(**(registratie | {"startdatum": date(2028, 1, 2)}))
    with pytest.raises(PermanentError, match="feit-niet-gemeld"):
        await verwerk(handle, [received("x", anders)])
    # a later fact rests on it: the end UWV sent again
    await verwerk(handle, [received("x", events.DoelgroepregistratieBeeindigd(**einde))])
    with pytest.raises(PermanentError, match="feit-nodig"):
        await verwerk(handle, [received("x", events.DoelgroepregistratieIngetrokken(**registratie))])
    await verwerk(handle, [received("x", events.DoelgroepregistratieBeeindigingIngetrokken(**einde))])
    await verwerk(handle, [received("x", events.DoelgroepregistratieIngetrokken(**registratie))])
    assert uow.feiten.rijen == []
    # sent again under a new id: done already, not a dead letter
    uow.published.clear()
    await verwerk(handle, [received("y", events.DoelgroepregistratieIngetrokken(**registratie))])
    assert (uow.published, len(uow.intrekkingen.rijen)) == ([], 3)


async def test_a_dead_letters_reason_names_the_rule_not_the_later_fact_nor_its_day():
    """The reason is logged and listed in the console: the code and the rule, never a value."""
    _, _, handle, registratie, _ = await geregistreerd_en_beeindigd()
    with pytest.raises(PermanentError, match="^feit-nodig: ") as geweigerd:
        await verwerk(handle, [received("x", events.DoelgroepregistratieIngetrokken(**registratie))])
    assert "2028-02-29" not in str(geweigerd.value) and "beeindigd" not in str(geweigerd.value)


class GevraagdeBrp(FakeBrp):
    """Counts the persons the BRP is asked about."""

    gevraagd = 0

    async def woongemeenten(self, bsns):
        bsns = list(bsns)
        self.gevraagd += len(bsns)
        return await super().woongemeenten(bsns)

    async def ingeschreven_sinds(self, bsn):
        self.gevraagd += 1
        return await super().ingeschreven_sinds(bsn)


async def test_a_withdrawal_over_kafka_asks_the_brp_nothing():
    """It names the fact as UWV sent it: no municipality to judge, so no one's registration is looked up
    (and a BRP that does not answer does not hold it up)."""
    p, uow = ports(VANDAAG)
    brp = GevraagdeBrp()
    brp.sinds[BSN] = date(2028, 2, 1)  # the registration names where the person lived before
    p = replace(p, brp=brp)
    handle = consumers.on_register(p, lambda conn: p)
    registratie = {"bsn": BSN, "gemeentecode": "GM0599", "grond": "participatiewet", "startdatum": date(2028, 1, 1)}
    await verwerk(handle, [received("x", events.DoelgroepregistratieGestart(**registratie))])
    assert brp.gevraagd == 2, "a mutation is judged on where the person lived"
    brp.gevraagd = 0
    await verwerk(handle, [received("x", events.DoelgroepregistratieIngetrokken(**registratie))])
    assert (brp.gevraagd, uow.feiten.rijen) == (0, [])


async def test_uwv_hears_that_a_job_it_was_asked_to_assess_is_withdrawn_and_of_no_other():
    p, uow = ports(VANDAAG)
    baan = feit(Soort.baan_gestart, 30, werkgever="Bakkerij")
    await deelname.meld(p, AMSTERDAM, BSN, baan)  # no registration: UWV is asked to assess
    # UWV registered the person from before the job, after it was asked
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 40, grond="participatiewet"))
    uow.published.clear()
    await deelname.trek_in(p, AMSTERDAM, BSN, baan)
    [ingetrokken] = gepubliceerd(uow, events.BanenafspraakbaanIngetrokken)
    assert ingetrokken == {"bsn": BSN, "gemeentecode": "GM0363", "startdatum": baan.datum.isoformat()}

    await deelname.meld(p, AMSTERDAM, BSN, baan)  # now with the registration: UWV was not asked
    uow.published.clear()
    await deelname.trek_in(p, AMSTERDAM, BSN, baan)
    assert not gepubliceerd(uow, events.BanenafspraakbaanIngetrokken)


async def test_whether_uwv_was_asked_is_as_the_job_arrived_whatever_was_withdrawn_since():
    """A fact that arrived before the job and was withdrawn since does not change what UWV was told."""
    baan = feit(Soort.baan_gestart, 30, werkgever="Bakkerij")
    # with a registration: the job counted and UWV was not asked; the registration is withdrawn after
    p, uow = ports(VANDAAG)
    registratie = feit(Soort.doelgroepregistratie_gestart, 40, grond="participatiewet")
    await deelname.meld(p, UWV, BSN, registratie)
    await deelname.meld(p, AMSTERDAM, BSN, baan)
    await deelname.trek_in(p, UWV, BSN, registratie)
    await deelname.trek_in(p, AMSTERDAM, BSN, baan)
    assert not gepubliceerd(uow, events.BanenafspraakbaanZonderRegistratie)
    assert not gepubliceerd(uow, events.BanenafspraakbaanIngetrokken), "UWV was never asked"
    # after the registration ended: UWV was asked; the end is withdrawn after
    p, uow = ports(VANDAAG)
    einde = feit(Soort.doelgroepregistratie_beeindigd, 35)
    await deelname.meld(p, UWV, BSN, registratie)
    await deelname.meld(p, UWV, BSN, einde)
    await deelname.meld(p, AMSTERDAM, BSN, baan)
    await deelname.trek_in(p, UWV, BSN, einde)
    await deelname.trek_in(p, AMSTERDAM, BSN, baan)
    assert len(gepubliceerd(uow, events.BanenafspraakbaanZonderRegistratie)) == 1
    assert len(gepubliceerd(uow, events.BanenafspraakbaanIngetrokken)) == 1, "UWV was asked"


async def test_in_the_store_the_job_keeps_whether_uwv_was_asked(tmp_path):
    p, db = await op_database(tmp_path, VANDAAG)
    try:
        await deelname.meld(p, AMSTERDAM, BSN, feit(Soort.baan_gestart, 30, werkgever="Bakkerij"))
        async with p.uow() as uow:
            [baan] = await uow.feiten.van(p.pseudonym(BSN))
        assert baan.uwv_gevraagd is True
    finally:
        await db.dispose()


async def test_a_withdrawal_is_kept_through_its_dutch_day_retention_later_also_just_after_midnight():
    """Retention keeps what ended on a day through the same day `RETENTIE` months later: a withdrawal at
    00:30 in the Netherlands (23:30 UTC the day before) is of that Dutch day."""
    p, uow = ports(VANDAAG)
    p = replace(p, clock=FixedClock(VANDAAG, datetime.combine(VANDAAG, time(0, 30), NL)))
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_aangevraagd, 30, aanvrager="gemeente"))  # runs on
    hervat = feit(Soort.wia_werkhervatting, 20)
    await deelname.meld(p, UWV, BSN, hervat)
    await deelname.trek_in(p, UWV, BSN, hervat)
    await bewaring.opschonen(replace(p, clock=FixedClock(date(2029, 3, 15))), RETENTIE)
    assert len(uow.intrekkingen.rijen) == 1, "kept through 15 March 2029"
    await bewaring.opschonen(replace(p, clock=FixedClock(date(2029, 3, 16))), RETENTIE)
    assert uow.intrekkingen.rijen == []


async def test_a_move_withdrawn_before_and_reported_since_by_another_organisation_is_not_done():
    """Rotterdam withdrew its move; UWV reported the same one since, and Rotterdam's report again is that one:
    Rotterdam's withdrawal now is refused as any of a move it did not report, not answered as done."""
    p, _ = ports(VANDAAG)
    await op_de_wachtlijst(p)
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=5)
    verhuisd = feit(Soort.verhuisd, 5, "GM0599")
    await deelname.meld(p, ROTTERDAM, BSN, verhuisd)
    await deelname.trek_in(p, ROTTERDAM, BSN, verhuisd)
    await deelname.meld(p, UWV, BSN, verhuisd)
    await deelname.meld(p, ROTTERDAM, BSN, verhuisd)
    with pytest.raises(FeitNietGemeld):
        await deelname.trek_in(p, ROTTERDAM, BSN, verhuisd)


async def test_a_withdrawal_again_after_its_organisation_reported_the_fact_again_withdraws_that_one():
    """Only a move another organisation reported is refused on the timeline again (404): a fact the same
    organisation reported again since is withdrawn again, as the contract's 404 says."""
    p, uow = ports(VANDAAG)
    dagbesteding = feit(Soort.dagbesteding_gestart, 10, indicatie="wmo")
    await deelname.meld(p, AMSTERDAM, BSN, dagbesteding)
    await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)
    await deelname.meld(p, AMSTERDAM, BSN, dagbesteding)
    assert (await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)).feiten == []
    assert len(uow.intrekkingen.rijen) == 2


async def test_a_job_stored_before_it_kept_whether_uwv_was_asked_is_judged_on_the_facts_up_to_it():
    """Stored before registration 0.13 (no `uwv_gevraagd`): folded as it arrived, with what is still there."""
    p, uow = ports(VANDAAG)
    baan = feit(Soort.baan_gestart, 30, werkgever="Bakkerij")
    await uow.feiten.voeg_toe("p-" + BSN, BSN, baan, AMSTERDAM.oin, None)  # as 0.12 kept it: no flag
    await deelname.trek_in(p, AMSTERDAM, BSN, baan)
    assert gepubliceerd(uow, events.BanenafspraakbaanIngetrokken), "no registration then: UWV was asked"


async def verhuisd_naar_rotterdam(p) -> None:
    p.brp.personen[BSN], p.brp.sinds[BSN] = "GM0599", VANDAAG - timedelta(days=5)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.verhuisd, 5, "GM0599"))


async def test_a_municipality_the_person_left_withdraws_what_it_reported_there_and_sees_nothing_else():
    """An objection upheld after the move: the municipality that reported the fact withdraws it, as nobody
    else may. It sees no status (the new municipality's, which hears of the change), hears of no other
    fact, and its withdrawal is its own and the citizen's to read."""
    p, uow = ports(VANDAAG)
    dagbesteding = feit(Soort.dagbesteding_gestart, 40, indicatie="wmo")
    await deelname.meld(p, AMSTERDAM, BSN, dagbesteding)
    await verhuisd_naar_rotterdam(p)
    assert (await deelname.status(p, ROTTERDAM, BSN)).toestand.status == "dagbesteding"
    uow.published.clear()

    assert await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding) is None
    assert [f.soort for f in (await deelname.status(p, ROTTERDAM, BSN)).feiten] == [Soort.verhuisd]
    [gewijzigd] = gepubliceerd(uow, events.DeelnamestatusGewijzigd)
    assert (gewijzigd["status"], gewijzigd["gemeentecode"]) == ("geen", "GM0599"), "for the municipality of residence"
    assert (await deelname.status(p, ROTTERDAM, BSN)).ingetrokken == [], "Amsterdam's, not Rotterdam's"
    burger = await deelname.status(p, Caller("burger", Rol.burger, bsn=BSN), BSN)
    [weg] = weergave(*burger, VANDAAG)["ingetrokken"]
    assert (weg["soort"], weg["gemeentecode"], weg["ingetrokkenDoor"]) == ("dagbesteding-gestart", "GM0363", "gemeente")
    assert weergave(*burger, VANDAAG)["gemeentecode"] == "GM0599", "which municipality withdrew it, not where they live"

    # the same again under a new key: no longer there, answered as a stranger's (whether the trace is still
    # kept would say whether anything keeps the person), nothing more
    gepubliceerd_ = len(uow.published)
    with pytest.raises(Onbekend) as nogmaals:
        await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)
    assert (len(uow.published), len(uow.intrekkingen.rijen)) == (gepubliceerd_, 1)
    # nothing else: no status, and a fact not so on the timeline is answered as a stranger's
    with pytest.raises(Onbekend):
        await deelname.status(p, AMSTERDAM, BSN)
    with pytest.raises(Onbekend) as anders:
        await deelname.trek_in(p, AMSTERDAM, BSN, replace(dagbesteding, gegevens={"indicatie": "wlz"}))
    with pytest.raises(Onbekend) as vreemde:
        await deelname.trek_in(p, AMSTERDAM, "999990019", dagbesteding)
    assert str(anders.value) == str(vreemde.value) == str(nogmaals.value)
    # a municipality the person never lived in has no fact of its own on the timeline
    amersfoort = Caller("00000001002564440000", Rol.municipality, "GM0307")
    with pytest.raises(Onbekend):
        await deelname.trek_in(p, amersfoort, BSN, replace(dagbesteding, gemeentecode="GM0307"))


async def test_a_municipality_the_person_left_is_refused_without_hearing_of_the_new_ones_facts():
    """A later fact of the new municipality rests on the former one's: refused, nothing changed, and the refusal
    does not name what the new municipality reported."""
    p, uow = ports(VANDAAG)
    await op_de_wachtlijst(p)
    await verhuisd_naar_rotterdam(p)
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 2, "GM0599", **PLEK))
    rijen, gepubliceerd_ = list(uow.feiten.rijen), len(uow.published)
    with pytest.raises(FeitNodig) as geweigerd:
        await deelname.trek_in(p, AMSTERDAM, BSN, feit(Soort.beschut_werk_vastgesteld, 50))
    assert "beschutte-plek" not in str(geweigerd.value) and str(PLEK["urenPerWeek"]) not in str(geweigerd.value)
    assert (uow.feiten.rijen, len(uow.published)) == (rijen, gepubliceerd_)
    # the same timeline judged for a municipality that sees it names the fact
    feiten = await uow.feiten.van(p.pseudonym(BSN))
    [vastgesteld] = [f for f in feiten if f.soort is Soort.beschut_werk_vastgesteld]
    assert "beschutte-plek-gestart" in str(intrekking_fout(feiten, vastgesteld, Rol.municipality, "GM0363"))


async def test_in_the_store_the_numbering_of_a_person_whose_every_fact_was_withdrawn_goes_with_the_last_trace(
    tmp_path,
):
    """Reported for the wrong person and withdrawn: once the trace lapses nothing of them is left, not even the
    sequence of their events. Reported again, their events count on, higher than before."""
    p, db = await op_database(tmp_path, VANDAAG)
    wees, blijft, later = "999993653", "999990019", "999990020"
    aanvraag = feit(Soort.advies_aangevraagd, 10, aanvrager="gemeente")
    hervat = feit(Soort.wia_werkhervatting, 20)

    async def genummerd() -> dict[str, int]:
        async with db.transaction() as conn:
            rijen = await conn.execute(sa.select(outbox_sequences))
            return {r.key: r.sequence for r in rijen}

    try:
        for bsn in (wees, blijft, later):  # a pending advice runs on: `blijft` keeps theirs
            await deelname.meld(p, UWV, bsn, aanvraag)
            await deelname.meld(p, UWV, bsn, hervat)
            await deelname.trek_in(p, UWV, bsn, hervat)
        for bsn in (wees, later):
            await deelname.trek_in(p, UWV, bsn, aanvraag)
        await bewaring.opschonen(p, RETENTIE)
        p.clock.advance(timedelta(days=200))  # `later` reports again and withdraws: a trace of this day
        await deelname.meld(p, UWV, later, hervat)
        await deelname.trek_in(p, UWV, later, hervat)
        voor = await genummerd()
        assert len(voor) == 3, "every trace is kept, and the numbering with it"
        p.clock.advance(timedelta(days=167))
        await bewaring.opschonen(p, RETENTIE)
        assert await genummerd() == {p.pseudonym(b): voor[p.pseudonym(b)] for b in (blijft, later)}
        await deelname.meld(p, UWV, wees, feit(Soort.advies_aangevraagd, 10, aanvrager="gemeente"))
        assert (await genummerd())[p.pseudonym(wees)] > voor[p.pseudonym(wees)]
    finally:
        await db.dispose()


async def test_a_municipality_the_person_left_hears_the_same_refusal_whatever_was_done_since():
    """Its establishment asked UWV to end a registration: refused, and refused the same once the new municipality
    placed the person and UWV ended it, so asking again and again tells it nothing of either."""
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_gestart, 90, grond="participatiewet"))
    await deelname.meld(p, UWV, BSN, feit(Soort.advies_uitgebracht, 60, uitkomst="positief"))
    vastgesteld = feit(Soort.beschut_werk_vastgesteld, 50)
    await deelname.meld(p, AMSTERDAM, BSN, vastgesteld)
    await verhuisd_naar_rotterdam(p)

    async def geweigerd() -> str:
        with pytest.raises(FeitNodig) as fout:
            await deelname.trek_in(p, AMSTERDAM, BSN, vastgesteld)
        return str(fout.value)

    eerst = await geweigerd()
    await deelname.meld(p, ROTTERDAM, BSN, feit(Soort.beschutte_plek_gestart, 2, "GM0599", **PLEK))
    geplaatst = await geweigerd()
    await deelname.meld(p, UWV, BSN, feit(Soort.doelgroepregistratie_beeindigd, 49))
    assert eerst == geplaatst == await geweigerd()
    assert "2028" not in eerst, "nor the day UWV was asked"


async def test_a_municipality_the_person_left_hears_of_no_later_fact_of_uwv_naming_it():
    """UWV's records are historical: its move to the former municipality, reported after the person left, names
    that municipality but is UWV's, not one the former municipality reported."""
    p, _ = ports(VANDAAG)
    dagbesteding = feit(Soort.dagbesteding_gestart, 100, indicatie="wmo")
    await deelname.meld(p, AMSTERDAM, BSN, dagbesteding)
    await verhuisd_naar_rotterdam(p)
    await deelname.meld(p, UWV, BSN, feit(Soort.verhuisd, 120, "GM0363"))  # before it came to Rotterdam
    with pytest.raises(FeitNodig) as geweigerd:
        await deelname.trek_in(p, AMSTERDAM, BSN, dagbesteding)
    assert "verhuisd" not in str(geweigerd.value) and "2027" not in str(geweigerd.value)


async def test_retention_holds_the_persons_of_the_lapsed_traces_before_it_deletes_them():
    """As every writer holds a person before it changes their rows: two retention runs at once (past midnight
    the new day takes the turn), one deleting a person's traces unheld while the other's page holds that person,
    could each wait for what the other holds (PostgreSQL: a deadlock)."""
    p, uow = ports(VANDAAG)
    await deelname.meld(p, UWV, BSN, hervat := feit(Soort.wia_werkhervatting, 20))
    await deelname.trek_in(p, UWV, BSN, hervat)
    p.clock.advance(timedelta(days=367))
    gebeurd: list[tuple[str, list[str]]] = []
    vergeet_voor = uow.intrekkingen.vergeet_voor

    async def vergrendel(*personen: str) -> None:
        gebeurd.append(("vergrendel", list(personen)))

    async def vergeten(voor: datetime) -> None:  # notes whose traces go
        gebeurd.append(("vergeet_voor", sorted({q for q, i in uow.intrekkingen.rijen if i.op < voor})))
        await vergeet_voor(voor)

    uow.vergrendel, uow.intrekkingen.vergeet_voor = vergrendel, vergeten
    await bewaring.opschonen(p, RETENTIE)
    assert gebeurd[:2] == [("vergrendel", [p.pseudonym(BSN)]), ("vergeet_voor", [p.pseudonym(BSN)])]
