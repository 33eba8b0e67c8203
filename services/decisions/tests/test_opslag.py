"""A settlement is stored as its calculation and read back as the same settlement, and migration
0005 turns a settlement stored the old way (as the public explanation) into that same calculation:
the API's answers stay what they were."""

import importlib
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

from decisions.adapters.parameters import laad
from decisions.adapters.repository import _klokken, _klokken_json, _verrekening, berekening
from decisions.domain.inkomen import Bijdrage, Inkomen
from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.verrekening import verreken as verreken_huishouden
from decisions.domain.vrijlating import Klok, Klokken
from decisions.service.verrekeningen import inhoud
from schakel.primitives import Maand


def verreken(*args):
    """A single person's months (no partner, no caseworker's judgements)."""
    return verreken_huishouden(*args, {}, {}).verrekeningen


MIGRATIE = importlib.import_module("decisions.migrations.0005_verrekening_berekening")


def settled():
    maanden = {
        Maand(2026, m): Inkomen(
            100000, 5000 * (m == 5), (Bijdrage("123456782L01", 1, date(2026, m, 1), date(2026, m, 28), 100000),)
        )
        for m in range(3, 10)
    }
    return verreken(
        date(2026, 3, 10),
        None,
        date(1990, 5, 1),
        [Situatie(date(2026, 3, 10), Huishouden.alleenstaand)],
        maanden,
        {Maand(2026, 3): 60000},
        laad(),
    )


def test_a_stored_calculation_reads_back_as_the_same_settlement():
    for v in settled():
        rij = SimpleNamespace(berekening=berekening(v), te_betalen=v.te_betalen, betaald=v.betaald)
        assert _verrekening(v.maand, rij) == v
        assert inhoud(_verrekening(v.maand, rij)) == inhoud(v)


def test_the_migration_turns_the_old_explanation_into_the_calculation():
    # (a calculation stored before the household and the kinds of income reads as a single person's work income)
    for v in settled():
        rij = SimpleNamespace(berekening=MIGRATIE.berekening(inhoud(v)), te_betalen=v.te_betalen, betaald=v.betaald)
        # the clocks, and why a month had no vrijlating, were not kept then
        assert _verrekening(v.maand, rij) == replace(v, klokken=None, geen_vrijlating=None)


def test_the_days_a_period_was_earned_on_and_its_part_outside_the_case_read_back_too():
    maart = Maand(2026, 3)
    periode = Bijdrage(
        "123456782L01", 1, date(2026, 3, 1), date(2026, 3, 31), 100000, verdiend=(maart.eerste_dag, maart.laatste_dag)
    )
    [v] = verreken(
        date(2026, 3, 17),
        None,
        date(1990, 5, 1),
        [Situatie(date(2026, 3, 17), Huishouden.alleenstaand)],
        {maart: Inkomen(100000, 0, (periode,))},
        {},
        laad(),
    )
    [b] = v.inkomen.bijdragen
    assert (v.inkomen.netto, b.netto, b.buiten, b.verdiend) == (
        48387,
        48387,
        51613,
        (date(2026, 3, 17), date(2026, 3, 31)),
    )
    rij = SimpleNamespace(berekening=berekening(v), te_betalen=v.te_betalen, betaald=v.betaald)
    assert _verrekening(v.maand, rij) == v
    # a payslip's amount the municipality established counts by the days too, and reads back so
    [v] = verreken(
        date(2026, 3, 17),
        None,
        date(1990, 5, 1),
        [Situatie(date(2026, 3, 17), Huishouden.alleenstaand)],
        {maart: Inkomen(100000, 3100, (replace(periode, verdiend=None),), overschreven=True)},
        {},
        laad(),
    )
    assert (v.inkomen.netto, v.inkomen.buiten, v.inkomen.vakantiebijslag, v.inkomen.buiten_vakantiebijslag) == (
        48387,
        51613,
        1500,
        1600,
    )
    rij = SimpleNamespace(berekening=berekening(v), te_betalen=v.te_betalen, betaald=v.betaald)
    assert _verrekening(v.maand, rij) == v


def test_clocks_read_back_with_their_consecutive_months_and_those_kept_before_them_are_not_gone_on_from():
    v = settled()[-1]
    assert v.geen_vrijlating == "maanden-op"
    rij = SimpleNamespace(berekening=berekening(v), te_betalen=v.te_betalen, betaald=v.betaald)
    assert _verrekening(v.maand, rij).geen_vrijlating == "maanden-op", "why none is kept"
    klokken = Klokken(Klok((("n", 6),), frozenset({"123456782L01/1"}), (("r", Maand(2026, 1)),)))
    assert _klokken(_klokken_json(klokken)) == klokken
    # before decisions 0.11 r and in balans counted the months applied (`reeks`): no calendar month to go on
    # from, so such a month is as one from before clocks were kept, and settling starts earlier
    oud = {"gebruikt": [["n", 6], ["r", 4]], "dienstverbanden": ["123456782L01/1"], "reeks": 3}
    assert _klokken({"aanvrager": oud, "partners": []}) is None
