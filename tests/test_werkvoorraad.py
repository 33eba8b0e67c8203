"""The worklist end to end, on the real broker and database: income of an unknown kind from a
provider's delivery makes its months wait; the municipality pages through its worklist (its own
cases, no BSN; the cursor its own), `verrekening.te-beoordelen` is on its topic once per case, and
the caseworker's judgement takes the case's months off."""

import json
from urllib.parse import parse_qsl

import pytest

from schakel.api import Rol
from schakel.events import models as events
from tests.support import builders, kafka
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import eventually, pseudonym

pytestmark = pytest.mark.integration

APELDOORN, ZWOLLE = "GM0200", "GM0193"  # one a provider delivers for
MAANDEN = (("2026-02", "2026-02-28"), ("2026-03", "2026-03-31"))


def test_months_of_an_unknown_kind_wait_on_the_worklist_until_the_caseworker_judges_them(stack):
    personen = [builders.bsn(APELDOORN) for _ in range(2)]
    zaken = [open_case(stack, b, gemeente=APELDOORN) for b in personen]
    onbekend = {"soortInkomstenverhouding": "81"}  # a kind income's table does not know
    geleverd = deliver(stack, [aangifte(b, f"{m}-01", einde, **onbekend) for b in personen for m, einde in MAANDEN])
    assert geleverd.status_code in (200, 201, 202), geleverd.text

    with stack.client("decisions", Rol.municipality, APELDOORN) as client:

        def eigen() -> list[dict]:
            return [w for w in client.get("/werkvoorraad").json() if w["uitkeringId"] in zaken]

        alle = eventually(lambda: w if len(w := eigen()) == 4 else None)
        assert {(w["uitkeringId"], w["maand"], w["soort"], w["wie"]) for w in alle} == {
            (z, m, "inkomstensoort", "aanvrager") for z in zaken for m, _ in MAANDEN
        }
        assert [w["gesignaleerdOp"] for w in alle] == sorted(w["gesignaleerdOp"] for w in alle), "longest waiting first"
        assert not any(b in json.dumps(alle) for b in personen), "no BSN on the worklist"

        # page by page (another test's cases here may come and go meanwhile: these stay where they are)
        gelezen, pagina = [], client.get("/werkvoorraad", params={"paginaGrootte": 1, "soort": "inkomstensoort"})
        while "next" in pagina.links:
            gelezen += pagina.json()
            vanaf = dict(parse_qsl(pagina.links["next"]["url"].removeprefix("?")))["vanaf"]
            pagina = client.get("/werkvoorraad" + pagina.links["next"]["url"])
        assert [w for w in gelezen + pagina.json() if w["uitkeringId"] in zaken] == alle
        naast = client.get("/werkvoorraad", params={"vanaf": vanaf, "soort": "norm"})
        assert (naast.status_code, naast.json()["code"]) == (422, "niet-met-vanaf")
        onzin = client.get("/werkvoorraad", params={"soort": "alles"})
        assert onzin.status_code == 400 and onzin.json()["invalidParams"][0]["name"] == "soort"
    with stack.client("decisions", Rol.municipality, ZWOLLE) as other:
        assert not [w for w in other.get("/werkvoorraad").json() if w["uitkeringId"] in zaken]
        vreemd = other.get("/werkvoorraad", params={"vanaf": vanaf})
    assert (vreemd.status_code, vreemd.json()["code"]) == (422, "ongeldige-cursor"), "another municipality's cursor"

    # announced on the topic: each case's months once (both months may come in one event or two)
    for bsn, zaak in zip(personen, zaken, strict=True):
        wacht = [
            json.loads(r.value)
            for r in kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn))
            if dict(r.headers)["ce_type"].decode() == events.VerrekeningTeBeoordelen.TYPE
        ]
        assert sorted(m["maand"] for e in wacht for m in e["maanden"]) == ["2026-02", "2026-03"]
        assert {e["uitkeringId"] for e in wacht} == {zaak}

    with stack.client("decisions", Rol.municipality, APELDOORN) as client:
        oordeel = {"loonheffingennummer": alle[0]["inkomstenverhoudingen"][0]["loonheffingennummer"]}
        oordeel |= {"inkomstenverhouding": 1, "soort": "arbeid", "reden": "loon voor gewerkte uren"}
        assert client.post(f"/uitkeringen/{zaken[0]}/inkomstensoorten", json=oordeel).status_code == 200
        rest = eigen()
    assert {w["uitkeringId"] for w in rest} == {zaken[1]}, "the judged case's months settled and left"
