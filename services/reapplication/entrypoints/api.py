"""HTTP routes of the reapplication service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from schakel.api import Principal, Rol, requires
from schakel.api.types import Datum, Geheel, Model, Zoekvraag

from reapplication.service import termijnen

router = APIRouter(tags=["heraanvraagtermijnen"])


class Situatie(Model):
    huishouden: Literal["alleenstaand", "alleenstaande-ouder", "gehuwd"]
    partnerGeboortedatum: Datum | None
    jongsteKindGeboortedatum: Datum | None
    kostendelers: int
    medischUrenbeperkt: bool
    loonkostensubsidie: bool
    meerUrenNietMogelijk: bool
    vrijlatingsregime: Literal["per-datum", "in-balans"]
    betaalmodel: Literal["voorschot", "stabiel-inkomen"]


class Klokstand(Model):
    grond: str
    maandenGebruikt: int


class Hergebruik(Model):
    geboortedatum: Datum
    situatie: Situatie = Field(description="De huishoudsituatie, medebewoners en gronden op de einddatum.")
    vrijlatingsklok: list[Klokstand] = Field(description="De al gebruikte maanden per vrijlatingsgrond.")


class Termijn(Model):
    uitkeringId: str = Field(description="De beëindigde uitkering waarop de termijn volgt.")
    einddatum: Datum = Field(description="Laatste dag van die uitkering.")
    geldigTot: Datum = Field(description="Tot en met deze dag kan een heraanvraag de bekende gegevens hergebruiken.")
    hergebruik: Hergebruik | None = Field(description="Wat de heraanvraag hergebruikt; alleen de wijzigingen worden "
                                                       "nog gevraagd.")


class TermijnbeleidInvoer(Model):
    geldigVanaf: Datum = Field(description="Voor uitkeringen die op of na deze dag eindigen.")
    maanden: Geheel(1, 36, "Lengte van de heraanvraagtermijn in maanden.")


class Termijnbeleid(Model):
    standaardMaanden: int = Field(description="Zonder eigen beleid: 12 maanden (art. 43a Participatiewet).")
    regels: list[TermijnbeleidInvoer]


class Zoekresultaat(Model):
    openTermijn: Termijn | None = Field(description="De open heraanvraagtermijn in uw gemeente, of null.")


@router.post("/heraanvraagtermijnen/_zoek", response_model=Zoekresultaat, operation_id="zoekHeraanvraagtermijn",
             summary="Heeft deze persoon een open heraanvraagtermijn in uw gemeente? (BSN in de body)")
async def zoek(body: Zoekvraag, request: Request,
               principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    termijn = await termijnen.open_termijn(request.app.state.service, principal, body.bsn, date.today())
    open_termijn = Termijn(uitkeringId=termijn.uitkering_id, einddatum=termijn.einddatum,
                           geldigTot=termijn.geldig_tot, hergebruik=termijn.hergebruik) if termijn else None
    return Zoekresultaat(openTermijn=open_termijn).model_dump(mode="json")



@router.get("/termijnbeleid", response_model=Termijnbeleid, operation_id="leesTermijnbeleid", tags=["termijnbeleid"],
            summary="De lengte van de heraanvraagtermijn in de eigen gemeente, per ingangsdatum.")
async def lees_beleid(request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    regels = await termijnen.beleid(request.app.state.service, principal)
    return {"standaardMaanden": request.app.state.service.settings.termijn_maanden,
            "regels": [{"geldigVanaf": vanaf, "maanden": maanden} for vanaf, maanden in regels]}


@router.put("/termijnbeleid", response_model=Termijnbeleid, operation_id="zetTermijnbeleid", tags=["termijnbeleid"],
            summary="Stel de heraanvraagtermijn van de eigen gemeente in vanaf een datum (voor uitkeringen die "
                    "vanaf dan eindigen).")
async def zet_beleid(body: TermijnbeleidInvoer, request: Request,
                     principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    await termijnen.zet_beleid(request.app.state.service, principal, body.geldigVanaf, body.maanden)
    return await lees_beleid(request, principal)
