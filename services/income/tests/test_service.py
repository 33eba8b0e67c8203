"""The income use cases against in-memory ports: a declaration to a month's income (DOMAIN.md §2),
repeats, corrections and refusals, deliveries answered once, what a municipality may see and
override (doelbinding), the attribution policy, the population and its retention, and the Kafka
handlers. Milliseconds, any date."""

import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from income.domain.fouten import (
    GeenOverschrijving,
    GeenUitkering,
    GelijktijdigeLevering,
    LeveringBestaatAl,
    MaandBuitenUitkering,
    MaandInDeToekomst,
    OnbekendeLevering,
)
from income.domain.polis import Aangifte, Fout
from income.domain.populatie import Uitkering
from income.domain.toerekening import Toerekening
from income.entrypoints import consumers, models
from income.entrypoints import examples as vb
from income.entrypoints.aangifte import AangifteAangeleverd, lees
from income.service import aangiften, inzage, maandinkomens, populatie
from income.service.ports import Afwijzing, Gelijktijdig
from income.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.events import Event
from schakel.events import models as events
from schakel.messaging import PermanentError, Undecodable
from schakel.primitives import Maand
from schakel.telemetry.redaction import gemaskeerd_id
from tests.support.events import received

VANDAAG = date(2029, 6, 15)
LEVERANCIER = Caller("00000001805160327000", Rol.data_provider)
ANDERE_LEVERANCIER = Caller("00000001999999999000", Rol.data_provider)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BSN, ANDER = "999993653", "999990019"
MEI, APRIL = Maand(2029, 5), Maand(2029, 4)
NA_JUNI = date(2029, 7, 1)  # a quarter of April to June is declared after it
BRON = "urn:nld:oin:00000001002220647000:systeem:decisions"
UITKERING = "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f"
ALS_ARBEID = {"arbeidsinkomen": 130000, "overigInkomen": 0, "onbekendInkomen": 0}  # code 15: wage


def aangifte(bsn: str = BSN, maand: Maand = MEI, **changes) -> Aangifte:
    return replace(
        Aangifte(
            bsn=bsn,
            loonheffingennummer="123456782L01",
            inkomstenverhouding=1,
            aanvang_inkomstenverhouding=date(2028, 9, 1),
            tijdvak_begin=maand.eerste_dag,
            tijdvak_einde=maand.laatste_dag,
            fiscaal_loon=150000,
            ingehouden_loonheffing=20000,
            ingehouden_bijdrage_zvw=0,
            soort_inkomstenverhouding="15",
        ),
        **changes,
    )


async def met_uitkering(today: date = VANDAAG, *bsns: str, gemeente: str = "GM0363"):
    p, uow = ports(today)
    async with uow:
        await populatie.neem_op(
            p, uow, [Uitkering(f"u-{b}", f"p-{b}", b, gemeente, date(2029, 1, 1)) for b in bsns or (BSN,)]
        )
    return p, uow


async def lever(p, *invoer, levering_id: str = "l-1", vingerafdruk: str = "v-1"):
    return await aangiften.lever(p, LEVERANCIER, levering_id, list(invoer), vingerafdruk)


# one polis line (a wage, May 2029) as a provider sends it, in a request or on the ingest topic
RECORD = {
    "bsn": BSN,
    "loonheffingennummer": "123456782L01",
    "inkomstenverhouding": 1,
    "soortInkomstenverhouding": "15",
    "aanvangInkomstenverhouding": "2028-09-01",
    "tijdvakBegin": "2029-05-01",
    "tijdvakEinde": "2029-05-31",
    "fiscaalLoon": 150000,
    "ingehoudenLoonheffing": 20000,
    "ingehoudenBijdrageZvw": 0,
}


async def test_a_declaration_becomes_the_months_income_and_is_announced():
    p, uow = await met_uitkering()
    nieuw, antwoord = await lever(p, aangifte())

    assert nieuw and antwoord["aantallen"] == {
        "geaccepteerd": 1,
        "correctie": 0,
        "herhaling": 0,
        "verouderd": 0,
        "buitenPopulatie": 0,
        "afgewezen": 0,
    }
    assert antwoord["resultaten"] == [{"volgnummer": 0, "uitkomst": "geaccepteerd"}]
    [event] = uow.published
    assert (event.type, event.key) == (events.MaandinkomenVastgesteld.TYPE, f"p-{BSN}")
    assert (event.data["maand"], event.data["vorige"], event.data["huidige"], event.data["bron"]) == (
        "2029-05",
        None,
        {"nettoInkomen": 130000, "vakantiebijslag": 0, **ALS_ARBEID},
        "polis",
    )
    [(maand, override)] = await inzage.zoek(p, AMSTERDAM, BSN, APRIL, MEI)
    assert (maand.maand, maand.loon, maand.bron, override) == (MEI, 130000, "polis", None)
    assert [b.versie for b in maand.bijdragen] == [1]


async def test_repeats_corrections_refusals_and_strangers_are_told_apart():
    p, uow = await met_uitkering()
    await lever(p, aangifte())
    ongeldig = [Fout("fiscaalLoon", "int_type", "geen geheel getal")]
    _, antwoord = await lever(
        p,
        aangifte(),
        aangifte(fiscaal_loon=160000),
        ongeldig,
        aangifte(loonheffingennummer="123456783L01"),
        aangifte(ANDER),
        levering_id="l-2",
    )

    assert [r["uitkomst"] for r in antwoord["resultaten"]] == [
        "herhaling",
        "correctie",
        "afgewezen",
        "afgewezen",
        "buiten-populatie",
    ]
    assert antwoord["resultaten"][2]["fouten"] == [
        {"name": "fiscaalLoon", "code": "int_type", "reason": "geen geheel getal"}
    ]
    assert antwoord["resultaten"][3]["fouten"][0]["code"] == "elfproef"
    assert uow.published[-1].data["vorige"] == {"nettoInkomen": 130000, "vakantiebijslag": 0, **ALS_ARBEID}
    versies = await inzage.versies(p, AMSTERDAM, BSN)
    assert [(v.versie, v.actueel, v.levering_id) for v in versies] == [(1, False, "l-1"), (2, True, "l-2")]
    assert f"p-{ANDER}" not in {v.persoon for _, v, _, _ in uow.polisregels.rijen}, "doelbinding: not stored"


async def test_a_superseded_version_sent_again_does_not_undo_its_correction(caplog):
    """Issue 15: the original made before its correction, delivered again (a repeat, a redelivery, a
    replay from the dead-letter topic), is skipped and said so; nothing is stored or announced."""
    p, uow = await met_uitkering()
    origineel = aangifte(aangemaakt_op=datetime(2029, 6, 1, 9, tzinfo=UTC))
    correctie = aangifte(fiscaal_loon=100000, aangemaakt_op=datetime(2029, 6, 3, 9, tzinfo=UTC))
    await lever(p, origineel, levering_id="a", vingerafdruk="a")
    await lever(p, correctie, levering_id="b", vingerafdruk="b")
    gemeld = len(uow.published)

    with caplog.at_level(logging.INFO, logger=aangiften.__name__):
        _, antwoord = await lever(p, origineel, levering_id="c", vingerafdruk="c")

    assert antwoord["resultaten"] == [{"volgnummer": 0, "uitkomst": "verouderd"}]
    assert (antwoord["aantallen"]["verouderd"], antwoord["aantallen"]["correctie"]) == (1, 0)
    assert uow.published[gemeld:] == [], "nothing announced"
    [(maand, _)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    assert maand.loon == 80000, "the correction still counts"
    versies = await inzage.versies(p, AMSTERDAM, BSN)
    assert [(v.versie, v.actueel, v.aangemaakt_op) for v in versies] == [
        (1, False, origineel.aangemaakt_op),
        (2, True, correctie.aangemaakt_op),
    ]
    [regel] = [r for r in caplog.records if "older than the stored version" in r.getMessage()]
    assert "delivery c" in regel.getMessage() and BSN not in regel.getMessage()


async def test_a_version_said_to_be_made_in_the_future_is_refused_and_does_not_freeze_its_period():
    """A provider's typo in the year of `aangemaaktOp` is refused, not stored: stored, it would make the
    provider's real correction of the period `verouderd`, and the period would keep the typo's amount."""
    p, _ = await met_uitkering()
    getypt = aangifte(fiscaal_loon=990000, aangemaakt_op=datetime(2092, 6, 1, 9, tzinfo=UTC))
    _, antwoord = await lever(p, getypt, levering_id="a", vingerafdruk="a")
    assert antwoord["resultaten"][0]["uitkomst"] == "afgewezen"
    assert [(f["name"], f["code"]) for f in antwoord["resultaten"][0]["fouten"]] == [("aangemaaktOp", "toekomst")]
    _, antwoord = await lever(p, aangifte(aangemaakt_op=datetime(2029, 6, 2, 9, tzinfo=UTC)), levering_id="b")
    assert antwoord["resultaten"][0]["uitkomst"] == "geaccepteerd"
    [(maand, _)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    assert maand.loon == 130000


async def test_a_version_made_again_unchanged_keeps_its_later_moment_so_one_made_in_between_is_older():
    """The provider's latest is the version made last, also when it repeats the one income holds."""
    p, _ = await met_uitkering()
    t1, t2, t3 = (datetime(2029, 6, d, 9, tzinfo=UTC) for d in (1, 2, 3))
    await lever(p, aangifte(aangemaakt_op=t1), levering_id="a", vingerafdruk="a")
    _, herhaald = await lever(p, aangifte(aangemaakt_op=t3), levering_id="c", vingerafdruk="c")
    assert herhaald["resultaten"][0]["uitkomst"] == "herhaling"
    _, tussendoor = await lever(p, aangifte(fiscaal_loon=100000, aangemaakt_op=t2), levering_id="b", vingerafdruk="b")
    assert tussendoor["resultaten"][0]["uitkomst"] == "verouderd"
    [(maand, _)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    assert maand.loon == 130000, "the version made last counts"
    assert [v.aangemaakt_op for v in await inzage.versies(p, AMSTERDAM, BSN)] == [t3]

    # within one delivery too, before the version is stored
    p, _ = await met_uitkering()
    _, antwoord = await lever(
        p,
        aangifte(aangemaakt_op=t1),
        aangifte(aangemaakt_op=t3),
        aangifte(fiscaal_loon=100000, aangemaakt_op=t2),
        levering_id="d",
        vingerafdruk="d",
    )
    assert [r["uitkomst"] for r in antwoord["resultaten"]] == ["geaccepteerd", "herhaling", "verouderd"]
    assert [v.aangemaakt_op for v in await inzage.versies(p, AMSTERDAM, BSN)] == [t3]


async def test_a_version_made_at_the_same_moment_or_without_its_moment_replaces_as_it_arrives():
    """A provider's correction within the same second is applied; without a moment on either side
    nothing orders the versions, and the later arrival replaces (as before `aangemaaktOp`)."""
    p, uow = await met_uitkering()
    moment = datetime(2029, 6, 1, 9, tzinfo=UTC)
    _, antwoord = await lever(
        p,
        aangifte(aangemaakt_op=moment),
        aangifte(fiscaal_loon=140000, aangemaakt_op=moment),  # the same moment
        aangifte(fiscaal_loon=130000),  # without one
        aangifte(fiscaal_loon=120000, aangemaakt_op=moment - timedelta(days=1)),  # the current one has none
    )
    assert [r["uitkomst"] for r in antwoord["resultaten"]] == ["geaccepteerd", "correctie", "correctie", "correctie"]
    [(maand, _)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    assert maand.loon == 100000


def test_when_a_version_was_made_is_read_with_its_offset_and_kept_in_utc():
    gelezen = lees({**RECORD, "leveringId": "k-1", "aangemaaktOp": "2029-06-01T11:00:00+02:00"})
    assert gelezen == aangifte(aangemaakt_op=datetime(2029, 6, 1, 9, tzinfo=UTC))
    assert isinstance(gelezen, Aangifte) and gelezen.aangemaakt_op and gelezen.aangemaakt_op.tzinfo is UTC
    assert lees(RECORD) == aangifte(), "without it, as before"
    zonder_offset = lees({**RECORD, "aangemaaktOp": "2029-06-01T11:00:00"})  # which moment?
    assert isinstance(zonder_offset, list) and [f.veld for f in zonder_offset] == ["aangemaaktOp"]


async def test_two_versions_in_one_delivery_keep_only_the_last_current():
    p, uow = await met_uitkering()
    _, antwoord = await lever(p, aangifte(), aangifte(fiscaal_loon=170000))
    assert [r["uitkomst"] for r in antwoord["resultaten"]] == ["geaccepteerd", "correctie"]
    assert [(v.versie, v.actueel) for _, v, _, _ in uow.polisregels.rijen] == [(1, False), (2, True)]


async def test_a_large_delivery_worked_off_in_steps_answers_as_one_and_keeps_a_persons_records_together(
    monkeypatch,
):
    monkeypatch.setattr(aangiften, "STAP", 2)  # a step per two declarations, a person never split
    p, uow = await met_uitkering(VANDAAG, BSN, ANDER)
    _, antwoord = await lever(
        p, aangifte(), aangifte(ANDER), aangifte(ANDER, APRIL), aangifte(fiscaal_loon=170000), aangifte(maand=APRIL)
    )

    assert [r["uitkomst"] for r in antwoord["resultaten"]] == [
        "geaccepteerd",
        "geaccepteerd",
        "geaccepteerd",
        "correctie",
        "geaccepteerd",
    ]
    # one announcement per person and month, of the last version (a person's records were in one step)
    assert sorted((e.key, e.data["maand"], e.data["huidige"]["nettoInkomen"]) for e in uow.published) == [
        (f"p-{ANDER}", "2029-04", 130000),
        (f"p-{ANDER}", "2029-05", 130000),
        (f"p-{BSN}", "2029-04", 130000),
        (f"p-{BSN}", "2029-05", 150000),
    ]


async def test_a_month_still_counts_a_quarter_that_began_two_months_before_it():
    """Art. 32 lid 1b Participatiewet: a quarter's net is spread over its months, so a month recomputed
    for a new declaration still holds its share of a quarter declared earlier."""
    p, uow = await met_uitkering(NA_JUNI)
    kwartaal = aangifte(tijdvak_begin=date(2029, 4, 1), tijdvak_einde=date(2029, 6, 30), fiscaal_loon=111000)
    await lever(p, kwartaal)
    await lever(p, aangifte(loonheffingennummer="803123450L01", maand=Maand(2029, 6)), levering_id="l-2")

    juni = uow.published[-1]
    assert juni.data["maand"] == "2029-06"
    assert [(b["loonheffingennummer"], b["nettoInkomen"]) for b in juni.data["bijdragen"]] == [
        ("123456782L01", 30000),  # 30 of the quarter's 91 days of its 91.000 net
        ("803123450L01", 130000),
    ]


async def test_a_correction_that_shortens_a_quarter_recomputes_the_months_it_left_with_their_other_income():
    p, uow = await met_uitkering(NA_JUNI)
    kwartaal = aangifte(tijdvak_begin=date(2029, 4, 1), tijdvak_einde=date(2029, 6, 30), fiscaal_loon=111000)
    await lever(p, kwartaal, aangifte(loonheffingennummer="803123450L01"))
    del uow.published[:]
    # the same key (employer, relationship, first day), now the month of April only
    await lever(p, replace(kwartaal, tijdvak_einde=date(2029, 4, 30), fiscaal_loon=150000), levering_id="l-2")

    assert sorted(
        (e.data["maand"], e.data["vorige"]["nettoInkomen"], e.data["huidige"]["nettoInkomen"]) for e in uow.published
    ) == [
        ("2029-04", 30000, 130000),
        ("2029-05", 31000 + 130000, 130000),  # the other employer's May still counts
        ("2029-06", 30000, 0),
    ]


async def test_a_period_not_over_by_the_clock_is_refused():
    """An employer files after the period: one that has not begun or is not over is a date typed wrong,
    which would establish months not over yet as if their income were known."""
    deze_maand = Maand.van(VANDAAG)
    tweede = "803123450L01"
    p, _ = await met_uitkering()
    _, antwoord = await lever(
        p, aangifte(maand=deze_maand.volgende()), aangifte(maand=deze_maand, loonheffingennummer=tweede)
    )
    assert [(f["name"], f["code"]) for r in antwoord["resultaten"] for f in r["fouten"]] == [
        ("tijdvakBegin", "toekomst"),
        ("tijdvakEinde", "niet-voorbij"),
    ]
    p, _ = await met_uitkering(deze_maand.laatste_dag)
    assert (await lever(p, aangifte(maand=deze_maand)))[1]["aantallen"]["afgewezen"] == 1, "its last day: not over"
    p, _ = await met_uitkering(deze_maand.volgende().eerste_dag)
    assert (await lever(p, aangifte(maand=deze_maand)))[1]["aantallen"]["geaccepteerd"] == 1


async def test_a_delivery_is_answered_once_and_its_id_not_reused():
    p, uow = await met_uitkering()
    eerste = await lever(p, aangifte())
    assert await lever(p, aangifte()) == (False, eerste[1])
    with pytest.raises(LeveringBestaatAl) as refused:
        await lever(p, aangifte(fiscaal_loon=1), vingerafdruk="v-2")
    assert refused.value.code == "levering-bestaat-al"
    status = await aangiften.levering(p, LEVERANCIER, "l-1")
    assert (status.kanaal, status.aantallen["geaccepteerd"]) == ("http", 1)
    with pytest.raises(OnbekendeLevering):
        await aangiften.levering(p, Caller("00000001999999999000", Rol.data_provider), "l-1")


async def test_a_delivery_that_keeps_losing_the_race_is_refused_and_leaves_no_trace(monkeypatch):
    p, uow = await met_uitkering()

    async def botst(*_):
        raise Gelijktijdig()

    monkeypatch.setattr(uow.polisregels, "voeg_toe", botst)
    with pytest.raises(GelijktijdigeLevering) as refused:
        await lever(p, aangifte())
    assert refused.value.code == "conflict" and not uow.leveringen.leveringen and not uow.published


async def test_another_municipality_and_an_ended_case_are_answered_as_strangers():
    p, uow = await met_uitkering()
    await lever(p, aangifte())
    for use_case in (
        inzage.zoek(p, ROTTERDAM, BSN, MEI, MEI),
        inzage.versies(p, ROTTERDAM, BSN),
        inzage.overschrijf(p, ROTTERDAM, BSN, MEI, 1, "probeer"),
        inzage.trek_in(p, ROTTERDAM, BSN, MEI),
        inzage.zoek(p, AMSTERDAM, ANDER, MEI, MEI),
        inzage.laatste(p, ROTTERDAM, BSN),
    ):
        with pytest.raises(GeenUitkering) as refused:
            await use_case
        assert refused.value.code == "niet-gevonden"
    async with uow:
        await populatie.beeindig(uow, f"u-{BSN}", VANDAAG - timedelta(days=1), p.clock.now())
    with pytest.raises(GeenUitkering):
        await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)


async def test_a_municipality_reads_only_the_months_of_its_own_case_and_window():
    """Rotterdam's case (January to March) then Amsterdam's (from April): each sees its own months."""
    p, uow = await met_uitkering(gemeente="GM0599")
    await lever(p, aangifte(maand=Maand(2029, 2)))
    async with uow:
        await populatie.beeindig(uow, f"u-{BSN}", date(2029, 3, 31), p.clock.now())
        await populatie.neem_op(p, uow, [Uitkering("u-a", f"p-{BSN}", BSN, "GM0363", date(2029, 4, 1))])
    await lever(p, aangifte(), levering_id="l-2", vingerafdruk="v-2")

    assert [m.maand for m, _ in await inzage.zoek(p, AMSTERDAM, BSN, Maand(2029, 1), MEI)] == [MEI]
    assert [v.inhoud["tijdvak_begin"] for v in await inzage.versies(p, AMSTERDAM, BSN)] == ["2029-05-01"]
    # a re-application's question: only the latest month of its own periods
    assert (await inzage.laatste(p, AMSTERDAM, BSN)).maand == MEI
    with pytest.raises(MaandBuitenUitkering) as refused:
        await inzage.overschrijf(p, AMSTERDAM, BSN, Maand(2029, 2), 1, "ouder dan de uitkering")
    assert (refused.value.code, refused.value.field) == ("maand-buiten-uitkering", "maand")
    with pytest.raises(MaandInDeToekomst) as ahead:
        await inzage.overschrijf(p, AMSTERDAM, BSN, Maand(2029, 7), 1, "loonstrook van volgende maand")
    assert (ahead.value.code, ahead.value.field) == ("maand-in-de-toekomst", "maand")
    with pytest.raises(GeenUitkering):  # its case ended and no window: not even its own months
        await inzage.zoek(p, ROTTERDAM, BSN, Maand(2029, 1), MEI)
    with pytest.raises(GeenUitkering):
        await inzage.laatste(p, ROTTERDAM, BSN)


async def test_the_latest_month_says_whether_every_paying_employment_ended():
    p, uow = await met_uitkering()
    assert await inzage.laatste(p, AMSTERDAM, BSN) is None, "in the population, no month yet"
    await lever(p, aangifte(maand=APRIL), aangifte())
    mei = await inzage.laatste(p, AMSTERDAM, BSN)
    assert (mei.maand, models.laatste_maandinkomen(BSN, mei)["laatsteMaand"]["inkomstenverhoudingenBeeindigd"]) == (
        MEI,
        False,
    )


async def test_a_provider_sees_and_delivers_for_its_contracted_municipalities_only():
    p, uow = await met_uitkering()
    async with uow:
        await populatie.neem_op(p, uow, [Uitkering("u-u", f"p-{ANDER}", ANDER, "GM0344", date(2029, 1, 1))])
    assert [b for b, _ in (await populatie.leden(p, LEVERANCIER, None, 1, 10)).personen] == [BSN]
    assert (await populatie.leden(p, Caller("00000001999999999000", Rol.data_provider), None, 1, 10)).totaal == 0
    _, antwoord = await lever(p, aangifte(), aangifte(ANDER))
    assert [r["uitkomst"] for r in antwoord["resultaten"]] == ["geaccepteerd", "buiten-populatie"]
    assert f"p-{ANDER}" not in {v.persoon for _, v, _, _ in uow.polisregels.rijen}


async def test_an_override_wins_until_a_newer_polis_version_then_it_is_flagged_and_can_be_withdrawn():
    p, uow = await met_uitkering()
    await lever(p, aangifte())
    maand, override = await inzage.overschrijf(p, AMSTERDAM, BSN, MEI, 99000, "loonstrook")
    assert (maand.loon, maand.bron, maand.te_beoordelen) == (99000, "overschrijving", False)
    assert override.reden == "loonstrook"
    assert uow.published[-1].data["bron"] == "overschrijving"

    await lever(p, aangifte(fiscaal_loon=160000), levering_id="l-2")
    [(maand, override)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    assert (maand.loon, maand.polis_loon, maand.te_beoordelen, override.te_beoordelen) == (99000, 140000, True, True)

    maand, override = await inzage.trek_in(p, AMSTERDAM, BSN, MEI)
    assert (maand.loon, maand.bron, override) == (140000, "polis", None)
    with pytest.raises(GeenOverschrijving):
        await inzage.trek_in(p, AMSTERDAM, BSN, MEI)


async def test_an_override_of_the_polis_s_own_amount_and_its_withdrawal_are_announced_for_their_source():
    """Decisions explains a month by where its amount comes from: a payslip that states the polis's own
    amount, and its withdrawal, each announce the month (its amounts unchanged)."""
    p, uow = await met_uitkering()
    await lever(p, aangifte())
    [(polis, _)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    eerder = len(uow.published)
    await inzage.overschrijf(p, AMSTERDAM, BSN, MEI, polis.loon, "loonstrook: hetzelfde bedrag")
    await inzage.trek_in(p, AMSTERDAM, BSN, MEI)
    gemeld = [(e.data["bron"], e.data["huidige"]["nettoInkomen"]) for e in uow.published[eerder:]]
    assert gemeld == [("overschrijving", polis.loon), ("polis", polis.loon)]


async def test_a_policy_change_recomputes_the_municipalitys_persons_in_the_background():
    p, uow = await met_uitkering()
    vier_weken = aangifte(
        tijdvak_begin=date(2029, 4, 16), tijdvak_einde=date(2029, 5, 13), fiscaal_loon=140000, ingehouden_loonheffing=0
    )
    await lever(p, vier_weken)
    assert await inzage.beleid(p, AMSTERDAM) is Toerekening.naar_rato
    await inzage.zet_beleid(p, AMSTERDAM, Toerekening.einde_tijdvak)
    assert await inzage.beleid(p, AMSTERDAM) is Toerekening.einde_tijdvak
    assert await inzage.beleid(p, ROTTERDAM) is Toerekening.naar_rato

    assert await maandinkomens.herbereken_gepland(p) == 1 and not uow.herberekeningen.wachtrij
    maanden = {m.maand: m.loon for m, _ in await inzage.zoek(p, AMSTERDAM, BSN, APRIL, MEI)}
    assert maanden == {APRIL: 0, MEI: 140000}
    assert [e.data["huidige"]["nettoInkomen"] for e in uow.published[-2:]] == [0, 140000]


async def test_after_a_move_the_old_municipalitys_months_keep_its_policy_and_the_new_ones_follow_its_own():
    """Amsterdam attributes a period to its end month; the person moves to Rotterdam (spreads by days).
    Rotterdam's case opening recomputes none of the periods that began in Amsterdam's care, also the one
    running on into Rotterdam's, so Amsterdam's ended case is not re-settled."""
    p, uow = await met_uitkering()
    await inzage.zet_beleid(p, AMSTERDAM, Toerekening.einde_tijdvak)
    vier_weken = dict(fiscaal_loon=140000, ingehouden_loonheffing=0)
    binnen = aangifte(tijdvak_begin=date(2029, 2, 12), tijdvak_einde=date(2029, 3, 11), **vier_weken)
    over_de_verhuizing = aangifte(
        inkomstenverhouding=2, tijdvak_begin=date(2029, 3, 16), tijdvak_einde=date(2029, 4, 12), **vier_weken
    )
    await lever(p, binnen, over_de_verhuizing)
    async with uow:
        await populatie.beeindig(uow, f"u-{BSN}", date(2029, 3, 31), p.clock.now())
    gepubliceerd = len(uow.published)

    async with uow:
        await populatie.neem_op(p, uow, [Uitkering("u-r", f"p-{BSN}", BSN, "GM0599", date(2029, 4, 1))])
    assert uow.published[gepubliceerd:] == [], "no month changed"
    await lever(
        p,
        aangifte(tijdvak_begin=date(2029, 4, 16), tijdvak_einde=date(2029, 5, 13), **vier_weken),
        levering_id="l-2",
        vingerafdruk="v-2",
    )
    opgeslagen = await uow.maandinkomens.van([f"p-{BSN}"], {Maand(2029, m) for m in (2, 3, 4, 5)})
    # April: the whole period that began in Amsterdam, and 15/28 of Rotterdam's own (spread by days)
    assert {m.maand: v.loon for (_, m), v in opgeslagen.items()} == {2: 0, 3: 140000, 4: 140000 + 75000, 5: 65000}


async def test_the_population_for_providers_and_its_retention():
    p, uow = await met_uitkering(VANDAAG, BSN, ANDER)
    async with uow:
        await populatie.beeindig(uow, f"u-{ANDER}", date(2029, 5, 31), p.clock.now())
    assert await populatie.leden(p, LEVERANCIER, None, 1, 10) == populatie.Pagina(
        VANDAAG, 1, 1, [(BSN, "GM0363")], None
    )
    # on a day both were members: the first page says where the second starts, and the deprecated
    # page number gives the same
    [eerste, tweede] = sorted([BSN, ANDER])
    voor = await populatie.leden(p, LEVERANCIER, date(2029, 2, 1), 1, 1)
    assert (voor.totaal, voor.personen, voor.volgende) == (
        2,
        [(eerste, "GM0363")],
        populatie.Positie(date(2029, 2, 1), 2, 1, eerste),
    )
    na = await populatie.leden(p, LEVERANCIER, None, 1, 1, voor.volgende)
    assert na == populatie.Pagina(date(2029, 2, 1), 2, 2, [(tweede, "GM0363")], None)
    assert await populatie.leden(p, LEVERANCIER, date(2029, 2, 1), 2, 1) == na
    # a day before their cases began names no one (not everyone whose case ended since)
    assert (await populatie.leden(p, LEVERANCIER, date(1900, 1, 1), 1, 10)).totaal == 0

    await lever(p, aangifte())
    assert await populatie.opschonen(p, 0) == 1, "the other case ended before today"
    assert not await uow.populatie.dossiers([f"p-{ANDER}"])
    async with uow:
        await populatie.beeindig(uow, f"u-{BSN}", VANDAAG, p.clock.now())
    assert await populatie.opschonen(p, 0) == 0, "kept through the day the case ended"
    p.clock.advance(timedelta(days=1))
    assert await populatie.opschonen(p, 0) == 1
    assert not uow.polisregels.rijen and not uow.maandinkomens.maanden


# --- the Kafka handlers -------------------------------------------------------------------------


def event(type_: str, key: str, source: str = BRON, **data) -> Event:
    return Event(type=type_, source=source, key=key, data=data)


async def test_the_population_follows_the_decisions_and_reapplication_events():
    p, uow = ports(VANDAAG)
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    zaak = {"uitkeringId": UITKERING, "bsn": BSN, "gemeentecode": "GM0363"}
    geopend = events.UitkeringGeopend(**zaak, geboortedatum=date(1990, 5, 1), startdatum=date(2029, 1, 1))
    assert await consumers.on_uitkering_geopend(joined).handle(None, [received(f"p-{BSN}", geopend)]) == {}
    assert [b for b, _ in (await populatie.leden(p, LEVERANCIER, None, 1, 10)).personen] == [BSN]

    beeindigd = events.UitkeringBeeindigd(**zaak, einddatum=date(2029, 3, 31), reden="werk")
    await consumers.on_uitkering_beeindigd(joined)(None, received(f"p-{BSN}", beeindigd))
    assert (await populatie.leden(p, LEVERANCIER, None, 1, 10)).totaal == 0
    termijn = events.HeraanvraagtermijnGeopend(**zaak, einddatum=date(2029, 3, 31), geldigTot=date(2029, 9, 30))
    await consumers.on_termijn_geopend(joined)(None, received(f"p-{BSN}", termijn))
    assert (await populatie.leden(p, LEVERANCIER, None, 1, 10)).totaal == 1, "an open window keeps the person in"

    onbekend = beeindigd.model_copy(update={"uitkeringId": "0e6f4b52-9a4c-4a55-8d0e-5d2b9c1f0a99"})
    with pytest.raises(PermanentError, match="nooit geopend"):
        await consumers.on_uitkering_beeindigd(joined)(None, received("p-x", onbekend))


@pytest.mark.parametrize("als_partner", [False, True], ids=["own-case", "as-partner"])
@pytest.mark.parametrize("termijn_eerst", [True, False], ids=["window-first", "next-case-first"])
async def test_the_next_case_elsewhere_closes_the_old_municipalitys_window_whichever_event_comes_first(
    termijn_eerst, als_partner
):
    """After a move, to a case of their own or into a household's case as its partner (they live there
    now), the old municipality no longer sees (or overrides) the income its window covered."""
    p, uow = ports(VANDAAG)
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    zaak = {"uitkeringId": UITKERING, "bsn": BSN, "gemeentecode": "GM0363"}
    geopend = events.UitkeringGeopend(**zaak, geboortedatum=date(1990, 5, 1), startdatum=date(2029, 1, 1))
    await consumers.on_uitkering_geopend(joined).handle(None, [received(f"p-{BSN}", geopend)])
    beeindigd = events.UitkeringBeeindigd(**zaak, einddatum=date(2029, 3, 31), reden="verhuizing")
    await consumers.on_uitkering_beeindigd(joined)(None, received(f"p-{BSN}", beeindigd))
    termijn = events.HeraanvraagtermijnGeopend(**zaak, einddatum=date(2029, 3, 31), geldigTot=date(2030, 3, 31))
    aanvrager = "999990019" if als_partner else BSN
    volgende = geopend.model_copy(
        update={
            "uitkeringId": "0e6f4b52-9a4c-4a55-8d0e-5d2b9c1f0a99",
            "bsn": aanvrager,
            "gemeentecode": "GM0599",
            "startdatum": date(2029, 5, 1),
            "partners": [events.Partnerperiode(bsn=BSN, vanaf=date(2029, 5, 1))] if als_partner else [],
        }
    )
    volgorde = [
        lambda: consumers.on_termijn_geopend(joined)(None, received(f"p-{BSN}", termijn)),
        lambda: consumers.on_uitkering_geopend(joined).handle(None, [received(f"p-{aanvrager}", volgende)]),
    ]
    for stap in volgorde if termijn_eerst else reversed(volgorde):
        await stap()

    [dicht] = (await uow.populatie.dossiers([f"p-{BSN}"]))[f"p-{BSN}"].termijnen
    assert dicht.geldig_tot == date(2029, 4, 30), "closed the day before the case elsewhere starts"
    with pytest.raises(GeenUitkering):  # VANDAAG lies after the new case's start: answered as a stranger
        await inzage.zoek(p, AMSTERDAM, BSN, Maand(2029, 1), Maand(2029, 6))
    assert await inzage.zoek(p, ROTTERDAM, BSN, Maand(2029, 5), Maand(2029, 6)) == []
    for dag, gemeente in ((date(2029, 4, 30), "GM0363"), (date(2029, 5, 1), "GM0599")):
        leden = (await populatie.leden(p, LEVERANCIER, dag, 1, 10)).personen
        assert [g for b, g in leden if b == BSN] == [gemeente]


async def test_the_ingest_topic_is_handled_like_a_delivery_and_refuses_bad_records_with_their_reasons():
    p, uow = await met_uitkering()
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    bron = "urn:nld:oin:00000001805160327000:systeem:polisleveringen"
    zonder_soort = {k: v for k, v in RECORD.items() if k != "soortInkomstenverhouding"}  # optional
    goed = event(AangifteAangeleverd.TYPE, "k", bron, leveringId="k-1", **zonder_soort)
    fout = event(AangifteAangeleverd.TYPE, "k", bron, leveringId="k-1", **zonder_soort | {"tijdvakEinde": "2029-05-20"})

    assert consumers.leverancier_van(goed) == LEVERANCIER.oin
    geweigerd = await consumers.on_aangiften(joined).handle(None, [goed, fout])
    assert list(geweigerd) == [fout.id] and geweigerd[fout.id].startswith("ongeldige-aangifte: tijdvakEinde")
    assert BSN not in geweigerd[fout.id]
    await consumers.on_aangiften(joined).handle(None, [goed])
    status = await aangiften.levering(p, LEVERANCIER, "k-1")
    assert (
        status.kanaal,
        status.aantallen["geaccepteerd"],
        status.aantallen["afgewezen"],
        status.aantallen["herhaling"],
    ) == ("kafka", 1, 1, 1)
    assert [e.data["maand"] for e in uow.published] == ["2029-05"]
    # the provider reads which and why; another provider reads nothing of it
    [afwijzing] = await aangiften.afwijzingen(p, LEVERANCIER, "k-1")
    assert (afwijzing.event_id, afwijzing.reden) == (
        gemaskeerd_id(fout.id),  # a random id holds nine digits in a row now and then
        "geweigerd: " + geweigerd[fout.id],
    ), "as dead-lettered"
    with pytest.raises(OnbekendeLevering):
        await aangiften.afwijzingen(p, ANDERE_LEVERANCIER, "k-1")

    # refused before it could be read as a declaration: by its place on the topic, with the dead letter's reason
    onleesbaar = Undecodable(
        LEVERANCIER.oin, b'{"leveringId": "k-1", "bsn": 1}', "ongeldig-bericht: data/bsn: type", 3, 17
    )
    await consumers.on_onleesbaar(joined)(None, [onleesbaar, onleesbaar._replace(writer=None)])
    tweede = (await aangiften.afwijzingen(p, LEVERANCIER, "k-1"))[1:]
    assert [(a.event_id, a.partitie, a.positie, a.reden) for a in tweede] == [
        (None, 3, 17, "ongeldig-bericht: data/bsn: type")
    ], "one from Schakel's own topic names no provider"
    assert (await aangiften.levering(p, LEVERANCIER, "k-1")).aantallen["afgewezen"] == 2


@pytest.mark.parametrize(
    ("ce_id", "bewaard"),
    [
        (f"{BSN}L01:7", "*********L01:7"),
        (f"aangifte{BSN}", "aangifte*********"),  # beside a letter that is also a hexadecimal digit
        (f"{BSN}abc", "*********abc"),
        (f"{BSN}2029-05", "*********-05"),  # within a longer number
        ("".join(chr(0xFF10 + int(c)) for c in BSN), "*********"),  # digits of another script
        (f"{BSN[:4]}.{BSN[4:6]}.{BSN[6:]}L01", "*********L01"),  # as a BSN is written for people
        (f"{BSN[:3]} {BSN[3:6]} {BSN[6:]}", "*********"),
        ("2029.05.01", "2029.05.01"),  # a date stays a date
        ("5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f", "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f"),
    ],
)
async def test_a_refused_record_s_id_is_kept_without_what_could_be_a_bsn(ce_id, bewaard):
    """A provider chooses its records' ids; one that holds a BSN is not kept as it came, wherever it
    stands in the id."""
    p, _ = await met_uitkering()
    bron = "urn:nld:oin:00000001805160327000:systeem:polisleveringen"
    omgekeerd = RECORD | {"tijdvakBegin": "2029-05-31", "tijdvakEinde": "2029-05-01"}
    fout = replace(event(AangifteAangeleverd.TYPE, "k", bron, leveringId="k-1", **omgekeerd), id=ce_id)
    await consumers.on_aangiften(lambda conn: p).handle(None, [fout])
    [afwijzing] = await aangiften.afwijzingen(p, LEVERANCIER, "k-1")
    assert afwijzing.event_id == bewaard


async def test_two_records_whose_ids_mask_alike_are_two_refusals():
    """Another person's record refused for the same rule in a later batch is not a retry of the first."""
    p, _ = await met_uitkering()
    bron = "urn:nld:oin:00000001805160327000:systeem:polisleveringen"
    omgekeerd = RECORD | {"tijdvakBegin": "2029-05-31", "tijdvakEinde": "2029-05-01"}
    handler = consumers.on_aangiften(lambda conn: p)
    for bsn in (BSN, ANDER, BSN):  # the last: the first's batch tried again
        fout = event(AangifteAangeleverd.TYPE, "k", bron, leveringId="k-1", **omgekeerd)
        await handler.handle(None, [replace(fout, id=f"{bsn}L01:2029-05")])
    gelezen = await aangiften.afwijzingen(p, LEVERANCIER, "k-1")
    assert [a.event_id for a in gelezen] == ["*********L01:2029-05"] * 2


async def test_a_refused_record_s_id_kept_before_it_was_masked_is_shown_masked():
    """Kept by income 0.11 (before the upgrade, or by an instance of it beside 0.12 while it rolls out)."""
    p, uow = await met_uitkering()
    async with uow:
        await uow.leveringen.tel(LEVERANCIER.oin, "k-1", "kafka", {"afgewezen": 1}, p.clock.now())
        ongemaskeerd = Afwijzing(f"{BSN}L01:7", None, None, "geweigerd: r", p.clock.now())
        await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-1", [ongemaskeerd])
    [afwijzing] = await aangiften.afwijzingen(p, LEVERANCIER, "k-1")
    assert models.afwijzing(afwijzing)["eventId"] == "*********L01:7"


async def test_the_contract_s_example_of_a_refusal_is_a_reason_the_ingest_gives():
    """What `leesAfwijzingen` shows a provider: the dead letter's reason, as the rules word it."""
    p, _ = await met_uitkering()
    bron = "urn:nld:oin:00000001805160327000:systeem:polisleveringen"
    omgekeerd = RECORD | {"tijdvakBegin": "2029-05-31", "tijdvakEinde": "2029-05-01"}
    await consumers.on_aangiften(lambda conn: p).handle(
        None, [event(AangifteAangeleverd.TYPE, "k", bron, leveringId="k-1", **omgekeerd)]
    )
    [afwijzing] = await aangiften.afwijzingen(p, LEVERANCIER, "k-1")
    assert models.afwijzing(afwijzing)["reden"] == vb.AFWIJZING["reden"]


async def test_an_ingest_batch_keeps_the_latest_record_of_a_period_across_interleaved_deliveries():
    """The topic keeps an income relationship's records in order, also when two deliveries of a
    provider interleave: the batch is worked off as consumed, as if one by one."""
    p, uow = await met_uitkering()
    bron = "urn:nld:oin:00000001805160327000:systeem:polisleveringen"
    batch = [
        event(AangifteAangeleverd.TYPE, "k", bron, leveringId=levering_id, **RECORD | {"fiscaalLoon": loon})
        for levering_id, loon in (("L1", 150000), ("L2", 100000), ("L1", 120000))  # the last is the latest
    ]

    await consumers.on_aangiften(lambda conn: p).handle(None, batch)

    [(maand, _)] = await inzage.zoek(p, AMSTERDAM, BSN, MEI, MEI)
    assert maand.loon == 100000
    l1, l2 = [(await aangiften.levering(p, LEVERANCIER, lid)).aantallen for lid in ("L1", "L2")]
    assert (l1["geaccepteerd"], l1["correctie"], l2["correctie"]) == (1, 1, 1), "the runs of L1 add up"


async def test_a_delivery_id_with_a_bsn_in_it_is_logged_masked(caplog):
    """A provider chooses its delivery ids, and may name one after the person (`origineel-<BSN>-2029-05`):
    the line that says a superseded version was skipped names the delivery without the BSN."""
    p, _ = await met_uitkering()
    await lever(p, aangifte(aangemaakt_op=datetime(2029, 6, 3, 9, tzinfo=UTC)), levering_id=f"correctie-{BSN}")
    with caplog.at_level(logging.INFO, logger=aangiften.__name__):
        _, antwoord = await lever(
            p,
            aangifte(fiscaal_loon=1, aangemaakt_op=datetime(2029, 6, 1, 9, tzinfo=UTC)),
            levering_id=f"origineel-{BSN}",
        )
    assert antwoord["resultaten"] == [{"volgnummer": 0, "uitkomst": "verouderd"}]
    [regel] = [r for r in caplog.records if "older than the stored version" in r.getMessage()]
    assert BSN not in regel.getMessage() and "delivery origineel-*********" in regel.getMessage()
