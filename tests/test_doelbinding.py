"""Doelbinding, tried as a curious municipality would: every operation that takes a BSN, read from
the committed OpenAPI documents (so a new endpoint cannot skip this), states its rule
(`x-doelbinding`), and where the rule is the person's municipality answers another municipality's
resident exactly as a person the BRP does not know: same status, same body, nothing stored.
Residence comes from the BRP (the stand-in with the tests' own test persons); a move there moves
who may act. A data provider sees and delivers only for its contracted municipalities."""

from __future__ import annotations

import copy
import uuid

import httpx
import pytest
import yaml

from deploy.contracts import OPENAPI
from deploy.services import SERVICES
from schakel.api import Rol
from schakel.api.doelbinding import REGELS
from tests.support import builders
from tests.support.polis import aangifte, deliver, months, open_case
from tests.support.stack import ROTTERDAMSE_LEVERANCIER, TODAY, eventually, population, token

SPECS = {name: yaml.safe_load((OPENAPI / f"{name}.yaml").read_text()) for name in SERVICES}
AMSTERDAM, ROTTERDAM = "GM0363", "GM0599"


def _takes_bsn(spec: dict, schema: dict, seen: frozenset[str] = frozenset()) -> bool:
    """Whether the request schema has a `bsn` property anywhere (through $ref, items and the unions)."""
    if ref := schema.get("$ref"):
        return ref not in seen and _takes_bsn(spec, spec["components"]["schemas"][ref.rsplit("/", 1)[1]], seen | {ref})
    children = [*schema.get("properties", {}).values()]
    children += [c for key in ("anyOf", "oneOf", "allOf") for c in schema.get(key, [])]
    children += [schema["items"]] if "items" in schema else []
    return "bsn" in schema.get("properties", {}) or any(_takes_bsn(spec, c, seen) for c in children)


def _bsn_operations():
    for name, spec in SPECS.items():
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body and _takes_bsn(spec, body["schema"]):
                    yield pytest.param(name, method, path, operation, id=f"{name} {method.upper()} {path}")


BSN_OPERATIONS = list(_bsn_operations())
PER_GEMEENTE = [
    p
    for p in BSN_OPERATIONS
    if p.values[3]["x-doelbinding"]["regel"] != "wettelijke-taak" and "municipality" in p.values[3]["x-rollen"]
]


@pytest.mark.parametrize("name,method,path,operation", BSN_OPERATIONS)
def test_every_operation_that_takes_a_bsn_states_its_rule(name, method, path, operation):
    rule = operation.get("x-doelbinding")
    assert rule and rule["regel"] in REGELS, "x-doelbinding with a rule from schakel.api.doelbinding"
    assert len(rule["toelichting"]) > 40, "says why, in words"


def test_the_matrix_covers_what_a_municipality_can_ask_about_a_person():
    assert {p.id for p in PER_GEMEENTE} >= {
        "decisions POST /uitkeringen",
        "decisions POST /uitkeringen/_zoek",
        "income POST /maandinkomens/_zoek",
        "income POST /maandinkomens/_laatste",
        "income POST /aangiften/_zoek",
        "reapplication POST /heraanvragen",
        "reapplication POST /heraanvragen/_zoek",
        "reapplication POST /overdrachten/_zoek",
        "reapplication POST /heraanvraagtermijnen/_zoek",
        "registration POST /mutaties",
        "registration POST /mutaties/_intrekken",
        "registration POST /deelnamestatussen/_zoek",
    }


def _with_bsn(node, bsn: str):
    """The example about `bsn`: as the person asked about, in each declaration, and as the partner."""
    node = copy.deepcopy(node)
    for item in [node, *node.get("aangiften", []), *([node["partner"]] if node.get("partner") else [])]:
        if "bsn" in item:
            item["bsn"] = bsn
    return node


def _example(operation_id: str) -> dict:
    """reapplication's request example of the operation."""
    [operation] = [
        o
        for item in SPECS["reapplication"]["paths"].values()
        for o in item.values()
        if o.get("operationId") == operation_id
    ]
    return operation["requestBody"]["content"]["application/json"]["example"]


_ZAAK: dict[int, str] = {}  # per stack, the Amsterdam case an operation on a case acts on


def answer(stack, name: str, method: str, path: str, operation: dict, bsn: str, gemeente: str) -> tuple[int, str]:
    """The operation's request example about `bsn`, as `gemeente`: the status and the body, with the
    BSN itself blanked (an echo of the asked BSN tells nothing). An operation on a case acts on an
    Amsterdam case (`bsn` is then the partner it names)."""
    if "{uitkeringId}" in path:
        if id(stack) not in _ZAAK:
            _ZAAK[id(stack)] = open_case(stack, builders.bsn(AMSTERDAM))
        path = path.replace("{uitkeringId}", _ZAAK[id(stack)])
    body = _with_bsn(operation["requestBody"]["content"]["application/json"]["example"], bsn)
    headers = {"Authorization": f"Bearer {token(Rol.municipality, gemeente)}", "Idempotency-Key": str(uuid.uuid4())}
    response = httpx.request(method, stack.services[name].url + path, json=body, headers=headers, timeout=30)
    return response.status_code, response.text.replace(bsn, "<bsn>")


@pytest.fixture
def residents(stack):
    """Two residents of Amsterdam the platform knows: one with a running case, polis income, a
    participation status and a handover from UWV; one whose case ended, with an open re-application
    window and a re-application in it."""
    residents = running, ended = builders.bsn(AMSTERDAM), builders.bsn(AMSTERDAM)
    open_case(stack, running)
    uitkering_id = open_case(stack, ended)
    with stack.client("decisions", Rol.municipality, AMSTERDAM) as decisions:
        decisions.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-08-31", "reden": "werk"})
    with stack.client("registration", Rol.municipality, AMSTERDAM) as registration:
        feit = {"bsn": running, "soort": "dagbesteding-gestart", "datum": "2026-10-01", "indicatie": "wlz"}
        assert registration.post("/mutaties", json=feit).status_code == 201
    with stack.client("reapplication", Rol.municipality, AMSTERDAM) as reapplication:
        eventually(lambda: reapplication.post("/heraanvraagtermijnen/_zoek", json={"bsn": ended}).json()["openTermijn"])
        assert reapplication.post("/heraanvragen", json=_with_bsn(_example("dienHeraanvraagIn"), ended)).is_success
    with stack.client("reapplication", Rol.uwv) as uwv:
        assert uwv.post("/overdrachten", json=_with_bsn(_example("meldOverdracht"), running)).is_success
    eventually(lambda: ended in population(stack, TODAY.isoformat()))  # income knows the window
    perioden = [aangifte(b, f"2026-{m}-01", f"2026-{m}-{d}") for b in residents for m, d in (("09", 30), ("10", 31))]
    assert deliver(stack, perioden).json()["aantallen"]["geaccepteerd"] == 4
    eventually(lambda: all("2026-10" in months(stack, b) for b in residents))
    return residents


@pytest.mark.integration
@pytest.mark.parametrize("name,method,path,operation", PER_GEMEENTE)
def test_another_municipality_s_resident_is_answered_as_an_unknown_person(
    stack, residents, name, method, path, operation
):
    unknown = builders.bsn(woont_in=None)
    stranger = answer(stack, name, method, path, operation, unknown, ROTTERDAM)
    own = []
    for bsn in residents:
        # twice: had the first one stored anything, the second would be answered otherwise
        for _ in range(2):
            assert answer(stack, name, method, path, operation, bsn, ROTTERDAM) == stranger, (
                "a resident of Amsterdam leaks"
            )
        own.append(answer(stack, name, method, path, operation, bsn, AMSTERDAM))
    assert any(o != stranger for o in own), "Amsterdam itself is answered about its residents (the test bites)"


@pytest.mark.integration
def test_a_partner_in_another_municipality_is_answered_as_an_unknown_person(stack):
    """The partner's data follows the applicant's doelbinding: Amsterdam names only a partner the BRP
    registers in Amsterdam, and a Rotterdammer is answered as someone the BRP does not know."""

    def as_partner(bsn: str, client, uitkering_id: str | None = None) -> tuple[int, str]:
        partner = {"bsn": bsn, "geboortedatum": "1987-02-01"}
        if uitkering_id is None:
            response = client.post("/uitkeringen", json=builders.uitkering(huishouden="gehuwd", partner=partner))
        else:
            wijziging = {"ingangsdatum": "2026-03-01", "huishouden": "gehuwd", "partner": partner}
            response = client.post(f"/uitkeringen/{uitkering_id}/_wijzig", json=wijziging)
        return response.status_code, response.text.replace(bsn, "<bsn>")

    uitkering_id = open_case(stack, builders.bsn(AMSTERDAM))
    with stack.client("decisions", Rol.municipality, AMSTERDAM) as amsterdam:
        for case in (None, uitkering_id):
            unknown = as_partner(builders.bsn(woont_in=None), amsterdam, case)
            assert unknown[0] == 404 and as_partner(builders.bsn(ROTTERDAM), amsterdam, case) == unknown
        assert [s["huishouden"] for s in amsterdam.get(f"/uitkeringen/{uitkering_id}").json()["situaties"]] == [
            "alleenstaand"
        ], "nothing stored"
        assert as_partner(builders.bsn(AMSTERDAM), amsterdam, uitkering_id)[0] == 200, "the test bites"


@pytest.mark.integration
def test_a_move_in_the_brp_moves_who_may_act(stack):
    bsn = builders.bsn(AMSTERDAM)
    uitkering_id = open_case(stack, bsn)
    feit = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-10-01", "indicatie": "wmo"}
    with stack.client("registration", Rol.municipality, ROTTERDAM) as rotterdam:
        assert rotterdam.post("/mutaties", json=feit | {"gemeentecode": ROTTERDAM}).status_code == 404, "not first come"
    with stack.client("registration", Rol.municipality, AMSTERDAM) as amsterdam:
        assert amsterdam.post("/mutaties", json=feit).status_code == 201
        stack.brp.vestig(bsn, ROTTERDAM)
        assert amsterdam.post("/deelnamestatussen/_zoek", json={"bsn": bsn}).status_code == 404
    with stack.client("registration", Rol.municipality, ROTTERDAM) as rotterdam:
        assert rotterdam.post("/deelnamestatussen/_zoek", json={"bsn": bsn}).json()["status"]
    with stack.client("decisions", Rol.municipality, ROTTERDAM) as rotterdam:
        # the law's exception: the new municipality learns that the old case still runs
        refused = rotterdam.post("/uitkeringen", json=builders.uitkering(bsn, startdatum="2026-11-01"))
        assert (refused.status_code, refused.json()["code"]) == (409, "uitkering-bestaat-al")
        with stack.client("decisions", Rol.municipality, AMSTERDAM) as amsterdam:
            ended = amsterdam.post(
                f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-10-31", "reden": "verhuizing"}
            )
            assert ended.status_code == 200
            again = amsterdam.post("/uitkeringen", json=builders.uitkering(bsn, startdatum="2026-11-01"))
            assert (again.status_code, again.json()["code"]) == (404, "geen-ingezetene")
        assert rotterdam.post("/uitkeringen", json=builders.uitkering(bsn, startdatum="2026-11-01")).status_code == 201


@pytest.mark.integration
def test_uwv_sees_the_register_and_the_advice_but_not_the_dagbesteding(stack):
    bsn = builders.bsn(AMSTERDAM)
    with stack.client("registration", Rol.municipality, AMSTERDAM) as amsterdam:
        feit = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-09-01", "indicatie": "wlz"}
        assert amsterdam.post("/mutaties", json=feit).status_code == 201
    with stack.client("registration", Rol.uwv) as uwv:
        assert uwv.post("/deelnamestatussen/_zoek", json={"bsn": bsn}).status_code == 404
        advies = {
            "bsn": bsn,
            "soort": "advies-uitgebracht",
            "datum": "2026-10-01",
            "gemeentecode": AMSTERDAM,
            "uitkomst": "positief",
        }
        assert uwv.post("/mutaties", json=advies).status_code == 201
        status = uwv.post("/deelnamestatussen/_zoek", json={"bsn": bsn}).json()
    assert status["dagbesteding"] is None and status["terugvalopties"] == []
    assert [f["soort"] for f in status["geschiedenis"]] == ["advies-uitgebracht"] and "wlz" not in str(status)


@pytest.mark.integration
def test_a_data_provider_sees_and_delivers_only_for_its_contracted_municipalities(stack):
    amsterdammer, rotterdammer = builders.bsn(AMSTERDAM), builders.bsn(ROTTERDAM)
    open_case(stack, amsterdammer)
    open_case(stack, rotterdammer, gemeente=ROTTERDAM)
    headers = {"Authorization": f"Bearer {token(Rol.data_provider, oin=ROTTERDAMSE_LEVERANCIER)}"}
    with httpx.Client(base_url=stack.services["income"].url, headers=headers, timeout=30) as provider:
        personen = provider.get("/populatie", params={"paginaGrootte": 10000}).json()["personen"]
        assert rotterdammer in {p["bsn"] for p in personen} and amsterdammer not in {p["bsn"] for p in personen}
        assert {p["gemeentecode"] for p in personen} == {ROTTERDAM}
        levering = {
            "leveringId": str(uuid.uuid4()),
            "aangiften": [aangifte(b) for b in (rotterdammer, amsterdammer, builders.bsn(None))],
        }
        resultaten = provider.post("/leveringen", json=levering).json()["resultaten"]
    assert [r["uitkomst"] for r in resultaten] == ["geaccepteerd", "buiten-populatie", "buiten-populatie"]
    assert amsterdammer in population(stack, "2026-11-30"), "the contracted provider still sees Amsterdam"
