"""OpenTelemetry from the standard OTEL_* variables: OTLP/HTTP export when an endpoint is set, and
Zipkin (OTEL_EXPORTER_ZIPKIN_ENDPOINT, the trace server `make run` starts) as well.

FastAPI and httpx are instrumented; across Kafka the relay and the consumer runner carry the W3C
`traceparent` in the record headers themselves (schakel.messaging.tracing: a send and a receive
span per topic and trace in a batch), and the runner opens each event's processing span under the
receive span, so one trace runs from an HTTP request through Kafka into another service.
Nothing personal is recorded: paths carry no BSN, bodies and headers are not captured,
and every exported span passes `redaction.Redacting` (no message key, exceptions by class only).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, Sampler, SamplingResult, _get_from_env_or_default

from schakel.telemetry import logs
from schakel.telemetry.redaction import Redacting

if TYPE_CHECKING:
    from fastapi import FastAPI

_configured = False


class _OnceExported(Sampler):
    """The sampler of OTEL_TRACES_SAMPLER (default: parent-based, always on) once a span processor
    exports; before that none: a span nobody exports cost a service 15 µs of CPU for nothing, a few
    per event. An unrecorded span still has its ids, so the W3C headers, the log lines and the
    processing log keep a trace to follow."""

    def __init__(self) -> None:
        self.sampler, self.exporting = _get_from_env_or_default(), False

    def should_sample(self, *args, **kwargs) -> SamplingResult:  # type: ignore[no-untyped-def]
        return (self.sampler if self.exporting else ALWAYS_OFF).should_sample(*args, **kwargs)

    def get_description(self) -> str:
        return f"OnceExported{{{self.sampler.get_description()}}}"


class Provider(TracerProvider):
    def __init__(self, resource: Resource) -> None:
        self._sampling = _OnceExported()
        super().__init__(resource=resource, sampler=self._sampling)

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        super().add_span_processor(span_processor)
        self._sampling.exporting = True


def setup(service_name: str) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    logs.configure(service_name, os.environ.get("SCHAKEL_LOG_LEVEL", "INFO"))
    resource = Resource.create(
        {"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name), "service.namespace": "schakel"}
    )
    provider = Provider(resource)
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(Redacting(BatchSpanProcessor(OTLPSpanExporter())))
    if os.environ.get("OTEL_EXPORTER_ZIPKIN_ENDPOINT"):  # the trace UI of `make run`
        from opentelemetry.exporter.zipkin.json import ZipkinExporter

        provider.add_span_processor(Redacting(BatchSpanProcessor(ZipkinExporter())))
    trace.set_tracer_provider(provider)

    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().instrument()


def instrument_app(app: FastAPI) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # the request's server span only: a span for every ASGI send and receive costs CPU and says nothing
    FastAPIInstrumentor.instrument_app(app, excluded_urls="health/", exclude_spans=["receive", "send"])
