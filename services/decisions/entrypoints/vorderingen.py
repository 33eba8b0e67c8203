"""HTTP routes and bodies of claims (paths relative to /api/v1): a case's claims, the citizen's own,
and the municipality's recovery policy."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import Field, StringConstraints

from decisions.domain import vordering as vd
from decisions.entrypoints import examples as vb
from decisions.entrypoints.api import EIGEN_UITKERING, Gemeente, GemeenteOfBurger, Poorten, UitkeringId
from decisions.service import vorderingen
from schakel.api import Idempotent, Principal, Rol, requires
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import voorbeeld
from schakel.api.router import Router
from schakel.api.types import Datum, Geheel, MaandVeld, Model, RedenVeld
from schakel.caller import Caller
from schakel.events import models as m
from schakel.primitives import Maand

router = Router(tags=["vorderingen"])

HOE = (
    "Een vordering ontstaat uit een verrekening met een negatief verschil, met die maand als bron (één per bronmaand: "
    "een herziening wijzigt haar). Zij wordt eerst verrekend met latere nabetalingen (een herziening in het voordeel "
    "van de persoon verlaagt eerst de vordering van die maand), daarna aan het begin van elke maand in een termijn "
    "ingehouden op de lopende bijstand: nooit onder de beslagvrije voet (Rv art. 475dc: 95% van de toepasselijke "
    "norm met vakantietoeslag, of van het inkomen als dat lager is) en nooit boven de maximale termijn van de "
    "gemeente. Onder de kwijtscheldingsdrempel van de gemeente wordt een vordering niet teruggevorderd: getoetst aan "
    "het bedrag waarop zij na elke wijziging uitkomt, met de drempel die dan geldt. Komt zij door een herziening tegen "
    "de persoon op of boven de drempel, dan wordt ook teruggevorderd wat eerder niet werd teruggevorderd; een herziening "
    "in het voordeel van de persoon doet dat nooit."
)


class VorderingWeergave(m.Vordering):
    uitkeringId: str = Field(description="De uitkering van de vordering.")


# a payment's reference as the municipality books it (the store holds up to 100 characters)
KENMERK = StringConstraints(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")


class Terugbetaling(Model):
    vordering: MaandVeld = Field(description="De bronmaand van de vordering die wordt afgelost.")
    bedrag: Geheel(1, 10**8, "Het terugbetaalde bedrag in eurocenten; niet meer dan er openstaat.")
    ontvangenIn: MaandVeld = Field(
        description="De maand waarin de gemeente de betaling ontving: niet vóór de bronmaand, niet na deze maand."
    )
    kenmerk: Annotated[
        str,
        KENMERK,
        Field(
            description="Uw kenmerk van de ontvangen betaling (bijv. het transactienummer van de bank), uniek per "
            "uitkering: dezelfde betaling nogmaals gemeld, hoe lang daarna ook, wordt niet opnieuw geboekt. Een "
            "betaling over meer vorderingen boekt u in delen, elk met een eigen kenmerk (bijv. TX-1/1 en TX-1/2). "
            "Het staat bij de boeking van de vordering, die ook de burger en zijn partner lezen: zet er geen andere "
            "persoonsgegevens in."
        ),
    ]


class Stornering(Model):
    kenmerk: Annotated[
        str,
        KENMERK,
        Field(description="Het kenmerk waaronder u de terugbetaling boekte."),
    ]
    gestorneerdIn: MaandVeld = Field(
        description="De maand waarin de bank haar terugboekte (of waarin u de fout vond): niet vóór de maand van "
        "ontvangst, niet na deze maand."
    )


class Vorderingsbeleid(Model):
    geldigVanaf: Datum
    maximaleTermijn: (
        Geheel(
            100,
            10**8,
            "Het meeste dat per maand op de bijstand wordt ingehouden, in eurocenten; null: alles boven de "
            "beslagvrije voet.",
        )
        | None
    ) = None
    kwijtscheldingsdrempel: Geheel(0, 100_000, "Een vordering onder dit bedrag (eurocenten) wordt niet teruggevorderd.")

    def beleid(self) -> vd.Vorderingsbeleid:
        return vd.Vorderingsbeleid(self.geldigVanaf, self.maximaleTermijn, self.kwijtscheldingsdrempel)


class Verhoging(Model):
    geldigVanaf: Datum = Field(
        description="Vanaf deze dag geldt de verhoging (een versie van dezelfde grond en datum wordt vervangen)."
    )
    grond: vd.Verhogingsgrond = Field(
        description="woonkosten: woonkosten boven wat de norm en de huurtoeslag dekken; zorgpremie: de premie van de "
        "zorgverzekering die de zorgtoeslag niet dekt; overig: een andere kost, in de reden genoemd."
    )
    bedrag: Geheel(
        0, vd.MAXIMALE_VERHOGING, "De verhoging per maand in eurocenten; 0 beëindigt de verhoging van deze grond."
    )
    reden: Annotated[
        RedenVeld, Field(description="Waarom, voor het dossier van de gemeente (kan gezondheidsgegevens bevatten).")
    ]

    def verhoging(self) -> vd.Verhoging:
        return vd.Verhoging(self.geldigVanaf, self.grond, self.bedrag, self.reden)


class VerhogingWeergave(Model):
    geldigVanaf: Datum
    grond: vd.Verhogingsgrond
    bedrag: int = Field(ge=0, description="De verhoging per maand in eurocenten.")
    reden: str | None = Field(
        description="Waarom; alleen voor de gemeente (de burger en de partner lezen grond en bedrag, niet de reden, "
        "die gezondheidsgegevens kan bevatten)."
    )


def _verhoging(v: vd.Verhoging, caller: Caller) -> dict:
    reden = None if caller.rol is Rol.burger else v.reden
    return {"geldigVanaf": v.geldig_vanaf.isoformat(), "grond": v.grond.value, "bedrag": v.bedrag, "reden": reden}


def _beleid(b: vd.Vorderingsbeleid) -> dict:
    return {
        "geldigVanaf": b.geldig_vanaf.isoformat(),
        "maximaleTermijn": b.maximale_termijn,
        "kwijtscheldingsdrempel": b.drempel,
    }


@router.get(
    "/uitkeringen/{uitkeringId}/vorderingen",
    response_model=list[VorderingWeergave],
    operation_id="leesVorderingen",
    openapi_extra=voorbeeld([vb.VORDERING]),
    summary="De vorderingen (terugvorderingen) van een uitkering, per bronmaand, met wat er openstaat en uitleg.",
    description=f"{EIGEN_UITKERING} {HOE}",
)
async def lees_vorderingen(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> list[dict]:
    return await vorderingen.lees(poorten, principal, uitkeringId)


@router.get(
    "/mijn/vorderingen",
    response_model=list[VorderingWeergave],
    operation_id="leesMijnVorderingen",
    openapi_extra=voorbeeld([vb.VORDERING])
    | doelbinding(
        "betrokkene",
        "Alleen de burger zelf, met het BSN uit zijn DigiD-token (AVG art. 15): de vorderingen van zijn eigen "
        "uitkeringen.",
    ),
    tags=["mijn"],
    summary="Uw eigen vorderingen (burger, DigiD): wat u terug moet betalen, waarom en hoe.",
    description=HOE,
)
async def lees_mijn_vorderingen(
    poorten: Poorten, principal: Annotated[Principal, Depends(requires(Rol.burger))]
) -> list[dict]:
    return await vorderingen.mijn(poorten, principal)


@router.post(
    "/uitkeringen/{uitkeringId}/terugbetalingen",
    response_model=VorderingWeergave,
    operation_id="boekTerugbetaling",
    openapi_extra=voorbeeld(vb.VORDERING_TERUGBETAALD, vb.TERUGBETALING),
    dependencies=[Idempotent],
    responses={
        409: {
            "description": "Het kenmerk is al geboekt voor een andere terugbetaling (een andere vordering, een ander "
            "bedrag of een andere maand: kenmerk-al-gebruikt)."
        },
        503: {
            "description": "Terugbetalingen boeken staat in deze omgeving nog niet aan (nog-niet-beschikbaar): de "
            "beheerder zet het aan als elke instantie deze versie draait."
        },
        422: {
            "description": "Over de bronmaand staat geen vordering open (geen-openstaande-vordering), het bedrag is "
            "hoger dan er openstaat (terugbetaling-te-hoog), of de maand van ontvangst ligt vóór de bronmaand of na "
            "deze maand (maand-buiten-bereik)."
        },
    },
    summary="Boek een terugbetaling die de gemeente buiten de bijstand om ontving (een betalingsregeling, of in "
    "één keer) op een vordering.",
    description="Na het einde van een uitkering, en bij stabiel inkomen, spreekt de gemeente een betalingsregeling "
    "af; wat de persoon zo terugbetaalt, boekt zij hier. Daarna staat er zoveel minder open: een latere nabetaling "
    "wordt niet meer verrekend met wat al is terugbetaald, en een herziening in het voordeel van de persoon betaalt "
    "het verschil uit. De vordering wordt opnieuw gemeld (vordering.gewijzigd) met de boeking en de uitleg.",
)
async def boek_terugbetaling(
    uitkeringId: UitkeringId, body: Terugbetaling, poorten: Poorten, principal: Gemeente
) -> dict:
    return await vorderingen.boek_terugbetaling(
        poorten,
        principal,
        uitkeringId,
        Maand.parse(body.vordering),
        body.bedrag,
        Maand.parse(body.ontvangenIn),
        body.kenmerk,
    )


@router.post(
    "/uitkeringen/{uitkeringId}/terugbetalingen/_storneer",
    response_model=VorderingWeergave,
    operation_id="storneerTerugbetaling",
    openapi_extra=voorbeeld(vb.VORDERING_GESTORNEERD, vb.STORNERING),
    dependencies=[Idempotent],
    responses={
        409: {
            "description": "De terugbetaling is al teruggedraaid, in een andere maand (kenmerk-al-gebruikt); in "
            "dezelfde maand nogmaals gemeld volgt de vordering zoals zij staat."
        },
        422: {
            "description": "Er is geen terugbetaling met dit kenmerk geboekt (onbekende-terugbetaling), of de maand "
            "ligt vóór de maand van ontvangst of na deze maand (maand-buiten-bereik)."
        },
        503: {
            "description": "Terugbetalingen terugdraaien staat in deze omgeving nog niet aan (nog-niet-beschikbaar): "
            "de beheerder zet het aan als elke instantie deze versie draait."
        },
    },
    summary="Draai een geboekte terugbetaling terug die niet bleef staan (een storno van de bank, of een fout).",
    description="Een incasso kan de rekeninghouder tot acht weken laten terugboeken, een overboeking kan "
    "terugkomen, en een terugbetaling kan ten onrechte zijn geboekt. Het bedrag staat daarna weer open op de "
    "vordering, vanaf de maand van de storno, en wordt ingevorderd als de rest (ingehouden op een lopende "
    "bijstand, of onder de betalingsregeling). Wat de terugbetaling intussen bewoog (een vordering afgelost, een "
    "teruggave na een herziening) blijft geboekt: dat bedrag staat dan ook weer open. Komt de vordering onder de "
    "kwijtscheldingsdrempel van de gemeente uit, dan wordt ook wat zo weer openstaat niet teruggevorderd "
    "(kwijtschelding), zoals na elke wijziging. Nogmaals gemeld wordt zij "
    "niet opnieuw teruggedraaid; dezelfde terugbetaling opnieuw boeken (POST …/terugbetalingen) met hetzelfde "
    "kenmerk doet niets: een nieuwe betaling boekt u met een nieuw kenmerk. De vordering wordt opnieuw gemeld "
    "(vordering.gewijzigd) met de boeking (een terugbetaling met een negatief bedrag) en de uitleg.",
)
async def storneer_terugbetaling(
    uitkeringId: UitkeringId, body: Stornering, poorten: Poorten, principal: Gemeente
) -> dict:
    return await vorderingen.storneer_terugbetaling(
        poorten, principal, uitkeringId, body.kenmerk, Maand.parse(body.gestorneerdIn)
    )


@router.get(
    "/vorderingsbeleid",
    response_model=list[Vorderingsbeleid],
    operation_id="leesVorderingsbeleid",
    openapi_extra=voorbeeld([vb.VORDERINGSBELEID]),
    tags=["beleid"],
    summary="Het terugvorderingsbeleid van de eigen gemeente, per versie (zonder eigen versie: de standaard).",
)
async def lees_vorderingsbeleid(poorten: Poorten, principal: Gemeente) -> list[dict]:
    return [_beleid(b) for b in await vorderingen.beleid(poorten, principal)]


@router.post(
    "/vorderingsbeleid",
    response_model=list[Vorderingsbeleid],
    operation_id="zetVorderingsbeleid",
    openapi_extra=voorbeeld([vb.VORDERINGSBELEID], vb.VORDERINGSBELEID),
    dependencies=[Idempotent],
    tags=["beleid"],
    summary="Leg een versie van het terugvorderingsbeleid vast vanaf een datum (een versie van dezelfde datum wordt "
    "vervangen): de maximale termijn geldt voor inhoudingen vanaf die datum, de drempel voor vorderingen die dan "
    "ontstaan of veranderen.",
    description=HOE,
)
async def zet_vorderingsbeleid(body: Vorderingsbeleid, poorten: Poorten, principal: Gemeente) -> list[dict]:
    return [_beleid(b) for b in await vorderingen.zet_beleid(poorten, principal, body.beleid())]


VERHOGING = (
    "De beslagvrije voet is 95% van de bijstandsnorm (of van het inkomen als dat lager is); de wet verhoogt hem voor "
    "woonkosten en de zorgpremie (Rv art. 475da). Daarvoor zijn gegevens nodig die Schakel niet heeft (huur, premie, "
    "toeslagen): de consulent legt de verhoging vast met een reden. Inhoudingen vanaf de datum laten de persoon "
    "zoveel meer over."
)


@router.get(
    "/uitkeringen/{uitkeringId}/beslagvrijevoetverhogingen",
    response_model=list[VerhogingWeergave],
    operation_id="leesBeslagvrijeVoetVerhogingen",
    openapi_extra=voorbeeld([vb.VERHOGING]),
    summary="De verhogingen van de beslagvrije voet van een uitkering, per grond en versie.",
    description=f"{EIGEN_UITKERING} {VERHOGING}",
)
async def lees_verhogingen(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> list[dict]:
    return [_verhoging(v, principal) for v in await vorderingen.verhogingen(poorten, principal, uitkeringId)]


@router.post(
    "/uitkeringen/{uitkeringId}/beslagvrijevoetverhogingen",
    response_model=list[VerhogingWeergave],
    operation_id="verhoogBeslagvrijeVoet",
    responses={
        409: {"description": "De uitkering loopt op de datum niet meer."},
        422: {"description": "De datum ligt vóór vandaag (verhoging-terugwerkend)."},
    },
    openapi_extra=voorbeeld([vb.VERHOGING], vb.VERHOGING),
    dependencies=[Idempotent],
    summary="Leg als consulent een verhoging van de beslagvrije voet vast vanaf een datum, met grond en reden.",
    description=VERHOGING,
)
async def verhoog_beslagvrije_voet(
    uitkeringId: UitkeringId, body: Verhoging, poorten: Poorten, principal: Gemeente
) -> list[dict]:
    return [
        _verhoging(v, principal) for v in await vorderingen.verhoog(poorten, principal, uitkeringId, body.verhoging())
    ]
