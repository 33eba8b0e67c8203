"""`make demo` (with `make run` going): people on bijstand in Amsterdam and Rotterdam take part-time
work: three single people, a couple where both partners work, and a man whose WW ended mid-January
into bijstand. A data provider delivers their polis income, corrects one month later, and the
settlements with their plain-Dutch explanations appear. Jan's second job makes February a claim;
a correction of that job turns the claim into a back-payment, each step explained. Test data only:
random valid BSNs.
    python -m deploy.demo [--income URL] [--decisions URL] [--brp URL]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from dataclasses import dataclass, field

import httpx

from deploy import volume
from deploy.services import SERVICES
from deploy.token import mint
from schakel.api import Rol
from schakel.primitives.bsn import met_controlecijfer

WERKGEVERS = {"zorg": "123456782L01", "winkel": "803123450L01", "uwv": "111111110L01"}
SOORTEN = {"zorg": "15", "winkel": "15", "uwv": "33"}  # soortInkomstenverhouding: wage; a WW benefit


def _bsn(rng: random.Random) -> str:
    return met_controlecijfer(str(rng.randint(10_000_000, 99_999_999))) or _bsn(rng)  # one in 11 begins none


def _token(rol: Rol, gemeente: str | None = None) -> str:
    return mint(rol, gemeente=gemeente)


def _aangifte(bsn: str, ikv: int, werkgever: str, begin: str, einde: str, fiscaal: int, **extra: str) -> dict:
    return {
        "bsn": bsn,
        "loonheffingennummer": WERKGEVERS[werkgever],
        "inkomstenverhouding": ikv,
        "aanvangInkomstenverhouding": "2025-12-01",
        "tijdvakBegin": begin,
        "tijdvakEinde": einde,
        "fiscaalLoon": fiscaal,
        "ingehoudenLoonheffing": fiscaal // 10,
        "ingehoudenBijdrageZvw": 0,
        "soortInkomstenverhouding": SOORTEN[werkgever],
        **extra,
    }


@dataclass(frozen=True)
class Persoon:
    label: str
    gemeente: str
    voorschot: int  # the advance paid per month
    velden: dict
    perioden: list[tuple]  # polis lines: (employer, first day, last day, fiscal wage[, extra fields])
    partner: dict | None = None  # a couple: the partner's birth date
    partnerperioden: list[tuple] = field(default_factory=list)


PERSONEN = [
    Persoon(
        "Fatima, 35, alleenstaand, werkt in de zorg (4-weken-loon)",
        "GM0363",
        85000,
        {"geboortedatum": "1990-09-12", "huishouden": "alleenstaand"},
        [
            ("zorg", "2026-01-05", "2026-02-01", 70000),
            ("zorg", "2026-02-02", "2026-03-01", 72000),
            ("zorg", "2026-03-02", "2026-03-29", 70000),
        ],
    ),
    Persoon(
        "Jan, 41, alleenstaande ouder, twee werkgevers",
        "GM0363",
        85000,
        {"geboortedatum": "1984-03-03", "huishouden": "alleenstaande-ouder", "jongsteKindGeboortedatum": "2019-06-01"},
        [
            ("winkel", "2026-01-01", "2026-01-31", 60000),
            ("winkel", "2026-02-01", "2026-02-28", 61000),
            ("zorg", "2026-02-01", "2026-02-28", 60000),  # too high: corrected at the end
            ("winkel", "2026-03-01", "2026-03-31", 60000),
        ],
    ),
    Persoon(
        "Sanne en Ahmed, gehuwd: Sanne werkt in de winkel, Ahmed begint in maart in de zorg",
        "GM0363",
        120000,
        {"geboortedatum": "1988-04-14", "huishouden": "gehuwd"},
        [
            ("winkel", "2026-01-01", "2026-01-31", 80000),
            ("winkel", "2026-02-01", "2026-02-28", 80000),
            ("winkel", "2026-03-01", "2026-03-31", 80000),
        ],
        partner={"geboortedatum": "1986-10-02"},
        partnerperioden=[("zorg", "2026-03-01", "2026-03-31", 50000, {"aanvangInkomstenverhouding": "2026-03-01"})],
    ),
    Persoon(
        "Kees, 58, zijn WW eindigde op 15 januari; bijstand vanaf de 16e, een baan vanaf februari",
        "GM0599",
        80000,
        {"geboortedatum": "1968-01-30", "huishouden": "alleenstaand", "startdatum": "2026-01-16"},
        [
            ("uwv", "2026-01-01", "2026-01-31", 90000, {"eindeInkomstenverhouding": "2026-01-15"}),
            ("winkel", "2026-02-01", "2026-02-28", 45000, {"aanvangInkomstenverhouding": "2026-02-01"}),
            ("winkel", "2026-03-01", "2026-03-31", 45000, {"aanvangInkomstenverhouding": "2026-02-01"}),
        ],
    ),
    Persoon(
        "Noor, 24, woont bij haar ouders, werkt met loonkostensubsidie",
        "GM0599",
        45000,
        {"geboortedatum": "2001-11-20", "huishouden": "alleenstaand", "kostendelers": 2, "loonkostensubsidie": True},
        [
            ("winkel", "2026-01-01", "2026-01-31", 50000),
            ("winkel", "2026-02-01", "2026-02-28", 50000),
            ("winkel", "2026-03-01", "2026-03-31", 52000),
        ],
    ),
]


def _aangiften(bsn: str, perioden: list[tuple]) -> list[dict]:
    # one income relationship per employer
    ikv = {w: i + 1 for i, w in enumerate(dict.fromkeys(p[0] for p in perioden))}
    return [_aangifte(bsn, ikv[p[0]], *p[:4], **(p[4] if len(p) > 4 else {})) for p in perioden]


def run(income: str, decisions: str, brp: str, out=print, timeout: float = 60.0) -> dict[str, list[dict]]:
    """`brp`: the BRP stand-in, where the demo's people are registered in their municipality first."""
    rng = random.Random()
    leverancier = httpx.Client(
        base_url=income, headers={"Authorization": f"Bearer {_token(Rol.data_provider)}"}, timeout=30
    )
    cases, records, bsns = {}, [], set()
    for p in PERSONEN:
        bsn = _bsn(rng)
        case = {"bsn": bsn, "startdatum": "2026-01-01", **p.velden}
        people = [(bsn, p.perioden)]
        if p.partner is not None:
            partner = _bsn(rng)
            case["partner"] = {"bsn": partner, **p.partner}
            people.append((partner, p.partnerperioden))
        for person, perioden in people:
            bsns.add(person)
            records += _aangiften(person, perioden)
            httpx.post(
                f"{brp}/testpersonen", json={"burgerservicenummer": person, "gemeentecode": p.gemeente}
            ).raise_for_status()
        with httpx.Client(
            base_url=decisions, headers={"Authorization": f"Bearer {_token(Rol.municipality, p.gemeente)}"}, timeout=30
        ) as client:
            response = client.post("/uitkeringen", json=case)
            response.raise_for_status()
            uitkering_id = response.json()["uitkeringId"]
            for maand in ("2026-01", "2026-02", "2026-03"):  # the advance paid each month
                client.post(f"/uitkeringen/{uitkering_id}/betalingen", json={"maand": maand, "bedrag": p.voorschot})
        cases[p.label] = (p.gemeente, uitkering_id)
        out(f"uitkering geopend voor {p.label} ({p.gemeente})")
    volume.population(income, _token(Rol.data_provider), bsns, timeout, peildatum="2026-02-01")
    answer = leverancier.post("/leveringen", json={"leveringId": f"demo-{uuid.uuid4()}", "aangiften": records})
    answer.raise_for_status()
    out(f"polislevering: {answer.json()['aantallen']}")
    _settlements(decisions, cases, lambda _: None, timeout)  # settled before the correction arrives
    correctie = dict(records[-1], fiscaalLoon=records[-1]["fiscaalLoon"] + 30000)  # Noor's March, corrected upwards
    answer = leverancier.post("/leveringen", json={"leveringId": f"demo-{uuid.uuid4()}", "aangiften": [correctie]})
    out(f"correctie: {answer.json()['aantallen']}")
    result = _settlements(decisions, cases, out, timeout, herzien=PERSONEN[-1].label)
    # Jan's February zorg period was declared too high: corrected, his claim becomes a back-payment
    jan = cases[PERSONEN[1].label]
    out(f"\n== vordering van {PERSONEN[1].label}")
    for v in _vorderingen(decisions, jan, lambda vs: any(v["maand"] == "2026-02" for v in vs), timeout):
        out(f"{v['maand']} ({v['status']}): {v['uitleg']}")
    zorg = next(
        r for r in records if r["loonheffingennummer"] == WERKGEVERS["zorg"] and r["tijdvakBegin"] == "2026-02-01"
    )
    correctie = dict(zorg, fiscaalLoon=5000)
    answer = leverancier.post("/leveringen", json={"leveringId": f"demo-{uuid.uuid4()}", "aangiften": [correctie]})
    out(f"correctie van de zorgbaan in februari: {answer.json()['aantallen']}")
    herzien = _vorderingen(
        decisions, jan, lambda vs: any(b["soort"] == "herzien" for v in vs for b in v["boekingen"]), timeout
    )
    for v in herzien:
        out(f"{v['maand']} ({v['status']}): {v['uitleg']}")
    return result


def _vorderingen(decisions: str, case: tuple[str, str], klaar, timeout: float) -> list[dict]:
    """Waits until the case's claims satisfy `klaar`, then returns them."""
    gemeente, uitkering_id = case
    deadline = time.monotonic() + timeout
    with httpx.Client(
        base_url=decisions, headers={"Authorization": f"Bearer {_token(Rol.municipality, gemeente)}"}, timeout=30
    ) as client:
        while not klaar(vorderingen := client.get(f"/uitkeringen/{uitkering_id}/vorderingen").json()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the claims of {uitkering_id} did not appear")
            time.sleep(0.2)
    return vorderingen


def _settlements(decisions: str, cases: dict, out, timeout: float, herzien: str | None = None) -> dict[str, list[dict]]:
    """Waits until every case has its three months settled (and `herzien` a revised month), then prints them."""
    result = {}
    deadline = time.monotonic() + timeout
    for label, (gemeente, uitkering_id) in cases.items():
        with httpx.Client(
            base_url=decisions, headers={"Authorization": f"Bearer {_token(Rol.municipality, gemeente)}"}, timeout=30
        ) as client:
            while True:
                months = client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()
                if len(months) == 3 and (label != herzien or any(m["versie"] > 1 for m in months)):
                    break
                if time.monotonic() > deadline:
                    found = [m["maand"] for m in months]
                    raise TimeoutError(f"the settlements for {label} did not appear (settled: {found})")
                time.sleep(0.2)
        result[label] = months
        out(f"\n== {label}")
        for m in months:
            out(f"{m['maand']} (versie {m['versie']}): {m['uitleg']}")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--income", default=f"http://127.0.0.1:{SERVICES['income']}/api/v1")
    parser.add_argument("--decisions", default=f"http://127.0.0.1:{SERVICES['decisions']}/api/v1")
    parser.add_argument("--brp", default="http://127.0.0.1:8090")
    args = parser.parse_args()
    run(args.income, args.decisions, args.brp)
