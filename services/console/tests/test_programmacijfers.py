"""The console puts each service's programme figures side by side per municipality, the country
first, with the caller's own token (so each service decides what the caller may see) and the day
each service fixed them; a service that does not answer is named, not hidden."""

from datetime import UTC, date, datetime

from console.service.ports import Ports, Weigering
from console.service.programmacijfers import programmacijfers
from schakel.clock import FixedClock
from schakel.events import load_contract
from schakel.primitives.cijfers import Periode

PERIODE = Periode(date(2026, 1, 1), date(2026, 11, 30))
MEDIAAN = {"naam": "heraanvraagBeslisduurMediaan", "waarde": 2.0, "aantal": 31, "reden": None}
TERUGVAL = {"naam": "terugInBijstandBinnen12Maanden", "waarde": None, "aantal": None, "reden": "nog-niet-meetbaar"}
ONDERDRUKT = {"naam": "overdrachtenAfgerondVoorEindeWw", "waarde": None, "aantal": None, "reden": "minder-dan-drempel"}


class FakeBronnen:
    def __init__(self, antwoorden: dict[str, dict | None]) -> None:
        self.antwoorden = antwoorden
        self.gevraagd: list[tuple[str, str, date, date]] = []

    async def programmacijfers(self, dienst, token, van, tot):
        self.gevraagd.append((dienst, token, van, tot))
        return self.antwoorden[dienst]


def ports(bronnen: FakeBronnen, *diensten: str) -> Ports:
    nu = datetime(2026, 11, 30, 12, tzinfo=UTC)
    return Ports(bronnen, load_contract(), FixedClock(nu.date(), nu), diensten, "http://zipkin/{traceId}", 60.0)  # type: ignore[arg-type]


async def test_figures_per_municipality_with_the_country_first_and_the_callers_token():
    antwoord = {
        "vastgesteldOp": "2026-10-02",
        "eenheden": [
            {"gemeentecode": "GM0599", "cijfers": [ONDERDRUKT]},
            {"gemeentecode": None, "cijfers": [MEDIAAN, ONDERDRUKT]},
        ],
    }
    decisions = {"vastgesteldOp": "2026-11-30", "eenheden": [{"gemeentecode": None, "cijfers": [TERUGVAL]}]}
    bronnen = FakeBronnen({"decisions": decisions, "reapplication": antwoord})
    view = await programmacijfers(ports(bronnen, "decisions", "reapplication", "income"), "tok", PERIODE)
    assert bronnen.gevraagd == [(d, "tok", PERIODE.van, PERIODE.tot) for d in ("decisions", "reapplication")]
    assert [e["gemeentecode"] for e in view["eenheden"]] == [None, "GM0599"]
    assert view["eenheden"][0]["cijfers"][:2] == [
        {"dienst": "decisions"} | TERUGVAL,
        {"dienst": "reapplication"} | MEDIAAN,
    ]
    assert view["eenheden"][1]["cijfers"] == [{"dienst": "reapplication"} | ONDERDRUKT]
    assert (view["van"], view["tot"], view["onbereikbaar"], view["geweigerd"]) == ("2026-01-01", "2026-11-30", [], {})
    assert view["vastgesteldOp"] == {"decisions": "2026-11-30", "reapplication": "2026-10-02"}


async def test_a_service_that_does_not_answer_is_named():
    view = await programmacijfers(ports(FakeBronnen({"reapplication": None}), "reapplication"), "tok", PERIODE)
    assert view["eenheden"] == [] and view["onbereikbaar"] == ["reapplication"] and view["vastgesteldOp"] == {}
    assert view["geweigerd"] == {}


async def test_a_service_that_refuses_the_question_is_named_with_its_reason_not_as_away():
    weigering = Weigering(422, "De cijfers van een kwartaal komen op de eerste dag van de tweede maand erna.")
    bronnen = FakeBronnen({"decisions": weigering, "registration": {"eenheden": []}})
    view = await programmacijfers(ports(bronnen, "decisions", "registration"), "tok", PERIODE)
    assert view["onbereikbaar"] == [] and view["eenheden"] == [] and view["vastgesteldOp"] == {}
    assert view["geweigerd"] == {"decisions": f"422: {weigering.detail}"}


async def test_a_service_of_the_version_before_answers_without_the_day_it_fixed_its_figures():
    bronnen = FakeBronnen({"decisions": {"eenheden": [{"gemeentecode": None, "cijfers": [TERUGVAL]}]}})
    view = await programmacijfers(ports(bronnen, "decisions"), "tok", PERIODE)
    assert view["vastgesteldOp"] == {} and view["eenheden"][0]["cijfers"] == [{"dienst": "decisions"} | TERUGVAL]
