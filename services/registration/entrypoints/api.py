"""HTTP routes of the registration service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from schakel.api import Principal, Rol, requires
from schakel.api.types import Datum, GemeentecodeVeld, Model, Zoekvraag

from registration.service import doelgroepregister

router = APIRouter(tags=["deelnamestatussen"])


class Doelgroepregistratie(Model):
    grond: str
    startdatum: Datum
    einddatum: Datum | None = None


class Deelnamestatus(Model):
    gemeentecode: GemeentecodeVeld
    status: Literal["geen", "doelgroepregister"] = Field(description="De status vandaag.")
    doelgroepregistraties: list[Doelgroepregistratie] = Field(description="De gedateerde geschiedenis.")


@router.post("/deelnamestatussen/_zoek", response_model=Deelnamestatus, operation_id="zoekDeelnamestatus",
             summary="De deelnamestatus van een persoon en de geschiedenis ervan (BSN in de body).",
             responses={404: {"description": "Geen deelnamestatus bekend die u mag zien."}})
async def zoek(body: Zoekvraag, request: Request,
               principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.uwv))]) -> dict:
    gemeentecode, huidig, registraties = await doelgroepregister.status(
        request.app.state.service, principal, body.bsn, date.today())
    return Deelnamestatus(
        gemeentecode=gemeentecode, status="doelgroepregister" if huidig else "geen",
        doelgroepregistraties=[Doelgroepregistratie(grond=r.grond, startdatum=r.startdatum, einddatum=r.einddatum)
                               for r in registraties],
    ).model_dump(mode="json")
