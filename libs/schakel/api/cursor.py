"""Opaque cursors for paging by key: where a read stands (e.g. the last BSN of a page) travels in a
URL without being readable there (a BSN never appears in a URL). Sealed with Fernet (AES-128-CBC
and HMAC-SHA256) under a key of their own derived from the pseudonym key, bound to the party that
read the page before, and valid for a day. A cursor carries the choices of its first page (a date,
a filter), so it stands alone: beside them it is refused.

A list that was a JSON array before it was paged keeps its body and names the next page in an RFC
8288 `Link` header (rel="next"), as a reference relative to the request's own URL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

import orjson
from cryptography.fernet import InvalidToken
from fastapi import Depends, Query, Request, Response

from schakel.api.auth import Principal
from schakel.api.examples import parameter
from schakel.api.problems import onjuist_veld
from schakel.events.pseudonym import derived_fernet

T = TypeVar("T")
GELDIG = 86_400  # seconds: long enough to page through a national population, short enough to lapse
# the OpenAPI of a 200 that names its next page in a header
VOLGENDE_PAGINA = {
    "headers": {
        "Link": {
            "description": 'De volgende pagina (RFC 8288, rel="next"), ten opzichte van de URL van dit verzoek, '
            'bijv. `<?vanaf=gAAAA…&paginaGrootte=100>; rel="next"`. Ontbreekt op de laatste pagina.',
            "schema": {"type": "string"},
        }
    }
}


# the page size of a municipality's list
PaginaGrootte = Annotated[int, Query(ge=1, le=1000, openapi_examples=parameter(100))]
GEPAGINEERD = {
    200: VOLGENDE_PAGINA,
    422: {
        "description": "`vanaf` is geen cursor van uw gemeente voor deze lijst van de afgelopen dag "
        "(`ongeldige-cursor`), of staat naast een keuze van de eerste pagina (`niet-met-vanaf`)."
    },
}


def vanaf_query(wat_verandert: str) -> Any:
    """The `vanaf` parameter of a list (a `str | None`): a municipality's lists page by key, so a page
    costs the same wherever it is in the list; `wat_verandert` says what may change while one pages."""
    return Query(
        max_length=1000,
        description='De cursor uit de `Link`-header (rel="next") van de vorige pagina: de pagina daarna, met de '
        f"keuzes van de eerste pagina. Zonder: de eerste pagina. Wat tijdens het bladeren verandert ({wat_verandert}) "
        "kan een keer dubbel of niet verschijnen: begin opnieuw voor een vaste stand.",
        openapi_examples=parameter("gAAAAABpTH3oVb0cZ8wQm2xR1yJk6T_Ns4eUvC5aD9fGhI0jKlMnOpQrStUvWxYz"),
    )


def lezer_van(principal: Principal, lijst: str) -> str:
    """Whom a cursor is sealed for: the party, its municipality and the list."""
    return f"{principal.oin}:{principal.gemeente}:{lijst}"


class Cursors:
    def __init__(self, secret: bytes, purpose: str) -> None:
        self._fernet = derived_fernet(secret, f"cursor: {purpose}")

    def seal(self, caller: str, position: dict[str, Any], now: datetime) -> str:
        return self._fernet.encrypt_at_time(orjson.dumps([caller, position]), int(now.timestamp())).decode()

    def open(self, caller: str, cursor: str, now: datetime, field: str, position: Callable[[dict[str, Any]], T]) -> T:
        """The position sealed for `caller`, read by `position`; another party's cursor is refused as a
        forged, lapsed or unreadable one is (422, as Schakel answers what the schema cannot judge)."""
        try:
            sealed = orjson.loads(self._fernet.decrypt_at_time(cursor, GELDIG, int(now.timestamp())))
            if sealed[0] == caller:
                return position(sealed[1])
        except (InvalidToken, ValueError, KeyError, TypeError, IndexError):
            pass  # a cursor of another layout (an earlier release's) is refused like a forged one
        reden = "Deze cursor is niet (meer) geldig: gebruik binnen een dag de cursor van uw laatste pagina."
        raise onjuist_veld(field, "ongeldige-cursor", "Ongeldige cursor", reden)

    def page(
        self,
        response: Response,
        caller: str,
        read: list[T],
        size: int,
        now: datetime,
        position: Callable[[T], dict[str, Any]],
    ) -> list[T]:
        """The page of a list read `size + 1` long; when more follow, its `Link` names the next page,
        from the `position` of the page's last item."""
        if len(read) > size:
            self.name_next(response, caller, position(read[size - 1]), size, now)
        return read[:size]

    def name_next(self, response: Response, caller: str, position: dict[str, Any], size: int, now: datetime) -> None:
        """Names the page after `position` in the response's `Link` header (rel="next")."""
        query = urlencode({"vanaf": self.seal(caller, position, now), "paginaGrootte": size})
        response.headers["Link"] = f'<?{query}>; rel="next"'


async def app_cursors(request: Request) -> Cursors:
    """A route's dependency on the service's cursors (bootstrap sets `app.state.cursors`)."""
    cursors: Cursors = request.app.state.cursors
    return cursors


AppCursors = Annotated[Cursors, Depends(app_cursors)]


def alleen_vanaf(vanaf: str | None, **keuzes: object) -> None:
    """Refuses (422, the first such field named) a choice made beside `vanaf`: the cursor has its own."""
    naast = [naam for naam, waarde in keuzes.items() if waarde is not None]
    if vanaf is not None and naast:
        reden = "Niet samen met vanaf: de cursor houdt de keuzes van de eerste pagina vast."
        raise onjuist_veld(naast[0], "niet-met-vanaf", "Niet samen met vanaf", reden)
