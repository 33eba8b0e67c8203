"""`make demo` works: cases in two municipalities (a couple and a WW-to-bijstand switch among them), a
polis delivery with a correction, and the settlements with their explanations appear; a correction
turns a claim into a back-payment."""

import pytest

from deploy import demo

pytestmark = pytest.mark.integration


def test_the_demo_shows_settlements_and_a_revision(stack):
    lines = []
    result = demo.run(stack.services["income"].url, stack.services["decisions"].url, stack.brp.basis, out=lines.append)
    assert all(len(months) == 3 for months in result.values())
    fatima, jan, stel, kees, noor = result.values()
    assert "artikel 31 lid 2 onder n" in fatima[0]["uitleg"]
    assert any(m["versie"] == 2 for m in noor), "the correction revised a month"
    assert noor[0]["norm"]["omschrijving"].startswith("kostendelersnorm")
    assert "artikel 31 lid 2 onder z" in noor[0]["uitleg"], "under 27 with wage cost subsidy: ground z"
    assert any("correctie" in line for line in lines)
    maart = stel[2]
    assert maart["partner"]["inkomen"]["nettoInkomen"] > 0 and "Uw partner" in maart["uitleg"], "both partners count"
    januari = kees[0]
    assert januari["norm"]["dagen"] == 16, "bijstand from the day after the WW ended"
    assert januari["inkomen"]["overigInkomen"] == 0, "the WW was for the days before the bijstand"
    vordering = lines.index(next(line for line in lines if line.startswith("correctie van de zorgbaan")))
    assert any(line.startswith("2026-02 (open)") for line in lines[:vordering]), "February was a claim"
    na = [line for line in lines[vordering:] if line.startswith("2026-02")]
    assert na and "is de vordering" in na[0] and "lager" in na[0] and "Er staat nog € 0,00 open." in na[0]
