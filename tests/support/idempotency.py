"""A scenario per state-changing POST operation (by operationId): how to build a valid request,
another request for the same key, and what to read to see whether the state changed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from schakel.api import Rol
from tests.support import builders
from tests.support.polis import aangifte, deliver, months, open_case, voorgesteld
from tests.support.stack import eventually

GEMEENTE = "GM0363"


@dataclass(frozen=True)
class Call:
    path: str
    body: dict
    other: dict  # another request under the same key


@dataclass(frozen=True)
class Scenario:
    service: str
    role: Rol
    prepare: Callable[[object], dict]  # stack -> context (ids, BSN)
    call: Callable[[dict], Call]
    state: Callable[[object, dict, dict], object]  # (stack, context, first answer) -> what a repeat must not change


def _get(stack, service: str, path: str, role: Rol = Rol.municipality, **params):
    with stack.client(service, role, GEMEENTE) as client:
        response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _post(stack, service: str, path: str, body: dict, role: Rol = Rol.municipality) -> dict:
    with stack.client(service, role, GEMEENTE) as client:
        response = client.post(path, json=body)
    assert response.status_code < 300, response.text
    return response.json()


# --- decisions --------------------------------------------------------------------------------


def _case(stack) -> dict:
    bsn = builders.bsn()
    return {"bsn": bsn, "id": _post(stack, "decisions", "/uitkeringen", builders.uitkering(bsn))["uitkeringId"]}


def _claim(stack) -> dict:
    """A case with an open claim over March (its advance € 381,08 more than the settlement)."""
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    _post(stack, "decisions", f"/uitkeringen/{uitkering_id}/betalingen", {"maand": "2026-03", "bedrag": 100000})
    deliver(stack, [aangifte(bsn, "2026-03-01", "2026-03-31", fiscaalLoon=115000, ingehoudenLoonheffing=15000)])
    eventually(lambda: _get(stack, "decisions", f"/uitkeringen/{uitkering_id}/vorderingen"))
    return {"bsn": bsn, "id": uitkering_id, "kenmerk": f"TX-{uuid.uuid4().hex[:12]}"}


def _terugbetaald(stack) -> dict:
    """A case with a claim over March that a repayment under its reference paid in part."""
    claim = _claim(stack)
    body = {"vordering": "2026-03", "bedrag": 10_000, "ontvangenIn": "2026-10", "kenmerk": claim["kenmerk"]}
    _post(stack, "decisions", f"/uitkeringen/{claim['id']}/terugbetalingen", body)
    return claim


def _history(stack, uitkering_id: str) -> list:
    return [e["type"] for e in _get(stack, "decisions", f"/uitkeringen/{uitkering_id}/geschiedenis")["gebeurtenissen"]]


def _settled_case(stack) -> dict:
    """A case whose January is settled, so that a payment for it revises the settlement."""
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(stack, [aangifte(bsn)])
    eventually(lambda: _get(stack, "decisions", f"/uitkeringen/{uitkering_id}/verrekeningen"))
    return {"bsn": bsn, "id": uitkering_id}


def _january(stack, c: dict, _answer) -> tuple:
    [januari] = _get(stack, "decisions", f"/uitkeringen/{c['id']}/verrekeningen")
    return januari["versie"], januari["betaald"], _history(stack, c["id"])


def _subscription(stack) -> dict:
    body = {
        "url": f"http://localhost:9/hook/{uuid.uuid4()}",
        "eventTypes": ["nl.participatiewet.verrekening.vastgesteld"],
    }
    return {"abonnementId": _post(stack, "decisions", "/abonnementen", body)["abonnementId"]}


def _paused_subscription(stack) -> dict:
    context = _subscription(stack)
    _post(stack, "decisions", f"/abonnementen/{context['abonnementId']}/_pauzeer", {})
    return context


def _deliveries(stack, abonnement_id: str) -> list:
    return _get(stack, "decisions", f"/abonnementen/{abonnement_id}/afleveringen")


def _subscriptions(stack, _c, answer) -> list:
    return [a for a in _get(stack, "decisions", "/abonnementen") if a["url"] == answer["url"]]


# --- income -----------------------------------------------------------------------------------


def _income_case(stack, overridden: bool = False) -> dict:
    bsn = builders.bsn()
    open_case(stack, bsn)
    deliver(stack, [aangifte(bsn)])
    eventually(lambda: months(stack, bsn).get("2026-01"))
    if overridden:
        _post(
            stack,
            "income",
            "/overschrijvingen",
            {"bsn": bsn, "maand": "2026-01", "nettoInkomen": 1000, "reden": "loonstrook"},
        )
    return {"bsn": bsn}


# no other test opens cases there: a closing of its months touches this scenario's persons only (the
# examples' closing is Utrecht's too, and registration's tests register persons there without a case)
UTRECHT = "GM0344"


def _zonder_inkomen(stack) -> dict:
    """Two persons with a case in Utrecht; July delivered for one of them only."""
    werkt, zonder = builders.bsn(UTRECHT), builders.bsn(UTRECHT)
    for bsn in (werkt, zonder):
        open_case(stack, bsn, gemeente=UTRECHT)
    deliver(stack, [aangifte(werkt, "2026-07-01", "2026-07-31")])
    eventually(lambda: months(stack, werkt, gemeente=UTRECHT).get("2026-07"))
    return {"bsn": zonder, "gelezenOp": datetime.now(UTC).isoformat()}


def _afsluiting(maand: str, c: dict) -> dict:
    return {"maand": maand, "gelezenOp": c["gelezenOp"], "gemeentecodes": [UTRECHT]}


def _afgerond(stack, answer: dict) -> dict:
    """The closing once worked off in the background: a repeat neither starts another nor changes it."""
    pad = f"/maandafsluitingen/{answer['maandafsluitingId']}"
    return eventually(lambda: (a := _get(stack, "income", pad, Rol.data_provider))["status"] == "afgerond" and a)


def _aangiften(stack, c: dict, _answer) -> tuple:
    return months(stack, c["bsn"])["2026-01"], _post(stack, "income", "/aangiften/_zoek", {"bsn": c["bsn"]})


# --- reapplication ----------------------------------------------------------------------------


def _melding(bsn: str, **changes) -> dict:
    return {
        "bsn": bsn,
        "wwEinddatum": "2026-12-20",
        "gemeentecode": GEMEENTE,
        "grondslag": {"soort": "toestemming", "referentie": "UWV-TOE-1"},
        **changes,
    }


def _handover(stack) -> dict:
    bsn = builders.bsn()
    return {"bsn": bsn, "id": _post(stack, "reapplication", "/overdrachten", _melding(bsn), Rol.uwv)["overdrachtId"]}


def _handovers(stack, c: dict, _answer) -> list:
    return [o for o in _get(stack, "reapplication", "/overdrachten") if o["bsn"] == c["bsn"]]


def _aanvraag(bsn: str, **changes) -> dict:
    return {"bsn": bsn, "meldingsdatum": "2026-03-02", "startdatum": "2026-03-02", "wijzigingen": [], **changes}


def _in_review(stack) -> dict:
    """Without an open window a re-application waits for a caseworker."""
    bsn = builders.bsn()
    return {"bsn": bsn, "id": _post(stack, "reapplication", "/heraanvragen", _aanvraag(bsn))["heraanvraagId"]}


def _applications(stack, c: dict, _answer) -> list:
    return [a for a in _get(stack, "reapplication", "/heraanvragen") if a["bsn"] == c["bsn"]]


# --- registration -----------------------------------------------------------------------------


def _status(stack, c: dict, _answer) -> dict:
    return _post(stack, "registration", "/deelnamestatussen/_zoek", {"bsn": c["bsn"]})


def _bsn(_stack) -> dict:
    return {"bsn": builders.bsn()}


DAGBESTEDING = (
    {"soort": "dagbesteding-gestart", "datum": "2025-01-06", "indicatie": "wmo"},
    {"soort": "dagbesteding-beeindigd", "datum": "2025-04-30"},
)


def _dagbesteding(stack) -> dict:
    """A person whose dagbesteding started and ended, as their municipality reported."""
    c = _bsn(stack)
    for feit in DAGBESTEDING:
        _post(stack, "registration", "/mutaties", {"bsn": c["bsn"], **feit})
    return c


SCENARIOS: dict[str, Scenario] = {
    "openUitkering": Scenario(
        "decisions",
        Rol.municipality,
        _bsn,
        lambda c: Call(
            "/uitkeringen", builders.uitkering(c["bsn"]), builders.uitkering(c["bsn"], startdatum="2026-02-01")
        ),
        lambda stack, c, answer: _history(stack, answer["uitkeringId"]),
    ),
    "wijzigUitkering": Scenario(
        "decisions",
        Rol.municipality,
        _case,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/_wijzig",
            {"ingangsdatum": "2026-03-01", "huishouden": "alleenstaand", "kostendelers": 1},
            {"ingangsdatum": "2026-03-01", "huishouden": "alleenstaand", "kostendelers": 2},
        ),
        lambda stack, c, _: _history(stack, c["id"]),
    ),
    "beoordeelInkomstensoort": Scenario(
        "decisions",
        Rol.municipality,
        _case,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/inkomstensoorten",
            {"loonheffingennummer": "803123450L01", "inkomstenverhouding": 2, "soort": "arbeid", "reden": "loonstrook"},
            {"loonheffingennummer": "803123450L01", "inkomstenverhouding": 2, "soort": "overig", "reden": "pensioen"},
        ),
        lambda stack, c, _: _get(stack, "decisions", f"/uitkeringen/{c['id']}")["inkomstensoorten"],
    ),
    "verhoogBeslagvrijeVoet": Scenario(
        "decisions",
        Rol.municipality,
        _case,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/beslagvrijevoetverhogingen",
            {"geldigVanaf": "2026-12-01", "grond": "woonkosten", "bedrag": 4_596, "reden": "huur boven normhuur"},
            {"geldigVanaf": "2026-12-01", "grond": "woonkosten", "bedrag": 9_000, "reden": "huur boven normhuur"},
        ),
        lambda stack, c, _: _get(stack, "decisions", f"/uitkeringen/{c['id']}/beslagvrijevoetverhogingen"),
    ),
    "boekTerugbetaling": Scenario(
        "decisions",
        Rol.municipality,
        _claim,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/terugbetalingen",
            {"vordering": "2026-03", "bedrag": 10_000, "ontvangenIn": "2026-11", "kenmerk": c["kenmerk"]},
            {"vordering": "2026-03", "bedrag": 20_000, "ontvangenIn": "2026-11", "kenmerk": c["kenmerk"]},
        ),
        lambda stack, c, _: _get(stack, "decisions", f"/uitkeringen/{c['id']}/vorderingen"),
    ),
    "storneerTerugbetaling": Scenario(
        "decisions",
        Rol.municipality,
        _terugbetaald,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/terugbetalingen/_storneer",
            {"kenmerk": c["kenmerk"], "gestorneerdIn": "2026-11"},
            {"kenmerk": c["kenmerk"], "gestorneerdIn": "2026-10"},
        ),
        lambda stack, c, _: _get(stack, "decisions", f"/uitkeringen/{c['id']}/vorderingen"),
    ),
    "wijsBeeindigingsvoorstelAf": Scenario(
        "decisions",
        Rol.municipality,
        lambda stack: dict(zip(("id", "bsn"), voorgesteld(stack), strict=True)),
        lambda c: Call(
            f"/uitkeringen/{c['id']}/beeindigingsvoorstel/_afwijzen",
            {"vanMaand": "2026-02", "reden": "tijdelijk meer uren"},
            {"vanMaand": "2026-02", "reden": "een andere reden"},
        ),
        lambda stack, c, _: _get(stack, "decisions", f"/uitkeringen/{c['id']}")["beeindigingsvoorstel"],
    ),
    "beeindigUitkering": Scenario(
        "decisions",
        Rol.municipality,
        _case,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/_beeindig",
            {"einddatum": "2026-03-31", "reden": "werk"},
            {"einddatum": "2026-03-31", "reden": "verhuizing"},
        ),
        lambda stack, c, _: _history(stack, c["id"]),
    ),
    "legBetalingVast": Scenario(
        "decisions",
        Rol.municipality,
        _settled_case,
        lambda c: Call(
            f"/uitkeringen/{c['id']}/betalingen",
            {"maand": "2026-01", "bedrag": 60000},
            {"maand": "2026-01", "bedrag": 70000},
        ),
        _january,
    ),
    # the default policy from long ago: the shared stack's other cases are not affected
    "zetVoorschotbeleid": Scenario(
        "decisions",
        Rol.municipality,
        lambda _stack: {},
        lambda c: Call(
            "/voorschotbeleid",
            {"geldigVanaf": "2000-01-01", "percentage": 100, "maanden": 3, "doelWerkdagen": 5, "leverdag": 15},
            {"geldigVanaf": "2000-01-01", "percentage": 95, "maanden": 3, "doelWerkdagen": 5, "leverdag": 15},
        ),
        lambda stack, _c, _answer: _get(stack, "decisions", "/voorschotbeleid"),
    ),
    "zetVorderingsbeleid": Scenario(
        "decisions",
        Rol.municipality,
        lambda _stack: {},
        lambda c: Call(
            "/vorderingsbeleid",
            {"geldigVanaf": "2000-01-01", "maximaleTermijn": None, "kwijtscheldingsdrempel": 0},
            {"geldigVanaf": "2000-01-01", "maximaleTermijn": 5000, "kwijtscheldingsdrempel": 0},
        ),
        lambda stack, _c, _answer: _get(stack, "decisions", "/vorderingsbeleid"),
    ),
    "abonneer": Scenario(
        "decisions",
        Rol.municipality,
        lambda _: {"hook": f"http://localhost:9/hook/{uuid.uuid4()}"},
        lambda c: Call(
            "/abonnementen",
            {"url": c["hook"], "eventTypes": ["nl.participatiewet.verrekening.vastgesteld"]},
            {"url": c["hook"], "eventTypes": ["nl.participatiewet.uitkering.beeindigd"]},
        ),
        _subscriptions,
    ),
    "bezorgOpnieuw": Scenario(
        "decisions",
        Rol.municipality,
        _subscription,
        lambda c: Call(f"/abonnementen/{c['abonnementId']}/_opnieuw", {}, {"anders": True}),
        lambda stack, c, _answer: _deliveries(stack, c["abonnementId"]),
    ),
    "pauzeerAbonnement": Scenario(
        "decisions",
        Rol.municipality,
        _subscription,
        lambda c: Call(f"/abonnementen/{c['abonnementId']}/_pauzeer", {}, {"anders": True}),
        _subscriptions,
    ),
    "hervatAbonnement": Scenario(
        "decisions",
        Rol.municipality,
        _paused_subscription,
        lambda c: Call(f"/abonnementen/{c['abonnementId']}/_hervat", {}, {"anders": True}),
        _subscriptions,
    ),
    "sluitMaandAf": Scenario(
        "income",
        Rol.data_provider,
        _zonder_inkomen,
        lambda c: Call("/maandafsluitingen", _afsluiting("2026-07", c), _afsluiting("2026-06", c)),
        lambda stack, c, answer: (_afgerond(stack, answer), months(stack, c["bsn"], gemeente=UTRECHT)),
    ),
    "overschrijfMaandinkomen": Scenario(
        "income",
        Rol.municipality,
        _income_case,
        lambda c: Call(
            "/overschrijvingen",
            {"bsn": c["bsn"], "maand": "2026-01", "nettoInkomen": 120000, "reden": "loonstrook januari"},
            {"bsn": c["bsn"], "maand": "2026-01", "nettoInkomen": 110000, "reden": "loonstrook januari"},
        ),
        _aangiften,
    ),
    "trekOverschrijvingIn": Scenario(
        "income",
        Rol.municipality,
        lambda stack: _income_case(stack, overridden=True),
        lambda c: Call(
            "/overschrijvingen/_intrekken", {"bsn": c["bsn"], "maand": "2026-01"}, {"bsn": c["bsn"], "maand": "2026-02"}
        ),
        _aangiften,
    ),
    "dienHeraanvraagIn": Scenario(
        "reapplication",
        Rol.municipality,
        _bsn,
        lambda c: Call("/heraanvragen", _aanvraag(c["bsn"]), _aanvraag(c["bsn"], wijzigingen=["inkomen"])),
        _applications,
    ),
    "besluitHeraanvraag": Scenario(
        "reapplication",
        Rol.municipality,
        _in_review,
        lambda c: Call(
            f"/heraanvragen/{c['id']}/_besluit",
            {"besluit": "afwijzen", "reden": "geen recht"},
            {"besluit": "afwijzen", "reden": "dubbel"},
        ),
        _applications,
    ),
    "meldOverdracht": Scenario(
        "reapplication",
        Rol.uwv,
        _bsn,
        lambda c: Call("/overdrachten", _melding(c["bsn"]), _melding(c["bsn"], wwEinddatum="2027-01-31")),
        _handovers,
    ),
    "legStapVast": Scenario(
        "reapplication",
        Rol.municipality,
        _handover,
        lambda c: Call(
            f"/overdrachten/{c['id']}/stappen",
            {"stap": "contact-gelegd", "datum": "2026-07-01"},
            {"stap": "contact-gelegd", "datum": "2026-07-02"},
        ),
        _handovers,
    ),
    "legUitkomstVast": Scenario(
        "reapplication",
        Rol.municipality,
        _handover,
        lambda c: Call(
            f"/overdrachten/{c['id']}/uitkomst",
            {"uitkomst": "werk-gevonden", "datum": "2026-11-30"},
            {"uitkomst": "geen-bijstand-nodig", "datum": "2026-11-30"},
        ),
        _handovers,
    ),
    "startAanvraagVanuitOverdracht": Scenario(
        "reapplication",
        Rol.municipality,
        _handover,
        lambda c: Call(
            f"/overdrachten/{c['id']}/_heraanvraag", {"meldingsdatum": "2026-11-22"}, {"meldingsdatum": "2026-11-23"}
        ),
        _applications,
    ),
    "meldMutatie": Scenario(
        "registration",
        Rol.municipality,
        _bsn,
        lambda c: Call(
            "/mutaties",
            {"bsn": c["bsn"], "soort": "dagbesteding-gestart", "datum": "2025-01-06", "indicatie": "wmo"},
            {"bsn": c["bsn"], "soort": "dagbesteding-beeindigd", "datum": "2025-04-30"},
        ),
        _status,
    ),
    "trekMutatieIn": Scenario(
        "registration",
        Rol.municipality,
        _dagbesteding,
        lambda c: Call(
            "/mutaties/_intrekken", {"bsn": c["bsn"], **DAGBESTEDING[1]}, {"bsn": c["bsn"], **DAGBESTEDING[0]}
        ),
        _status,
    ),
}
