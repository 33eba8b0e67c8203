"""HTTP routes of the reapplication service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from schakel.api import Principal, Rol, requires
from schakel.api.types import Datum, Model, Zoekvraag

from reapplication.service import termijnen

router = APIRouter(tags=["heraanvraagtermijnen"])


class Termijn(Model):
    uitkeringId: str = Field(description="De beëindigde uitkering waarop de termijn volgt.")
    einddatum: Datum = Field(description="Laatste dag van die uitkering.")
    geldigTot: Datum = Field(description="Tot en met deze dag kan een heraanvraag de bekende gegevens hergebruiken.")


class Zoekresultaat(Model):
    openTermijn: Termijn | None = Field(description="De open heraanvraagtermijn in uw gemeente, of null.")


@router.post("/heraanvraagtermijnen/_zoek", response_model=Zoekresultaat, operation_id="zoekHeraanvraagtermijn",
             summary="Heeft deze persoon een open heraanvraagtermijn in uw gemeente? (BSN in de body)")
async def zoek(body: Zoekvraag, request: Request,
               principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    termijn = await termijnen.open_termijn(request.app.state.service, principal, body.bsn, date.today())
    open_termijn = Termijn(uitkeringId=termijn.uitkering_id, einddatum=termijn.einddatum,
                           geldigTot=termijn.geldig_tot) if termijn else None
    return Zoekresultaat(openTermijn=open_termijn).model_dump(mode="json")
