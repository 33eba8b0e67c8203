"""Logs an operator can use: one JSON object per line with the service, the level, the logger, the
message and, inside a trace, its trace and span id, so a log line leads to its trace. An exception
is given by its class and stack, never its message (a database error can quote personal data); a
line of uvicorn's, which may quote a request's URL, is masked (a caller may put a BSN there by mistake)."""

from __future__ import annotations

import json
import logging
import traceback

from opentelemetry import trace

from schakel.clock import SYSTEM
from schakel.telemetry.redaction import gemaskeerd


class JsonLines(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": SYSTEM.now().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            # uvicorn's lines quote a request's path: the access log, and a refused WebSocket handshake's
            "message": gemaskeerd(record.getMessage()) if record.name.startswith("uvicorn") else record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry |= {"trace_id": format(span.trace_id, "032x"), "span_id": format(span.span_id, "016x")}
        if record.exc_info and record.exc_info[0]:
            entry |= {
                "exception": record.exc_info[0].__name__,  # where it happened, not the source lines
                "stack": [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(record.exc_info[2])],
            }
        return json.dumps(entry, ensure_ascii=False)


class OwnDebug(logging.Filter):
    """DEBUG lines only from Schakel's own code: libraries log what passes through them at that level
    (the SQLite driver every statement with its values, BSNs among them)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._own = ("schakel", service)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG or record.name.split(".", 1)[0] in self._own


def configure(service: str, level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines(service))
    handler.addFilter(OwnDebug(service))
    logging.basicConfig(level=level, handlers=[handler], force=True)
