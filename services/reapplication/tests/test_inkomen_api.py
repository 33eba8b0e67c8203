"""Income's answer about the latest month, read as its contract says, or as none at all: another shape
is a source that cannot be used now (503 to the caller), never a 500 nor a guess."""

import pytest

from reapplication.adapters.inkomen import IncomeApi
from reapplication.domain.inkomen import LaatsteInkomen
from schakel.caller import Caller, Rol
from schakel.errors import Unavailable

GEMEENTE = Caller("00000001002220647000", Rol.municipality, "GM0363", token="t")


class Antwoord:
    def __init__(self, antwoord) -> None:
        self.antwoord = antwoord

    async def post(self, pad, body, headers=None, none_if_404=False, lees=lambda antwoord: antwoord):
        return lees(self.antwoord)


async def test_income_s_answer_is_read_as_its_contract_says():
    maand = {"maand": "2026-10", "nettoInkomen": 120000, "inkomstenverhoudingenBeeindigd": True}
    polis = await IncomeApi(Antwoord({"laatsteMaand": maand})).laatste(GEMEENTE, "999993653")
    assert polis.laatste == LaatsteInkomen("2026-10", 120000, True)


async def test_a_person_without_a_month_of_polis_data_is_known_with_none():
    assert (await IncomeApi(Antwoord({"laatsteMaand": None})).laatste(GEMEENTE, "999993653")).laatste is None


@pytest.mark.parametrize(
    "antwoord",
    [
        {},
        [1, 2],
        "x",
        {"laatsteMaand": {"maand": "2026-10"}},
        {"laatsteMaand": {}},
        {"laatsteMaand": 0},
        {"laatsteMaand": {"maand": "2026-10", "nettoInkomen": 1, "inkomstenverhoudingenBeeindigd": "nee"}},
        {"laatsteMaand": {"maand": "2026-13", "nettoInkomen": 1, "inkomstenverhoudingenBeeindigd": True}},
        {"laatsteMaand": {"maand": "2026-10", "nettoInkomen": True, "inkomstenverhoudingenBeeindigd": True}},
    ],
)
async def test_an_answer_in_another_shape_is_as_good_as_none(antwoord):
    with pytest.raises(Unavailable):
        await IncomeApi(Antwoord(antwoord)).laatste(GEMEENTE, "999993653")
