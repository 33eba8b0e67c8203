"""A minimal OTLP/HTTP trace collector, so tests can see the spans real service processes export."""

from __future__ import annotations

import threading

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.support.httpserver import Endpoint


class Collector:
    def __init__(self) -> None:
        self.spans: list[dict] = []
        self._lock = threading.Lock()
        self._endpoint = Endpoint(self._receive)

    @property
    def endpoint(self) -> str:
        return self._endpoint.base

    def _receive(self, headers: dict[str, str], body: bytes) -> int:
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self._add(request)
        return 200

    def _add(self, request: ExportTraceServiceRequest) -> None:
        for resource_spans in request.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    attributes = {a.key: _value(a.value) for a in span.attributes}
                    with self._lock:
                        self.spans.append(
                            {
                                "service": resource.get("service.name"),
                                "name": span.name,
                                "trace_id": span.trace_id.hex(),
                                "attributes": attributes,
                                "events": [
                                    {"name": e.name, "attributes": {a.key: _value(a.value) for a in e.attributes}}
                                    for e in span.events
                                ],
                                "status": span.status.message,
                            }
                        )

    def find(self, **match) -> list[dict]:
        with self._lock:
            return [
                s for s in self.spans if all(s.get(k) == v or s["attributes"].get(k) == v for k, v in match.items())
            ]

    def close(self) -> None:
        self._endpoint.close()


def _value(v):
    return getattr(v, v.WhichOneof("value")) if v.WhichOneof("value") else None
