"""Beschut werk capacity (Participatiewet art. 10b): persons and 31-hour places, and the obligation to
place bounded by the ministerial number, beyond which an alternative offer (ander aanbod) is due."""

from datetime import date

from registration.domain.capaciteit import BETROKKEN, capaciteit
from registration.domain.deelname import Feit, Soort

VANDAAG = date(2026, 7, 2)  # day 183 of 2026


def feit(soort: Soort, datum: date, **gegevens) -> Feit:
    return Feit(soort, datum, "GM0363", gegevens)


def persoon(advies: date, plek: date | None = None, uren: int = 31, eind: date | None = None) -> list[Feit]:
    feiten = [feit(Soort.advies_uitgebracht, advies, uitkomst="positief"), feit(Soort.beschut_werk_vastgesteld, advies)]
    if plek:
        feiten.append(feit(Soort.beschutte_plek_gestart, plek, werkgever="SW", urenPerWeek=uren, vorm="regulier"))
    if eind:
        feiten.append(feit(Soort.beschutte_plek_beeindigd, eind))
    return feiten


def test_realisation_in_persons_and_31_hour_places_from_the_hours():
    """The ministerial number counts places of 31 hours; people work about 25 (seeds/003)."""
    personen = {
        "a": ("999990019", persoon(date(2025, 1, 1), date(2025, 2, 1), uren=31)),  # all year so far: 1 place
        "b": ("999990020", persoon(date(2025, 1, 1), date(2025, 2, 1), uren=25, eind=date(2026, 4, 1))),
    }
    c = capaciteit("GM0363", 2026, VANDAAG, 3, personen)
    assert c.gerealiseerd == 2
    assert c.plekequivalenten == round(1 + 25 / 31 * 91 / 183, 1) == 1.4
    assert c.bezet == 1.0


def test_the_obligation_to_place_holds_up_to_the_ministerial_number_and_beyond_it_an_alternative_offer():
    personen = {
        "bezet": ("999990019", persoon(date(2025, 1, 1), date(2025, 2, 1), uren=31)),
        "eerste": ("999990020", persoon(date(2026, 3, 1))),
        "tweede": ("999990021", persoon(date(2026, 4, 1))),
        "derde": (
            "999990022",
            persoon(date(2026, 5, 1)) + [feit(Soort.ander_aanbod, date(2026, 6, 1), omschrijving="x")],
        ),
    }
    c = capaciteit("GM0363", 2026, VANDAAG, 3, personen)
    assert [(w.bsn, w.plicht) for w in c.wachtlijst] == [
        ("999990020", "plaatsing"),
        ("999990021", "plaatsing"),
        ("999990022", "ander-aanbod"),
    ]
    assert c.wachtlijst[2].ander_aanbod == {"omschrijving": "x", "datum": date(2026, 6, 1)}
    assert {w.plicht for w in capaciteit("GM0363", 2026, VANDAAG, None, personen).wachtlijst} == {"plaatsing"}


def test_those_without_an_advice_change_nothing_so_only_the_advised_are_read():
    """`BETROKKEN`: the store reads only persons with an advice; everyone else counts for nothing."""
    dagbesteding = [feit(Soort.dagbesteding_gestart, date(2026, 1, 5), indicatie="wmo")]
    register = [feit(Soort.doelgroepregistratie_gestart, date(2025, 3, 1), grond="participatiewet")]
    negatief = [feit(Soort.advies_uitgebracht, date(2026, 2, 1), uitkomst="negatief")]
    alleen_advies = [feit(Soort.advies_uitgebracht, date(2026, 2, 1), uitkomst="positief")]
    personen = {
        "geplaatst": ("999990019", persoon(date(2025, 1, 1), date(2025, 2, 1))),
        "wacht": ("999990020", persoon(date(2026, 3, 1))),
        "alleen-advies": ("999990021", alleen_advies),
        "negatief": ("999990022", negatief),
        "dagbesteding": ("999990023", dagbesteding),
        "register": ("999990024", register),
    }
    betrokken = {p: (b, f) for p, (b, f) in personen.items() if any(x.soort in BETROKKEN for x in f)}
    assert set(betrokken) == {"geplaatst", "wacht", "alleen-advies", "negatief"}
    assert capaciteit("GM0363", 2026, VANDAAG, 3, betrokken) == capaciteit("GM0363", 2026, VANDAAG, 3, personen)
    assert len(capaciteit("GM0363", 2026, VANDAAG, 3, betrokken).wachtlijst) == 2, "a positive advice waits"


def test_a_place_counts_for_the_municipality_while_it_had_the_person_and_then_for_the_new_one():
    """Placed in Amsterdam from 1 February, moved to Rotterdam on 1 May (day 121): Amsterdam realised
    the place for 89 days of 2026 and keeps it; Rotterdam has it from the move; each counts the time
    from advice to place only for the places it made."""
    verhuisd = persoon(date(2025, 11, 1), date(2026, 2, 1)) + [Feit(Soort.verhuisd, date(2026, 5, 1), "GM0599")]
    personen = {"a": ("999990019", verhuisd)}
    amsterdam, rotterdam = (capaciteit(g, 2026, VANDAAG, 3, personen) for g in ("GM0363", "GM0599"))
    assert (amsterdam.gerealiseerd, amsterdam.plekequivalenten, amsterdam.bezet) == (1, round(89 / 183, 1), 0.0)
    assert (rotterdam.gerealiseerd, rotterdam.plekequivalenten, rotterdam.bezet) == (1, round(63 / 183, 1), 1.0)
    assert (amsterdam.gemiddelde_dagen_tot_plaatsing, rotterdam.gemiddelde_dagen_tot_plaatsing) == (92, None)
    assert capaciteit("GM0363", 2027, date(2027, 3, 1), 3, personen).gerealiseerd == 0, "not after the move"


def test_who_waits_after_a_move_waits_in_the_new_municipality_and_a_place_there_counts_there():
    advies = date(2026, 3, 1)
    verhuisd = persoon(advies) + [Feit(Soort.verhuisd, date(2026, 4, 1), "GM0599")]
    geplaatst = verhuisd + [
        Feit(
            Soort.beschutte_plek_gestart,
            date(2026, 6, 1),
            "GM0599",
            {"werkgever": "SW", "urenPerWeek": 31, "vorm": "regulier"},
        )
    ]
    for feiten, wacht in ((verhuisd, True), (geplaatst, False)):
        amsterdam, rotterdam = (
            capaciteit(g, 2026, VANDAAG, 3, {"a": ("999990019", feiten)}) for g in ("GM0363", "GM0599")
        )
        assert (len(amsterdam.wachtlijst), len(rotterdam.wachtlijst)) == (0, int(wacht))
        assert (amsterdam.gerealiseerd, rotterdam.gerealiseerd) == (0, int(not wacht))
        assert rotterdam.gemiddelde_dagen_tot_plaatsing == (None if wacht else 92), "waited since the advice"


def test_with_a_move_reported_ahead_the_person_waits_where_the_brp_has_them_now():
    """The reviews' cases: a move dated after today took the person off both lists (the old one by the
    whole timeline, the new one as the BRP still had them in the old); after that fix, a move reported
    ahead by the municipality the BRP already had them in did the same."""
    feiten = persoon(date(2026, 5, 1)) + [Feit(Soort.verhuisd, date(2026, 7, 15), "GM0599")]
    for brp in ("GM0363", "GM0599"):
        lijsten = {
            g: capaciteit(g, 2026, VANDAAG, 3, {"a": ("999990019", feiten)}, weg={"999990019"} if g != brp else ())
            for g in ("GM0363", "GM0599")
        }
        assert {g: len(c.wachtlijst) for g, c in lijsten.items()} == {g: int(g == brp) for g in lijsten}


def test_whom_the_brp_has_elsewhere_leaves_the_waiting_list_and_the_place_made_for_them_still_counts():
    terug = {"a": ("999990019", persoon(date(2025, 1, 1), date(2025, 2, 1), eind=date(2026, 3, 1)))}
    hier, weg = (capaciteit("GM0363", 2026, VANDAAG, 3, terug, weg=w) for w in ((), {"999990019"}))
    assert (hier.gerealiseerd, len(hier.wachtlijst)) == (1, 1), "waiting again since the place ended"
    assert (weg.gerealiseerd, weg.wachtlijst) == (1, [])
