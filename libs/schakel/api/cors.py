"""CORS as the NL API Design Rules ask: the OpenAPI document may be read from any origin (tools in a
browser load it), the API itself only from the origins a deployment allows (`SCHAKEL_CORS_ORIGINS`;
none by default)."""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class Cors:
    def __init__(self, app: ASGIApp, openapi_path: str, origins: list[str]) -> None:
        self._openapi_path = openapi_path
        self._public = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET"])
        self._api = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "traceparent", "tracestate"],
            # what a page in a browser must read beyond the safelisted headers: the next page of a
            # list, when to ask again after a 429 or 503
            expose_headers=["API-Version", "Location", "Link", "Retry-After"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        public = scope["type"] == "http" and scope["path"] == self._openapi_path
        await (self._public if public else self._api)(scope, receive, send)
