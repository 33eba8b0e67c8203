"""CORS as the NL API Design Rules ask: the OpenAPI document may be read from any origin (tools in a
browser load it), the API itself only from the origins a deployment allows (`SCHAKEL_CORS_ORIGINS`;
none by default). The preflights CORS answers itself are answers like any other: they carry the
API-Version header, and a refused one (an origin, method or header the policy does not allow) is
problem+json, the policy's own headers kept (a refused origin gets no Access-Control-Allow-Origin)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from schakel.api import problems

# what Starlette names in a refused preflight ("Disallowed CORS origin, method"), in the detail's words
GEWEIGERD = {
    "origin": "de origin",
    "method": "de methode",
    "headers": "de headers",
    "private-network": "het privénetwerk",
}


class _Beleid(CORSMiddleware):
    def __init__(self, app: ASGIApp, version: str, **policy: Any) -> None:
        super().__init__(app, **policy)
        self._version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" and scope["method"] == "OPTIONS" else None
        if headers is None or "origin" not in headers or "access-control-request-method" not in headers:
            await super().__call__(scope, receive, send)
            return
        await self._preflight(headers, scope["path"])(scope, receive, send)

    def _preflight(self, request_headers: Headers, path: str) -> Response:
        answer = self.preflight_response(request_headers)
        if answer.status_code == 400:
            failures = bytes(answer.body).decode().removeprefix("Disallowed CORS").split(",")
            named = [GEWEIGERD.get(f.strip(), f.strip()) for f in failures if f.strip()] or ["dit verzoek"]
            refused = problems.Problem(
                400,
                "cors-niet-toegestaan",
                "Dit cross-origin verzoek is niet toegestaan.",
                f"Het CORS-beleid van deze API staat {' en '.join(named)} van dit preflight-verzoek niet toe.",
            ).response(path)
            for name, value in answer.headers.items():
                if name not in ("content-type", "content-length"):
                    refused.headers[name] = value
            answer = refused
        answer.headers["API-Version"] = self._version
        return answer


class Cors:
    def __init__(self, app: ASGIApp, openapi_path: str, origins: list[str], version: str) -> None:
        self._openapi_path = openapi_path
        self._public = _Beleid(app, version, allow_origins=["*"], allow_methods=["GET"])
        self._api = _Beleid(
            app,
            version,
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
