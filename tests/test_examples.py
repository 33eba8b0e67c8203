"""Every operation in the committed contracts has a request and a response example; each request
example is sent to the running service and the answer must be a documented 2xx with the
documented shape, so the examples cannot rot."""

from __future__ import annotations

import calendar
import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator

from deploy.contracts import OPENAPI
from deploy.services import SERVICES
from schakel.api import Rol
from schakel.primitives.bsn import why_invalid
from tests.support import builders
from tests.support.polis import aangifte, deliver, open_case, voorgesteld
from tests.support.stack import Stack, eventually, token

SPECS = {name: yaml.safe_load((OPENAPI / f"{name}.yaml").read_text()) for name in SERVICES}
METHODS = {"get", "put", "post", "patch", "delete"}
# municipal settings (toerekening, termijnbeleid, taakstelling, webhooks) are changed as a
# municipality no other test uses, so the examples do not disturb what other tests expect
ELDERS = "GM0518"
# a callback address the test stack allows (DECISIONS_WEBHOOK_LOKAAL_TOESTAAN); nothing is sent to
# it, as ELDERS has no cases
LOKAAL = "http://127.0.0.1:9/schakel/events"


def _operations():
    for name, spec in SPECS.items():
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                # health probes are the platform's, not an integrator's
                if method in METHODS and not path.startswith("/health/"):
                    yield pytest.param(name, path, method, operation, id=operation["operationId"])


OPERATIONS = list(_operations())


def _json(content: dict) -> dict:
    return content["application/json"]


def _validator(name: str, schema: dict) -> Draft202012Validator:
    return Draft202012Validator(
        {**schema, "components": SPECS[name]["components"]}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _bsns(node: object):
    if isinstance(node, dict):
        yield from ([node["bsn"]] if "bsn" in node else [])
        for value in node.values():
            yield from _bsns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _bsns(value)


def _valid(name: str, schema: dict, example: object) -> None:
    """Valid against the documented schema, with test persons whose BSN passes the elfproef."""
    _validator(name, schema).validate(example)
    assert all(why_invalid(bsn) is None for bsn in _bsns(example)), "a BSN that passes the elfproef"


def _success(operation: dict) -> list[tuple[str, dict]]:
    return [(status, r) for status, r in operation["responses"].items() if status.startswith("2")]


def _parameter_example(parameter: dict):
    return next(iter(parameter.get("examples", {}).values()), {}).get("value")


@pytest.mark.parametrize("name,path,method,operation", OPERATIONS)
def test_every_operation_has_valid_examples(name, path, method, operation):
    if "requestBody" in operation:
        body = _json(operation["requestBody"]["content"])
        assert "example" in body, "request body example"
        _valid(name, body["schema"], body["example"])
    for parameter in operation.get("parameters", []):
        if parameter["in"] in ("path", "query"):
            assert _parameter_example(parameter) is not None, f"example of {parameter['name']}"
            _valid(name, parameter["schema"], _parameter_example(parameter))
    assert _success(operation), "a documented 2xx"
    for status, response in _success(operation):
        if "content" in response:
            content = _json(response["content"])
            assert "example" in content, f"{status} response example"
            _valid(name, content["schema"], content["example"])


@dataclass
class Request:
    """What one example needs on this stack: ids of objects made for it, a fresh BSN."""

    path: dict = field(default_factory=dict)
    body: dict | None = None
    gemeente: str = "GM0363"
    bsn: str = "999993653"  # whose token a citizen's (burger) request carries
    query: dict | None = None  # instead of the parameters' examples


def _post(stack: Stack, name: str, role: Rol, path: str, body: dict, gemeente: str = "GM0363") -> dict:
    with stack.client(name, role, gemeente) as client:
        response = client.post(path, json=body)
    assert response.is_success, response.text
    return response.json()


def _with_bsn(example: dict, bsn: str) -> dict:
    body = copy.deepcopy(example)
    for item in [body, *body.get("aangiften", [])]:
        if "bsn" in item:
            item["bsn"] = bsn
    return body


def _example(name: str, operation_id: str) -> dict:
    for service, _, _, operation in (p.values for p in OPERATIONS):
        if service == name and operation["operationId"] == operation_id:
            return _json(operation["requestBody"]["content"])["example"]
    raise KeyError(operation_id)


def _uitkering(stack: Stack, gemeente: str = "GM0363", **overrides) -> tuple[str, str]:
    bsn = builders.bsn(gemeente)
    body = _with_bsn(_example("decisions", "openUitkering"), bsn) | overrides
    return _post(stack, "decisions", Rol.municipality, "/uitkeringen", body, gemeente)["uitkeringId"], bsn


def _vordering(stack: Stack, maand: str) -> str:
    """A case with an open claim over `maand`: its advance more than the settlement (€ 381,08 too much)."""
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)  # and income counts the person
    _post(
        stack,
        "decisions",
        Rol.municipality,
        f"/uitkeringen/{uitkering_id}/betalingen",
        {"maand": maand, "bedrag": 100000},
    )
    eind = f"{maand}-{calendar.monthrange(*map(int, maand.split('-')))[1]}"
    deliver(stack, [aangifte(bsn, f"{maand}-01", eind, fiscaalLoon=115000, ingehoudenLoonheffing=15000)])
    with stack.client("decisions", Rol.municipality) as client:
        eventually(lambda: client.get(f"/uitkeringen/{uitkering_id}/vorderingen").json())
    return uitkering_id


def _income_knows(stack: Stack, gemeente: str = "GM0363") -> str:
    """A person with a running case whom income already counts as its municipality's."""
    _, bsn = _uitkering(stack, gemeente)
    with stack.client("income", Rol.municipality, gemeente) as income:
        eventually(lambda: income.post("/aangiften/_zoek", json={"bsn": bsn}).status_code == 200)
    return bsn


def _sluit_utrecht(stack: Stack) -> dict:
    """The closing example, for October delivered for a resident of Utrecht: no other test opens cases
    there (see tests/support/idempotency.py), so no other test's month is closed. The population read
    now: income learned of the case after the example's moment."""
    levering = _with_bsn(_example("income", "leverAangiften"), _income_knows(stack, "GM0344"))
    _post(stack, "income", Rol.data_provider, "/leveringen", levering | {"leveringId": f"vb-{uuid.uuid4()}"})
    gelezen = datetime.now(UTC).isoformat()
    return _example("income", "sluitMaandAf") | {
        "gelezenOp": gelezen,
        "gemeentecodes": ["GM0344"],
        "gemeentenZonderAangiften": [],
    }


def _abonnement(stack: Stack) -> str:
    # a path of its own: a municipality subscribes the same URL and event types only once
    body = _example("decisions", "abonneer") | {"url": f"{LOKAAL.rstrip('/')}/{uuid.uuid4().hex}"}
    return _post(stack, "decisions", Rol.municipality, "/abonnementen", body, ELDERS)["abonnementId"]


def _overdracht(stack: Stack, bsn: str | None = None) -> str:
    body = _with_bsn(_example("reapplication", "meldOverdracht"), bsn or builders.bsn())
    return _post(stack, "reapplication", Rol.uwv, "/overdrachten", body)["overdrachtId"]


def _heraanvraag(stack: Stack) -> tuple[str, str]:
    """A re-application waiting for a caseworker, within the term after an ended case, and its BSN."""
    uitkering_id, bsn = _uitkering(stack)
    einde = _example("decisions", "beeindigUitkering")
    _post(stack, "decisions", Rol.municipality, f"/uitkeringen/{uitkering_id}/_beeindig", einde)
    eventually(
        lambda: _post(stack, "reapplication", Rol.municipality, "/heraanvraagtermijnen/_zoek", {"bsn": bsn})[
            "openTermijn"
        ]
    )
    body = _with_bsn(_example("reapplication", "dienHeraanvraagIn"), bsn)
    return _post(stack, "reapplication", Rol.municipality, "/heraanvragen", body)["heraanvraagId"], bsn


def _prepare(stack: Stack, operation_id: str, example: dict | None) -> Request:
    fresh = None if example is None else _with_bsn(example, builders.bsn())
    match operation_id:
        case "leesPopulatie":  # a cursor is what the page before gave
            _income_knows(stack), _income_knows(stack)
            with stack.client("income", Rol.data_provider) as provider:
                eerste = provider.get("/populatie", params={"paginaGrootte": 1}).json()
            return Request(query={"vanaf": eerste["volgende"], "paginaGrootte": 1})
        case "leesWerkvoorraad":  # the first page with its filter: a cursor stands alone
            return Request(query={"soort": "inkomstensoort", "paginaGrootte": 1})
        case "leesGebeurtenissen":  # the first page from a time: a cursor stands alone
            return Request(query={"vanafTijdstip": "2026-11-05T06:00:00Z", "paginaGrootte": 1})
        case "leesHeraanvragen" | "leesOverdrachten":  # a cursor is what the page before named
            lijst = "/heraanvragen" if operation_id == "leesHeraanvragen" else "/overdrachten"
            for _ in range(2):
                if lijst == "/heraanvragen":
                    _heraanvraag(stack)
                else:
                    _overdracht(stack)
            with stack.client("reapplication", Rol.municipality) as gemeente:
                volgende = gemeente.get(lijst, params={"paginaGrootte": 1}).links["next"]["url"]
            return Request(query=dict(parse_qsl(volgende.removeprefix("?"))))
        case "sluitMaandAf":
            return Request(body=_sluit_utrecht(stack))
        case "leesMaandafsluiting":
            afsluiting = _post(stack, "income", Rol.data_provider, "/maandafsluitingen", _sluit_utrecht(stack))
            return Request(path={"maandafsluitingId": afsluiting["maandafsluitingId"]})
        case "leverAangiften":
            return Request(body=fresh | {"leveringId": f"voorbeeld-{uuid.uuid4()}"})
        case "leesLevering" | "leesAfwijzingen":
            levering = _with_bsn(_example("income", "leverAangiften"), builders.bsn())
            levering["leveringId"] = f"voorbeeld-{uuid.uuid4()}"
            _post(stack, "income", Rol.data_provider, "/leveringen", levering)
            return Request(path={"leveringId": levering["leveringId"]})
        case "zoekMaandinkomens" | "zoekLaatsteMaandinkomen" | "zoekAangiften" | "overschrijfMaandinkomen":
            return Request(body=_with_bsn(example, _income_knows(stack)))
        case "trekOverschrijvingIn":
            bsn = _income_knows(stack)
            overschrijving = _with_bsn(_example("income", "overschrijfMaandinkomen"), bsn)
            _post(stack, "income", Rol.municipality, "/overschrijvingen", overschrijving)
            return Request(body=_with_bsn(example, bsn))
        case "boekTerugbetaling":
            return Request(path={"uitkeringId": _vordering(stack, example["vordering"])}, body=example)
        case "storneerTerugbetaling":
            terugbetaling = _example("decisions", "boekTerugbetaling")
            uitkering_id = _vordering(stack, terugbetaling["vordering"])
            _post(stack, "decisions", Rol.municipality, f"/uitkeringen/{uitkering_id}/terugbetalingen", terugbetaling)
            return Request(path={"uitkeringId": uitkering_id}, body=example)
        case "zoekHeraanvragen":
            return Request(body=_with_bsn(example, _heraanvraag(stack)[1]))
        case "zoekOverdracht":
            bsn = builders.bsn()
            _overdracht(stack, bsn)
            return Request(body=_with_bsn(example, bsn))
        case "zoekUitkeringen":
            return Request(body=_with_bsn(example, _uitkering(stack)[1]))
        case "leesTussenrekening":
            uitkering_id, bsn = _uitkering(stack, betaalmodel="stabiel-inkomen")
            return Request(path={"uitkeringId": uitkering_id}, bsn=bsn)
        case (
            "leesUitkering"
            | "wijzigUitkering"
            | "beeindigUitkering"
            | "legBetalingVast"
            | "leesVerrekeningen"
            | "leesGeschiedenis"
            | "beoordeelInkomstensoort"
            | "leesBetaalkalender"
            | "leesVakantietoeslag"
            | "leesToeslageninkomen"
            | "leesVorderingen"
            | "leesBeslagvrijeVoetVerhogingen"
            | "verhoogBeslagvrijeVoet"
            | "corrigeerGeboortedatum"
        ):
            uitkering_id, bsn = _uitkering(stack)
            return Request(path={"uitkeringId": uitkering_id}, body=example, bsn=bsn)
        case "abonneer":
            return Request(body=example | {"url": LOKAAL}, gemeente=ELDERS)
        case "beeindigAbonnement" | "leesAfleveringen" | "bezorgOpnieuw" | "pauzeerAbonnement" | "hervatAbonnement":
            return Request(path={"abonnementId": _abonnement(stack)}, gemeente=ELDERS)
        case "leesHeraanvraag" | "besluitHeraanvraag":
            return Request(path={"heraanvraagId": _heraanvraag(stack)[0]}, body=example)
        case "legStapVast" | "legUitkomstVast" | "startAanvraagVanuitOverdracht":
            return Request(path={"overdrachtId": _overdracht(stack)}, body=example)
        case "wijsBeeindigingsvoorstelAf":
            uitkering_id, bsn = voorgesteld(stack)  # its run begins in February
            return Request(path={"uitkeringId": uitkering_id}, body=example | {"vanMaand": "2026-02"}, bsn=bsn)
        case "corrigeerEinddatum":
            uitkering_id, bsn = _uitkering(stack)
            einde = _example("decisions", "beeindigUitkering")
            _post(stack, "decisions", Rol.municipality, f"/uitkeringen/{uitkering_id}/_beeindig", einde)
            return Request(path={"uitkeringId": uitkering_id}, body=example, bsn=bsn)
        case "corrigeerUitkomst":
            overdracht_id = _overdracht(stack)
            uitkomst = _example("reapplication", "legUitkomstVast")
            _post(stack, "reapplication", Rol.municipality, f"/overdrachten/{overdracht_id}/uitkomst", uitkomst)
            return Request(path={"overdrachtId": overdracht_id}, body=example)
        case "corrigeerStap":
            overdracht_id = _overdracht(stack)
            stap = _example("reapplication", "legStapVast")
            _post(stack, "reapplication", Rol.municipality, f"/overdrachten/{overdracht_id}/stappen", stap)
            return Request(path={"overdrachtId": overdracht_id, "stap": stap["stap"]}, body=example)
        case "leesMijnOverdracht":
            bsn = builders.bsn()
            _overdracht(stack, bsn)
            return Request(bsn=bsn)
        case "leesMijnDeelnamestatus":
            bsn = builders.bsn()
            feit = _with_bsn(_example("registration", "meldMutatie"), bsn)
            _post(stack, "registration", Rol.municipality, "/mutaties", feit)
            return Request(bsn=bsn)
        case "trekMutatieIn":  # the fact the example withdraws was reported
            _post(stack, "registration", Rol.municipality, "/mutaties", fresh)
            return Request(body=fresh)
        case "zoekDeelnamestatus":
            _post(
                stack,
                "registration",
                Rol.municipality,
                "/mutaties",
                _with_bsn(_example("registration", "meldMutatie"), fresh["bsn"]),
            )
            return Request(body=fresh)
        case "zetTaakstelling":
            return Request(body=example | {"gemeentecode": ELDERS}, gemeente=ELDERS)
        case (
            "leesToerekeningsbeleid"
            | "zetToerekeningsbeleid"
            | "leesTermijnbeleid"
            | "zetTermijnbeleid"
            | "leesVoorschotbeleid"
            | "zetVoorschotbeleid"
            | "leesTijdigheid"
            | "leesVorderingsbeleid"
            | "zetVorderingsbeleid"
        ):
            return Request(body=example, gemeente=ELDERS)
        case "leesAbonnementen" | "leesCapaciteit":
            return Request(gemeente=ELDERS)
    return Request(body=fresh)


def call(stack: Stack, name: str, path: str, method: str, operation: dict) -> httpx.Response:
    """Sends the operation's request example, prepared for this stack, with its first role's token."""
    body = operation.get("requestBody")
    request = _prepare(stack, operation["operationId"], body and _json(body["content"])["example"])
    parameters = {p["name"]: (p["in"], _parameter_example(p)) for p in operation.get("parameters", [])}
    url = path.format(**{k: v for k, (where, v) in parameters.items() if where == "path"} | request.path)
    query = request.query or {k: v for k, (where, v) in parameters.items() if where == "query"}
    role = Rol(operation["x-rollen"][0])
    headers = {"Authorization": f"Bearer {token(role, request.gemeente, bsn=request.bsn)}"}
    with httpx.Client(base_url=stack.services[name].url, timeout=30) as client:
        return client.request(method, url, params=query, json=request.body, headers=headers)


@pytest.mark.integration
@pytest.mark.parametrize("name,path,method,operation", OPERATIONS)
def test_each_request_example_gets_a_documented_answer(stack, name, path, method, operation):
    response = call(stack, name, path, method, operation)
    status = str(response.status_code)
    assert status.startswith("2"), f"{status}: {response.text}"
    documented = operation["responses"].get(status)
    assert documented, f"{status} is not documented"
    if "content" in documented:
        _validator(name, _json(documented["content"])["schema"]).validate(response.json())
    else:
        assert not response.content
    if operation["operationId"] == "abonneer":  # leaves no subscription behind
        with stack.client(name, Rol.municipality, ELDERS) as decisions:
            decisions.delete(f"/abonnementen/{response.json()['abonnementId']}")
