"""HTTP routes of the income service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from schakel.api import Principal, Rol, requires
from schakel.api.types import BsnVeld, Datum, GemeentecodeVeld, Model

from income.service import populatie

router = APIRouter(tags=["populatie"])


class Lid(Model):
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld


class Populatie(Model):
    peildatum: Datum
    pagina: int
    paginaGrootte: int
    totaal: int = Field(description="Aantal personen in de populatie op de peildatum.")
    personen: list[Lid]


@router.get("/populatie", response_model=Populatie, operation_id="leesPopulatie",
            summary="De personen voor wie polisgegevens geleverd mogen worden (lopende uitkering).")
async def lees_populatie(
    request: Request,
    principal: Annotated[Principal, Depends(requires(Rol.data_provider))],
    peildatum: Annotated[Datum | None, Query(description="Standaard vandaag.")] = None,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    paginaGrootte: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict:
    peildatum = peildatum or date.today()
    totaal, rows = await populatie.leden(request.app.state.service, peildatum, pagina, paginaGrootte)
    return Populatie(peildatum=peildatum, pagina=pagina, paginaGrootte=paginaGrootte, totaal=totaal,
                     personen=[Lid(bsn=r.bsn, gemeentecode=r.gemeentecode) for r in rows]).model_dump(mode="json")
