"""The console's API, read by its own page (`static/`): the overview, the dead letters and their
replay, the webhook subscriptions and their pause. An operator sees everything and may replay and
pause; a municipality reads only its own figures and subscriptions."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path as FilePath
from typing import Annotated, TypeVar

import httpx
from fastapi import Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.responses import FileResponse, Response

from console.service import overzicht as views
from console.service import programmacijfers as cijfers
from console.service.ports import Pauzeactie, Ports, Weigering
from schakel.api import Principal, Rol, app_ports, requires
from schakel.api.problems import Problem, later, standard
from schakel.api.programmacijfers import ANTWOORDEN, Tot, Van
from schakel.api.router import Router
from schakel.messaging.replay import posities
from schakel.primitives.cijfers import Periode

router = Router(tags=["console"])
Lezer = Annotated[Principal, Depends(requires(Rol.operator, Rol.municipality))]
Beheerder = Annotated[Principal, Depends(requires(Rol.operator))]
Poorten = Annotated[Ports, Depends(app_ports)]
STATIC = FilePath(__file__).resolve().parent.parent / "static"
MAX_OVERGESLAGEN = 20
BROKER_WEG = {503: {"description": "De broker antwoordt nu niet op tijd; probeer het later opnieuw."}}
# the page loads only its own script and style, and talks only to this origin
SECURITY = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get(
    "/overzicht",
    operation_id="leesOverzicht",
    summary="De gezondheid van elke stroom, dienst en de cijfers.",
    responses=BROKER_WEG,
)
async def lees_overzicht(poorten: Poorten, principal: Lezer) -> dict:
    return await views.overzicht(poorten, principal)


@router.get(
    "/dode-brieven",
    operation_id="leesDodeBrieven",
    summary="De records op de dead-letter-topics die nog niet opnieuw zijn aangeboden: herkomst en reden, "
    "nooit de inhoud.",
    responses=BROKER_WEG,
)
async def lees_dode_brieven(poorten: Poorten, _: Beheerder) -> list[dict]:
    return await views.dode_brieven(poorten)


class Herhaling(BaseModel):
    model_config = ConfigDict(extra="forbid")
    overslaan: list[Annotated[str, StringConstraints(pattern=r"^[0-9]{1,5}@[0-9]{1,19}$")]] = Field(
        default_factory=list,
        max_length=1000,
        description="Dode brieven die niet terug gaan (partitie@offset, zoals de lijst ze noemt).",
    )


@router.post(
    "/dode-brieven/{topic}/_herhaal",
    operation_id="herhaalDodeBrieven",
    summary="Biedt de records van een dead-letter-topic opnieuw aan het oorspronkelijke topic aan (na een "
    "herstel). Consumenten slaan wat ze al verwerkten over; wat nooit mag worden toegepast (een oude toekenning "
    "die een uitkering zou openen), noemt u in overslaan: partitie@offset.",
    responses=BROKER_WEG,
)
async def herhaal(
    topic: Annotated[str, Path(pattern=r"^[a-z0-9-]{1,100}\.dlq$")],
    poorten: Poorten,
    principal: Beheerder,
    body: Herhaling | None = None,
) -> dict:
    overslaan = posities(",".join(body.overslaan if body else []))  # as `make replay-dlq OVERSLAAN=` reads them
    try:
        uitkomst = await views.herhaal(poorten, principal, topic, overslaan)
        # a record left (its value left out or unreadable, naming a topic whose dead letters go elsewhere,
        # or one gone or refusing it) is no longer among the dead letters: named here, with where it is and why
        return {
            "topic": topic,
            "aantal": uitkomst.replayed,
            "aantalOvergeslagen": len(uitkomst.skipped),
            "overgeslagen": uitkomst.skipped[:MAX_OVERGESLAGEN],  # the first, as an answer a page can show
            # named to leave out but never met (a typo, or already past): what was meant may have gone back
            "nietGevonden": uitkomst.not_met,
        }
    except views.GeenDlq:
        raise standard(404, f"{topic} is geen dead-letter-topic.") from None


@router.get(
    "/abonnementen",
    operation_id="leesAbonnementen",
    summary="De webhookabonnementen met hun circuit, zoals decisions ze de aanroeper toont.",
)
async def lees_abonnementen(request: Request, poorten: Poorten, _: Lezer) -> list[dict]:
    return await _van_decisions(poorten.bronnen.abonnementen(_token(request)))


@router.post(
    "/abonnementen/{abonnementId}/{actie}",
    operation_id="onderbreekAbonnement",
    summary="Pauzeer (_pauzeer) een webhookabonnement, of hef de pauze van de beheerder op (_hervat), in decisions: "
    "de pauze van de gemeente zelf blijft staan tot zij die opheft. Geeft het abonnement zoals het daarna is.",
    responses={
        404: {"description": "Geen abonnement met dit id."},
        409: {"description": "Het abonnement is gestopt."},
        503: {
            "description": "decisions antwoordt niet, of weigert de vraag van de console; kwam de vraag aan en het "
            "antwoord niet, dan kan de wijziging wel zijn doorgevoerd (detail)."
        },
    },
)
async def onderbreek(
    request: Request,
    abonnementId: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")],
    actie: Annotated[Pauzeactie, Path()],
    poorten: Poorten,
    _: Beheerder,
) -> dict:
    # decisions' 404 and 409 are about the subscription: the operator's to read
    vraag = poorten.bronnen.onderbreek(_token(request), abonnementId, actie)
    return await _van_decisions(vraag, (404, 409), wijzigt=True)


T = TypeVar("T")
ONBEVESTIGD = "wijziging-onbevestigd"  # the problem's code where a change sent may have been made
# what httpx raises when nothing of the request went out: no connection (refused, timed out, none free
# in the pool, the proxy's refused), or a URL it cannot send to
NIET_VERZONDEN = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)


def _token(request: Request) -> str:
    """The caller's own bearer token, which the console asks the services with."""
    return request.headers["authorization"].partition(" ")[2].strip()


async def _van_decisions(vraag: Awaitable[T | Weigering], doorgeven: tuple[int, ...] = (), wijzigt: bool = False) -> T:
    """decisions' answer to the console's question. One that does not come is an outage (503, ask again
    later); a refusal with a status of `doorgeven` is passed on as it is, any other is a setting or a right,
    not an outage (503), except its rate limit (the caller's own budget there): ask again later. A change
    (`wijzigt`) whose answer did not come once it was sent may have been made all the same."""
    try:
        antwoord = await vraag
    except httpx.HTTPError as exc:
        fout = exc.__class__.__name__
        # the console's own deadline (TeLaat) says whether the request had gone out when it passed
        verzonden = getattr(exc, "verzonden", not isinstance(exc, NIET_VERZONDEN))
        if wijzigt and verzonden:
            detail = (
                f"decisions gaf geen (bruikbaar) antwoord ({fout}): de wijziging kan wel zijn doorgevoerd. "
                "De lijst van abonnementen toont hoe het nu staat."
            )
            raise Problem(503, ONBEVESTIGD, "Wijziging niet bevestigd", detail, headers=later()) from None
        raise standard(503, f"decisions antwoordt niet ({fout}).", headers=later()) from None
    if not isinstance(antwoord, Weigering):
        return antwoord
    if antwoord.status in doorgeven:
        raise standard(antwoord.status, antwoord.detail)
    raise standard(
        503,
        f"decisions weigert de vraag ({antwoord.status}: {antwoord.detail})",
        headers=later() if antwoord.status == 429 else None,
    )


@router.get(
    "/programmacijfers",
    operation_id="leesProgrammacijfers",
    summary="De cijfers van het programma over een periode, van elke dienst die ze berekent, zoals de "
    "aanroeper ze mag zien (een gemeente de eigen, de operator landelijk en per gemeente).",
    responses=ANTWOORDEN,  # the console judges the period as the services do (Periode.afgesloten)
)
async def lees_programmacijfers(request: Request, van: Van, tot: Tot, poorten: Poorten, _: Lezer) -> dict:
    return await cijfers.programmacijfers(poorten, _token(request), Periode.afgesloten(van, tot, poorten.clock.today()))


async def pagina(request: Request) -> Response:
    name = request.path_params.get("bestand", "index.html")
    media = {"index.html": "text/html", "console.js": "text/javascript", "console.css": "text/css"}
    if name not in media:  # an error is a problem here too, as on every route of the API
        raise standard(404, "De console heeft alleen haar pagina, haar script en haar stijl.")
    return FileResponse(STATIC / name, media_type=media[name], headers=SECURITY)
