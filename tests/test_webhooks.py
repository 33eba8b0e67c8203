"""End to end: a provider pushes polis data -> income event -> settlement -> a signed webhook at
the municipality's back office, all in one trace; a failed delivery is retried from the
database, also across a restart of the service, and every attempt can be read back."""

import base64
import hashlib
import hmac
import json
import os

import pytest

from schakel.api import Rol
from schakel.events.models import VerrekeningVastgesteld
from tests.support import builders
from tests.support.polis import aangifte, open_case
from tests.support.receiver import Receiver
from tests.support.stack import eventually

pytestmark = pytest.mark.integration

GRONINGEN = "GM0014"
AMERSFOORT = "GM0307"  # subscribes in no other test
VASTGESTELD = VerrekeningVastgesteld.TYPE


def test_a_settlement_reaches_the_back_office_signed_retried_and_in_one_trace(stack):
    receiver = Receiver(503)  # the back office is briefly down
    try:
        with stack.client("decisions", Rol.municipality, GRONINGEN) as client:
            created = client.post("/abonnementen", json={"url": receiver.url, "eventTypes": [VASTGESTELD]})
            assert created.status_code == 201
            abonnement = created.json()
            with stack.client("decisions", Rol.municipality, "GM0363") as other:
                assert other.get(f"/abonnementen/{abonnement['abonnementId']}/afleveringen").status_code == 404

            bsn = builders.bsn(GRONINGEN)
            open_case(stack, bsn, gemeente=GRONINGEN)
            trace_id = os.urandom(16).hex()
            with stack.client("income", Rol.data_provider) as provider:
                response = provider.post(
                    "/leveringen",
                    headers={"traceparent": f"00-{trace_id}-{os.urandom(8).hex()}-01"},
                    json={"leveringId": f"trace-{trace_id}", "aangiften": [aangifte(bsn)]},
                )
            assert response.status_code == 201

            first = eventually(lambda: receiver.requests)[0]
            assert first[2] == 503
            # the retry survives a restart: it comes from the database, not from memory
            stack.services["decisions"].stop()
            stack.start("decisions")
            headers, body, status = eventually(lambda: [r for r in receiver.requests if r[2] == 200], timeout=60)[0]

            event = json.loads(body)
            assert (event["type"], event["data"]["bsn"], event["data"]["maand"]) == (VASTGESTELD, bsn, "2026-01")
            assert event["specversion"] == "1.0" and headers["content-type"] == "application/cloudevents+json"
            key = base64.b64decode(abonnement["geheim"].removeprefix("whsec_"))
            signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
            assert (
                headers["webhook-signature"]
                == "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
            )
            assert headers["traceparent"].split("-")[1] == trace_id, "one trace from provider to back office"

            # the receiver answers before decisions records the answer: wait for that commit
            [aflevering] = eventually(
                lambda: [
                    a
                    for a in client.get(f"/abonnementen/{abonnement['abonnementId']}/afleveringen").json()
                    if a["status"] == "afgeleverd"
                ]
            )
            assert [p["statuscode"] for p in aflevering["pogingen"]] == [503, 200]
            [zichtbaar] = client.get("/abonnementen").json()
            assert (zichtbaar["status"], zichtbaar["opeenvolgendeFouten"]) == ("actief", 0), "the 200 closed the run"

            pad = f"/abonnementen/{abonnement['abonnementId']}"
            assert client.delete(pad).status_code == 204
            assert client.get("/abonnementen").json() == []
            [gestopt] = client.get("/abonnementen", params={"status": "gestopt"}).json()
            assert (gestopt["abonnementId"], gestopt["status"], gestopt["stopreden"]) == (
                abonnement["abonnementId"],
                "gestopt",
                "beeindigd",
            )
            assert [a["status"] for a in client.get(f"{pad}/afleveringen").json()] == ["afgeleverd"]
            opnieuw = client.post(f"{pad}/_opnieuw")
            assert (opnieuw.status_code, opnieuw.json()["code"]) == (409, "abonnement-gestopt")
            with stack.client("decisions", Rol.municipality, "GM0363") as other:
                elders = other.get("/abonnementen", params={"status": "gestopt"}).json()
                assert abonnement["abonnementId"] not in {a["abonnementId"] for a in elders}
                assert other.get(f"{pad}/afleveringen").status_code == 404
            refused = client.post(
                "/abonnementen", json={"url": "http://backoffice.example.nl/hook", "eventTypes": [VASTGESTELD]}
            )
            assert refused.status_code == 422 and refused.json()["invalidParams"][0]["name"] == "url"
            internal = client.post(
                "/abonnementen", json={"url": "https://169.254.169.254/latest/meta-data", "eventTypes": [VASTGESTELD]}
            )
            assert internal.status_code == 422 and internal.json()["invalidParams"][0]["name"] == "url"
    finally:
        receiver.close()


def test_a_municipality_has_its_given_up_deliveries_sent_again_and_no_subscription_twice(stack):
    receiver = Receiver(200)
    try:
        with stack.client("decisions", Rol.municipality, AMERSFOORT) as client:
            body = {"url": receiver.url, "eventTypes": [VASTGESTELD]}
            abonnement_id = client.post("/abonnementen", json=body).json()["abonnementId"]
            try:
                opnieuw = client.post(f"/abonnementen/{abonnement_id}/_opnieuw")
                assert (opnieuw.status_code, opnieuw.json()) == (202, {"aantal": 0}), "none was given up"
                with stack.client("decisions", Rol.municipality, "GM0363") as other:
                    assert other.post(f"/abonnementen/{abonnement_id}/_opnieuw").status_code == 404

                dubbel = client.post("/abonnementen", json={**body, "eventTypes": [VASTGESTELD, VASTGESTELD]})
                assert (dubbel.status_code, dubbel.json()["code"]) == (422, "abonnement-bestaat-al")
                assert dubbel.json()["invalidParams"][0]["name"] == "url"
                met_token = client.post("/abonnementen", json={**body, "url": receiver.url + "?token=s3cr3t"})
                assert (met_token.status_code, met_token.json()["invalidParams"][0]["name"]) == (422, "url")
            finally:
                assert client.delete(f"/abonnementen/{abonnement_id}").status_code == 204
    finally:
        receiver.close()
