"""HTTP route of the change feed (paths relative to /api/v1): every event published about the
municipality's cases, in the order it committed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, Field

from decisions.entrypoints import examples as vb
from decisions.entrypoints.api import Gemeente, Poorten
from decisions.entrypoints.models import Gebeurtenis as Geschiedenisregel
from decisions.service import gebeurtenissen
from decisions.service.ports import Gebeurtenis
from schakel.api.cursor import GEPAGINEERD, AppCursors, PaginaGrootte, alleen_vanaf, lezer_van, vanaf_query
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.types import ALS_MOMENT

router = APIRouter(tags=["gebeurtenissen"])
Vanaf = Annotated[str | None, vanaf_query("nieuwe gebeurtenissen komen achteraan")]


class Gebeurtenismelding(Geschiedenisregel):
    uitkeringId: str = Field(description="De uitkering waarover de gebeurtenis gaat.")


@router.get(
    "/gebeurtenissen",
    response_model=list[Gebeurtenismelding],
    operation_id="leesGebeurtenissen",
    openapi_extra=voorbeeld([vb.GEBEURTENISMELDING])
    | doelbinding(
        "eigen-dossier",
        "Alleen de gebeurtenissen over de uitkeringen van uw gemeente, zonder BSN of inhoud: het systeem van de "
        "gemeente leest de uitkering of verrekening met haar id, zoals het dat na een webhook doet.",
    ),
    responses=GEPAGINEERD,
    summary="Wat er met de uitkeringen van uw gemeente gebeurde, in de volgorde waarin het is vastgelegd, per "
    "pagina: om bij te blijven of terug te lezen wat u miste.",
    description="Elke gebeurtenis die Schakel over een uitkering van uw gemeente publiceerde (dezelfde als op de "
    "topics en in de webhooks, met hun eventId), in de volgorde waarin zij is vastgelegd: een gebeurtenis die "
    "later verschijnt, staat altijd na wat u al las. Elke pagina met gebeurtenissen noemt in de Link-header "
    "(rel=next) de plek erna, ook de laatste: lees met die cursor later verder (een lege pagina: er is nog niets "
    "nieuws, probeer dezelfde cursor later opnieuw). Een cursor geldt een dag; wie langer wegblijft, begint "
    "opnieuw met vanafTijdstip (het tijdstip van de laatste gebeurtenis die u verwerkte; ontdubbel op eventId). "
    "Bijvoorbeeld na een gestopt abonnement: vanafTijdstip=gestoptOp.",
)
async def lees_gebeurtenissen(
    poorten: Poorten,
    cursors: AppCursors,
    principal: Gemeente,
    response: Response,
    vanafTijdstip: Annotated[
        AwareDatetime | None,
        ALS_MOMENT,
        Query(
            description="Alleen gebeurtenissen die op of na dit tijdstip (met tijdzone) zijn gepubliceerd.",
            openapi_examples=parameter("2026-11-05T06:00:00Z"),
        ),
    ] = None,
    vanaf: Vanaf = None,
    paginaGrootte: PaginaGrootte = 1000,
) -> list[dict]:
    alleen_vanaf(vanaf, vanafTijdstip=vanafTijdstip)
    lezer, nu = lezer_van(principal, "gebeurtenissen"), poorten.clock.now()
    na = None
    if vanaf is not None:
        vanafTijdstip, na = cursors.open(lezer, vanaf, nu, "vanaf", _positie)
    gelezen = await gebeurtenissen.lijst(poorten, principal, vanafTijdstip, na, paginaGrootte)
    if gelezen:  # also after the last page: a feed is read on from where it stands
        volgende = {
            "vanaf": cursors.seal(lezer, _verzegeld(vanafTijdstip, gelezen[-1]), nu),
            "paginaGrootte": paginaGrootte,
        }
        response.headers["Link"] = f'<?{urlencode(volgende)}>; rel="next"'
    return [_weergave(g) for g in gelezen]


def _verzegeld(vanaf: datetime | None, g: Gebeurtenis) -> dict[str, Any]:
    return {"vanafTijdstip": None if vanaf is None else vanaf.isoformat(), "na": list(g.positie)}


def _positie(verzegeld: dict[str, Any]) -> tuple[datetime | None, tuple[int, int]]:
    vanaf, (xact, rij) = verzegeld["vanafTijdstip"], verzegeld["na"]
    return (None if vanaf is None else datetime.fromisoformat(vanaf)), (int(xact), int(rij))


def _weergave(g: Gebeurtenis) -> dict:
    return Gebeurtenismelding(
        uitkeringId=g.uitkering_id, type=g.type, tijdstip=g.tijdstip, maand=g.maand, eventId=g.event_id
    ).model_dump()
