"""HTTP routes and bodies of the payment calendar (paths relative to /api/v1): a case's months and its
holiday allowance, the municipality's advance policy and its timeliness figure."""

from __future__ import annotations

from pydantic import Field

from decisions.domain import kalender as k
from decisions.entrypoints import examples as vb
from decisions.entrypoints.api import EIGEN_UITKERING, Gemeente, GemeenteOfBurger, Poorten, UitkeringId
from decisions.entrypoints.models import VerrekeningWeergave, verrekening
from decisions.service import kalender
from schakel.api import Idempotent
from schakel.api.examples import voorbeeld
from schakel.api.router import Router
from schakel.api.types import Datum, Geheel, MaandVeld, Model
from schakel.events import models as m

router = Router(tags=["betaalkalender"])

RITME = (
    "Een werkgever doet aangifte over maand M uiterlijk aan het eind van M+1; de maandelijkse levering daarna komt "
    "op de leverdag van M+2. Eerder aangegeven inkomen komt in M+1: de kalender noemt de laatste gewone datum. "
    "Werkdagen tellen zoals de Algemene termijnenwet ze telt: geen weekend en geen algemeen erkende feestdag."
)


class Kalendermaand(Model):
    maand: MaandVeld
    verwacht: int = Field(description="De verwachte te betalen bijstand volgens het voorschotbeleid, in eurocenten.")
    voorschotBetaald: int | None = Field(description="Het vastgelegde voorschot (POST …/betalingen), of null.")
    voorschotVoorgesteld: int | None = Field(description="Het voorgestelde voorschot (voorschot.voorgesteld), of null.")
    polisVerwachtOp: Datum = Field(description="Wanneer het inkomen over de maand naar verwachting in de polis staat.")
    verrekeningVerwachtOp: Datum = Field(description="De polisdatum plus het doel van de gemeente in werkdagen.")
    verrekendOp: Datum | None = Field(description="Wanneer de maand (het laatst) is verrekend, of null.")
    verrekening: VerrekeningWeergave | None = Field(description="Wat is verrekend, met uitleg; null als het open is.")
    teOverbruggen: int = Field(
        description="Wat de persoon tot de verrekening mist: de (verwachte) te betalen bijstand min het voorschot; "
        "0 bij stabiel inkomen."
    )
    stabielInkomen: bool = Field(
        description="true: de maand wordt als stabiel inkomen betaald: het vaste bedrag komt van de tussenrekening, "
        "dus wordt er geen voorschot voorgesteld en is er niets te overbruggen (een toch betaald voorschot wordt "
        "teruggevorderd)."
    )


class Voorschotbeleid(Model):
    geldigVanaf: Datum
    percentage: Geheel(k.MINIMUM_PERCENTAGE, 100, "Het voorschot als percentage van de verwachte bijstand.")
    maanden: Geheel(1, 12, "Over hoeveel laatst verrekende maanden het inkomen wordt gemiddeld.")
    doelWerkdagen: Geheel(1, 40, "Het doel: verrekend binnen zoveel werkdagen nadat de polis binnen is.")
    leverdag: Geheel(1, 28, "Op welke dag van de maand de maandelijkse polislevering komt.")

    def beleid(self) -> k.Voorschotbeleid:
        return k.Voorschotbeleid(self.geldigVanaf, self.percentage, self.maanden, self.doelWerkdagen, self.leverdag)


class Tijdigheid(Model):
    verrekend: int = Field(description="Maanden van de eigen uitkeringen die (voor het eerst) zijn verrekend.")
    binnenDoel: int = Field(description="Daarvan verrekend op of vóór de polisdatum plus het doel in werkdagen.")
    aandeelProcent: int | None = Field(
        description="binnenDoel als percentage van verrekend (afgerond); null zonder maanden."
    )
    doelWerkdagen: int = Field(description="Het doel volgens het beleid van vandaag.")


def _beleid(b: k.Voorschotbeleid) -> dict:
    return {
        "geldigVanaf": b.geldig_vanaf.isoformat(),
        "percentage": b.percentage,
        "maanden": b.maanden,
        "doelWerkdagen": b.doel_werkdagen,
        "leverdag": b.leverdag,
    }


@router.get(
    "/uitkeringen/{uitkeringId}/betaalkalender",
    response_model=list[Kalendermaand],
    operation_id="leesBetaalkalender",
    openapi_extra=voorbeeld(vb.BETAALKALENDER),
    summary="Per maand: het voorschot (betaald of voorgesteld), wanneer de polis en de verrekening worden "
    "verwacht, wat is verrekend en wat de persoon moet overbruggen.",
    description=f"{EIGEN_UITKERING} {RITME}",
)
async def lees_betaalkalender(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> list[dict]:
    rijen, vastgesteld = await kalender.lees(poorten, principal, uitkeringId)
    return [
        {
            "maand": str(r.maand),
            "verwacht": r.verwacht,
            "voorschotBetaald": r.voorschot_betaald,
            "voorschotVoorgesteld": r.voorschot_voorgesteld,
            "polisVerwachtOp": r.polis_verwacht_op.isoformat(),
            "verrekeningVerwachtOp": r.verrekening_verwacht_op.isoformat(),
            "verrekendOp": r.verrekend_op and r.verrekend_op.isoformat(),
            "verrekening": r.verrekening and verrekening(vastgesteld[r.maand]),
            "teOverbruggen": r.te_overbruggen,
            "stabielInkomen": r.stabiel,
        }
        for r in rijen
    ]


@router.get(
    "/uitkeringen/{uitkeringId}/vakantietoeslag",
    response_model=list[m.Vakantietoeslag],
    operation_id="leesVakantietoeslag",
    openapi_extra=voorbeeld(vb.VAKANTIETOESLAG),
    summary="De opgebouwde vakantietoeslag per uitbetaling, oudste eerst, tot en met deze maand (of het einde): "
    "5% van de bijstand van elke maand, uitbetaald in juni over juni tot en met mei, of uiterlijk drie maanden "
    "na het einde van de uitkering.",
    description=EIGEN_UITKERING,
)
async def lees_vakantietoeslag(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> list[dict]:
    return [v.model_dump(mode="json") for v in await kalender.vakantietoeslag(poorten, principal, uitkeringId)]


@router.get(
    "/voorschotbeleid",
    response_model=list[Voorschotbeleid],
    operation_id="leesVoorschotbeleid",
    openapi_extra=voorbeeld([vb.VOORSCHOTBELEID]),
    tags=["beleid"],
    summary="Het voorschotbeleid van de eigen gemeente, per versie (zonder eigen versie: de standaard).",
)
async def lees_voorschotbeleid(poorten: Poorten, principal: Gemeente) -> list[dict]:
    return [_beleid(b) for b in await kalender.beleid(poorten, principal)]


@router.post(
    "/voorschotbeleid",
    response_model=list[Voorschotbeleid],
    operation_id="zetVoorschotbeleid",
    openapi_extra=voorbeeld([vb.VOORSCHOTBELEID], vb.VOORSCHOTBELEID),
    dependencies=[Idempotent],
    tags=["beleid"],
    summary="Leg een versie van het voorschotbeleid vast vanaf een datum (een versie van dezelfde datum wordt "
    "vervangen); voorstellen vanaf die datum volgen het.",
)
async def zet_voorschotbeleid(body: Voorschotbeleid, poorten: Poorten, principal: Gemeente) -> list[dict]:
    return [_beleid(b) for b in await kalender.zet_beleid(poorten, principal, body.beleid())]


@router.get(
    "/tijdigheid",
    response_model=Tijdigheid,
    operation_id="leesTijdigheid",
    openapi_extra=voorbeeld(vb.TIJDIGHEID),
    tags=["beleid"],
    summary="Het aandeel maanden van de eigen uitkeringen dat binnen het eigen doel is verrekend.",
    description="Gemeten vanaf de verwachte polisdatum (het leverritme), niet vanaf de werkelijke aankomst van het "
    "inkomen; de eerste verrekening van een maand telt, een herziening niet. " + RITME,
)
async def lees_tijdigheid(poorten: Poorten, principal: Gemeente) -> dict:
    t, b = await kalender.tijdigheid(poorten, principal)
    return {
        "verrekend": t.verrekend,
        "binnenDoel": t.binnen_doel,
        "aandeelProcent": t.aandeel_procent,
        "doelWerkdagen": b.doel_werkdagen,
    }
