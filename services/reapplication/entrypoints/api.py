"""HTTP routes of the reapplication service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field, StrictBool

from schakel.api import Idempotent, Principal, Rol, requires
from schakel.api.types import BsnVeld, Datum, Geheel, GemeentecodeVeld, Model, Zoekvraag

from reapplication.domain.heraanvraag import Aanvraag
from reapplication.service import heraanvragen, overdrachten, termijnen

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
    geldigTot: date = Field(description="Tot en met deze dag kan een heraanvraag de bekende gegevens hergebruiken.")
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



# --- Max-WW handover --------------------------------------------------------------------------

overdracht_router = APIRouter(tags=["overdrachten"])


class Grondslag(Model):
    soort: Literal["toestemming", "wettelijke-grondslag"] = Field(
        description="De toestemming van de persoon, of de wettelijke grondslag waarop UWV levert.")
    referentie: Annotated[str, Field(min_length=1, max_length=200, description="Kenmerk van toestemming of grondslag.")]


class Overdrachtmelding(Model):
    bsn: BsnVeld
    wwEinddatum: Datum = Field(description="De dag waarop de WW haar maximale duur bereikt.")
    gemeentecode: GemeentecodeVeld = Field(description="De woongemeente.")
    grondslag: Grondslag


class Stap(Model):
    stap: Literal["contact-gelegd", "re-integratie-gestart", "aanvraag-voorbereid"]
    datum: Datum


class OverdrachtWeergave(Model):
    overdrachtId: str
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld
    wwEinddatum: Datum
    grondslag: Grondslag
    stappen: list[Stap]
    besluitOp: Datum | None = Field(description="Wanneer de bijstand werd toegekend (het openen van de uitkering).")
    besluitOpTijd: bool = Field(description="Besluit vóór het einde van de WW, met ingang uiterlijk de dag erna.")


class Meldingsresultaat(Model):
    uitkomst: Literal["nieuw", "bijgewerkt", "verhuisd", "ongewijzigd"]
    overdrachtId: str


class Overdrachtrapportage(Model):
    gemeentecode: GemeentecodeVeld
    overdrachten: int
    lopend: int = Field(description="WW nog niet beëindigd.")
    wwBeeindigd: int
    besluitOpTijd: int = Field(description="Van de beëindigde: met een besluit vóór het einde van de WW (doel: alle).")
    zonderBesluitOpTijd: int


def _overdracht(o, bsn: str) -> dict:
    return {"overdrachtId": o.overdracht_id, "bsn": bsn, "gemeentecode": o.gemeentecode, "wwEinddatum": o.ww_einddatum,
            "grondslag": o.grondslag, "stappen": [{"stap": s, "datum": d} for s, d in o.stappen],
            "besluitOp": o.besluit_op, "besluitOpTijd": o.op_tijd}


@overdracht_router.post("/overdrachten", response_model=Meldingsresultaat, operation_id="meldOverdracht",
                        dependencies=[Idempotent],
                        summary="UWV meldt dat de WW van een persoon haar maximale duur bereikt (met toestemming of "
                                "grondslag); een latere melding werkt de overdracht bij.")
async def meld_overdracht(body: Overdrachtmelding, request: Request,
                          _: Annotated[Principal, Depends(requires(Rol.uwv))]) -> dict:
    uitkomst, o = await overdrachten.meld(request.app.state.service, body.bsn, body.gemeentecode, body.wwEinddatum,
                                          body.grondslag.model_dump())
    return {"uitkomst": uitkomst, "overdrachtId": o.overdracht_id}


@overdracht_router.get("/overdrachten", response_model=list[OverdrachtWeergave], operation_id="leesOverdrachten",
                       summary="De overdrachten van de eigen gemeente, eerst verlopende WW eerst.")
async def lees_overdrachten(request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))],
                            wwEindeVan: Annotated[Datum | None, Query()] = None,
                            wwEindeTot: Annotated[Datum | None, Query()] = None) -> list[dict]:
    return [_overdracht(o, bsn) for o, bsn in await overdrachten.lijst(request.app.state.service, principal,
                                                                       wwEindeVan, wwEindeTot)]


@overdracht_router.post("/overdrachten/{overdrachtId}/stappen", response_model=OverdrachtWeergave,
                        operation_id="legStapVast", summary="Leg een stap vast: contact, re-integratie, aanvraag.",
                        dependencies=[Idempotent])
async def leg_stap_vast(overdrachtId: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")], body: Stap, request: Request,
                        principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return _overdracht(*await overdrachten.stap(request.app.state.service, principal, overdrachtId, body.stap,
                                                body.datum))


@overdracht_router.get("/overdrachtrapportage", response_model=Overdrachtrapportage,
                       operation_id="leesOverdrachtrapportage",
                       summary="Overdrachten van de eigen gemeente en hoeveel een besluit hadden vóór de WW eindigde.")
async def lees_rapportage(request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await overdrachten.rapportage(request.app.state.service, principal, date.today())



# --- re-applications --------------------------------------------------------------------------

heraanvraag_router = APIRouter(tags=["heraanvragen"])
HeraanvraagId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$", description="Id van de heraanvraag.")]


class HeraanvraagInvoer(Model):
    bsn: BsnVeld
    meldingsdatum: Datum = Field(description="De dag waarop de persoon zich meldde als aanvrager.")
    startdatum: Datum = Field(description="Gevraagde ingangsdatum: niet vóór de melding, tenzij een consulent het "
                                          "motiveert (hooguit 3 maanden).")
    wijzigingen: list[Literal["huishouden", "medebewoners", "adres", "vermogen", "inkomen"]] = Field(
        max_length=5, description="Alleen wat sinds het einde van de uitkering veranderde; leeg: niets veranderd.")
    praktijkonderwijsOfVso: StrictBool = Field(False, description="Praktijkonderwijs of VSO in het afgelopen jaar "
                                                                  "(vrijstelling van de zoektermijn).")


class Reden(Model):
    code: str
    uitleg: str


class RecentInkomen(Model):
    maand: str
    nettoInkomen: int
    inkomstenverhoudingenBeeindigd: bool


class HeraanvraagWeergave(Model):
    heraanvraagId: str
    bsn: BsnVeld
    meldingsdatum: Datum
    startdatum: Datum
    wijzigingen: list[str]
    status: Literal["toegekend", "beoordelen", "afgewezen"]
    redenen: list[Reden] = Field(description="Waarom een consulent moet kijken (leeg bij automatische toekenning).")
    besluitReden: str | None
    hergebruik: Hergebruik | None = Field(description="Het dossier: wat wordt hergebruikt.")
    recentInkomen: RecentInkomen | None = Field(description="De laatste polismaand bij het indienen.")
    vroegsteBehandeldatum: date = Field(description="Na de zoektermijn van 4 weken, als die geldt.")
    beslistermijn: date = Field(description="Melding + 8 weken (Awb 4:13).")
    termijnVerstreken: bool
    dagenTotBeslistermijn: int = Field(description="Negatief: de termijn is verstreken.")
    beslisduurSeconden: float | None = Field(description="Van indienen tot besluit.")
    uitkeringId: str | None = Field(description="De heropende uitkering, zodra de decisions-service die bevestigt.")


class Besluit(Model):
    besluit: Literal["toekennen", "afwijzen"]
    reden: Annotated[str, Field(min_length=3, max_length=500)]


@heraanvraag_router.post("/heraanvragen", status_code=201, response_model=HeraanvraagWeergave,
                         operation_id="dienHeraanvraagIn", dependencies=[Idempotent],
                         responses={422: {"description": "Startdatum meer dan 3 maanden vóór de melding."}},
                         summary="Een heraanvraag binnen de termijn: eenvoudig is meteen toegekend, anders klaargezet "
                                 "voor een consulent met de redenen.")
async def dien_in(body: HeraanvraagInvoer, request: Request,
                  principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await heraanvragen.dien_in(request.app.state.service, principal, body.bsn, Aanvraag(
        body.meldingsdatum, body.startdatum, tuple(body.wijzigingen), body.praktijkonderwijsOfVso))


@heraanvraag_router.get("/heraanvragen", response_model=list[HeraanvraagWeergave], operation_id="leesHeraanvragen",
                        summary="De heraanvragen van de eigen gemeente, met beslistermijn (bijv. status=beoordelen).")
async def lees_heraanvragen(request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))],
                            status: Annotated[Literal["toegekend", "beoordelen", "afgewezen"] | None, Query()] = None
                            ) -> list[dict]:
    return await heraanvragen.lijst(request.app.state.service, principal, status)


@heraanvraag_router.get("/heraanvragen/{heraanvraagId}", response_model=HeraanvraagWeergave,
                        operation_id="leesHeraanvraag", summary="Een heraanvraag van de eigen gemeente.")
async def lees_heraanvraag(heraanvraagId: HeraanvraagId, request: Request,
                           principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await heraanvragen.lees(request.app.state.service, principal, heraanvraagId)


@heraanvraag_router.post("/heraanvragen/{heraanvraagId}/_besluit", response_model=HeraanvraagWeergave,
                         operation_id="besluitHeraanvraag", dependencies=[Idempotent],
                         responses={409: {"description": "Er is al besloten."},
                                    422: {"description": "Zonder termijn valt er niets te hergebruiken."}},
                         summary="Het besluit van een consulent over een heraanvraag die beoordeeld moest worden.")
async def besluit(heraanvraagId: HeraanvraagId, body: Besluit, request: Request,
                  principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await heraanvragen.besluit(request.app.state.service, principal, heraanvraagId,
                                      body.besluit == "toekennen", body.reden)



class OverdrachtAanvraag(Model):
    meldingsdatum: Datum = Field(description="Hooguit 4 weken vóór het einde van de WW.")


@overdracht_router.post("/overdrachten/{overdrachtId}/_heraanvraag", status_code=201,
                        response_model=HeraanvraagWeergave, operation_id="startAanvraagVanuitOverdracht",
                        dependencies=[Idempotent],
                        responses={422: {"description": "De melding ligt meer dan 4 weken vóór het einde van de WW."}},
                        summary="Start de aanvraag vanuit de overdracht: bijstand vanaf de dag na het einde van de WW.")
async def start_aanvraag(overdrachtId: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")], body: OverdrachtAanvraag,
                         request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return await heraanvragen.vanuit_overdracht(request.app.state.service, principal, overdrachtId, body.meldingsdatum)
