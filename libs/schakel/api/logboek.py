"""The processing log at the API: a processing (schakel.logboek.Verwerking) per request. The
request's own transactions write the records of a change with the change; what is still open
when the answer starts (a read, a refusal, persons named only in the answer) is written before the
answer leaves, and when that cannot be done the answer is a 503: nothing is shown that is not on
record. A refusal (4xx) marks the records its reads wrote already as ERROR: a refused request
changed nothing (a failure after a change committed leaves the change's records as they are)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schakel import logboek
from schakel.api.problems import Problem, later, standard
from schakel.logboek import Verwerking
from schakel.telemetry import metrics
from schakel.telemetry.health import where

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Logboek:
    """What an API needs of its service's processing log."""

    activiteiten: Mapping[str, str]  # operationId -> processing activity id (also in the contract)
    verwerking: Callable[[], Verwerking]  # a new processing, for one request
    # its open records, in a transaction of their own, with the answer's HTTP status
    schrijf: Callable[[Verwerking, int], Awaitable[None]]


def onbeschikbaar() -> Problem:
    metrics.PROCESSING_LOG_FAILURES.inc()
    return standard(503, "Het logboek van verwerkingen is niet bereikbaar; probeer het later opnieuw.", headers=later())


class Verwerkingslog:
    """ASGI middleware inside the edge: by the time the route runs, the caller is known."""

    def __init__(self, app: ASGIApp, logboek: Logboek) -> None:
        self.app, self._logboek = app, logboek

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        verwerking, refused = self._logboek.verwerking(), False

        async def logged_send(message: Message) -> None:
            nonlocal refused
            # (a refusal also when a read's transaction wrote its records, as OK, before the route refused)
            if message["type"] == "http.response.start" and (
                verwerking.open() or (400 <= message["status"] < 500 and verwerking.vastgelegd)
            ):
                try:
                    await self._logboek.schrijf(verwerking, message["status"])
                except Exception as exc:  # noqa: BLE001 - whatever stops the log stops the answer
                    log.error("processing log not written: %s", where(exc))
                    refused = True
                    await onbeschikbaar().response(scope["path"])(scope, receive, send)
                    return
            if not refused:
                await send(message)

        with logboek.binnen(verwerking):
            await self.app(scope, receive, logged_send)
