"""Test data for the income service: declarations as providers send them, and a population
made of the decisions service's own events."""

from __future__ import annotations

import json
import uuid
from datetime import date

from schakel.api import Rol
from schakel.events import Event
from tests.support import builders
from tests.support.stack import OINS, TODAY, eventually, population, pseudonym

WERKGEVER_A, WERKGEVER_B = "123456782L01", "803123450L01"
DECISIONS = "urn:nld:oin:00000001002220647000:systeem:decisions"
LEVERANCIER = f"urn:nld:oin:{OINS[Rol.data_provider]}:systeem:polisleveringen"


def aangifte(bsn: str, begin: str = "2026-01-01", einde: str = "2026-01-31", **changes) -> dict:
    return {
        "bsn": bsn,
        "loonheffingennummer": WERKGEVER_A,
        "inkomstenverhouding": 1,
        "aanvangInkomstenverhouding": "2025-06-01",
        "tijdvakBegin": begin,
        "tijdvakEinde": einde,
        "fiscaalLoon": 150000,
        "ingehoudenLoonheffing": 20000,
        "ingehoudenBijdrageZvw": 0,
        "soortInkomstenverhouding": "15",  # wage (see income's table of kinds of income)
        **changes,
    }


def geopend(bsn: str, gemeentecode: str = "GM0363", startdatum: str = "2026-01-01") -> Event:
    """The event decisions emits when it opens a case (for bulk populations without HTTP calls)."""
    return Event(
        type="nl.participatiewet.uitkering.geopend",
        source=DECISIONS,
        key=pseudonym(bsn),
        data={
            "uitkeringId": str(uuid.uuid4()),
            "bsn": bsn,
            "gemeentecode": gemeentecode,
            "geboortedatum": "1990-05-01",
            "startdatum": startdatum,
        },
    )


def aangeleverd(levering_id: str, record: dict) -> Event:
    return Event(
        type="nl.polis.aangifte.aangeleverd",
        source=LEVERANCIER,
        key=f"{record.get('loonheffingennummer')}:{record.get('inkomstenverhouding')}",
        data={"leveringId": levering_id, **record},
    )


def open_case(stack, bsn: str, startdatum: str = "2026-01-01", gemeente: str = "GM0363", **situatie) -> str:
    """Opens a case through the decisions API and waits until income has the person."""
    with stack.client("decisions", Rol.municipality, gemeente) as client:
        response = client.post("/uitkeringen", json=builders.uitkering(bsn, startdatum=startdatum, **situatie))
    assert response.status_code == 201, response.text
    if date.fromisoformat(startdatum) <= TODAY:  # asking for one person, not listing everyone
        eventually(lambda: _income_knows(stack, bsn, gemeente))
    else:
        eventually(lambda: bsn in population(stack, startdatum))
    return response.json()["uitkeringId"]


def _income_knows(stack, bsn: str, gemeente: str) -> bool:
    with stack.client("income", Rol.municipality, gemeente) as client:
        vraag = {"bsn": bsn, "vanMaand": "2026-01", "totMaand": "2026-01"}
        return client.post("/maandinkomens/_zoek", json=vraag).status_code == 200


def voorgesteld(stack) -> tuple[str, str]:
    """A case with a proposal to end it, February to April above the norm: its id and BSN."""
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    loon = {"fiscaalLoon": 400000, "ingehoudenLoonheffing": 50000}
    maanden = (("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31"), ("2026-04-01", "2026-04-30"))
    deliver(stack, [aangifte(bsn, begin, einde, **loon) for begin, einde in maanden])
    with stack.client("decisions", Rol.municipality) as client:
        eventually(lambda: client.get(f"/uitkeringen/{uitkering_id}").json()["beeindigingsvoorstel"])
    return uitkering_id, bsn


def deliver(stack, records: list[dict], levering_id: str | None = None):
    with stack.client("income", Rol.data_provider) as client:
        return client.post("/leveringen", json={"leveringId": levering_id or str(uuid.uuid4()), "aangiften": records})


def months(stack, bsn: str, van: str = "2025-01", tot: str = "2026-12", gemeente: str = "GM0363") -> dict:
    with stack.client("income", Rol.municipality, gemeente) as client:
        response = client.post("/maandinkomens/_zoek", json={"bsn": bsn, "vanMaand": van, "totMaand": tot})
    assert response.status_code == 200, response.text
    return {m["maand"]: m for m in response.json()["maanden"]}


def emitted(stack, bsn: str) -> list[dict]:
    """The maandinkomen events income published for this person, oldest first."""
    from tests.support import kafka

    return [json.loads(r.value) for r in kafka.read(stack.kafka, "maandinkomens", key=pseudonym(bsn))]
