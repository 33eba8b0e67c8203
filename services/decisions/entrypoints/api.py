"""HTTP routes of the decisions service (paths relative to /api/v1)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from schakel.api import API_PREFIX, Idempotency, IdempotencyKey, Principal, Rol, requires
from schakel.api.types import BsnVeld, Datum, GemeentecodeVeld, Model

from decisions.domain.uitkering import Reden
from decisions.service import uitkeringen
from decisions.service.uitkeringen import Weergave

router = APIRouter(tags=["uitkeringen"])
Gemeente = Annotated[Principal, Depends(requires(Rol.municipality))]
UitkeringId = Annotated[str, Path(description="Id van de uitkering.", pattern=r"^[0-9a-f-]{36}$")]


class UitkeringOpenen(Model):
    bsn: BsnVeld
    geboortedatum: Datum = Field(description="Geboortedatum van de aanvrager.")
    startdatum: Datum = Field(description="Eerste dag van het recht op bijstand.")


class Beeindiging(Model):
    einddatum: Datum = Field(description="Laatste dag van het recht op bijstand.")
    reden: Reden = Field(description="werk, verhuizing of overig.")


class Doelgroepregistratie(Model):
    grond: str | None = Field(description="Grond van de registratie in het doelgroepregister.")
    sinds: Datum


class UitkeringWeergave(Model):
    uitkeringId: str
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld
    geboortedatum: Datum
    startdatum: Datum
    status: Literal["lopend", "beeindigd"]
    einddatum: Datum | None = None
    beeindigingsreden: Reden | None = None
    doelgroepregistratie: Doelgroepregistratie | None = Field(
        None, description="Staat de persoon in het doelgroepregister banenafspraak (volgens de registration-service)?")


def render(view: Weergave) -> dict:
    u, status = view.uitkering, view.deelnamestatus
    registratie = (Doelgroepregistratie(grond=status.grond, sinds=status.ingangsdatum)
                   if status is not None and status.status == "doelgroepregister" else None)
    return UitkeringWeergave(
        uitkeringId=u.uitkering_id, bsn=u.bsn, gemeentecode=u.gemeentecode, geboortedatum=u.geboortedatum,
        startdatum=u.startdatum, status=u.status.value, einddatum=u.einddatum, beeindigingsreden=u.reden,
        doelgroepregistratie=registratie,
    ).model_dump(mode="json")


@router.post("/uitkeringen", status_code=201, response_model=UitkeringWeergave, operation_id="openUitkering",
             summary="Open een bijstandsuitkering voor een inwoner van uw gemeente.",
             responses={409: {"description": "Voor dit BSN loopt al een uitkering."},
                        422: {"description": "Een wettelijke regel staat dit niet toe (bijv. jonger dan 18)."}})
async def open_uitkering(body: UitkeringOpenen, request: Request, principal: Gemeente,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    idempotency = Idempotency(principal, idempotency_key, "openUitkering", body.model_dump(mode="json"))
    status, content = await uitkeringen.open_uitkering(
        request.app.state.service, principal, idempotency, body.bsn, body.geboortedatum, body.startdatum, render)
    return JSONResponse(content, status_code=status,
                        headers={"Location": f"{API_PREFIX}/uitkeringen/{content['uitkeringId']}"})


@router.get("/uitkeringen/{uitkeringId}", response_model=UitkeringWeergave, operation_id="leesUitkering",
            summary="Lees een uitkering van uw gemeente.")
async def lees_uitkering(uitkeringId: UitkeringId, request: Request, principal: Gemeente) -> dict:
    return render(await uitkeringen.lees(request.app.state.service, principal, uitkeringId))


@router.post("/uitkeringen/{uitkeringId}/_beeindig", response_model=UitkeringWeergave,
             operation_id="beeindigUitkering", summary="Beëindig een uitkering per een einddatum.",
             responses={409: {"description": "De uitkering is al beëindigd."},
                        422: {"description": "De einddatum ligt vóór de startdatum."}})
async def beeindig_uitkering(uitkeringId: UitkeringId, body: Beeindiging, request: Request,
                             principal: Gemeente) -> dict:
    return render(await uitkeringen.beeindig(request.app.state.service, principal, uitkeringId,
                                             body.einddatum, body.reden))
