"""Participatiewet art. 43a (from 2026): re-application within 12 months after the benefit ended."""

from datetime import date

from reapplication.domain.hergebruik import Hergebruik, Klokstand, Situatie
from reapplication.domain.termijn import Heraanvraagtermijn, klok_elders, open_termijn, sluit, termijn_maanden
from schakel.primitives import plus_maanden


def test_adding_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert plus_maanden(date(2026, 3, 31), 12) == date(2027, 3, 31)
    assert plus_maanden(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert plus_maanden(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert plus_maanden(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_the_window_is_open_from_the_day_after_the_end_for_twelve_months():
    termijn = Heraanvraagtermijn.na("id", "GM0363", date(2026, 3, 31), 12)
    assert termijn.geldig_tot == date(2027, 3, 31)
    assert not termijn.open_op(date(2026, 3, 31))
    assert termijn.open_op(date(2026, 4, 1)) and termijn.open_op(date(2027, 3, 31))
    assert not termijn.open_op(date(2027, 4, 1))


def test_a_benefit_that_ended_on_a_months_last_day_gives_whole_months():
    """Ended on 28 February, the first day without it is 1 March: six months run to 31 August (the
    day six months after 28 February, 28 August, would cut the last three days off)."""
    for einde, maanden, tot in [
        (date(2026, 2, 28), 6, date(2026, 8, 31)),
        (date(2027, 2, 28), 12, date(2028, 2, 29)),
        (date(2026, 4, 30), 6, date(2026, 10, 31)),
        (date(2026, 9, 30), 1, date(2026, 10, 31)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),  # not a month's end: the same day, or the month's last
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
    ]:
        termijn = Heraanvraagtermijn.na("id", "GM0363", einde, maanden)
        assert termijn.geldig_tot == tot, einde
        assert termijn.open_op(tot) and not termijn.open_op(date.fromordinal(tot.toordinal() + 1))


def test_a_new_benefit_closes_the_window():
    termijn = Heraanvraagtermijn("id", "GM0363", date(2026, 3, 31), date(2027, 3, 31), gesloten_op=date(2026, 6, 1))
    assert termijn.open_op(date(2026, 5, 31)) and not termijn.open_op(date(2026, 6, 1))


def test_the_open_window_is_the_asking_municipalitys_and_a_new_benefit_closes_those_ended_before_it():
    oud = Heraanvraagtermijn.na("oud", "GM0363", date(2025, 9, 30), 12)
    nieuw = Heraanvraagtermijn.na("nieuw", "GM0363", date(2026, 3, 31), 12)
    elders = Heraanvraagtermijn.na("elders", "GM0599", date(2026, 3, 31), 12)
    assert open_termijn([oud, nieuw, elders], "GM0363", date(2026, 5, 1)) == nieuw, "the latest ended benefit"
    assert open_termijn([oud, elders], "GM0363", date(2026, 10, 1)) is None, "12 months after the end"
    gesloten = sluit([oud, nieuw, elders], date(2026, 3, 31))
    assert [(t.uitkering_id, t.gesloten_op) for t in gesloten] == [("oud", date(2026, 3, 31))]
    assert sluit(gesloten, date(2026, 6, 1)) == [], "a closed window stays closed on its day"


def test_a_municipality_sets_its_window_from_a_date():
    beleid = [(date(2026, 1, 1), 6), (date(2026, 7, 1), 9)]
    assert termijn_maanden(beleid, date(2025, 12, 31), 12) == 12
    assert termijn_maanden(beleid, date(2026, 3, 31), 12) == 6
    assert termijn_maanden(beleid, date(2026, 7, 1), 12) == 9
    assert termijn_maanden([], date(2026, 7, 1), 12) == 12


def test_max_ww_handover_notifications_create_update_move_or_change_nothing():
    from dataclasses import replace

    from reapplication.domain.overdracht import Overdracht, melding, met_stap, met_uitkomst

    grond = {"soort": "toestemming", "referentie": "UWV-2026-001"}
    dag = date(2026, 6, 1)
    nieuw, uitkomst = melding([], "h1", "GM0363", date(2026, 9, 30), grond, None, dag)
    assert uitkomst == "nieuw" and not nieuw.op_tijd and nieuw.gemeld_op == dag
    assert melding([nieuw], "x", "GM0363", date(2026, 9, 30), grond, None, dag) == (nieuw, "ongewijzigd")
    later, uitkomst = melding([nieuw], "x", "GM0363", date(2026, 10, 31), grond, None, date(2026, 7, 1))
    assert (uitkomst, later.ww_einddatum, later.overdracht_id, later.gemeld_op) == (
        "bijgewerkt",
        date(2026, 10, 31),
        "h1",
        dag,
    ), "the lead time counts from the first notification"
    gevolgd = replace(met_stap(later, "contact-gelegd", dag), besluit_elders=("GM0344", dag, dag))
    verhuisdag = date(2026, 8, 3)
    moved, uitkomst = melding([gevolgd], "x", "GM0599", date(2026, 10, 31), grond, None, verhuisdag)
    assert (uitkomst, moved) == (
        "verhuisd",
        Overdracht("h1", "GM0599", date(2026, 10, 31), grond, gemeld_op=verhuisdag),
    ), "the new municipality starts afresh: nothing the old one did, decided or recorded"
    # before the WW ends the new municipality takes it over whatever the old one decided or recorded
    # (the person may need bijstand there once it ends); after it, it is settled where it ended
    for afgerond in (
        met_uitkomst(gevolgd, "werk-gevonden", dag),
        replace(gevolgd, besluit_op=dag, besluit_startdatum=dag),
    ):
        assert melding([afgerond], "x", "GM0599", date(2026, 10, 31), grond, None, verhuisdag)[1] == "verhuisd"
    na_de_ww = date(2026, 11, 2)
    assert melding([gevolgd], "x", "GM0599", date(2026, 10, 31), grond, None, na_de_ww) == (gevolgd, "ongewijzigd")
    # unless the same notification lengthens the WW: it runs on where the person lives now
    langer, uitkomst = melding([gevolgd], "x", "GM0599", date(2026, 12, 31), grond, None, na_de_ww)
    assert (uitkomst, langer.gemeentecode, langer.ww_einddatum) == ("verhuisd", "GM0599", date(2026, 12, 31))
    # unless the new municipality's case, decided by the WW's end, shows the person lived there then
    ervoor = replace(gevolgd, besluit_elders=("GM0599", date(2026, 10, 20), date(2026, 11, 1)))
    moved, uitkomst = melding([ervoor], "x", "GM0599", date(2026, 10, 31), grond, None, na_de_ww)
    assert (uitkomst, moved.gemeentecode, moved.op_tijd, moved.stappen) == ("verhuisd", "GM0599", True, ())
    erna = replace(gevolgd, besluit_elders=("GM0599", date(2026, 11, 1), date(2026, 11, 1)))
    assert melding([erna], "x", "GM0599", date(2026, 10, 31), grond, None, na_de_ww) == (erna, "ongewijzigd")


def test_a_decision_is_in_time_when_it_is_in_place_before_the_ww_ends():
    from dataclasses import replace

    from reapplication.domain.overdracht import Overdracht

    h = Overdracht("h", "GM0363", date(2026, 9, 30), {})
    assert replace(h, besluit_op=date(2026, 9, 20), besluit_startdatum=date(2026, 10, 1)).op_tijd
    assert not replace(h, besluit_op=date(2026, 10, 2), besluit_startdatum=date(2026, 10, 1)).op_tijd
    assert not replace(h, besluit_op=date(2026, 9, 20), besluit_startdatum=date(2026, 10, 5)).op_tijd


def test_the_first_case_in_the_handovers_municipality_is_its_decision_and_the_report_counts_them():
    from dataclasses import replace

    from reapplication.domain.overdracht import Overdracht, Rapportage, met_stap, rapportage, uitkering_geopend

    h = Overdracht("h", "GM0363", date(2026, 9, 30), {})
    elders = uitkering_geopend(h, "GM0599", date(2026, 9, 20), date(2026, 10, 1))
    assert (elders.besluit_op, elders.besluit_elders) == (None, ("GM0599", date(2026, 9, 20), date(2026, 10, 1))), (
        "another municipality's: kept for a move UWV has yet to report"
    )
    assert uitkering_geopend(elders, "GM0599", date(2026, 11, 1), date(2026, 11, 1)) is None, "the first there counts"
    utrecht = uitkering_geopend(elders, "GM0344", date(2026, 11, 1), date(2026, 11, 1))
    assert utrecht.besluit_elders == ("GM0344", date(2026, 11, 1), date(2026, 11, 1)), "moved on: the latest place"
    besloten = uitkering_geopend(h, "GM0363", date(2026, 9, 20), date(2026, 10, 1))
    assert besloten.op_tijd and uitkering_geopend(besloten, "GM0363", date(2026, 10, 5), date(2026, 10, 5)) is None
    assert met_stap(h, "contact-gelegd", date(2026, 7, 1)).stappen == (("contact-gelegd", "2026-07-01"),)
    lopend = Overdracht("l", "GM0363", date(2026, 12, 31), {})
    werk = replace(h, uitkomst=("werk-gevonden", date(2026, 9, 15)), gemeld_op=date(2026, 7, 15))
    te_laat_werk = replace(h, uitkomst=("werk-gevonden", date(2026, 10, 1)))
    assert werk.geslaagd and werk.te_laat_gemeld and not te_laat_werk.geslaagd
    assert rapportage([h, besloten, lopend, werk, te_laat_werk], date(2026, 10, 1)) == Rapportage(
        overdrachten=5,
        lopend=1,
        ww_beeindigd=4,
        besluit_op_tijd=1,
        werk_gevonden=1,
        geen_bijstand_nodig=0,
        zonder_besluit_op_tijd=2,
        te_laat_gemeld=1,
    )


def test_a_notification_is_at_least_three_months_ahead_and_shares_only_what_the_consent_covers():
    """The Max-WW approach: UWV and the municipality cooperate in the last 3 to 6 months (DOMAIN.md §4)."""
    import pytest

    from reapplication.domain.fouten import BuitenGrondslag
    from reapplication.domain.overdracht import melding

    grond = {"soort": "wettelijke-grondslag", "referentie": "SUWI", "reikwijdte": ["ww-einddatum"]}
    assert not melding([], "h", "GM0363", date(2026, 9, 30), grond, None, date(2026, 6, 30))[0].te_laat_gemeld
    assert melding([], "h", "GM0363", date(2026, 9, 30), grond, None, date(2026, 7, 1))[0].te_laat_gemeld
    with pytest.raises(BuitenGrondslag):
        melding([], "h", "GM0363", date(2026, 9, 30), grond, ("maandbedrag", 180000), date(2026, 6, 1))


def test_the_dated_tables_cover_every_date_the_api_takes():
    from reapplication.domain.overdracht import voorloop
    from reapplication.domain.zoektermijn import ontheffing_mogelijk
    from schakel.api.types import DATUM_MIN

    assert voorloop(DATUM_MIN) == 3 and ontheffing_mogelijk(DATUM_MIN) is False


def test_a_first_application_after_a_move_counts_on_from_the_clock_of_the_open_window_elsewhere():
    """Art. 31 lid 2: the months are the person's; only the clock goes along, of a window open on the
    melding in another municipality (the latest ended benefit's)."""
    situatie = Situatie("alleenstaand", None, None, 0, False, False, False, "huidig", "voorschot")

    def termijn(uitkering: str, gemeente: str, einde: date, maanden: int) -> Heraanvraagtermijn:
        klok = (Klokstand("n", maanden),)
        return Heraanvraagtermijn.na(uitkering, gemeente, einde, 12, Hergebruik(date(1980, 1, 1), situatie, klok))

    oud, later = termijn("a", "GM0363", date(2026, 3, 31), 2), termijn("b", "GM0344", date(2026, 6, 30), 4)
    assert klok_elders([oud, later], "GM0599", date(2026, 8, 1)) == (Klokstand("n", 4),)
    assert klok_elders([oud], "GM0599", date(2027, 4, 1)) == (), "closed: Schakel keeps it no longer"
    assert klok_elders([oud], "GM0363", date(2026, 8, 1)) == (), "the window here is reused as a whole"
    assert klok_elders([oud, later], "GM0344", date(2026, 8, 1)) == (Klokstand("n", 2),)
