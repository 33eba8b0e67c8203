"""HTTP route of the toeslagen signal (paths relative to /api/v1): a case's estimate of the yearly
income as Toeslagen counts it, for the municipality and for the person."""

from __future__ import annotations

from pydantic import Field

from decisions.domain.toeslagen import STAP
from decisions.entrypoints.api import EIGEN_UITKERING, GemeenteOfBurger, Poorten, UitkeringId
from decisions.service import toeslagen
from schakel.api.examples import voorbeeld
from schakel.api.router import Router
from schakel.api.types import MaandVeld, Model

router = Router(tags=["toeslagen"])


class Toeslageninkomen(Model):
    jaar: int
    vanMaand: MaandVeld = Field(description="De eerste verrekende maand van het jaar.")
    totMaand: MaandVeld = Field(description="De laatste verrekende maand van het jaar.")
    fiscaalLoon: int = Field(description="Het fiscale loon volgens de polis in de verrekende maanden, in eurocenten.")
    bijstand: int = Field(
        description="De bijstand in die maanden: bruto uit de aangifte van de gemeente in de polis, anders de "
        "toegekende (netto) bijstand."
    )
    bijstandNettoMaanden: int = Field(description="In zoveel maanden telt de bijstand netto: de schatting is te laag.")
    restVanHetJaar: int = Field(description="De schatting voor de maanden na totMaand.")
    jaarinkomen: int = Field(description="fiscaalLoon + bijstand + restVanHetJaar.")
    uitleg: str = Field(description="Hoe Schakel schatte en wat de schatting niet weet, in gewone taal.")
    stap: str = Field(description="Wat de inwoner bij Toeslagen doet.")


VOORBEELD = [
    {
        "jaar": 2026,
        "vanMaand": "2026-03",
        "totMaand": "2026-05",
        "fiscaalLoon": 190_000,
        "bijstand": 298_950,
        "bijstandNettoMaanden": 3,
        "restVanHetJaar": 1_140_883,
        "jaarinkomen": 1_629_833,
        "uitleg": "Schakel schat uw inkomen over 2026 op € 16.298,33: loon volgens de polis (fiscaal loon) € 1.900,00 "
        "en bijstand € 2.989,50 in maart tot en met mei 2026, ...",
        "stap": STAP,
    }
]


@router.get(
    "/uitkeringen/{uitkeringId}/toeslageninkomen",
    response_model=list[Toeslageninkomen],
    operation_id="leesToeslageninkomen",
    openapi_extra=voorbeeld(VOORBEELD),
    summary="Per jaar: het verwachte jaarinkomen zoals Toeslagen het telt, geschat uit de verrekende maanden, en "
    "wat de inwoner bij Toeslagen doet.",
    description=f"{EIGEN_UITKERING} Het fiscale loon uit de polis plus de bijstand van de verrekende maanden, en de "
    "rest van het jaar als het gemiddelde van de laatste maanden. Verandert een verrekening deze schatting met meer "
    "dan de drempel, dan meldt Schakel dat als nl.participatiewet.toeslageninkomen.gewijzigd. Schakel geeft niets "
    "door aan de Belastingdienst.",
)
async def lees_toeslageninkomen(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> list[dict]:
    return [
        {
            "jaar": s.jaar,
            "vanMaand": str(s.maanden[0].maand),
            "totMaand": str(s.maanden[-1].maand),
            "fiscaalLoon": s.loon,
            "bijstand": s.bijstand,
            "bijstandNettoMaanden": s.netto_maanden,
            "restVanHetJaar": s.rest,
            "jaarinkomen": s.jaarinkomen,
            "uitleg": uitleg,
            "stap": STAP,
        }
        for s, uitleg in await toeslagen.lees(poorten, principal, uitkeringId)
    ]
