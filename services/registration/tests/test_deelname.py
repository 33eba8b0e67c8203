"""The participation state machine (DOMAIN.md §5): dated facts folded by effective date."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from registration.domain.deelname import Feit, OvergangFout, Soort, vouw
from registration.domain.programmacijfers import cijfers, per_gemeente
from schakel.primitives.cijfers import Periode

D = date(2026, 1, 1)


def feit(soort: Soort, dag: int, volgnummer: int = 0, gemeente: str = "GM0363", **gegevens) -> Feit:
    return Feit(soort, D + timedelta(days=dag), gemeente, gegevens, volgnummer)


PAD = [
    feit(Soort.dagbesteding_gestart, 0, indicatie="wmo"),
    feit(Soort.doelgroepregistratie_gestart, 5, grond="participatiewet"),
    feit(Soort.advies_aangevraagd, 10, aanvrager="gemeente"),
    feit(Soort.advies_uitgebracht, 60, uitkomst="positief"),
    feit(Soort.dagbesteding_beeindigd, 70),
    feit(Soort.beschut_werk_vastgesteld, 80),
    feit(Soort.beschutte_plek_gestart, 150, werkgever="SW-bedrijf", urenPerWeek=24, vorm="regulier"),
    feit(Soort.beschutte_plek_beeindigd, 400),
    feit(Soort.baan_gestart, 401, werkgever="Bakkerij"),
    feit(Soort.doelgroepregistratie_gestart, 401, volgnummer=1, grond="participatiewet"),
    feit(Soort.baan_beeindigd, 500),
    feit(Soort.driehoeksverklaring, 510),
    feit(Soort.beschutte_plek_gestart, 560, werkgever="SW-bedrijf", urenPerWeek=20, vorm="detachering"),
]


def test_uwv_ending_the_registration_it_was_asked_to_end_confirms_it_with_the_register_s_day():
    """Beschut werk established on day 80 asks UWV to end the registration on day 81 (Besluit SUWI art.
    3.2 lid 3); UWV's end then is the answer, not a refused transition (a dead letter), and the day
    the register gives stands in the history. An end with nothing asked for is still refused."""
    tot_vastgesteld = [f for f in PAD if f.datum <= D + timedelta(days=80)]
    bevestigd = vouw([*tot_vastgesteld, feit(Soort.doelgroepregistratie_beeindigd, 81, volgnummer=2)])
    assert bevestigd.registraties == (
        ("participatiewet", D + timedelta(days=5), D + timedelta(days=81), Soort.beschut_werk_vastgesteld),
    )
    assert bevestigd.status == "beschut-werk-wachtlijst"
    later = vouw([*tot_vastgesteld, feit(Soort.doelgroepregistratie_beeindigd, 83, volgnummer=2)])
    assert later.registraties == (
        ("participatiewet", D + timedelta(days=5), D + timedelta(days=83), Soort.beschut_werk_vastgesteld),
    )
    for eerst in (81, 83):  # a second end, after the day asked or another: nothing runs, nothing asked any more
        with pytest.raises(OvergangFout):
            vouw(
                [
                    *tot_vastgesteld,
                    *(feit(Soort.doelgroepregistratie_beeindigd, d, volgnummer=n) for n, d in ((2, eerst), (3, 90))),
                ]
            )
    with pytest.raises(OvergangFout):
        vouw([feit(Soort.doelgroepregistratie_beeindigd, 83)])


def test_the_full_path_and_the_way_back():
    assert vouw(PAD, D + timedelta(days=61)).status == "doelgroepregister"
    wachtend = vouw(PAD, D + timedelta(days=79))
    assert (wachtend.wachtlijst_sinds, wachtend.registratie is not None) == (D + timedelta(days=60), True)
    vastgesteld = vouw(PAD, D + timedelta(days=80))
    assert vastgesteld.registratie is None, "beschut werk ends the registration"
    assert vastgesteld.registratie_einde_verzocht == D + timedelta(days=81), "the day after"
    assert vastgesteld.registraties == (
        ("participatiewet", D + timedelta(days=5), D + timedelta(days=81), Soort.beschut_werk_vastgesteld),
    )
    assert vastgesteld.status == "beschut-werk-wachtlijst"
    assert vouw(PAD, D + timedelta(days=150)).status == "beschut-werk"
    in_baan = vouw(PAD, D + timedelta(days=450))
    assert (in_baan.status, in_baan.advies) == ("banenafspraakbaan", "slapend")
    assert [o["soort"] for o in in_baan.terugvalopties] == ["beschut-werk", "dagbesteding"]
    herleefd = vouw(PAD, D + timedelta(days=520))
    assert (herleefd.advies, herleefd.herleefd_op, herleefd.wachtlijst_sinds) == (
        "positief",
        D + timedelta(days=510),
        D + timedelta(days=510),
    )
    assert herleefd.registraties[-1] == (
        "participatiewet",
        D + timedelta(days=401),
        D + timedelta(days=511),
        Soort.driehoeksverklaring,
    )
    terug = vouw(PAD)
    assert terug.status == "beschut-werk" and terug.plek["vorm"] == "detachering"
    assert [(s.year, e and e.year) for s, e, _ in terug.plekken_in(terug.gemeentecode)] == [(2026, 2027), (2027, None)]
    assert terug.plaatsingen == (
        (D + timedelta(days=60), D + timedelta(days=150)),
        (D + timedelta(days=510), D + timedelta(days=560)),
    )


def test_facts_arriving_out_of_order_give_the_same_state():
    # arriving last first; only facts of the same date keep their relative order
    same_day = {f.datum: n for n, f in enumerate(PAD)}
    shuffled = [
        f.__class__(f.soort, f.datum, f.gemeentecode, f.gegevens, f.volgnummer - same_day[f.datum])
        for f in reversed(PAD)
    ]
    assert vouw(shuffled) == vouw(PAD)


@pytest.mark.parametrize(
    "feiten, code",
    [
        ([feit(Soort.driehoeksverklaring, 1)], "geen-slapend-advies"),
        ([feit(Soort.baan_beeindigd, 1)], "geen-baan"),
        ([feit(Soort.beschut_werk_vastgesteld, 1)], "geen-positief-advies"),
        (
            [
                feit(Soort.advies_uitgebracht, 1, uitkomst="positief"),
                feit(Soort.beschutte_plek_gestart, 2, werkgever="x", urenPerWeek=1, vorm="regulier"),
            ],
            "beschut-niet-vastgesteld",
        ),
        (
            [
                feit(Soort.dagbesteding_gestart, 5, indicatie="wlz"),
                feit(Soort.dagbesteding_beeindigd, 5, volgnummer=-1),
            ],
            "geen-dagbesteding",
        ),
        ([feit(Soort.ander_aanbod, 1, omschrijving="werkervaringsplek")], "niet-wachtend"),
        (
            [feit(Soort.dagbesteding_gestart, 5, indicatie="wmo", geldigTot="2026-01-05")],
            "datum-volgorde",
        ),
    ],
)
def test_transitions_that_make_no_sense_are_refused(feiten, code):
    with pytest.raises(OvergangFout) as caught:
        vouw(feiten)
    assert caught.value.code == code


def test_a_citizens_repeat_request_within_12_months_is_flagged_unless_new_facts():
    advies = [feit(Soort.advies_uitgebracht, 0, uitkomst="negatief")]
    herhaald = vouw(advies + [feit(Soort.advies_aangevraagd, 200, aanvrager="burger")])
    assert herhaald.herhaalverzoek and herhaald.status == "advies-aangevraagd"
    assert not vouw(
        advies + [feit(Soort.advies_aangevraagd, 200, aanvrager="burger", nieuweFeiten=True)]
    ).herhaalverzoek
    assert not vouw(advies + [feit(Soort.advies_aangevraagd, 200, aanvrager="gemeente")]).herhaalverzoek
    assert not vouw(advies + [feit(Soort.advies_aangevraagd, 366, aanvrager="burger")]).herhaalverzoek


def test_a_move_transfers_the_status_and_the_obligation():
    verhuisd = vouw(PAD[:6] + [feit(Soort.verhuisd, 90, gemeente="GM0599")])
    assert (verhuisd.gemeentecode, verhuisd.status) == ("GM0599", "beschut-werk-wachtlijst")


# beschut werk ended, then the letters' order (UWV's indication, then the job) or the reverse
NA_BESCHUT = [PAD[3], *PAD[5:8]]
INDICATIE = feit(Soort.doelgroepregistratie_gestart, 420, grond="participatiewet")
BAAN = feit(Soort.baan_gestart, 430, werkgever="Bakkerij")


def test_the_letters_order_indication_then_job_puts_the_advice_to_sleep_at_the_indication():
    """Letter of 27 December 2018 (seeds/000): the advice is no longer lost at the indication for the
    banenafspraak; it sleeps (Besluit advisering beschut werk, 2023)."""
    geindiceerd = vouw(NA_BESCHUT + [INDICATIE], D + timedelta(days=425))
    assert (geindiceerd.status, geindiceerd.advies, geindiceerd.wachtlijst_sinds) == (
        "doelgroepregister",
        "slapend",
        None,
    )
    assert [o["soort"] for o in geindiceerd.terugvalopties] == ["beschut-werk"]
    in_baan = vouw(NA_BESCHUT + [INDICATIE, BAAN])
    assert (in_baan.status, in_baan.baan_telt_mee) == ("banenafspraakbaan", True)


def test_job_then_indication_folds_to_the_same_state_and_the_job_is_pending_until_registered():
    """Wfsv art. 38b lid 1: a banenafspraak job counts only for someone in the doelgroepregister."""
    wachtend = vouw(NA_BESCHUT + [BAAN], D + timedelta(days=440))
    assert (wachtend.status, wachtend.baan_telt_mee, wachtend.advies) == ("banenafspraakbaan", False, "slapend")
    assert vouw(NA_BESCHUT + [BAAN, INDICATIE]) == vouw(NA_BESCHUT + [INDICATIE, BAAN])


def test_an_indication_while_waiting_for_a_place_ends_the_waiting_and_any_alternative_offer():
    wachtend = [PAD[3], PAD[5], feit(Soort.ander_aanbod, 90, omschrijving="werkervaringsplek bij de gemeente")]
    assert vouw(wachtend).ander_aanbod == {
        "omschrijving": "werkervaringsplek bij de gemeente",
        "datum": D + timedelta(days=90),
    }
    geindiceerd = vouw(wachtend + [feit(Soort.doelgroepregistratie_gestart, 100, grond="participatiewet")])
    assert (geindiceerd.advies, geindiceerd.wachtlijst_sinds, geindiceerd.ander_aanbod) == ("slapend", None, None)


def test_a_school_leaver_s_registration_leaves_a_positive_advice_awake_and_ends_at_beschut_werk():
    """A registration on the school ground (vso-pro) follows from the school the person left, not from
    UWV's indication: it does not put the advice to sleep, in either order, so the municipality can
    establish beschut werk, which ends the registration the day after. An indication still does."""
    advies = feit(Soort.advies_uitgebracht, 10, uitkomst="positief")
    school = feit(Soort.doelgroepregistratie_gestart, 20, volgnummer=1, grond="vso-pro")
    voor = feit(Soort.doelgroepregistratie_gestart, 5, volgnummer=1, grond="vso-pro")
    for feiten in ([advies, school], [voor, advies]):
        t = vouw(feiten, D + timedelta(days=30))
        assert (t.advies, t.wachtlijst_sinds, t.registratie["grond"]) == ("positief", advies.datum, "vso-pro")
        vastgesteld = vouw([*feiten, feit(Soort.beschut_werk_vastgesteld, 40)], D + timedelta(days=41))
        assert (vastgesteld.registratie, vastgesteld.registratie_einde_verzocht) == (None, D + timedelta(days=41))
        assert vastgesteld.status == "beschut-werk-wachtlijst"
    geindiceerd = vouw([advies, replace(school, gegevens={"grond": "participatiewet"})], D + timedelta(days=30))
    assert (geindiceerd.advies, geindiceerd.wachtlijst_sinds) == ("slapend", None)
    # once beschut werk holds (established, or the advice revived), a school registration puts the advice
    # to sleep as before 0.7.4; so after an establishment under an earlier advice, on which a place may start
    vastgesteld = feit(Soort.beschut_werk_vastgesteld, 12)
    herleefd = [
        advies,
        feit(Soort.baan_gestart, 11, werkgever="Bakkerij"),
        feit(Soort.baan_beeindigd, 15),
        feit(Soort.driehoeksverklaring, 16),
    ]
    for geldt in ([advies, vastgesteld], herleefd):
        assert vouw([*geldt, school], D + timedelta(days=21)).advies == "slapend"
    opnieuw = [vastgesteld, feit(Soort.advies_uitgebracht, 15, uitkomst="positief")]
    assert vouw([advies, *opnieuw, school], D + timedelta(days=21)).advies == "slapend"

    # a triangle statement stored when the school registration still put the advice to sleep folds on:
    # the registration ends the day after; on an awake advice without one it is still refused
    verklaring = feit(Soort.driehoeksverklaring, 30)
    herleefd = vouw([advies, school, verklaring], D + timedelta(days=31))
    assert (herleefd.advies, herleefd.wachtlijst_sinds, herleefd.registratie) == ("positief", advies.datum, None)
    assert herleefd.registratie_einde_verzocht == D + timedelta(days=31)
    with pytest.raises(OvergangFout):
        vouw([advies, verklaring])


def test_a_place_ends_a_registration_a_later_advice_left_running_beside_an_earlier_establishment():
    """Established on day 5, registered on day 8 (the advice sleeps), a new positive advice on day 10
    (awake, the registration runs): a place on the earlier establishment ends the registration the day
    after it starts, as establishing would."""
    feiten = [
        feit(Soort.advies_uitgebracht, 0, uitkomst="positief"),
        feit(Soort.beschut_werk_vastgesteld, 5),
        feit(Soort.doelgroepregistratie_gestart, 8, grond="participatiewet"),
        feit(Soort.advies_uitgebracht, 10, uitkomst="positief"),
    ]
    assert vouw(feiten, D + timedelta(days=12)).status == "doelgroepregister"
    plek = feit(Soort.beschutte_plek_gestart, 15, werkgever="SW-bedrijf", urenPerWeek=24, vorm="regulier")
    t = vouw([*feiten, plek], D + timedelta(days=16))
    assert (t.status, t.registratie, t.registratie_einde_verzocht) == ("beschut-werk", None, D + timedelta(days=16))


def test_after_a_move_the_new_municipalitys_dagbesteding_takes_over_a_wmo_one_not_a_wlz_one():
    """A Wmo provision is the municipality of residence's (Wmo 2015 art. 2.3.5): Rotterdam's own
    dagbesteding ends Amsterdam's the day before; a Wlz indication holds wherever one lives."""
    verhuisd = feit(Soort.verhuisd, 40, gemeente="GM0599")
    eigen = feit(Soort.dagbesteding_gestart, 50, gemeente="GM0599", indicatie="wmo", geldigTot="2027-12-31")
    t = vouw([feit(Soort.dagbesteding_gestart, 0, indicatie="wmo"), verhuisd, eigen])
    assert (t.status, t.dagbesteding) == (
        "dagbesteding",
        {"indicatie": "wmo", "sinds": eigen.datum, "geldigTot": date(2027, 12, 31)},
    )
    assert t.vorige_dagbesteding is None, "Amsterdam's Wmo indication is no fallback in Rotterdam"
    # Amsterdam reported a start dated after the move before the move was known: still Amsterdam's
    laat = feit(Soort.dagbesteding_gestart, 45, indicatie="wmo")
    assert vouw([feit(Soort.advies_aangevraagd, 0), verhuisd, laat, eigen]).dagbesteding["sinds"] == eigen.datum
    for eerder in (
        [feit(Soort.dagbesteding_gestart, 0, indicatie="wlz"), verhuisd],  # a Wlz indication moved with them
        [verhuisd, feit(Soort.dagbesteding_gestart, 45, gemeente="GM0599", indicatie="wmo")],  # Rotterdam's own
        [feit(Soort.dagbesteding_gestart, 0, indicatie="wmo")],  # Amsterdam's, no move
    ):
        with pytest.raises(OvergangFout) as caught:
            vouw([*eerder, replace(eigen, gemeentecode=eerder[-1].gemeentecode)])
        assert caught.value.code == "al-dagbesteding"


def test_an_old_uwv_fact_before_the_first_fact_names_where_the_person_lived_until_the_next_fact():
    """UWV's records are historical: a fact from 2019 naming Rotterdam, where the person lived then, is
    Rotterdam's day; Amsterdam's advice, establishment and place after it stay Amsterdam's (no move is
    ever reported: the person came before Amsterdam's first fact). Once a municipality reported for the
    person, only a move moves them: UWV's fact naming another municipality then changes nothing."""
    amsterdam = [
        Feit(Soort.advies_uitgebracht, date(2026, 1, 5), "GM0363", {"uitkomst": "positief"}),
        Feit(Soort.beschut_werk_vastgesteld, date(2026, 1, 10), "GM0363"),
        Feit(
            Soort.beschutte_plek_gestart,
            date(2026, 1, 15),
            "GM0363",
            {"werkgever": "SW-bedrijf", "urenPerWeek": 31, "vorm": "regulier"},
        ),
    ]
    oud = Feit(Soort.wajong_beeindigd, date(2019, 6, 30), "GM0599", {"aowDatum": "2060-01-01"}, 3)
    t = vouw([*amsterdam, oud])
    assert (t.gemeentecode, t.status) == ("GM0363", "beschut-werk")
    assert t.woonperioden == ((date(2019, 6, 30), "GM0599"), (date(2026, 1, 5), "GM0363"))
    assert (t.plekken_in("GM0599"), t.gemeente_op(date(2026, 1, 15))) == ([], "GM0363")
    assert t.gemeente_op(date(2020, 1, 1)) == "GM0599"
    # the programme's figures: the place and the advice count for Amsterdam only
    groepen = per_gemeente([[*amsterdam, oud]])
    kwartaal = Periode(date(2026, 1, 1), date(2026, 3, 31))
    assert cijfers(groepen["GM0363"], kwartaal, None, "GM0363")[0].basis == 1
    rotterdam = cijfers(groepen.get("GM0599", []), kwartaal, None, "GM0599")
    assert (rotterdam[0].basis, rotterdam[3].basis) == (0, 0), "no place, no advice"
    # a municipality's fact the old UWV fact finds: Amsterdam's from that day, without a move
    eerst_gemeente = [oud, Feit(Soort.dagbesteding_gestart, date(2025, 3, 1), "GM0363", {"indicatie": "wmo"})]
    assert vouw(eerst_gemeente).woonperioden == ((date(2019, 6, 30), "GM0599"), (date(2025, 3, 1), "GM0363"))
    # after a municipality's fact, UWV's fact naming another municipality moves nobody
    later = Feit(Soort.wia_beeindigd, date(2026, 2, 1), "GM0599")
    assert vouw([*amsterdam, oud, later]).woonperioden == t.woonperioden


def test_uwv_confirming_the_asked_end_does_not_end_a_registration_that_began_after_it():
    """Beschut werk established on 1 March asks UWV to end the school registration on 2 March; a new
    registration starts on 5 March; UWV's confirmation dated 10 March answers the request: the new
    registration runs on, the old one ended on the day asked. Once answered, an end ends the new one."""
    feiten = [
        Feit(Soort.advies_uitgebracht, date(2026, 1, 5), "GM0363", {"uitkomst": "positief"}),
        Feit(Soort.doelgroepregistratie_gestart, date(2026, 1, 10), "GM0363", {"grond": "vso-pro"}),
        Feit(Soort.beschut_werk_vastgesteld, date(2026, 3, 1), "GM0363"),
        Feit(Soort.doelgroepregistratie_gestart, date(2026, 3, 5), "GM0363", {"grond": "participatiewet"}),
        Feit(Soort.doelgroepregistratie_beeindigd, date(2026, 3, 10), "GM0363", volgnummer=4),
    ]
    t = vouw(feiten)
    assert t.registratie == {"grond": "participatiewet", "sinds": date(2026, 3, 5)}
    assert t.registraties == (
        ("vso-pro", date(2026, 1, 10), date(2026, 3, 2), Soort.beschut_werk_vastgesteld),
        ("participatiewet", date(2026, 3, 5), None, None),
    )
    assert (t.status, t.registratie_einde_verzocht) == ("doelgroepregister", None)
    geeindigd = vouw([*feiten, Feit(Soort.doelgroepregistratie_beeindigd, date(2026, 4, 1), "GM0363", volgnummer=5)])
    assert geeindigd.registratie is None
    assert geeindigd.registraties[-1] == (
        "participatiewet",
        date(2026, 3, 5),
        date(2026, 4, 1),
        Soort.doelgroepregistratie_beeindigd,
    )
