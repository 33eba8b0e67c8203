"""HTTP route of the worklist (paths relative to /api/v1): the months of a municipality's cases that
wait for a caseworker."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Response
from pydantic import Field

from decisions.entrypoints import examples as vb
from decisions.entrypoints.api import Gemeente, Poorten
from decisions.entrypoints.models import InkomstenverhoudingSleutel, TeBeoordelen
from decisions.service import werkvoorraad
from decisions.service.ports import Positie, Wachtend
from schakel.api.cursor import GEPAGINEERD, AppCursors, PaginaGrootte, alleen_vanaf, lezer_van, vanaf_query
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.router import Router
from schakel.events import models as m

router = Router(tags=["werkvoorraad"])
Soort = Literal["inkomstensoort", "partner", "norm", "bedragen"]
Vanaf = Annotated[str | None, vanaf_query("een maand die gaat wachten of wordt verrekend")]


class WachtendeMaand(TeBeoordelen):
    uitkeringId: str = Field(description="De uitkering van de maand.")
    soort: Soort = Field(description=m.Wachtmaand.model_fields["soort"].description)
    reden: str = Field(description="Wat de consulent moet vastleggen.")
    gesignaleerdOp: datetime = Field(
        description="Wanneer een verrekening de maand (om deze reden) op de werkvoorraad zette: sinds dan wacht zij. "
        "Voor een maand die al wachtte vóór versie 0.19.0: toen die versie alle uitkeringen opnieuw verrekende."
    )


@router.get(
    "/werkvoorraad",
    response_model=list[WachtendeMaand],
    operation_id="leesWerkvoorraad",
    openapi_extra=voorbeeld([vb.WACHTENDE_MAAND])
    | doelbinding(
        "eigen-dossier",
        "Alleen de maanden van de uitkeringen van uw gemeente, zonder BSN: de consulent opent de uitkering met haar "
        "id. Elke verrekening van een uitkering houdt haar maanden hier bij; een maand verdwijnt zodra zij wordt "
        "verrekend.",
    ),
    responses=GEPAGINEERD,
    summary="De maanden van uw uitkeringen die op een consulent wachten, langst wachtend eerst, per pagina "
    "(bijv. soort=inkomstensoort).",
    description="Een maand wacht als Schakel haar niet zelf kan verrekenen: de soort van een inkomen is onbekend, "
    "de partner heeft geen BSN in de uitkering, de norm van een jongere met een partner of kind is niet vastgelegd, "
    "of de bedragen van de bijstand over de maand zijn nog niet bekend. Wat er bij komt, meldt "
    "verrekening.te-beoordelen (ook als webhook).",
)
async def lees_werkvoorraad(
    poorten: Poorten,
    cursors: AppCursors,
    principal: Gemeente,
    response: Response,
    soort: Annotated[
        Soort | None,
        Query(description="Alleen de maanden die om deze reden wachten.", openapi_examples=parameter("inkomstensoort")),
    ] = None,
    vanaf: Vanaf = None,
    paginaGrootte: PaginaGrootte = 1000,
) -> list[dict]:
    alleen_vanaf(vanaf, soort=soort)
    lezer, nu = lezer_van(principal, "werkvoorraad"), poorten.clock.now()
    na = None
    if vanaf is not None:
        soort, na = cursors.open(lezer, vanaf, nu, "vanaf", _positie)
    gelezen = await werkvoorraad.lijst(poorten, principal, soort, na, paginaGrootte + 1, getoond=paginaGrootte)
    pagina = cursors.page(response, lezer, gelezen, paginaGrootte, nu, lambda w: _verzegeld(soort, w))
    return [_weergave(w) for w in pagina]


def _verzegeld(soort: str | None, w: Wachtend) -> dict[str, Any]:
    sinds, *rest = w.positie
    return {"soort": soort, "na": [sinds.isoformat(), *rest]}


def _positie(verzegeld: dict[str, Any]) -> tuple[Any, Positie]:
    sinds, uitkering_id, maand, wie, soort = verzegeld["na"]
    return verzegeld["soort"], (datetime.fromisoformat(sinds), uitkering_id, maand, wie, soort)


def _weergave(w: Wachtend) -> dict:
    return WachtendeMaand(
        uitkeringId=w.uitkering_id,
        maand=str(w.maand),
        wie=w.wie,
        soort=w.soort,
        reden=w.reden,
        inkomstenverhoudingen=[
            InkomstenverhoudingSleutel(loonheffingennummer=lhn, inkomstenverhouding=nummer)
            for lhn, nummer in w.inkomstenverhoudingen
        ],
        gesignaleerdOp=w.sinds,
    ).model_dump()
