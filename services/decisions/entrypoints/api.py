"""HTTP routes of the decisions service (paths relative to /api/v1); bodies in models.py."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Response
from fastapi.responses import JSONResponse

from decisions.entrypoints import examples as vb
from decisions.entrypoints import models
from decisions.entrypoints.models import (
    Abonnement,
    AbonnementInvoer,
    Aflevering,
    Beeindiging,
    Betaling,
    BetalingWeergave,
    Einddatum,
    Geboortedatum,
    Geschiedenis,
    InkomstensoortOordeel,
    NieuwAbonnement,
    Opnieuw,
    Proefberekening,
    Proefvraag,
    Tussenrekening,
    UitkeringOpenen,
    UitkeringWeergave,
    VerrekeningWeergave,
    VoorstelAfwijzing,
    Wijziging,
)
from decisions.service import uitkeringen, verrekeningen, webhooks
from decisions.service.ports import Ports
from schakel.api import API_PREFIX, Idempotent, Principal, Rol, app_ports, requires, zoekpad
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.router import Router
from schakel.api.types import Zoekvraag
from schakel.primitives import Maand

router = Router(tags=["uitkeringen"])
Gemeente = Annotated[Principal, Depends(requires(Rol.municipality))]
GemeenteOfBurger = Annotated[Principal, Depends(requires(Rol.municipality, Rol.burger))]
GemeenteOfBeheerder = Annotated[Principal, Depends(requires(Rol.municipality, Rol.operator))]
EIGEN_UITKERING = "Een gemeente leest haar eigen uitkeringen, een burger (DigiD) de zijne; een andere is niet gevonden."
UitkeringId = Annotated[
    str,
    Path(description="Id van de uitkering.", pattern=r"^[0-9a-f-]{36}$", openapi_examples=parameter(vb.UITKERING_ID)),
]


Poorten = Annotated[Ports, Depends(app_ports)]


@router.post(
    "/uitkeringen",
    status_code=201,
    response_model=UitkeringWeergave,
    operation_id="openUitkering",
    openapi_extra=voorbeeld(vb.UITKERING, vb.UITKERING_OPENEN, 201, "/uitkeringen/{uitkeringId}")
    | doelbinding(
        "woongemeente",
        "Alleen de gemeente waar de BRP de persoon inschrijft (Participatiewet art. 40). De 409 voor een "
        "tweede uitkering over dezelfde dagen krijgt ook die gemeente als de vorige gemeente haar uitkering na "
        "een verhuizing nog niet beëindigde, of tot na de gevraagde startdatum: zij moet weten waarom zij nog "
        "niet kan openen.",
    ),
    dependencies=[Idempotent],
    summary="Open een bijstandsuitkering voor een inwoner van uw gemeente.",
    responses={
        404: {
            "description": "De aanvrager of de partner staat volgens de BRP niet in uw gemeente ingeschreven (of is onbekend)."
        },
        409: {
            "description": "Voor dit BSN loopt al een uitkering, of een eerdere loopt door tot op of na de "
            "startdatum (`uitkering-bestaat-al`); of de aanvrager of de partner hoort in een deel van de periode "
            "bij het huishouden van een andere uitkering, als aanvrager of als partner, in welke gemeente ook "
            "(`ander-huishouden`). De dagen zouden twee keer betaald worden. Een partner telt een hele maand mee "
            "in het huishouden waartoe hij op de eerste dag van die maand (of de startdatum) hoort. Een lopende uitkering van uw eigen gemeente vindt u met POST /uitkeringen/_zoek."
        },
        422: {
            "description": "Een wettelijke regel staat dit niet toe (bijv. jonger dan 18), of een datum kan niet: "
            "een startdatum na het einde van de zesde maand na deze, een partner of jongste kind geboren na de "
            "ingangsdatum, een jongste kind geboren vóór de aanvrager."
        },
    },
)
async def open_uitkering(body: UitkeringOpenen, poorten: Poorten, principal: Gemeente) -> JSONResponse:
    content = models.uitkering(
        await uitkeringen.open_uitkering(
            poorten, principal, body.bsn, body.geboortedatum, body.startdatum, body.situatie(body.startdatum)
        )
    )
    return JSONResponse(
        content, status_code=201, headers={"Location": f"{API_PREFIX}/uitkeringen/{content['uitkeringId']}"}
    )


zoekpad(router, "/uitkeringen/_zoek")


@router.get(
    "/uitkeringen/{uitkeringId}",
    response_model=UitkeringWeergave,
    operation_id="leesUitkering",
    openapi_extra=voorbeeld(vb.UITKERING),
    summary="Lees een uitkering van uw gemeente, of als burger uw eigen uitkering.",
    description=EIGEN_UITKERING,
)
async def lees_uitkering(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> dict:
    return models.uitkering(await uitkeringen.lees(poorten, principal, uitkeringId))


@router.get(
    "/mijn/uitkeringen",
    response_model=list[UitkeringWeergave],
    operation_id="leesMijnUitkeringen",
    openapi_extra=voorbeeld([vb.UITKERING])
    | doelbinding(
        "betrokkene",
        "Alleen de burger zelf, met het BSN uit zijn DigiD-token (AVG art. 15): zijn eigen uitkeringen, lopend en "
        "beëindigd, als aanvrager of als partner in het huishouden van vandaag (de bijstand van een paar is die "
        "van het huishouden, Participatiewet art. 4 en 11; een vroegere partner niet, een latere nog niet); met "
        "hun id leest hij ook de verrekeningen met uitleg, de geschiedenis, de tussenrekening en de vorderingen. "
        "Een partner ziet de uitkering vanaf de dag dat hij in het huishouden kwam, en haar maanden vanaf de eerste "
        "die met hem is verrekend (een maand wordt verrekend met het huishouden van de eerste dag): niet de "
        "situaties, maanden en vorderingen van daarvoor (wat een nabetaling daarvan afloste, ziet hij als bedrag, "
        "zonder de maand), niet een situatie na het einde van zijn periode in het huishouden (een wijziging voor "
        "een latere dag, die een volgende partner kan noemen), niet de deelnamestatus van de aanvrager en niet de "
        "oordelen over inkomsten.",
    ),
    tags=["mijn"],
    summary="Uw eigen bijstandsuitkeringen (burger, DigiD), nieuwste eerst.",
)
async def lees_mijn_uitkeringen(
    poorten: Poorten, principal: Annotated[Principal, Depends(requires(Rol.burger))]
) -> list[dict]:
    return [models.uitkering(u) for u in await uitkeringen.mijn(poorten, principal)]


@router.post(
    "/uitkeringen/_zoek",
    response_model=list[UitkeringWeergave],
    operation_id="zoekUitkeringen",
    openapi_extra=voorbeeld([vb.UITKERING], vb.ZOEK_BSN)
    | doelbinding(
        "eigen-dossier",
        "Alleen de uitkeringen van uw gemeente waarin de persoon aanvrager is of partner in een van de "
        "situaties: om een uitkering terug te vinden waarvan uw systeem het id niet (meer) heeft. Een uitkering "
        "van een andere gemeente staat er niet bij; voor wie bij u geen uitkering heeft, is het antwoord leeg.",
    ),
    summary="De uitkeringen van uw gemeente van een persoon, lopend en beëindigd, nieuwste eerst (BSN in de body).",
)
async def zoek_uitkeringen(body: Zoekvraag, poorten: Poorten, principal: Gemeente) -> list[dict]:
    return [models.uitkering(u) for u in await uitkeringen.zoek(poorten, principal, body.bsn)]


@router.post(
    "/uitkeringen/{uitkeringId}/_wijzig",
    response_model=UitkeringWeergave,
    operation_id="wijzigUitkering",
    openapi_extra=voorbeeld(vb.GEWIJZIGD, vb.WIJZIGING)
    | doelbinding(
        "woongemeente",
        "Een partner die de wijziging noemt, moet volgens de BRP in uw gemeente wonen, net als de aanvrager "
        "(Participatiewet art. 40): het inkomen van beiden telt voor de bijstand van het huishouden.",
    ),
    dependencies=[Idempotent],
    summary="Wijzig de huishoudsituatie of de vrijlatingsgronden per een ingangsdatum; de maanden vanaf "
    "dan worden opnieuw verrekend.",
    responses={
        404: {"description": "De uitkering is niet van u, of de partner staat niet in uw gemeente ingeschreven."},
        409: {
            "description": "De partner hoort in een deel van de periode bij het huishouden van een andere "
            "uitkering, als aanvrager of als partner, in welke gemeente ook (`ander-huishouden`): de dagen zouden "
            "twee keer betaald worden. Een partner telt een hele maand mee in het huishouden waartoe hij op de "
            "eerste dag van die maand (of de startdatum) hoort; een wijziging binnen een maand telt vanaf de volgende."
        },
        422: {
            "description": "De ingangsdatum valt buiten de uitkering (`ingangsdatum-buiten-uitkering`) of ligt "
            "meer dan zes maanden vooruit (`ingangsdatum-te-ver-vooruit`, zoals een start- of einddatum), of de "
            "situatie is onvolledig, of het betaalmodel wijzigt voor een maand die al is verrekend of betaald "
            "(`betaalmodel-al-verrekend`: die houdt het betaalmodel waarmee hij is betaald)."
        },
    },
)
async def wijzig_uitkering(uitkeringId: UitkeringId, body: Wijziging, poorten: Poorten, principal: Gemeente) -> dict:
    return models.uitkering(await uitkeringen.wijzig(poorten, principal, uitkeringId, body.situatie(body.ingangsdatum)))


@router.post(
    "/uitkeringen/{uitkeringId}/inkomstensoorten",
    response_model=UitkeringWeergave,
    operation_id="beoordeelInkomstensoort",
    openapi_extra=voorbeeld(vb.UITKERING, vb.INKOMSTENSOORT)
    | doelbinding(
        "eigen-dossier",
        "Alleen de gemeente van de uitkering, over een inkomstenverhouding van de aanvrager of van een partner in "
        "die uitkering (het inkomen van het huishouden telt in de bijstand, Participatiewet art. 4 en 32); een "
        "ander BSN wordt geweigerd (422) zonder iets over die persoon te zeggen.",
    ),
    dependencies=[Idempotent],
    summary="Leg als consulent vast of een inkomstenverhouding van onbekende soort arbeid of overig inkomen is, "
    "met de reden; de maanden die erop wachtten worden verrekend.",
)
async def beoordeel_inkomstensoort(
    uitkeringId: UitkeringId, body: InkomstensoortOordeel, poorten: Poorten, principal: Gemeente
) -> dict:
    weergave = await uitkeringen.beoordeel_inkomstensoort(poorten, principal, uitkeringId, body.oordeel(), body.bsn)
    return models.uitkering(weergave)


@router.post(
    "/uitkeringen/{uitkeringId}/_beeindig",
    response_model=UitkeringWeergave,
    operation_id="beeindigUitkering",
    openapi_extra=voorbeeld(vb.BEEINDIGD, vb.BEEINDIGING),
    summary="Beëindig een uitkering per een einddatum.",
    dependencies=[Idempotent],
    responses={
        409: {"description": "De uitkering is al beëindigd."},
        422: {"description": "De einddatum ligt vóór de startdatum, of na het einde van de zesde maand na deze."},
    },
)
async def beeindig_uitkering(
    uitkeringId: UitkeringId, body: Beeindiging, poorten: Poorten, principal: Gemeente
) -> dict:
    return models.uitkering(await uitkeringen.beeindig(poorten, principal, uitkeringId, body.einddatum, body.reden))


@router.post(
    "/uitkeringen/{uitkeringId}/beeindigingsvoorstel/_afwijzen",
    response_model=UitkeringWeergave,
    operation_id="wijsBeeindigingsvoorstelAf",
    openapi_extra=voorbeeld(vb.VOORSTEL_AFGEWEZEN, vb.VOORSTEL_AFWIJZING),
    dependencies=[Idempotent],
    summary="Wijs het voorstel om de uitkering te beëindigen af (uitkering.beeindiging-voorgesteld): de uitkering "
    "loopt door, en deze reeks maanden boven de norm wordt niet opnieuw voorgesteld.",
    description="Zonder afwijzing volgt bij elke volgende maand boven de norm een nieuw voorstel. Ook een correctie die "
    "de eerste maand van de reeks verschuift, stelt haar niet opnieuw voor; een nieuwe reeks (na een maand op of "
    "onder de norm) wel. Dezelfde afwijzing nogmaals verandert niets. Een burger leest dat het voorstel is "
    "afgewezen, niet waarom; een partner ziet alleen een voorstel over maanden vanaf zijn eigen eerste.",
    responses={
        409: {
            "description": "De uitkering is beëindigd (`al-beeindigd`), heeft geen voorstel om te beëindigen "
            "(`geen-beeindigingsvoorstel`) of een ander voorstel dan `vanMaand` noemt (`ander-voorstel`: er kwam een "
            "nieuwe reeks bij; lees de uitkering opnieuw), of het voorstel is al afgewezen met een andere reden "
            "(`voorstel-al-afgewezen`)."
        }
    },
)
async def wijs_voorstel_af(
    uitkeringId: UitkeringId, body: VoorstelAfwijzing, poorten: Poorten, principal: Gemeente
) -> dict:
    van = Maand.parse(body.vanMaand)
    return models.uitkering(await uitkeringen.wijs_voorstel_af(poorten, principal, uitkeringId, van, body.reden))


@router.put(
    "/uitkeringen/{uitkeringId}/einddatum",
    response_model=UitkeringWeergave,
    operation_id="corrigeerEinddatum",
    openapi_extra=voorbeeld(vb.BEEINDIGD | vb.EINDDATUM, vb.EINDDATUM),
    summary="Herstel de einddatum van een beëindigde uitkering (een tikfout, of werk dat eerder begon). De maanden "
    "worden opnieuw verrekend: een maand na de nieuwe einddatum op nihil, een maand die terugkomt naar haar inkomen "
    "(zonder inkomen als er na de verwachte polisdatum geen bekend is); "
    "uitkering.beeindigd volgt opnieuw, met de vorige einddatum. Dezelfde datum nogmaals verandert niets.",
    responses={
        409: {
            "description": "De uitkering loopt nog (`niet-beeindigd`: beëindig haar eerst); de persoon heeft na "
            "deze uitkering een nieuwe gekregen (`latere-uitkering`: die telt door vanaf dit einde); of een maand die "
            "terugkomt, is op nihil verrekend en is nog niet te verrekenen: ze wacht op een consulent, of er is geen "
            "inkomen van het huishouden bekend terwijl de polis erover nog niet verwacht is "
            "(`maand-niet-te-verrekenen`: corrigeer zodra die maand verrekend kan worden); of een latere "
            "einddatum maakt de aanvrager of een partner lid van twee huishoudens tegelijk (`ander-huishouden`)."
        },
        422: {"description": "De einddatum ligt vóór de startdatum, of na het einde van de zesde maand na deze."},
    },
)
async def corrigeer_einddatum(uitkeringId: UitkeringId, body: Einddatum, poorten: Poorten, principal: Gemeente) -> dict:
    return models.uitkering(await uitkeringen.corrigeer_einde(poorten, principal, uitkeringId, body.einddatum))


@router.put(
    "/uitkeringen/{uitkeringId}/geboortedatum",
    response_model=UitkeringWeergave,
    operation_id="corrigeerGeboortedatum",
    openapi_extra=voorbeeld(vb.UITKERING | vb.GEBOORTEDATUM, vb.GEBOORTEDATUM),
    summary="Herstel de geboortedatum van de aanvrager (een tikfout). De norm en de vrijlating hangen van de leeftijd "
    "af: alle maanden worden opnieuw verrekend, een maand die anders uitkomt wordt herzien. Na een einde volgt "
    "uitkering.beeindigd opnieuw met dezelfde einddatum, zodat een heraanvraag de juiste datum hergebruikt. Dezelfde "
    "datum nogmaals verandert niets.",
    description="De geboortedatum van een partner herstelt u met de situatie op haar ingangsdatum "
    "(POST /uitkeringen/{uitkeringId}/_wijzig met dezelfde ingangsdatum vervangt die situatie). Elke uitkering "
    "herstelt u apart: een latere uitkering van de persoon (ook een heropende) houdt haar eigen geboortedatum.",
    responses={
        422: {
            "description": "De aanvrager was op de startdatum nog geen 18 (`te-jong`), of het jongste kind in een "
            "situatie is niet na de aanvrager geboren (`geboortedatum-kind`)."
        }
    },
)
async def corrigeer_geboortedatum(
    uitkeringId: UitkeringId, body: Geboortedatum, poorten: Poorten, principal: Gemeente
) -> dict:
    return models.uitkering(
        await uitkeringen.corrigeer_geboortedatum(poorten, principal, uitkeringId, body.geboortedatum)
    )


@router.post(
    "/uitkeringen/{uitkeringId}/betalingen",
    response_model=BetalingWeergave,
    operation_id="legBetalingVast",
    openapi_extra=voorbeeld(vb.BETALING_VASTGELEGD, vb.BETALING),
    dependencies=[Idempotent],
    responses={
        422: {
            "description": "De uitkering loopt in die maand niet (`maand-buiten-uitkering`), of de maand ligt na "
            "de volgende maand (`maand-te-ver-vooruit`: een voorschot geldt voor deze of de volgende maand). Een "
            "maand waarvoor al een betaling is vastgelegd, kan altijd worden gecorrigeerd (ook na de einddatum: de "
            "vordering over die maand verandert mee). Een bedrag boven tweemaal de hoogste bijstandsnorm van de maand "
            "is een tikfout (`bedrag-onaannemelijk`, veld `bedrag`), ook bij een correctie; een maand van vóór de "
            "wettelijke tabellen wordt niet getoetst."
        }
    },
    summary="Leg vast wat over een maand is betaald (voorschot); de verrekening van die maand volgt.",
)
async def leg_betaling_vast(uitkeringId: UitkeringId, body: Betaling, poorten: Poorten, principal: Gemeente) -> dict:
    v = await verrekeningen.betaal(poorten, principal, uitkeringId, Maand.parse(body.maand), body.bedrag)
    return {"maand": body.maand, "bedrag": body.bedrag, "verrekening": None if v is None else models.verrekening(v)}


@router.get(
    "/uitkeringen/{uitkeringId}/verrekeningen",
    response_model=list[VerrekeningWeergave],
    operation_id="leesVerrekeningen",
    openapi_extra=voorbeeld(vb.VERREKENINGEN),
    summary="De verrekening per maand met uitleg: norm, inkomen per werkgever, vrijlating, bijstand, "
    "betaald en het verschil.",
)
async def lees_verrekeningen(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> list[dict]:
    return [models.verrekening(v) for v in await verrekeningen.lijst(poorten, principal, uitkeringId)]


@router.get(
    "/uitkeringen/{uitkeringId}/geschiedenis",
    response_model=Geschiedenis,
    operation_id="leesGeschiedenis",
    openapi_extra=voorbeeld(vb.GESCHIEDENIS),
    summary="Wat er met de uitkering gebeurde (geopend, gewijzigd, verrekend, herzien, beëindigd) en de "
    "vrijlatingsklok.",
)
async def lees_geschiedenis(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> dict:
    return models.geschiedenis(*await verrekeningen.geschiedenis(poorten, principal, uitkeringId))


@router.get(
    "/uitkeringen/{uitkeringId}/tussenrekening",
    response_model=Tussenrekening,
    operation_id="leesTussenrekening",
    openapi_extra=voorbeeld(vb.TUSSENREKENING),
    responses={409: {"description": "De uitkering wordt niet als stabiel inkomen betaald."}},
    summary="Stabiel inkomen (Surplus): loon en bijstand erin, het vaste maandbedrag eruit, saldo per maand.",
)
async def lees_tussenrekening(uitkeringId: UitkeringId, poorten: Poorten, principal: GemeenteOfBurger) -> dict:
    return models.tussenrekening(*await verrekeningen.tussenrekening(poorten, principal, uitkeringId))


# --- webhooks ---------------------------------------------------------------------------------

abonnementen = Router(tags=["abonnementen"])
AbonnementId = Annotated[
    str,
    Path(
        description="Id van het abonnement.",
        pattern=r"^[0-9a-f-]{36}$",
        openapi_examples=parameter(vb.ABONNEMENT_ID),
    ),
]


@abonnementen.post(
    "/abonnementen",
    status_code=201,
    response_model=NieuwAbonnement,
    operation_id="abonneer",
    openapi_extra=voorbeeld(vb.NIEUW_ABONNEMENT, vb.ABONNEMENT, 201, "/abonnementen/{abonnementId}"),
    dependencies=[Idempotent],
    responses={
        422: {
            "description": "De callback-URL is niet toegestaan (url-niet-toegestaan: geen https, een poort waarop webhooks niet "
            "naar buiten kunnen, een query of een fragment (#…), een "
            "ongeldige host, of een host die niet openbaar bereikbaar is), de gemeente heeft al een actief "
            "abonnement met deze URL en eventTypes (abonnement-bestaat-al), of al het grootste aantal actieve "
            "abonnementen (te-veel-abonnementen)."
        }
    },
    summary="Abonneer een callback-URL op events van de eigen uitkeringen (CloudEvents, ondertekend).",
)
async def abonneer(body: AbonnementInvoer, poorten: Poorten, principal: Gemeente, response: Response) -> dict:
    nieuw = await webhooks.abonneer(poorten, principal, body.url, list(body.eventTypes))
    response.headers["Location"] = f"{API_PREFIX}/abonnementen/{nieuw.abonnement_id}"
    return models.abonnement(nieuw, False) | {"geheim": nieuw.geheim}  # the secret is shown once


@abonnementen.get(
    "/abonnementen",
    response_model=list[Abonnement],
    operation_id="leesAbonnementen",
    openapi_extra=voorbeeld(vb.ABONNEMENTEN),
    summary="De actieve abonnementen van de eigen gemeente (voor de beheerder: van alle gemeenten), met hun "
    "onderbreking; met status=gestopt de gestopte.",
    description="Een abonnement stopt als de ontvanger 410 Gone antwoordt of de gemeente het beëindigt. Een gestopt "
    "abonnement blijft staan tot de bewaartermijn van afleveringen (DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN) na het "
    "stoppen voorbij is en zijn laatste aflevering weg is; zijn afleveringen blijven te lezen (welke vervielen) "
    "zolang elke aflevering wordt bewaard, die termijn na haar aanmaak. De laatste 100 gestopte, de laatst "
    "gestopte eerst. Wat u miste, leest u terug met GET /gebeurtenissen?vanafTijdstip= enkele minuten vóór de "
    "laatste gebeurtenis die uw systeem verwerkte, niet gestoptOp: wat vervallen of opgegeven is, is ervoor "
    "gepubliceerd.",
)
async def lees_abonnementen(
    poorten: Poorten,
    principal: GemeenteOfBeheerder,
    status: Annotated[
        Literal["actief", "gestopt"],
        Query(
            description="actief (ook de onderbroken en de gepauzeerde) of gestopt.",
            openapi_examples=parameter("gestopt"),
        ),
    ] = "actief",
) -> list[dict]:
    gestopt = status == "gestopt"
    return [models.abonnement(a, onderbroken) for a, onderbroken in await webhooks.lijst(poorten, principal, gestopt)]


@abonnementen.delete(
    "/abonnementen/{abonnementId}",
    status_code=204,
    operation_id="beeindigAbonnement",
    summary="Beëindig een abonnement; wachtende afleveringen vervallen.",
    description="Een gestopt abonnement blijft zoals het stopte (204).",
)
async def beeindig_abonnement(abonnementId: AbonnementId, poorten: Poorten, principal: Gemeente) -> Response:
    await webhooks.stop(poorten, principal, abonnementId)
    return Response(status_code=204)


@abonnementen.get(
    "/abonnementen/{abonnementId}/afleveringen",
    response_model=list[Aflevering],
    operation_id="leesAfleveringen",
    openapi_extra=voorbeeld(vb.AFLEVERINGEN),
    summary="De laatste 100 afleveringen met elke poging (tijdstip, statuscode of fout, duur).",
    description="Ook van een gestopt abonnement: welke afleveringen vervielen toen het stopte.",
)
async def lees_afleveringen(abonnementId: AbonnementId, poorten: Poorten, principal: Gemeente) -> list[dict]:
    return [models.aflevering(a, p) for a, p in await webhooks.bezorgingen(poorten, principal, abonnementId)]


@abonnementen.post(
    "/abonnementen/{abonnementId}/_opnieuw",
    status_code=202,
    response_model=Opnieuw,
    operation_id="bezorgOpnieuw",
    dependencies=[Idempotent],
    openapi_extra=voorbeeld(vb.OPNIEUW, status=202),
    responses={
        202: {
            "description": "Aanvaard: de opgegeven afleveringen wachten weer, vóór de latere, elk met nieuwe "
            "pogingen; `aantal` zegt hoeveel. Van een gepauzeerd abonnement wachten ze tot geen pauze meer staat."
        },
        409: {"description": "Het abonnement is gestopt (abonnement-gestopt): neem een nieuw abonnement."},
    },
    summary="Verstuur de opgegeven afleveringen van een abonnement opnieuw, in hun oorspronkelijke volgorde.",
)
async def bezorg_opnieuw(abonnementId: AbonnementId, poorten: Poorten, principal: Gemeente) -> dict:
    return {"aantal": await webhooks.opnieuw(poorten, principal, abonnementId)}


@abonnementen.post(
    "/abonnementen/{abonnementId}/_pauzeer",
    response_model=Abonnement,
    operation_id="pauzeerAbonnement",
    dependencies=[Idempotent],
    openapi_extra=voorbeeld(vb.GEPAUZEERD),
    responses={409: {"description": "Het abonnement is gestopt (abonnement-gestopt)."}},
    summary="Pauzeer een abonnement: de afleveringen wachten, zonder pogingen te verbruiken, tot geen pauze meer "
    "staat.",
    description="Voor de gemeente (haar eigen abonnementen, bijv. tijdens onderhoud van haar systeem) en de "
    "beheerder (ieder abonnement, bijv. als de ontvanger niet is wie hij moet zijn). Een aflevering die al onderweg "
    "is, gaat nog; daarna geen. Nieuwe events blijven afleveringen maken. Een aflevering die langer wacht dan de "
    "bewaartermijn van afleveringen (DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN) wordt opgegeven en daarna verwijderd: lees "
    "terug wat u miste met GET /gebeurtenissen?vanafTijdstip=. De pauze van de gemeente en die van de beheerder "
    "staan los van elkaar, elk sinds de eerste keer: het abonnement blijft gepauzeerd zolang er een staat "
    "(gepauzeerdDoor).",
)
async def pauzeer_abonnement(abonnementId: AbonnementId, poorten: Poorten, principal: GemeenteOfBeheerder) -> dict:
    return models.abonnement(*await webhooks.pauzeer(poorten, principal, abonnementId, True))


@abonnementen.post(
    "/abonnementen/{abonnementId}/_hervat",
    response_model=Abonnement,
    operation_id="hervatAbonnement",
    dependencies=[Idempotent],
    openapi_extra=voorbeeld(vb.ABONNEMENT_WEERGAVE),
    responses={409: {"description": "Het abonnement is gestopt (abonnement-gestopt)."}},
    summary="Hef de eigen pauze van een abonnement op: staat er geen andere, dan gaat wat wachtte weer, in volgorde.",
    description="Voor de gemeente (haar eigen abonnementen) en de beheerder (ieder abonnement); ieder heft alleen de "
    "eigen pauze op. Staat die van de ander nog, dan blijft het abonnement gepauzeerd (gepauzeerdDoor), zodat "
    "niemand de pauze van een ander ongemerkt opheft. Staat er geen meer, dan zegt wie hervat dat de ontvanger klaar "
    "is: wat wachtte gaat meteen, in volgorde, en de onderbreking (onderbrokenTot) en de wachttijd van een aflevering "
    "die voor de pauze mislukte vervallen; mislukt het weer, dan gaat het zoals altijd. Een abonnement zonder eigen "
    "pauze blijft zoals het is. Staat de pauze van de beheerder nog, "
    "neem dan contact op met de beheerder.",
)
async def hervat_abonnement(abonnementId: AbonnementId, poorten: Poorten, principal: GemeenteOfBeheerder) -> dict:
    return models.abonnement(*await webhooks.pauzeer(poorten, principal, abonnementId, False))


# --- what-if ----------------------------------------------------------------------------------

proefberekeningen = Router(tags=["proefberekeningen"])


@proefberekeningen.post(
    "/proefberekeningen",
    response_model=Proefberekening,
    operation_id="maakProefberekening",
    openapi_extra=voorbeeld(vb.PROEFBEREKENING, vb.PROEFVRAAG),
    responses={422: {"description": "Voor deze situatie kent Schakel de norm niet."}},
    summary="Wat als: maand voor maand, 12 maanden lang, wat een baan doet met loon, vrijlating en bijstand.",
)
async def maak_proefberekening(
    body: Proefvraag, poorten: Poorten, _: Annotated[Principal, Depends(requires(*Rol))]
) -> dict:
    return models.proefberekening(
        uitkeringen.proefberekening(
            poorten,
            body.geboortedatum,
            body.situatie(body.geboortedatum),
            body.baan.nettoLoon,
            Maand.parse(body.baan.startmaand),
            body.baan.vierWekelijks,
        )
    )
