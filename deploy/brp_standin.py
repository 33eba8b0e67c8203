"""A local stand-in for the BRP that speaks the Haal Centraal BRP Personen bevragen API
(`POST /haalcentraal/api/brp/personen`, `RaadpleegMetBurgerservicenummer`: up to 20 persons a
question, answered with the `fields` asked for) for test persons only. `make run` and the test
stack start it; `POST /testpersonen` (stand-in only, not in the real API) registers a test person in
a municipality (with `datumInschrijvingInGemeente` when given) or, with `gemeentecode` null, removes
them (a move abroad). Persons from
`testpersonen.json` (the contracts' examples) are there from the start."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAD = "/haalcentraal/api/brp"
PER_VRAAG = 20  # the API's limit on persons in one question
TESTPERSONEN = Path(__file__).parent / "testpersonen.json"


class BrpStandIn:
    def __init__(self, port: int = 0, personen: dict[str, str] | None = None) -> None:
        # BSN -> municipality (GM + 4 digits); shared, so a test may also write it directly
        self.personen = personen if personen is not None else {}
        self.personen.update(json.loads(TESTPERSONEN.read_text()))
        self.ingeschreven: dict[str, str] = {}  # BSN -> the day of registration in that municipality
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # connections kept open, as a BRP's are: no connect per question
            # the headers and the body go out in two writes: with Nagle's algorithm the body waited for
            # the client's delayed ACK of the headers, 40 ms on every answer
            disable_nagle_algorithm = True

            def do_POST(self):  # noqa: N802 - http.server's naming
                vraag = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path == f"{PAD}/personen" and vraag.get("type") == "RaadpleegMetBurgerservicenummer":
                    if len(vraag.get("burgerservicenummer", [])) > PER_VRAAG:
                        self._answer(400, {"title": "Te veel burgerservicenummers", "status": 400})
                        return
                    self._answer(200, {"type": vraag["type"], "personen": standin.raadpleeg(vraag)})
                elif self.path == "/testpersonen":
                    standin.vestig(
                        vraag["burgerservicenummer"],
                        vraag.get("gemeentecode"),
                        vraag.get("datumInschrijvingInGemeente"),
                    )
                    self._answer(204, None)
                else:
                    self._answer(400, {"title": "Onbekende vraag", "status": 400})

            def _answer(self, status: int, body: dict | None) -> None:
                content = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):  # no BSNs in any log
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)

    def raadpleeg(self, vraag: dict) -> list[dict]:
        """The persons asked for that it knows, with the `fields` asked for (all without)."""
        personen = [
            {"burgerservicenummer": bsn, "gemeenteVanInschrijving": {"code": self.personen[bsn].removeprefix("GM")}}
            | (
                {"datumInschrijvingInGemeente": {"type": "Datum", "datum": self.ingeschreven[bsn]}}
                if bsn in self.ingeschreven
                else {}
            )
            for bsn in vraag.get("burgerservicenummer", [])
            if bsn in self.personen
        ]
        velden = vraag.get("fields")
        return [{k: v for k, v in p.items() if velden is None or k in velden} for p in personen]

    def vestig(self, bsn: str, gemeentecode: str | None, sinds: str | None = None) -> None:
        """Registers the person in the municipality (a move when they lived elsewhere), from `sinds`
        (ISO date; not said when None); None removes them."""
        self.ingeschreven.pop(bsn, None)
        if gemeentecode is None:
            self.personen.pop(bsn, None)
            return
        self.personen[bsn] = gemeentecode
        if sinds is not None:
            self.ingeschreven[bsn] = sinds

    @property
    def basis(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """What the services are given as SCHAKEL_BRP_URL."""
        return self.basis + PAD

    def start(self) -> BrpStandIn:
        threading.Thread(target=self._server.serve_forever, daemon=True, name="brp-standin").start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
