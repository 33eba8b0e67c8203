"""The BRP client asks the Haal Centraal BRP Personen API for one thing at a time, the municipality of
registration or (for a move) the day of registration there, with the BSN in the body; the local stand-in answers in the same shape. Unknown and
RNI persons live in no municipality; a BRP that cannot be asked is an Unavailable, never a guess."""

import asyncio
import json
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.sdk.trace import TracerProvider

from deploy.brp_standin import BrpStandIn
from deploy.kafka_broker import free_port
from schakel.api.problems import from_domain
from schakel.brp import PER_VRAAG, TEGELIJK, HaalCentraalBrp, _datum
from schakel.errors import Unavailable


@pytest.fixture
def standin():
    brp = BrpStandIn().start()
    yield brp
    brp.stop()


@contextmanager
def eigen_brp(antwoord: Callable[[str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]):
    """A BRP of the test's own on loopback: `antwoord` gets each question's path, headers and body and
    gives the answer's status, headers and body; yields its URL."""

    class Brp(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            vraag = self.rfile.read(int(self.headers["Content-Length"]))
            status, headers, body = antwoord(self.path, dict(self.headers), vraag)
            self.send_response(status)
            for naam, waarde in (headers | {"Content-Length": str(len(body))}).items():
                self.send_header(naam, waarde)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Brp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/brp"
    finally:
        server.shutdown()
        server.server_close()


JSON = {"Content-Type": "application/json"}


async def test_the_municipality_of_registration_and_a_move(standin):
    client = HaalCentraalBrp(standin.url)
    try:
        standin.vestig("999990019", "GM0599")
        assert await client.woongemeente("999990019") == "GM0599"
        standin.vestig("999990019", "GM0363")  # moved
        assert await client.woongemeente("999990019") == "GM0363"
        assert await client.woongemeente("999990020") is None, "unknown to the BRP"
        standin.vestig("999990019", "GM1999")  # the RNI: registered, but in no municipality
        assert await client.woongemeente("999990019") is None
        assert await client.woongemeente("999993653") == "GM0363", "a test person of the contracts' examples"
    finally:
        await client.close()


async def test_the_day_of_registration_in_the_municipality_and_its_partial_forms(standin):
    client = HaalCentraalBrp(standin.url)
    try:
        standin.vestig("999990019", "GM0599", "2026-05-01")
        assert await client.ingeschreven_sinds("999990019") == date(2026, 5, 1)
        vraag = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999990019"]}
        assert standin.raadpleeg(vraag | {"fields": ["burgerservicenummer", "datumInschrijvingInGemeente"]}) == [
            {
                "burgerservicenummer": "999990019",
                "datumInschrijvingInGemeente": {"type": "Datum", "datum": "2026-05-01"},
            }
        ], "the one field asked for"
        standin.vestig("999990019", "GM0363")  # moved, the day not said
        assert await client.ingeschreven_sinds("999990019") is None
        assert await client.ingeschreven_sinds("999990020") is None, "unknown to the BRP"
    finally:
        await client.close()
    # a day of which only the month or the year is known: its last, the first registered there for certain
    assert _datum({"type": "JaarMaandDatum", "jaar": 2026, "maand": 2, "langFormaat": "februari 2026"}) == date(
        2026, 2, 28
    )
    assert _datum({"type": "JaarDatum", "jaar": 2026}) == date(2026, 12, 31)
    for onleesbaar in (
        {"type": "DatumOnbekend", "onbekend": True},
        {"type": "Datum", "datum": "2026-02-30"},
        {"type": "JaarMaandDatum", "jaar": 2026, "maand": 13},
        {"type": "JaarDatum", "jaar": True},
        {"type": "JaarDatum", "jaar": 10**20},
        None,
    ):
        assert _datum(onleesbaar) is None, onleesbaar


@pytest.mark.parametrize("antwoord", [{"personen": None}, [], {"personen": ["999993653"]}, {"personen": "x"}])
async def test_an_answer_in_another_shape_is_as_good_as_none_never_a_guess_nor_a_crash(antwoord):
    with eigen_brp(lambda *_: (200, JSON, json.dumps(antwoord).encode())) as url:
        client = HaalCentraalBrp(url)
        try:
            for vraag in (client.woongemeente("999993653"), client.ingeschreven_sinds("999993653")):
                with pytest.raises(Unavailable):
                    await vraag
        finally:
            await client.close()


@pytest.mark.parametrize(
    "body",
    [
        b'{"personen": [',  # cut off
        b"\xff\xfe",  # no UTF-8
        json.dumps(
            {"personen": [{"burgerservicenummer": "999990019", "gemeenteVanInschrijving": {"code": "0599"}}]}
        ).encode(),
        json.dumps(
            {
                "personen": [
                    {"burgerservicenummer": "999993653", "gemeenteVanInschrijving": {"code": c}}
                    for c in ("0363", "0599")
                ]
            }
        ).encode(),
        json.dumps(
            {"personen": [{"burgerservicenummer": "999993653", "gemeenteVanInschrijving": {"code": 363}}]}
        ).encode(),
        json.dumps({"fout": "x"}).encode(),
        json.dumps({"personen": [{"burgerservicenummer": "999993653", "gemeenteVanInschrijving": "0363"}]}).encode(),
        json.dumps(
            {"personen": [{"burgerservicenummer": "999993653", "gemeenteVanInschrijving": {"kode": "0363"}}]}
        ).encode(),
    ],
    ids=["cut-off", "not-utf8", "another-person", "twice", "code-as-number", "no-list", "not-an-object", "no-code"],
)
async def test_an_answer_that_cannot_be_sure_is_as_good_as_none(body):
    """Unsure whose answer it is, or what it says: never read as "unknown" (which a check skips) nor
    as a municipality; the caller is told to ask later, a consumer waits."""
    with eigen_brp(lambda *_: (200, JSON, body)) as url:
        client = HaalCentraalBrp(url)
        try:
            with pytest.raises(Unavailable):
                await client.woongemeente("999993653")
        finally:
            await client.close()


async def test_the_request_is_the_haal_centraal_shape(standin):
    vraag = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999993653"]}
    assert standin.raadpleeg(vraag) == [
        {"burgerservicenummer": "999993653", "gemeenteVanInschrijving": {"code": "0363"}}
    ]
    elders = HaalCentraalBrp(standin.basis + "/elders")
    try:
        # the stand-in refuses any other question with 400: our fault (a wrong address), not "try later"
        with pytest.raises(RuntimeError, match="refused the question with 400"):
            await elders.woongemeente("999993653")
    finally:
        await elders.close()


async def test_a_brp_that_cannot_be_reached_is_503_not_a_guess():
    brp = HaalCentraalBrp(f"http://127.0.0.1:{free_port()}/haalcentraal/api/brp", timeout=1)
    with pytest.raises(Unavailable) as unavailable:
        await brp.woongemeente("999993653")
    await brp.close()
    assert (from_domain(unavailable.value).status, unavailable.value.code) == (503, "bron-niet-beschikbaar")


async def test_the_question_carries_the_trace_context_and_no_bsn_outside_the_body():
    seen = []

    def antwoord(path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append((path, headers, body))
        return 200, JSON, b'{"type": "RaadpleegMetBurgerservicenummer", "personen": []}'

    with eigen_brp(antwoord) as url:
        brp = HaalCentraalBrp(url, api_key="sleutel")
        try:
            with TracerProvider().get_tracer("test").start_as_current_span("verzoek") as span:
                assert await brp.woongemeente("999993653") is None
            [(path, headers, body)] = seen
            trace_id = format(span.get_span_context().trace_id, "032x")
            assert headers["traceparent"].split("-")[1] == trace_id and headers["X-API-KEY"] == "sleutel"
            assert "999993653" not in path + json.dumps(headers) and "999993653" in body.decode()
        finally:
            await brp.close()


async def test_many_persons_are_asked_twenty_a_question_and_each_answer_is_the_persons_own(standin):
    """A municipality's waiting list: 45 persons, some moved, one in the RNI, some unknown; the
    stand-in refuses a question naming more than 20, as the API does, and answers only the fields
    asked for, so each answer must name the BSN it is for."""
    gemeenten = ["GM0363", "GM0599", "GM1999", None]
    verwacht = {}
    for n in range(45):
        bsn, gemeente = f"99998{n:04d}", gemeenten[n % 4]
        if gemeente:
            standin.vestig(bsn, gemeente)
        verwacht[bsn] = None if gemeente in (None, "GM1999") else gemeente
    client = HaalCentraalBrp(standin.url)
    try:
        assert await client.woongemeenten([*verwacht, *verwacht]) == verwacht
        assert await client.woongemeenten([]) == {}
    finally:
        await client.close()


async def test_a_brp_that_says_wait_is_not_asked_the_rest_of_a_long_list():
    """503 with Retry-After on the first questions: the questions not yet sent are not sent."""
    seen = []

    def druk(path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append(len(json.loads(body)["burgerservicenummer"]))
        return 503, {"Retry-After": "60"}, b""

    with eigen_brp(druk) as url:
        brp = HaalCentraalBrp(url)
        try:
            with pytest.raises(Unavailable) as wacht:
                await brp.woongemeenten(f"99998{n:04d}" for n in range(200))
            assert wacht.value.retry_after == 60
            achtergelaten = [t for t in asyncio.all_tasks() if "woongemeenten" in t.get_coro().__qualname__]
            assert not achtergelaten, "no question left to go out after the answer"
            assert 1 <= len(seen) <= TEGELIJK < 200 // PER_VRAAG, "at most the questions already in flight"
        finally:
            await brp.close()
