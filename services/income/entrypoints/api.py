"""HTTP routes of the income service (paths relative to /api/v1)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field, create_model

from schakel.api import API_PREFIX, Idempotent, Principal, Problem, Rol, requires
from schakel.api.edge import MiB, MaxBody
from schakel.api.problems import OngeldigeParameter
from schakel.api.types import Zoekvraag as ZoekBsn
from schakel.api.types import BsnVeld, Datum, Geheel, GemeentecodeVeld, MaandVeld, Model
from schakel.primitives import Maand

from income.domain.toerekening import Toerekening
from income.entrypoints.aangifte import AangifteInvoer, Regel, als_invoer
from income.service import aangiften, inzage, populatie

router = APIRouter()
LeveringId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$",
                                  description="Kenmerk van de levering, uniek per leverancier.")]
MAX_AANGIFTEN = 50_000
# 50.000 declarations with every field filled take 30 MB as compact JSON (14 MB with only the
# required ones), 36 MB indented; 48 MiB leaves room for the largest amounts and whitespace
MAX_LEVERING = 48 * MiB


GEEN_UITKERING = {404: {"description": "Geen lopende uitkering van uw gemeente voor deze persoon."}}


# --- population -------------------------------------------------------------------------------

class Lid(Model):
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld


class Populatie(Model):
    peildatum: Datum
    pagina: int
    paginaGrootte: int
    totaal: int = Field(description="Aantal personen in de populatie op de peildatum.")
    personen: list[Lid]


@router.get("/populatie", response_model=Populatie, operation_id="leesPopulatie", tags=["populatie"],
            summary="De personen voor wie polisgegevens geleverd mogen worden: lopende uitkering of open "
                    "heraanvraagtermijn.")
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


# --- deliveries -------------------------------------------------------------------------------

def _elk_object(schema: dict) -> None:
    # each object is judged on its own: one that breaks AangifteInvoer is answered "afgewezen"
    # in the result, while the rest of the delivery is processed
    schema["items"] = {"anyOf": [schema["items"], {"type": "object"}]}


class Levering(Model):
    leveringId: LeveringId
    aangiften: Annotated[list[Regel], Field(
        min_length=1, max_length=MAX_AANGIFTEN, json_schema_extra=_elk_object,
        description="Aangiften (AangifteInvoer). Een aangifte die de regels breekt, wordt per aangifte afgewezen; "
                    "de andere worden verwerkt.")]


class Uitkomst(Model):
    volgnummer: int = Field(description="Positie van de aangifte in de levering, vanaf 0.")
    uitkomst: aangiften.Uitkomst
    fouten: list[OngeldigeParameter] | None = Field(None, description="Alleen bij afgewezen: welk veld, welke regel.")


class Aantallen(Model):
    geaccepteerd: int
    correctie: int
    herhaling: int
    buitenPopulatie: int
    afgewezen: int


class Leveringsresultaat(Model):
    leveringId: LeveringId
    aantallen: Aantallen
    resultaten: list[Uitkomst]


class Leveringsstatus(Model):
    leveringId: LeveringId
    kanaal: Literal["http", "kafka"]
    ontvangenOp: datetime
    bijgewerktOp: datetime
    aantallen: Aantallen


@router.post("/leveringen", response_model=Leveringsresultaat, operation_id="leverAangiften", tags=["leveringen"],
             response_model_exclude_none=True, dependencies=[Depends(MaxBody(MAX_LEVERING))],
             status_code=201, responses={200: {"model": Leveringsresultaat, "description": "Herhaalde levering: "
                                               "het eerste antwoord, niets gewijzigd."},
                                    409: {"description": "Dit leveringId hoort bij een andere levering."}},
             summary="Lever polisaangiften aan; het antwoord geeft per aangifte de uitkomst.")
async def lever(request: Request, response: Response, levering: Levering,
                principal: Annotated[Principal, Depends(requires(Rol.data_provider))]) -> dict:
    vingerafdruk = hashlib.sha256(await request.body()).hexdigest()
    nieuw, antwoord = await aangiften.lever(request.app.state.service, principal, levering.leveringId,
                                            levering.aangiften, vingerafdruk)
    response.status_code = 201 if nieuw else 200
    response.headers["Location"] = f"{API_PREFIX}/leveringen/{levering.leveringId}"
    return antwoord


@router.get("/leveringen/{leveringId}", response_model=Leveringsstatus, operation_id="leesLevering",
            tags=["leveringen"],
            summary="Verwerkingsstatus van een eigen levering (aantallen per uitkomst).")
async def lees_levering(request: Request, leveringId: Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")],
                        principal: Annotated[Principal, Depends(requires(Rol.data_provider))]) -> dict:
    return await aangiften.levering_status(request.app.state.service, principal, leveringId)


AangifteInvoerZonderBsn = create_model("AangifteZonderBsn", __base__=Model, **{
    name: (f.annotation, f) for name, f in AangifteInvoer.model_fields.items() if name != "bsn"})


# --- monthly incomes --------------------------------------------------------------------------

class Berekening(Model):
    fiscaalLoon: int
    waardePriveGebruikAuto: int
    ingehoudenLoonheffing: int
    ingehoudenBijdrageZvw: int
    premieWgaWerknemer: int
    vakantiebijslagBetaald: int
    nettoTijdvak: int = Field(description="Indicatief netto van het hele tijdvak: fiscaal loon − privégebruik auto − "
                                          "loonheffing − bijdrage Zvw − premie WGA werknemer.")
    nettoVakantiebijslagTijdvak: int


class Bijdrage(Model):
    loonheffingennummer: str
    inkomstenverhouding: int
    eindeInkomstenverhouding: date | None
    tijdvakBegin: date
    tijdvakEinde: date
    versie: int = Field(description="Versie van de aangifte over dit tijdvak (1 = eerste, hoger = correctie).")
    dagen: int = Field(description="Dagen van het tijdvak die in deze maand tellen.")
    dagenTijdvak: int
    nettoInkomen: int = Field(description="Deel van het netto loon in deze maand, in centen.")
    vakantiebijslag: int
    berekening: Berekening


class Overschrijving(Model):
    nettoInkomen: int
    reden: str


class Maandinkomen(Model):
    maand: MaandVeld
    nettoInkomen: int = Field(description="Vastgesteld netto inkomen uit arbeid in de maand, in centen.")
    vakantiebijslag: int = Field(description="Netto vakantiebijslag betaald in de maand, in centen.")
    bron: Literal["polis", "overschrijving"]
    teBeoordelen: bool = Field(description="Na een overschrijving kwam een nieuwere polisversie binnen; niet "
                                           "automatisch toegepast.")
    polisNettoInkomen: int = Field(description="Wat de polis voor deze maand geeft.")
    overschrijving: Overschrijving | None
    bijdragen: list[Bijdrage]


class Maandinkomens(Model):
    bsn: BsnVeld
    maanden: list[Maandinkomen]


class Zoekvraag(Model):
    bsn: BsnVeld
    vanMaand: MaandVeld
    totMaand: MaandVeld



class OverschrijvingInvoer(Model):
    bsn: BsnVeld
    maand: MaandVeld
    nettoInkomen: Geheel(0, 10**9, "Netto inkomen in eurocenten.")
    reden: Annotated[str, Field(min_length=3, max_length=500, description="Bijv. 'loonstrook maart ontvangen'.")]


class Intrekking(Model):
    bsn: BsnVeld
    maand: MaandVeld


class Aangifteversie(AangifteInvoerZonderBsn):
    versie: int = Field(description="1 = eerste aangifte over dit tijdvak, hoger = correctie.")
    actueel: bool = Field(description="False: vervangen door een latere versie (bewaard voor de verantwoording).")
    leveringId: LeveringId
    ontvangenOp: datetime


class Aangifteversies(Model):
    bsn: BsnVeld
    aangiften: list[Aangifteversie]


class Beleid(Model):
    toerekening: Toerekening = Field(description="Naar rato van dagen (standaard) of naar de maand van het "
                                                 "einde van het tijdvak.")


@router.post("/maandinkomens/_zoek", response_model=Maandinkomens, operation_id="zoekMaandinkomens",
             tags=["maandinkomens"],
             responses=GEEN_UITKERING | {422: {"description": "vanMaand ligt na totMaand."}},
             summary="Netto inkomen per kalendermaand van een persoon, met herkomst (BSN in de body).")
async def zoek_maandinkomens(request: Request, vraag: Zoekvraag,
                             principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    if vraag.vanMaand > vraag.totMaand:
        raise Problem(422, "ongeldige-periode", "Ongeldige periode", "vanMaand ligt na totMaand.",
                      [OngeldigeParameter(name="vanMaand", code="volgorde", reason="vanMaand ligt na totMaand")])
    return await inzage.zoek(request.app.state.service, principal, vraag.bsn, Maand.parse(vraag.vanMaand),
                             Maand.parse(vraag.totMaand))


@router.post("/aangiften/_zoek", response_model=Aangifteversies, operation_id="zoekAangiften",
             tags=["maandinkomens"], responses=GEEN_UITKERING,
             summary="Alle versies van de polisaangiften van een persoon, ook vervangen versies (BSN in de body).")
async def zoek_aangiften(request: Request, vraag: ZoekBsn,
                         principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    rows = await inzage.versies(request.app.state.service, principal, vraag.bsn)
    return {"bsn": vraag.bsn, "aangiften": [
        {**als_invoer(r.inhoud), "versie": r.versie, "actueel": r.actueel, "leveringId": r.levering_id,
         "ontvangenOp": r.ontvangen_op} for r in rows]}


@router.post("/overschrijvingen", response_model=Maandinkomen, operation_id="overschrijfMaandinkomen",
             dependencies=[Idempotent],
             tags=["maandinkomens"], responses=GEEN_UITKERING,
             summary="Stel het netto inkomen van een maand vast met een reden (bijv. van een loonstrook).")
async def overschrijf(request: Request, invoer: OverschrijvingInvoer,
                      principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await inzage.overschrijf(request.app.state.service, principal, invoer.bsn, Maand.parse(invoer.maand),
                                    invoer.nettoInkomen, invoer.reden)


@router.post("/overschrijvingen/_intrekken", response_model=Maandinkomen, operation_id="trekOverschrijvingIn",
             dependencies=[Idempotent],
             tags=["maandinkomens"],
             responses={404: {"description": "Geen lopende uitkering van uw gemeente, of geen overschrijving."}},
             summary="Trek een overschrijving in; de polis geldt weer.")
async def trek_in(request: Request, invoer: Intrekking,
                  principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await inzage.trek_in(request.app.state.service, principal, invoer.bsn, Maand.parse(invoer.maand))


@router.get("/toerekeningsbeleid", response_model=Beleid, operation_id="leesToerekeningsbeleid", tags=["beleid"],
            summary="Hoe de eigen gemeente tijdvakken aan kalendermaanden toerekent.")
async def lees_beleid(request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return {"toerekening": await inzage.beleid(request.app.state.service, principal)}


@router.put("/toerekeningsbeleid", response_model=Beleid, operation_id="zetToerekeningsbeleid", tags=["beleid"],
            summary="Wijzig de toerekening; de maandinkomens van de eigen inwoners worden op de achtergrond "
                    "herberekend (gewijzigde maanden volgen als maandinkomen.vastgesteld).")
async def zet_beleid(request: Request, beleid: Beleid,
                     principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    await inzage.zet_beleid(request.app.state.service, principal, beleid.toerekening)
    return {"toerekening": beleid.toerekening}
