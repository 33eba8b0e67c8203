"""HTTP route of the change feed (paths relative to /api/v1): every event published about the
municipality's cases, in the order it committed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import AfterValidator, AwareDatetime, Field

from decisions.entrypoints import examples as vb
from decisions.entrypoints.api import Gemeente, Poorten
from decisions.entrypoints.models import Gebeurtenis as Geschiedenisregel
from decisions.service import gebeurtenissen
from decisions.service.ports import Gebeurtenis
from schakel.api.cursor import GEPAGINEERD, AppCursors, PaginaGrootte, alleen_vanaf, lezer_van, vanaf_query
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.router import Router
from schakel.api.types import ALS_MOMENT, DATUM_MAX, DATUM_MIN

router = Router(tags=["gebeurtenissen"])
BEGIN, EINDE = (datetime.combine(dag, time(), UTC) for dag in (DATUM_MIN, DATUM_MAX + timedelta(days=1)))


def _binnen_de_jaren(moment: datetime) -> datetime:
    """Every event lies within the years Schakel takes: a moment before them reads from the start (a
    client's zero time, 0001-01-01T00:00:00Z), one after them nothing. In UTC, as stored; never past the
    calendar there (0001-01-01T00:00:00+14:00 lies in year 0 in UTC: converted as it came, a 500)."""
    return min(max(moment, BEGIN), EINDE).astimezone(UTC)


# unlike the other lists, the feed names where to read on also on its last page (and on an empty one)
VOLGENDE_PLEK = {
    "headers": {
        "Link": {
            "description": 'Waar u verder leest (RFC 8288, rel="next"), ten opzichte van de URL van dit verzoek, '
            'bijv. `<?vanaf=gAAAA…&paginaGrootte=100>; rel="next"`. Ook op de laatste pagina, en op een lege '
            "pagina die met een cursor is gelezen (dezelfde plek, opnieuw een dag geldig). Ontbreekt alleen op een "
            "lege eerste pagina.",
            "schema": {"type": "string"},
        }
    }
}
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
    responses=GEPAGINEERD | {200: VOLGENDE_PLEK},
    summary="Wat er met de uitkeringen van uw gemeente gebeurde, in de volgorde waarin het is vastgelegd, per "
    "pagina: om bij te blijven of terug te lezen wat u miste.",
    description="Elke gebeurtenis die Schakel over een uitkering van uw gemeente publiceerde (dezelfde als op de "
    "topics en in de webhooks, met hun eventId), in de volgorde waarin zij is vastgelegd: een gebeurtenis die "
    "later verschijnt, staat altijd na wat u al las. Elke pagina met gebeurtenissen noemt in de Link-header "
    "(rel=next) de plek erna, ook de laatste: lees met die cursor later verder (een lege pagina: er is nog niets "
    "nieuws; ook zij noemt de plek, met een cursor die weer een dag geldt). Een cursor geldt een dag; wie langer "
    "wegblijft, begint opnieuw met vanafTijdstip: enkele minuten vóór het tijdstip van de laatste gebeurtenis die "
    "u verwerkte (tijdstip is wanneer zij werd gepubliceerd, niet de volgorde waarin zij is vastgelegd), en "
    "ontdubbel op eventId. Ook na een gestopt abonnement: niet vanaf gestoptOp, want wat toen nog wachtte, is "
    "ervoor gepubliceerd.",
)
async def lees_gebeurtenissen(
    poorten: Poorten,
    cursors: AppCursors,
    principal: Gemeente,
    response: Response,
    vanafTijdstip: Annotated[
        Annotated[AwareDatetime, ALS_MOMENT, AfterValidator(_binnen_de_jaren)] | None,
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
    # also after the last page: a feed is read on from where it stands. An empty page read with a cursor
    # seals the same place anew, or a follower of a feed quiet for a day would find its cursor lapsed
    positie = gelezen[-1].positie if gelezen else na
    if positie is not None:
        cursors.name_next(response, lezer, _verzegeld(vanafTijdstip, positie), paginaGrootte, nu)
    return [_weergave(g) for g in gelezen]


def _verzegeld(vanaf: datetime | None, positie: tuple[int, int]) -> dict[str, Any]:
    return {"vanafTijdstip": None if vanaf is None else vanaf.isoformat(), "na": list(positie)}


def _positie(verzegeld: dict[str, Any]) -> tuple[datetime | None, tuple[int, int]]:
    vanaf, (xact, rij) = verzegeld["vanafTijdstip"], verzegeld["na"]
    return (None if vanaf is None else datetime.fromisoformat(vanaf)), (int(xact), int(rij))


def _weergave(g: Gebeurtenis) -> dict:
    return Gebeurtenismelding(
        uitkeringId=g.uitkering_id, type=g.type, tijdstip=g.tijdstip, maand=g.maand, eventId=g.event_id
    ).model_dump()
