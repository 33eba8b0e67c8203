"""HTTP routes of the decisions service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field, StrictBool

from schakel.api import API_PREFIX, Idempotent, Principal, Rol, requires
from schakel.api.types import BerekendeMaand, BsnVeld, Datum, Geheel, GemeentecodeVeld, MaandVeld, Model
from schakel.events import load_contract
from schakel.primitives import Maand

from decisions.domain.situatie import Betaalmodel, Huishouden, Regime, Situatie
from decisions.domain.uitkering import Reden
from decisions.service import uitkeringen, verrekeningen, webhooks
from decisions.service.uitkeringen import Weergave

router = APIRouter(tags=["uitkeringen"])
Gemeente = Annotated[Principal, Depends(requires(Rol.municipality))]
UitkeringId = Annotated[str, Path(description="Id van de uitkering.", pattern=r"^[0-9a-f-]{36}$")]


class SituatieVelden(Model):
    huishouden: Huishouden = Field(description="alleenstaand, alleenstaande-ouder of gehuwd (ook samenwonend).")
    partnerGeboortedatum: Datum | None = Field(None, description="Alleen bij gehuwd.")
    jongsteKindGeboortedatum: Datum | None = Field(None, description="Bij een alleenstaande ouder (vrijlating r).")
    kostendelers: Geheel(0, 20, "Medebewoners van 27 jaar of ouder die de kosten delen (kostendelersnorm).") = 0
    medischUrenbeperkt: StrictBool = Field(False, description="Medisch urenbeperkt (vrijlating y).")
    loonkostensubsidie: StrictBool = Field(False, description="Werkt met loonkostensubsidie (vrijlating z en aa).")
    meerUrenNietMogelijk: StrictBool = Field(False, description="De gemeente oordeelt dat meer uren niet mogelijk zijn "
                                                           "(vrijlating aa, na z).")
    vrijlatingsregime: Regime = Field(Regime.per_datum, description="per-datum: het recht van de maand; in-balans: "
                                                                     "de gemeente past de vrijlating van 2027 al in "
                                                                     "2026 toe.")
    betaalmodel: Betaalmodel = Field(Betaalmodel.voorschot, description="voorschot en vereffening, of stabiel-inkomen "
                                                                         "via een tussenrekening.")

    def situatie(self, ingangsdatum) -> Situatie:
        return Situatie(ingangsdatum, self.huishouden, self.partnerGeboortedatum, self.jongsteKindGeboortedatum,
                        self.kostendelers, self.medischUrenbeperkt, self.loonkostensubsidie,
                        self.meerUrenNietMogelijk, self.vrijlatingsregime, self.betaalmodel)


class UitkeringOpenen(SituatieVelden):
    bsn: BsnVeld
    geboortedatum: Datum = Field(description="Geboortedatum van de aanvrager.")
    startdatum: Datum = Field(description="Eerste dag van het recht op bijstand.")


class SituatieWeergave(SituatieVelden):
    ingangsdatum: Datum


class Wijziging(SituatieVelden):
    ingangsdatum: Datum = Field(description="Vanaf deze dag geldt de nieuwe situatie (binnen de looptijd).")


class Beeindiging(Model):
    einddatum: Datum = Field(description="Laatste dag van het recht op bijstand.")
    reden: Reden = Field(description="werk, verhuizing of overig.")


class Doelgroepregistratie(Model):
    grond: str | None = Field(description="Grond van de registratie in het doelgroepregister.")
    sinds: Datum


class Beeindigingsvoorstel(Model):
    vanMaand: MaandVeld
    totMaand: MaandVeld
    voorgesteldOp: datetime


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
    situaties: list[SituatieWeergave] = Field(description="De huishoudsituatie, elk vanaf een ingangsdatum.")
    beeindigingsvoorstel: Beeindigingsvoorstel | None = Field(
        None, description="Het inkomen lag maanden op rij boven de norm: de gemeente beslist of de uitkering stopt.")


class Betaling(Model):
    maand: MaandVeld
    bedrag: Geheel(0, 10**9, "Betaald (voorschot) over de maand, in eurocenten; vervangt een eerder bedrag.")


class NormUitleg(Model):
    bedrag: int
    omschrijving: str
    kostendelers: int
    dagen: int = Field(description="Dagen van de maand met recht op bijstand.")
    dagenMaand: int
    bedragNaarRato: int


class InkomenBijdrage(Model):
    loonheffingennummer: str
    inkomstenverhouding: int
    tijdvakBegin: Datum
    tijdvakEinde: Datum
    nettoInkomen: int


class InkomenUitleg(Model):
    nettoInkomen: int
    vakantiebijslag: int
    bijdragen: list[InkomenBijdrage]


class VrijlatingUitleg(Model):
    grond: str = Field(description="n, r, y, z of aa (art. 31 lid 2); werk, medisch of aow (art. 34a, in balans).")
    percentage: str
    plafond: int | None
    bedrag: int
    maandNummer: int = Field(description="De hoeveelste maand deze vrijlating in deze uitkering geldt.")
    maanden: int | None = Field(description="Hoeveel maanden hij ten hoogste geldt (null: onbeperkt).")


class VerrekeningWeergave(Model):
    maand: MaandVeld
    versie: int = Field(description="1 = eerste vaststelling; hoger = herzien (bijv. na een polis­correctie).")
    norm: NormUitleg
    inkomen: InkomenUitleg
    vrijlating: VrijlatingUitleg | None
    getoetstInkomen: int = Field(description="Inkomen min vrijlating: wat van de norm afgaat.")
    bijstand: int
    vakantietoeslag: int = Field(description="5% van de bijstand, gereserveerd en in juni uitbetaald.")
    teBetalen: int
    betaald: int
    verschil: int = Field(description="Positief: nabetaling; negatief: terugvordering.")
    uitleg: str = Field(description="De verrekening in gewone taal, voor de inwoner.")
    vastgesteldOp: datetime


def render(view: Weergave) -> dict:
    u, status = view.uitkering, view.deelnamestatus
    registratie = (Doelgroepregistratie(grond=status.grond, sinds=status.ingangsdatum)
                   if status is not None and status.grond is not None else None)
    return UitkeringWeergave(
        uitkeringId=u.uitkering_id, bsn=u.bsn, gemeentecode=u.gemeentecode, geboortedatum=u.geboortedatum,
        startdatum=u.startdatum, status=u.status.value, einddatum=u.einddatum, beeindigingsreden=u.reden,
        doelgroepregistratie=registratie,
        situaties=[SituatieWeergave(ingangsdatum=x.ingangsdatum, **uitkeringen.situatie_json(x))
                   for x in view.situaties],
        beeindigingsvoorstel=None if view.beeindigingsvoorstel is None else Beeindigingsvoorstel(
            vanMaand=view.beeindigingsvoorstel.van_maand, totMaand=view.beeindigingsvoorstel.tot_maand,
            voorgesteldOp=view.beeindigingsvoorstel.voorgesteld_op),
    ).model_dump(mode="json")


@router.post("/uitkeringen", status_code=201, response_model=UitkeringWeergave, operation_id="openUitkering",
             dependencies=[Idempotent],
             summary="Open een bijstandsuitkering voor een inwoner van uw gemeente.",
             responses={409: {"description": "Voor dit BSN loopt al een uitkering."},
                        422: {"description": "Een wettelijke regel staat dit niet toe (bijv. jonger dan 18)."}})
async def open_uitkering(body: UitkeringOpenen, request: Request, principal: Gemeente) -> JSONResponse:
    content = render(await uitkeringen.open_uitkering(
        request.app.state.service, principal, body.bsn, body.geboortedatum, body.startdatum,
        body.situatie(body.startdatum)))
    return JSONResponse(content, status_code=201,
                        headers={"Location": f"{API_PREFIX}/uitkeringen/{content['uitkeringId']}"})


@router.get("/uitkeringen/{uitkeringId}", response_model=UitkeringWeergave, operation_id="leesUitkering",
            summary="Lees een uitkering van uw gemeente.")
async def lees_uitkering(uitkeringId: UitkeringId, request: Request, principal: Gemeente) -> dict:
    return render(await uitkeringen.lees(request.app.state.service, principal, uitkeringId))


@router.post("/uitkeringen/{uitkeringId}/_wijzig", response_model=UitkeringWeergave, operation_id="wijzigUitkering",
             dependencies=[Idempotent],
             summary="Wijzig de huishoudsituatie of de vrijlatingsgronden per een ingangsdatum; de maanden vanaf "
                     "dan worden opnieuw verrekend.",
             responses={422: {"description": "De ingangsdatum valt buiten de uitkering, of de situatie is onvolledig."}})
async def wijzig_uitkering(uitkeringId: UitkeringId, body: Wijziging, request: Request, principal: Gemeente) -> dict:
    return render(await uitkeringen.wijzig(request.app.state.service, principal, uitkeringId,
                                           body.situatie(body.ingangsdatum)))


@router.post("/uitkeringen/{uitkeringId}/_beeindig", response_model=UitkeringWeergave,
             operation_id="beeindigUitkering", summary="Beëindig een uitkering per een einddatum.",
             dependencies=[Idempotent],
             responses={409: {"description": "De uitkering is al beëindigd."},
                        422: {"description": "De einddatum ligt vóór de startdatum."}})
async def beeindig_uitkering(uitkeringId: UitkeringId, body: Beeindiging, request: Request,
                             principal: Gemeente) -> dict:
    return render(await uitkeringen.beeindig(request.app.state.service, principal, uitkeringId,
                                             body.einddatum, body.reden))


class BetalingWeergave(Betaling):
    verrekening: VerrekeningWeergave | None = Field(description="De verrekening van de maand; null zolang het "
                                                                "inkomen van die maand niet bekend is.")


@router.post("/uitkeringen/{uitkeringId}/betalingen", response_model=BetalingWeergave, operation_id="legBetalingVast",
             dependencies=[Idempotent],
             summary="Leg vast wat over een maand is betaald (voorschot); de verrekening van die maand volgt.")
async def leg_betaling_vast(uitkeringId: UitkeringId, body: Betaling, request: Request, principal: Gemeente) -> dict:
    verrekening = await verrekeningen.betaal(request.app.state.service, principal, uitkeringId,
                                             Maand.parse(body.maand), body.bedrag)
    return {"maand": body.maand, "bedrag": body.bedrag, "verrekening": verrekening}


@router.get("/uitkeringen/{uitkeringId}/verrekeningen", response_model=list[VerrekeningWeergave],
            operation_id="leesVerrekeningen",
            summary="De verrekening per maand met uitleg: norm, inkomen per werkgever, vrijlating, bijstand, "
                    "betaald en het verschil.")
async def lees_verrekeningen(uitkeringId: UitkeringId, request: Request, principal: Gemeente) -> list[dict]:
    return await verrekeningen.lijst(request.app.state.service, principal, uitkeringId)



class Gebeurtenis(Model):
    type: str = Field(description="Het CloudEvents-type, bijv. nl.participatiewet.verrekening.herzien.")
    tijdstip: datetime
    maand: MaandVeld | None = Field(description="Bij een verrekening: de maand.")
    eventId: str


class Klokstand(Model):
    grond: str
    maandenGebruikt: int


class Geschiedenis(Model):
    vrijlatingsklok: list[Klokstand] = Field(description="Per vrijlatingsgrond de maanden die deze uitkering gebruikte.")
    gebeurtenissen: list[Gebeurtenis]


@router.get("/uitkeringen/{uitkeringId}/geschiedenis", response_model=Geschiedenis, operation_id="leesGeschiedenis",
            summary="Wat er met de uitkering gebeurde (geopend, gewijzigd, verrekend, herzien, beëindigd) en de "
                    "vrijlatingsklok.")
async def lees_geschiedenis(uitkeringId: UitkeringId, request: Request, principal: Gemeente) -> dict:
    return await verrekeningen.geschiedenis(request.app.state.service, principal, uitkeringId)


class Boeking(Model):
    maand: MaandVeld
    loonOntvangen: int = Field(description="Netto loon dat de werkgever op de tussenrekening stortte.")
    bijstand: int = Field(description="De bijstand van de maand (na reservering vakantietoeslag).")
    uitbetaald: int = Field(description="Het vaste bedrag dat de inwoner kreeg.")
    saldo: int = Field(description="Saldo na de maand: positief nog van de inwoner, negatief voorgeschoten.")


class Tussenrekening(Model):
    saldo: int
    maanden: list[Boeking]


@router.get("/uitkeringen/{uitkeringId}/tussenrekening", response_model=Tussenrekening,
            operation_id="leesTussenrekening",
            responses={409: {"description": "De uitkering wordt niet als stabiel inkomen betaald."}},
            summary="Stabiel inkomen (Surplus): loon en bijstand erin, het vaste maandbedrag eruit, saldo per maand.")
async def lees_tussenrekening(uitkeringId: UitkeringId, request: Request, principal: Gemeente) -> dict:
    return await verrekeningen.tussenrekening(request.app.state.service, principal, uitkeringId)


# --- webhooks ---------------------------------------------------------------------------------

abonnementen = APIRouter(tags=["abonnementen"])
EventType = Literal[tuple(sorted(load_contract().sends("decisions")))]
AbonnementId = Annotated[str, Path(description="Id van het abonnement.", pattern=r"^[0-9a-f-]{36}$")]


class AbonnementInvoer(Model):
    url: Annotated[str, Field(min_length=10, max_length=2000, pattern=r"^https?://[!-~]+$",
                              description="Callback-URL: https naar een host met alleen openbare adressen "
                                          "(http naar localhost alleen als de ontwikkelomgeving dat toestaat).")]
    eventTypes: Annotated[list[EventType], Field(min_length=1, description="Welke events van de eigen uitkeringen.")]


class Abonnement(Model):
    abonnementId: str
    url: str
    eventTypes: list[str]
    aangemaaktOp: datetime
    status: Literal["actief", "onderbroken"] = Field(
        description="Onderbroken na te veel mislukte afleveringen op rij: afleveringen wachten (zonder pogingen "
                    "te verbruiken) tot onderbrokenTot; dan beslist één proefaflevering.")
    onderbrokenTot: datetime | None
    opeenvolgendeFouten: int = Field(description="Mislukte afleveringen op rij.")


class NieuwAbonnement(Abonnement):
    geheim: str = Field(description="Ondertekeningssleutel (whsec_…); alleen nu zichtbaar. Elke aflevering draagt "
                                    "webhook-id, webhook-timestamp en webhook-signature (Standard Webhooks: v1,"
                                    "base64 HMAC-SHA256 over '<id>.<timestamp>.<body>').")


class Poging(Model):
    nummer: int
    tijdstip: datetime
    statuscode: int | None
    fout: str | None = Field(description="Zonder statuscode: wat er misging, bijvoorbeeld 'time-out', 'verbinding "
                                         "mislukt', 'naam niet gevonden' of 'adres niet toegestaan'.")
    duurMs: int | None = Field(description="Leeg als er niets verstuurd is (een geweigerd adres).")


class Aflevering(Model):
    eventId: str
    eventType: str
    status: Literal["wachtend", "afgeleverd", "mislukt"]
    aangemaaktOp: datetime
    volgendePogingOp: datetime | None
    pogingen: list[Poging]


@abonnementen.post("/abonnementen", status_code=201, response_model=NieuwAbonnement, operation_id="abonneer",
                   dependencies=[Idempotent],
                   responses={422: {"description": "De callback-URL is niet toegestaan (geen https, ongeldige host, "
                                                   "of een adres dat niet openbaar is)."}},
                   summary="Abonneer een callback-URL op events van de eigen uitkeringen (CloudEvents, ondertekend).")
async def abonneer(body: AbonnementInvoer, request: Request, principal: Gemeente) -> dict:
    return await webhooks.abonneer(request.app.state.service, request.app.state.resolver, principal, body.url,
                                   list(body.eventTypes))


@abonnementen.get("/abonnementen", response_model=list[Abonnement], operation_id="leesAbonnementen",
                  summary="De actieve abonnementen van de eigen gemeente, met hun onderbreking.")
async def lees_abonnementen(request: Request, principal: Gemeente) -> list[dict]:
    return await webhooks.lijst(request.app.state.service, principal)


@abonnementen.delete("/abonnementen/{abonnementId}", status_code=204, operation_id="beeindigAbonnement",
                     summary="Beëindig een abonnement; wachtende afleveringen vervallen.")
async def beeindig_abonnement(abonnementId: AbonnementId, request: Request, principal: Gemeente) -> Response:
    await webhooks.stop(request.app.state.service, principal, abonnementId)
    return Response(status_code=204)


@abonnementen.get("/abonnementen/{abonnementId}/afleveringen", response_model=list[Aflevering],
                  operation_id="leesAfleveringen",
                  summary="De laatste 100 afleveringen met elke poging (tijdstip, statuscode of fout, duur).")
async def lees_afleveringen(abonnementId: AbonnementId, request: Request, principal: Gemeente) -> list[dict]:
    return await webhooks.bezorgingen(request.app.state.service, principal, abonnementId)



# --- what-if ----------------------------------------------------------------------------------

proefberekeningen = APIRouter(tags=["proefberekeningen"])
NIET_MEEGENOMEN = ("Toeslagen (huurtoeslag, zorgtoeslag, kindgebonden budget), heffingskortingen, de "
                   "bijzondere bijstand en de individuele inkomenstoeslag zijn niet meegenomen. We gaan ervan uit "
                   "dat u bijstand krijgt als de baan begint en nog geen vrijlating heeft gebruikt.")


class Baan(Model):
    nettoLoon: Geheel(1, 10**8, "Netto loon per maand (of per 4 weken), in eurocenten.")
    startmaand: MaandVeld
    vierWekelijks: StrictBool = Field(False, description="Het loon wordt per 4 weken betaald.")


class Proefvraag(SituatieVelden):
    geboortedatum: Datum
    baan: Baan


class Proefmaand(Model):
    maand: BerekendeMaand
    inkomen: int = Field(description="Netto loon dat in deze maand telt.")
    vrijlating: VrijlatingUitleg | None
    bijstand: int = Field(description="Bijstand inclusief de gereserveerde vakantietoeslag.")
    totaalNetto: int = Field(description="Netto loon plus bijstand.")
    zonderWerk: int = Field(description="De bijstand zonder deze baan (de norm).")
    erbij: int = Field(description="Wat de baan netto oplevert ten opzichte van zonder werk.")


class Proefberekening(Model):
    maanden: list[Proefmaand]
    vrijlatingTot: BerekendeMaand | None = Field(description="De laatste maand met vrijlating in deze 12 maanden.")
    nietMeegenomen: str


@proefberekeningen.post("/proefberekeningen", response_model=Proefberekening, operation_id="maakProefberekening",
                        responses={422: {"description": "Voor deze situatie kent Schakel de norm niet."}},
                        summary="Wat als: maand voor maand, 12 maanden lang, wat een baan doet met loon, vrijlating "
                                "en bijstand.")
async def maak_proefberekening(body: Proefvraag, _: Annotated[Principal, Depends(requires(*Rol))]) -> dict:
    maanden = uitkeringen.proefberekening(body.geboortedatum, body.situatie(body.geboortedatum), body.baan.nettoLoon,
                                          Maand.parse(body.baan.startmaand), body.baan.vierWekelijks)
    rows = [{"maand": str(v.maand), "inkomen": v.inkomen.totaal,
             "vrijlating": None if v.vrijlating is None else verrekeningen.inhoud(v)["vrijlating"],
             "bijstand": v.bijstand, "totaalNetto": v.inkomen.totaal + v.bijstand, "zonderWerk": v.norm_bedrag,
             "erbij": v.inkomen.totaal + v.bijstand - v.norm_bedrag} for v in maanden]
    met_vrijlating = [r["maand"] for r in rows if r["vrijlating"]]
    return {"maanden": rows, "vrijlatingTot": met_vrijlating[-1] if met_vrijlating else None,
            "nietMeegenomen": NIET_MEEGENOMEN}
