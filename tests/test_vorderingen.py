"""Claims end to end on the real broker and database: a month paid too much becomes a claim
(`vordering.ontstaan`), a polis correction in the person's favour lowers the claim first and turns
the rest into a back-payment (`vordering.gewijzigd`); the municipality and the citizen read it with
its explanation, another municipality and another citizen do not; a case ended back to before months
already paid settles them at nil and claims what was paid."""

import json
import uuid

import pytest

from schakel.api import Rol
from tests.support import builders, kafka
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import eventually, pseudonym

pytestmark = pytest.mark.integration


def claims(stack, uitkering_id: str) -> list[dict]:
    with stack.client("decisions", Rol.municipality) as client:
        return client.get(f"/uitkeringen/{uitkering_id}/vorderingen").json()


def claim_events(stack, bsn: str) -> list[dict]:
    return [
        json.loads(r.value) | {"type": dict(r.headers)["ce_type"].decode()}
        for r in kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn))
        if dict(r.headers)["ce_type"].decode().startswith("nl.participatiewet.vordering.")
    ]


def settlement_events(stack, bsn: str) -> dict[str, dict]:
    """The person's latest settlement event per month on the topic."""
    return {
        e["maand"]: e
        for r in kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn))
        if (soort := dict(r.headers)["ce_type"].decode()).startswith("nl.participatiewet.verrekening.")
        for e in [json.loads(r.value) | {"type": soort}]
    }


def test_a_case_ended_before_a_month_already_paid_claims_all_that_was_paid_for_it(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality) as client:
        for maand in ("2026-03", "2026-04"):
            betaald = client.post(f"/uitkeringen/{uitkering_id}/betalingen", json={"maand": maand, "bedrag": 100000})
            assert betaald.status_code == 200
    maart = {"begin": "2026-03-01", "einde": "2026-03-31", "ingehoudenLoonheffing": 15000}
    deliver(stack, [aangifte(bsn, **maart, fiscaalLoon=115000)])
    eventually(lambda: claims(stack, uitkering_id))  # March settled: € 381,08 too much

    with stack.client("decisions", Rol.municipality) as client:
        einde = client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-03-31", "reden": "werk"})
    assert einde.status_code == 200, einde.text

    april = eventually(lambda: settlement_events(stack, bsn).get("2026-04"))
    assert (april["type"], april["norm"]["dagen"], april["teBetalen"], april["verschil"]) == (
        "nl.participatiewet.verrekening.vastgesteld",
        0,
        0,
        -100000,
    )
    assert "geen recht op bijstand" in april["uitleg"]
    open_ = {c["maand"]: (c["open"], c["invordering"]) for c in claims(stack, uitkering_id)}
    assert open_ == {"2026-03": (38108, "betalingsregeling"), "2026-04": (100000, "betalingsregeling")}


def test_a_correction_turns_a_claim_into_a_back_payment(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality) as client:
        paid = client.post(f"/uitkeringen/{uitkering_id}/betalingen", json={"maand": "2026-03", "bedrag": 100000})
    assert paid.status_code == 200

    # net 1.000,00 in March: 618,92 payable against an advance of 1.000,00, so 381,08 paid too much
    maart = {"begin": "2026-03-01", "einde": "2026-03-31", "ingehoudenLoonheffing": 15000}
    deliver(stack, [aangifte(bsn, **maart, fiscaalLoon=115000)])
    [claim] = eventually(lambda: claims(stack, uitkering_id))
    assert (claim["maand"], claim["bedrag"], claim["open"], claim["status"]) == ("2026-03", 38108, 38108, "open")
    assert "Over maart 2026 kreeg u € 381,08 te veel bijstand" in claim["uitleg"]
    assert "beslagvrije voet (95% van uw bijstandsnorm" in claim["uitleg"]
    [ontstaan] = eventually(lambda: claim_events(stack, bsn))
    assert (ontstaan["type"], ontstaan["open"], ontstaan["uitkeringId"]) == (
        "nl.participatiewet.vordering.ontstaan",
        38108,
        uitkering_id,
    )

    # the employer corrects March down to net 200,00: the claim goes first, the rest is paid out
    deliver(stack, [aangifte(bsn, **maart, fiscaalLoon=35000)])
    ontstaan, gewijzigd = eventually(lambda: e if len(e := claim_events(stack, bsn)) == 2 else None)
    assert gewijzigd["type"] == "nl.participatiewet.vordering.gewijzigd"
    assert gewijzigd["boekingen"] == [{"soort": "herzien", "bedrag": -38108, "maand": "2026-03"}]
    assert (gewijzigd["bedrag"], gewijzigd["open"], gewijzigd["status"]) == (0, 0, "vervallen")
    assert "Na een nieuwe verrekening van maart 2026 is de vordering € 381,08 lager; wat u" in gewijzigd["uitleg"]
    with stack.client("decisions", Rol.municipality) as client:
        [settled] = client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()
    assert settled["versie"] == 2 and settled["verschil"] > 0
    nu = "Uw vordering over deze maand wordt € 381,08 lager en wij betalen u nog"
    assert nu in settled["uitleg"], "the revision's text says what its claim's bookings moved"
    assert [c["status"] for c in claims(stack, uitkering_id)] == ["vervallen"]

    # doelbinding: another municipality gets the answer of an unknown case; a citizen sees only their own
    with stack.client("decisions", Rol.municipality, "GM0599") as other:
        anders = other.get(f"/uitkeringen/{uitkering_id}/vorderingen")
        niemand = other.get(f"/uitkeringen/{uuid.uuid4()}/vorderingen")
    assert anders.status_code == niemand.status_code == 404
    assert {**anders.json(), "instance": None} == {**niemand.json(), "instance": None}
    with stack.client("decisions", Rol.burger, bsn=bsn) as mij:
        assert [c["uitkeringId"] for c in mij.get("/mijn/vorderingen").json()] == [uitkering_id]
        assert mij.get(f"/uitkeringen/{uitkering_id}/vorderingen").json()[0]["status"] == "vervallen"
    with stack.client("decisions", Rol.burger, bsn=builders.bsn()) as ander:
        assert ander.get("/mijn/vorderingen").json() == []
        assert ander.get(f"/uitkeringen/{uitkering_id}/vorderingen").status_code == 404
        assert ander.get("/vorderingsbeleid").status_code == 403


def test_a_repayment_under_the_payment_arrangement_is_booked_once_and_announced(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    maart = {"begin": "2026-03-01", "einde": "2026-03-31", "ingehoudenLoonheffing": 15000}
    with stack.client("decisions", Rol.municipality) as client:
        assert client.post(f"/uitkeringen/{uitkering_id}/betalingen", json={"maand": "2026-03", "bedrag": 100000})
        deliver(stack, [aangifte(bsn, **maart, fiscaalLoon=115000)])
        eventually(lambda: claims(stack, uitkering_id))  # March: € 381,08 too much
        einde = client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-05-31", "reden": "werk"})
        assert einde.status_code == 200, einde.text

        pad, betaling = (
            f"/uitkeringen/{uitkering_id}/terugbetalingen",
            {
                "vordering": "2026-03",
                "bedrag": 38108,
                "ontvangenIn": "2026-11",
                "kenmerk": f"NL-BANK-{uuid.uuid4().hex[:8]}",
            },
        )
        te_hoog = client.post(pad, json=betaling | {"bedrag": 38109})
        assert (te_hoog.status_code, te_hoog.json()["code"]) == (422, "terugbetaling-te-hoog")
        assert te_hoog.json()["invalidParams"][0]["name"] == "bedrag"
        geboekt = client.post(pad, json=betaling)
        assert geboekt.status_code == 200, geboekt.text
        assert (geboekt.json()["open"], geboekt.json()["status"]) == (0, "afgelost")
        assert client.post(pad, json=betaling).json() == geboekt.json(), "the same payment again: booked once"
    events = eventually(lambda: e if (e := claim_events(stack, bsn)) and e[-1]["open"] == 0 else None)
    terugbetaald = {"soort": "terugbetaling", "bedrag": 38108, "maand": "2026-11", "kenmerk": betaling["kenmerk"]}
    assert events[-1]["boekingen"] == [terugbetaald], "with the municipality's reference of the payment"
    assert "In november 2026 is € 381,08 terugbetaald." in events[-1]["uitleg"]
    assert [c["open"] for c in claims(stack, uitkering_id)] == [0]
    with stack.client("decisions", Rol.municipality, "GM0599") as other:
        assert other.post(pad, json=betaling | {"kenmerk": "ANDER"}).status_code == 404
    assert [c["open"] for c in claims(stack, uitkering_id)] == [0]
    assert (
        sum(1 for e in claim_events(stack, bsn) if e["boekingen"] and e["boekingen"][0]["soort"] == "terugbetaling")
        == 1
    )

    # the employer corrects March down to net 800,00: March paid only 238,58 too much, so the claim paid back
    # is lowered by 142,50, and that part of what was paid back goes back with March's back-payment
    deliver(stack, [aangifte(bsn, **maart, fiscaalLoon=95000)])
    teruggave = {"soort": "teruggave", "bedrag": 14250, "maand": "2026-03"}
    events = eventually(lambda: e if teruggave in (e := claim_events(stack, bsn))[-1]["boekingen"] else None)
    assert events[-1]["boekingen"] == [{"soort": "herzien", "bedrag": -14250, "maand": "2026-03"}, teruggave]
    [claim] = claims(stack, uitkering_id)
    assert (claim["bedrag"], claim["afgelost"], claim["open"], claim["status"]) == (23858, 23858, 0, "afgelost")


def test_a_municipality_sets_its_recovery_policy_from_a_date(stack):
    with stack.client("decisions", Rol.municipality, "GM0599") as client:
        assert client.get("/vorderingsbeleid").json() == [
            {"geldigVanaf": "2000-01-01", "maximaleTermijn": None, "kwijtscheldingsdrempel": 0}
        ]
        versie = {"geldigVanaf": "2026-10-01", "maximaleTermijn": 5000, "kwijtscheldingsdrempel": 2500}
        assert client.post("/vorderingsbeleid", json=versie).json()[-1] == versie
        te_laag = client.post("/vorderingsbeleid", json=versie | {"maximaleTermijn": 50})
        assert te_laag.status_code == 400 and te_laag.json()["invalidParams"][0]["name"] == "maximaleTermijn"
