"""The fallback list (Simpel Switchen): a Wajong right that can revive, an ended WIA right that can
revive, a dagbesteding indication while valid; each read for the citizen and the caseworker, and
announced the day it ends."""

from dataclasses import replace
from datetime import date

import pytest

from registration.domain.deelname import Feit, Soort, vouw
from registration.domain.terugval import wajong_herleefbaar_tot, wia_herleefbaar_tot
from registration.service import deelname
from registration.tests.fakes import op_database, ports
from registration.tests.test_service import AMSTERDAM, BSN, RETENTIE, UWV
from schakel.clock import FixedClock
from schakel.events.models import DeelnamestatusGewijzigd

AOW = date(2058, 4, 1)


def feit(soort: Soort, datum: date, **gegevens) -> Feit:
    return Feit(soort, datum, "GM0363", gegevens)


@pytest.mark.parametrize(
    "beeindigd, tot",
    [
        (date(2015, 6, 30), date(2020, 6, 30)),  # five years: long past when the extension came
        (date(2016, 1, 1), date(2058, 3, 31)),  # still open on 1 January 2021: until the AOW age
        (date(2026, 9, 30), date(2058, 3, 31)),
    ],
)
def test_an_ended_wajong_right_revives_until_the_aow_age(beeindigd, tot):
    """Wet vereenvoudiging Wajong (from 1 January 2021): revival until the AOW age instead of within five years."""
    assert wajong_herleefbaar_tot(beeindigd, AOW) == tot


def test_a_wajong_right_shows_while_running_and_after_it_ended_until_it_can_no_longer_revive():
    gestart = [feit(Soort.wajong_gestart, date(2020, 3, 1))]
    [loopt] = vouw(gestart, date(2026, 1, 1)).terugvalopties
    assert loopt["soort"] == "wajong" and "opleiding" in loopt["uitleg"] and loopt["tot"] is None
    beeindigd = gestart + [feit(Soort.wajong_beeindigd, date(2026, 9, 30), aowDatum=AOW.isoformat())]
    [optie] = vouw(beeindigd, date(2026, 10, 1)).terugvalopties
    assert optie["tot"] == date(2058, 3, 31) and "31 maart 2058" in optie["uitleg"]
    assert "Wet vereenvoudiging Wajong" in optie["toelichting"]
    assert vouw(beeindigd, date(2058, 4, 1)).terugvalopties == []


def test_an_ended_wia_right_revives_within_five_years():
    """Wet WIA art. 57 lid 1 onder b (WGA) and art. 50 lid 1 onder b (IVA): the right revives when the
    incapacity from the same cause returns within five years after it ended."""
    assert wia_herleefbaar_tot(date(2026, 3, 1)) == date(2031, 2, 28)
    beeindigd = [feit(Soort.wia_beeindigd, date(2026, 3, 1))]
    [optie] = vouw(beeindigd, date(2031, 2, 28)).terugvalopties
    assert (optie["soort"], optie["tot"]) == ("wia", date(2031, 2, 28)) and "28 februari 2031" in optie["uitleg"]
    assert "art. 57 lid 1 onder b" in optie["toelichting"]
    assert vouw(beeindigd, date(2031, 3, 1)).terugvalopties == []


def test_a_wia_work_resumption_promises_no_five_years_without_reassessment():
    """The regeerakkoord measure of the letter of December 2018 (seeds/000) was withdrawn in 2021 and
    never became law: the resumption is recorded, but it is no fallback."""
    hervat = vouw([feit(Soort.wia_werkhervatting, date(2026, 3, 1))], date(2026, 3, 2))
    assert hervat.wia_hervat == date(2026, 3, 1) and hervat.terugvalopties == []


def test_a_dagbesteding_indication_is_a_fallback_while_it_is_valid():
    feiten = [
        feit(Soort.dagbesteding_gestart, date(2025, 1, 6), indicatie="wmo", geldigTot="2027-12-31"),
        feit(Soort.dagbesteding_beeindigd, date(2026, 4, 30)),
    ]
    assert vouw(feiten, date(2026, 4, 29)).terugvalopties == [], "while in dagbesteding it is no fallback"
    [optie] = vouw(feiten, date(2026, 5, 1)).terugvalopties
    assert optie["tot"] == date(2027, 12, 31) and "Wmo-indicatie" in optie["uitleg"] and optie["toelichting"]
    assert vouw(feiten, date(2028, 1, 1)).terugvalopties == []
    zonder_einde = [feit(Soort.dagbesteding_gestart, date(2025, 1, 6), indicatie="wlz"), feiten[1]]
    assert "geen einddatum" in vouw(zonder_einde, date(2040, 1, 1)).terugvalopties[0]["uitleg"]
    verhuisd = Feit(Soort.verhuisd, date(2026, 6, 1), "GM0599")
    assert vouw([*feiten, verhuisd], date(2026, 6, 2)).terugvalopties == [], "a Wmo indication is for Amsterdam"
    terug = Feit(Soort.verhuisd, date(2026, 9, 1), "GM0363")
    assert vouw([*feiten, verhuisd, terug], date(2026, 9, 2)).terugvalopties == [], "nor again on return"
    assert vouw([*zonder_einde, verhuisd], date(2026, 6, 2)).terugvalopties[0]["soort"] == "dagbesteding"


async def test_a_fallback_that_ends_is_announced_the_day_after_its_last_day(tmp_path):
    """Subscribers hold the fallbacks `deelnamestatus.gewijzigd` told them: the day one ends the status
    changes without a fact, so the hourly task announces it, as a fact dated ahead; each in turn (the
    dagbesteding indication, then the WIA right's five years), once. In memory and in SQL."""
    p_mem, uow = ports(date(2026, 7, 1))
    p_db, db = await op_database(tmp_path, date(2026, 7, 1))
    try:
        for p in (p_mem, p_db):
            wmo = {"indicatie": "wmo", "geldigTot": "2026-12-31"}
            await deelname.meld(p, AMSTERDAM, BSN, Feit(Soort.dagbesteding_gestart, date(2026, 1, 5), "GM0363", wmo))
            await deelname.meld(p, AMSTERDAM, BSN, Feit(Soort.dagbesteding_beeindigd, date(2026, 6, 30), "GM0363"))
            await deelname.meld(p, UWV, BSN, Feit(Soort.wia_beeindigd, date(2026, 3, 1), "GM0363"))
            aangekondigd = []
            for dag in (date(2026, 12, 31), date(2027, 1, 2), date(2027, 1, 3), date(2031, 3, 1), date(2031, 3, 2)):
                aangekondigd.append(await deelname.kondig_aan(replace(p, clock=FixedClock(dag)), RETENTIE))
            assert aangekondigd == [0, 1, 0, 1, 0]
        gewijzigd = [e.data for e in uow.published if e.type == DeelnamestatusGewijzigd.TYPE][-2:]
        assert [(e["ingangsdatum"], e["terugvalopties"]) for e in gewijzigd] == [
            ("2027-01-01", ["wia"]),
            ("2031-03-01", []),
        ]
    finally:
        await db.dispose()


async def test_a_fallback_that_ended_longer_ago_than_retention_is_not_announced_as_it_is_forgotten():
    """After the service was down that long, or its clock moved on: the services that keep the status
    would hold a person again that retention forgets (and they forgot)."""
    # the indication's last day 31 December 2026: kept through 31 December 2027
    for dag, aangekondigd in ((date(2027, 12, 31), 1), (date(2028, 1, 1), 0)):
        p, uow = ports(date(2026, 7, 1))
        wmo = {"indicatie": "wmo", "geldigTot": "2026-12-31"}
        await deelname.meld(p, AMSTERDAM, BSN, Feit(Soort.dagbesteding_gestart, date(2026, 1, 5), "GM0363", wmo))
        await deelname.meld(p, AMSTERDAM, BSN, Feit(Soort.dagbesteding_beeindigd, date(2026, 6, 30), "GM0363"))
        uow.published.clear()

        assert await deelname.kondig_aan(replace(p, clock=FixedClock(dag)), RETENTIE) == aangekondigd, dag
        assert len(uow.published) == aangekondigd
        assert await deelname.kondig_aan(replace(p, clock=FixedClock(dag)), RETENTIE) == 0, "and no longer due"
