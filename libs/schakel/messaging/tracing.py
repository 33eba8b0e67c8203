"""The trace across Kafka: W3C Trace Context (`traceparent`, `tracestate`) in the record headers.

The relay opens a `<topic> send` span and the consumer runner a `<topic> receive` span once per
topic and trace in a batch, not per record: an instrumentation of the Kafka client that enriches
and queues a span for every record halved the throughput of outbox -> relay -> consumer (see
`make bench` (d)). A span names the topic and the count, never a record's key (a person's pseudonym).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

W3C = TraceContextTextMapPropagator()
HEADERS = frozenset(W3C.fields)  # traceparent, tracestate
tracer = trace.get_tracer("schakel.messaging")


def current() -> dict[str, str]:
    """The W3C headers of the current span; none outside one."""
    carrier: dict[str, str] = {}
    W3C.inject(carrier)
    return carrier


def of_record(headers: Sequence[tuple[str, bytes | None]]) -> dict[str, str]:
    """A consumed record's W3C headers. A broken one is ignored when extracted (W3C Trace Context:
    start a new trace); it never stops the event."""
    return {n: v.decode(errors="replace") for n, v in headers if n in HEADERS and v is not None}


@dataclass
class Hop:
    """The span of one topic and trace in a batch: its context for the records' own work and, for
    the producer, the W3C headers each record carries."""

    span: trace.Span
    context: Context
    headers: list[tuple[str, bytes]]
    count: int = 0


class Hops:
    """The spans of one batch's records, one per topic and trace; `with` ends them (failed when the
    batch fails)."""

    def __init__(self, operation: str, kind: trace.SpanKind, attributes: Mapping[str, str] | None = None) -> None:
        self._operation, self._kind, self._attributes = operation, kind, attributes or {}
        self._hops: dict[tuple[str, frozenset[tuple[str, str]]], Hop] = {}

    def of(self, topic: str, parent: Mapping[str, str]) -> Hop:
        """The span of `topic` under the trace in `parent` (W3C headers), opened at its first record."""
        key = (topic, frozenset(parent.items()))
        hop = self._hops.get(key)
        if hop is None:
            span = tracer.start_span(
                f"{topic} {self._operation}",
                context=W3C.extract(parent),
                kind=self._kind,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": topic,
                    "messaging.operation.type": self._operation,
                    **self._attributes,
                },
            )
            context = trace.set_span_in_context(span)
            carrier: dict[str, str] = {}
            W3C.inject(carrier, context)
            hop = self._hops[key] = Hop(span, context, [(n, v.encode()) for n, v in carrier.items()])
        hop.count += 1
        return hop

    def __enter__(self) -> Hops:
        return self

    def __exit__(self, kind: type[BaseException] | None, failure: BaseException | None, tb: object) -> None:
        for hop in self._hops.values():
            hop.span.set_attribute("messaging.batch.message_count", hop.count)
            if failure is not None:
                hop.span.record_exception(failure)  # by its class only: schakel.telemetry.redaction
                hop.span.set_status(trace.StatusCode.ERROR)
            hop.span.end()
