"""HTTP routes of the reapplication service (paths relative to /api/v1); bodies in models.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response

from reapplication.domain.heraanvraag import ZONDER_UITKERING
from reapplication.domain.programmacijfers import GROEPEN
from reapplication.entrypoints import examples as vb
from reapplication.entrypoints import models
from reapplication.entrypoints.models import (
    Besluit,
    HeraanvraagInvoer,
    HeraanvraagWeergave,
    Meldingsresultaat,
    MijnHeraanvraag,
    MijnOverdrachtWeergave,
    OverdrachtAanvraag,
    Overdrachtmelding,
    Overdrachtrapportage,
    OverdrachtWeergave,
    Stap,
    Stapdatum,
    StapNaam,
    Termijnbeleid,
    TermijnbeleidInvoer,
    Uitkomst,
    Zoekresultaat,
)
from reapplication.service import heraanvragen, overdrachten, programmacijfers, termijnen
from reapplication.service.ports import Ports
from schakel.api import API_PREFIX, Idempotent, Principal, Rol, app_ports, requires, zoekpad
from schakel.api import programmacijfers as cijfers
from schakel.api.cursor import GEPAGINEERD, AppCursors, PaginaGrootte, alleen_vanaf, lezer_van, vanaf_query
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.problems import onjuist_veld
from schakel.api.router import Router
from schakel.api.types import Datum, Zoekvraag
from schakel.telemetry import metrics

router = Router(tags=["heraanvraagtermijnen"])


Poorten = Annotated[Ports, Depends(app_ports)]
Gemeente = Annotated[Principal, Depends(requires(Rol.municipality))]
Vanaf = Annotated[str | None, vanaf_query("een nieuwe WW-einddatum, een besluit bij een filter op status")]


@router.post(
    "/heraanvraagtermijnen/_zoek",
    response_model=Zoekresultaat,
    operation_id="zoekHeraanvraagtermijn",
    openapi_extra=voorbeeld(vb.ZOEKRESULTAAT, vb.ZOEK_BSN)
    | doelbinding(
        "eigen-dossier",
        "Alleen de termijn van uw eigen gemeente; de termijn van een andere gemeente blijft onzichtbaar, "
        "zoals bij een onbekende persoon.",
    ),
    summary="Heeft deze persoon een open heraanvraagtermijn in uw gemeente? (BSN in de body)",
)
async def zoek(body: Zoekvraag, poorten: Poorten, principal: Gemeente) -> dict:
    return models.zoekresultaat(await termijnen.open_termijn(poorten, principal, body.bsn))


@router.get(
    "/termijnbeleid",
    response_model=Termijnbeleid,
    operation_id="leesTermijnbeleid",
    openapi_extra=voorbeeld(vb.TERMIJNBELEID),
    tags=["termijnbeleid"],
    summary="De lengte van de heraanvraagtermijn in de eigen gemeente, per ingangsdatum.",
)
async def lees_beleid(poorten: Poorten, principal: Gemeente) -> dict:
    return models.termijnbeleid(*await termijnen.beleid(poorten, principal))


@router.put(
    "/termijnbeleid",
    response_model=Termijnbeleid,
    operation_id="zetTermijnbeleid",
    openapi_extra=voorbeeld(vb.TERMIJNBELEID, vb.TERMIJNBELEID_INVOER),
    tags=["termijnbeleid"],
    summary="Stel de heraanvraagtermijn van de eigen gemeente in vanaf een datum (voor uitkeringen die "
    "vanaf dan eindigen).",
)
async def zet_beleid(body: TermijnbeleidInvoer, poorten: Poorten, principal: Gemeente) -> dict:
    return models.termijnbeleid(*await termijnen.zet_beleid(poorten, principal, body.geldigVanaf, body.maanden))


programmacijfers_router = cijfers.router(
    programmacijfers.lees,
    "beslisduur van heraanvragen (mediaan, 90e percentiel, dagen van melding "
    "tot besluit) en overdrachten afgerond vóór het einde van de WW.",
    vb.PROGRAMMACIJFERS,
    GROEPEN,
)


# --- Max-WW handover --------------------------------------------------------------------------

overdracht_router = Router(tags=["overdrachten"])
OverdrachtId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$", openapi_examples=parameter(vb.OVERDRACHT_ID))]


@overdracht_router.post(
    "/overdrachten",
    response_model=Meldingsresultaat,
    operation_id="meldOverdracht",
    openapi_extra=voorbeeld(vb.MELDINGSRESULTAAT, vb.UWV_MELDING)
    | doelbinding(
        "wettelijke-taak",
        "UWV meldt het einde van de maximale WW-duur aan de woongemeente die het opgeeft, met toestemming "
        "of wettelijke grondslag: een taak voor iedere persoon, niet beperkt tot een gemeente. De overdracht "
        "gaat alleen naar de gemeente waar de BRP de persoon inschrijft.",
    ),
    dependencies=[Idempotent],
    responses={
        422: {
            "description": "Het WW-bedrag valt buiten de reikwijdte van toestemming of grondslag (buiten-grondslag), "
            "de BRP schrijft de persoon niet in de opgegeven gemeente in (niet-woongemeente, veld "
            "gemeentecode): ook een oude melding aan de vorige gemeente na een verhuizing neemt de overdracht "
            "dus niet terug; of het einde van de WW ligt meer dan 24 maanden vooruit (de WW duurt hooguit 24 "
            "maanden: ww-einddatum-te-ver-vooruit) of meer dan 12 maanden terug (ww-einddatum-verstreken); of het "
            "meldingstijdstip ligt meer dan 5 minuten na de aankomst van de melding (meldingstijdstip-in-de-toekomst, "
            "veld meldingstijdstip): zo'n melding zou voor altijd de laatste lijken. De woongemeente wordt als "
            "laatste getoetst, na alle andere regels."
        },
        503: {
            "description": "De BRP is nu niet op te vragen; er is niets vastgelegd. Probeer het later opnieuw met "
            "dezelfde Idempotency-Key."
        },
    },
    summary="UWV meldt dat de WW van een persoon haar maximale duur bereikt (met toestemming of "
    "grondslag, en wat die dekt); een latere melding werkt de overdracht bij of draagt haar over aan een "
    "nieuwe woongemeente (een uitkering die die gemeente al opende, is dan het besluit).",
)
async def meld_overdracht(
    body: Overdrachtmelding, poorten: Poorten, _: Annotated[Principal, Depends(requires(Rol.uwv))]
) -> dict:
    bedrag = (body.wwBedrag.soort, body.wwBedrag.bedrag) if body.wwBedrag else None
    uitkomst, o = await overdrachten.meld(
        poorten,
        body.bsn,
        body.gemeentecode,
        body.wwEinddatum,
        body.grondslag.model_dump(),
        bedrag,
        body.meldingstijdstip,
    )
    return models.meldingsresultaat(uitkomst, o)


@overdracht_router.get(
    "/overdrachten",
    response_model=list[OverdrachtWeergave],
    operation_id="leesOverdrachten",
    openapi_extra=voorbeeld(vb.OVERDRACHTEN),
    responses={
        **GEPAGINEERD,
        422: {
            "description": GEPAGINEERD[422]["description"] + " Of wwEindeVan ligt na wwEindeTot (`ongeldige-periode`)."
        },
    },
    summary="De overdrachten van de eigen gemeente, eerst verlopende WW eerst, per pagina; alleen van wie de BRP "
    "in uw gemeente inschrijft (na een verhuizing niet meer, ook voordat UWV de nieuwe gemeente meldt), dus een "
    "pagina kan korter zijn dan paginaGrootte, zelfs leeg: volg de Link tot die ontbreekt.",
)
async def lees_overdrachten(
    poorten: Poorten,
    cursors: AppCursors,
    principal: Gemeente,
    response: Response,
    wwEindeVan: Annotated[Datum | None, Query(openapi_examples=parameter("2026-12-01"))] = None,
    wwEindeTot: Annotated[Datum | None, Query(openapi_examples=parameter("2027-02-28"))] = None,
    vanaf: Vanaf = None,
    paginaGrootte: PaginaGrootte = 1000,
) -> list[dict]:
    alleen_vanaf(vanaf, wwEindeVan=wwEindeVan, wwEindeTot=wwEindeTot)
    if wwEindeVan and wwEindeTot and wwEindeVan > wwEindeTot:  # back to front: nothing, not an empty page
        raise onjuist_veld(
            "wwEindeVan", "ongeldige-periode", "Ongeldige periode", "wwEindeVan ligt na wwEindeTot.", "volgorde"
        )
    lezer, nu = lezer_van(principal, "overdrachten"), poorten.clock.now()
    van, tot, na = wwEindeVan, wwEindeTot, None
    if vanaf is not None:
        van, tot, na = cursors.open(lezer, vanaf, nu, "vanaf", _overdrachten_vanaf)
    gelezen = await overdrachten.lijst(poorten, principal, van, tot, na, paginaGrootte + 1)
    pagina = cursors.page(
        response, lezer, gelezen, paginaGrootte, nu, lambda r: {"van": van, "tot": tot, "na": r[0].volgorde}
    )
    # after paging: a page may come out shorter, but the cursor goes on from all that was read
    return [models.overdracht(o, bsn) for o, bsn in await overdrachten.ingezetenen(poorten, principal, pagina)]


@overdracht_router.post(
    "/overdrachten/_zoek",
    response_model=OverdrachtWeergave,
    operation_id="zoekOverdracht",
    openapi_extra=voorbeeld(vb.OVERDRACHT, vb.ZOEK_BSN)
    | doelbinding(
        "woongemeente",
        "Alleen de overdracht die UWV aan uw gemeente meldde, zolang de BRP de persoon in uw gemeente inschrijft "
        "(net als de lijst): om een overdracht terug te vinden waarvan uw systeem het id niet (meer) heeft. Een "
        "persoon die elders woont of geen overdracht heeft, krijgt hetzelfde antwoord als een onbekende persoon.",
    ),
    responses={404: {"description": "Geen overdracht van deze persoon die u mag zien."}},
    summary="De overdracht van een persoon aan uw gemeente (BSN in de body).",
)
async def zoek_overdracht(body: Zoekvraag, poorten: Poorten, principal: Gemeente) -> dict:
    return models.overdracht(await overdrachten.zoek(poorten, principal, body.bsn), body.bsn)


def _overdrachten_vanaf(positie: dict[str, Any]) -> tuple[date | None, date | None, tuple[date, str]]:
    einde, overdracht_id = positie["na"]
    van, tot = (date.fromisoformat(d) if d else None for d in (positie["van"], positie["tot"]))
    return van, tot, (date.fromisoformat(einde), overdracht_id)


DATUM_BUITEN_OVERDRACHT = (
    "De datum ligt na vandaag, of meer dan 12 maanden voor of na het einde van de WW (`datum-buiten-overdracht`)."
)


@overdracht_router.post(
    "/overdrachten/{overdrachtId}/stappen",
    response_model=OverdrachtWeergave,
    operation_id="legStapVast",
    openapi_extra=voorbeeld(vb.OVERDRACHT, vb.STAP),
    summary="Leg een stap vast: contact, re-integratie, aanvraag. De datum van de vroegste stap zegt UWV wanneer "
    "de overdracht werd opgepakt (overdracht.opgepakt, opnieuw als een stap met een eerdere datum volgt).",
    dependencies=[Idempotent],
    responses={
        409: {"description": "Deze stap is al vastgelegd (`stap-al-vastgelegd`): elke stap één keer."},
        422: {"description": DATUM_BUITEN_OVERDRACHT},
    },
)
async def leg_stap_vast(overdrachtId: OverdrachtId, body: Stap, poorten: Poorten, principal: Gemeente) -> dict:
    return models.overdracht(*await overdrachten.stap(poorten, principal, overdrachtId, body.stap, body.datum))


@overdracht_router.put(
    "/overdrachten/{overdrachtId}/stappen/{stap}",
    response_model=OverdrachtWeergave,
    operation_id="corrigeerStap",
    openapi_extra=voorbeeld(vb.OVERDRACHT | {"stappen": [vb.STAP | vb.STAPDATUM]}, vb.STAPDATUM),
    summary="Herstel de datum van een vastgelegde stap (een tikfout). Verandert daarmee de datum van de vroegste "
    "stap, dan hoort UWV wanneer de overdracht werd opgepakt (overdracht.opgepakt opnieuw).",
    responses={
        404: {
            "description": "De overdracht bestaat niet of hoort niet bij uw gemeente; of de stap is niet vastgelegd "
            "(`stap-niet-vastgelegd`: leg die eerst vast)."
        },
        422: {"description": DATUM_BUITEN_OVERDRACHT},
    },
)
async def corrigeer_stap(
    overdrachtId: OverdrachtId,
    stap: Annotated[StapNaam, Path(description="De vastgelegde stap.", openapi_examples=parameter(vb.STAP["stap"]))],
    body: Stapdatum,
    poorten: Poorten,
    principal: Gemeente,
) -> dict:
    return models.overdracht(*await overdrachten.corrigeer_stap(poorten, principal, overdrachtId, stap, body.datum))


@overdracht_router.post(
    "/overdrachten/{overdrachtId}/uitkomst",
    response_model=OverdrachtWeergave,
    operation_id="legUitkomstVast",
    openapi_extra=voorbeeld(vb.AFGEROND, vb.UITKOMST),
    dependencies=[Idempotent],
    responses={
        409: {"description": "De overdracht heeft al een uitkomst of een besluit."},
        422: {"description": DATUM_BUITEN_OVERDRACHT},
    },
    summary="Rond de overdracht af zonder bijstand: werk gevonden of geen bijstand nodig (telt als geslaagd "
    "vóór het einde van de WW; UWV hoort het).",
)
async def leg_uitkomst_vast(overdrachtId: OverdrachtId, body: Uitkomst, poorten: Poorten, principal: Gemeente) -> dict:
    return models.overdracht(*await overdrachten.uitkomst(poorten, principal, overdrachtId, body.uitkomst, body.datum))


@overdracht_router.put(
    "/overdrachten/{overdrachtId}/uitkomst",
    response_model=OverdrachtWeergave,
    operation_id="corrigeerUitkomst",
    openapi_extra=voorbeeld(vb.AFGEROND, vb.UITKOMST),
    responses={
        404: {
            "description": "De overdracht bestaat niet of hoort niet bij uw gemeente; of zij heeft geen uitkomst "
            "(`uitkomst-niet-vastgelegd`: leg die eerst vast; een overdracht die met bijstand eindigde, heeft er geen)."
        },
        422: {"description": DATUM_BUITEN_OVERDRACHT},
    },
    summary="Herstel de uitkomst van de overdracht: de datum (een tikfout) of de andere uitkomst. UWV hoort de "
    "uitkomst opnieuw (bijstand.besloten, die de vorige vervangt); dezelfde uitkomst nogmaals verandert niets.",
)
async def corrigeer_uitkomst(overdrachtId: OverdrachtId, body: Uitkomst, poorten: Poorten, principal: Gemeente) -> dict:
    gecorrigeerd = await overdrachten.corrigeer_uitkomst(poorten, principal, overdrachtId, body.uitkomst, body.datum)
    return models.overdracht(*gecorrigeerd)


@overdracht_router.get(
    "/overdrachtrapportage",
    response_model=Overdrachtrapportage,
    operation_id="leesOverdrachtrapportage",
    openapi_extra=voorbeeld(vb.RAPPORTAGE),
    summary="Overdrachten van de eigen gemeente en hoeveel een besluit hadden vóór de WW eindigde (van wie de BRP "
    "in uw gemeente inschrijft, zoals de lijst).",
)
async def lees_rapportage(poorten: Poorten, principal: Gemeente) -> dict:
    return models.rapportage(principal.gemeente, await overdrachten.rapportage(poorten, principal))


# --- re-applications --------------------------------------------------------------------------

heraanvraag_router = Router(tags=["heraanvragen"])
# a re-application is judged on the polis as income has it now, never without it
BRON_WEG = {
    503: {
        "description": "De BRP of het inkomen (de polis, gevraagd met uw eigen token) is nu niet op te vragen; er is "
        "niets vastgelegd. Probeer het later opnieuw met dezelfde Idempotency-Key."
    }
}
HERAANVRAAG_LOOPT = {
    409: {
        "description": "Voor deze persoon loopt een bijstandsuitkering tot op of na de startdatum, in welke gemeente ook "
        "(uitkering-loopt), of in uw "
        "gemeente al een heraanvraag (heraanvraag-loopt, met haar id in detail): een die op een consulent wacht, of een "
        "toegekende die onderweg is: de decisions-service heeft haar uitkering niet geopend en ook niet gemeld dat "
        "zij dat niet deed (nietGeopend). Er is niets vastgelegd."
    }
}
HeraanvraagId = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f-]{36}$",
        description="Id van de heraanvraag.",
        openapi_examples=parameter(vb.HERAANVRAAG_ID),
    ),
]


@heraanvraag_router.post(
    "/heraanvragen",
    status_code=201,
    response_model=HeraanvraagWeergave,
    operation_id="dienHeraanvraagIn",
    openapi_extra=voorbeeld(vb.INGEDIEND, vb.HERAANVRAAG, 201, "/heraanvragen/{heraanvraagId}")
    | doelbinding(
        "woongemeente",
        "Alleen de gemeente waar de BRP de persoon inschrijft (Participatiewet art. 40); een andere gemeente "
        "krijgt hetzelfde antwoord als voor een onbekende persoon en er wordt niets vastgelegd.",
    ),
    dependencies=[Idempotent],
    responses={
        404: {"description": "De persoon staat volgens de BRP niet in uw gemeente ingeschreven (of is onbekend)."},
        422: {
            "description": "Startdatum meer dan 3 maanden vóór de melding (startdatum-te-vroeg) of meer dan 4 weken "
            "en een dag erna (startdatum-te-laat), een melding na vandaag (melding-in-de-toekomst), meer dan 12 "
            "maanden terug (melding-te-oud) of meer dan 4 "
            "weken vóór het einde van het tijdelijke contract, een aanvrager jonger dan 18 op de startdatum "
            "(te-jong), een partner geboren na de melding (geboortedatum-na-melding), of een ontheffing van de "
            "zoektermijn vóór 2026."
        },
    }
    | HERAANVRAAG_LOOPT
    | BRON_WEG,
    summary="Een heraanvraag binnen de termijn: eenvoudig is meteen toegekend, anders klaargezet "
    "voor een consulent met de redenen.",
)
async def dien_in(body: HeraanvraagInvoer, poorten: Poorten, principal: Gemeente, response: Response) -> dict:
    heraanvraag = await heraanvragen.dien_in(
        poorten,
        principal,
        body.bsn,
        replace(
            body.aanvraag(body.meldingsdatum, body.startdatum, tuple(body.wijzigingen)),
            einde_contract=body.contractEinddatum,
        ),
    )
    metrics.REAPPLICATIONS.labels(principal.gemeente, heraanvraag.status).inc()
    response.headers["Location"] = f"{API_PREFIX}/heraanvragen/{heraanvraag.heraanvraag_id}"
    return models.heraanvraag(heraanvraag, poorten.clock.today())


@heraanvraag_router.get(
    "/heraanvragen",
    response_model=list[HeraanvraagWeergave],
    operation_id="leesHeraanvragen",
    openapi_extra=voorbeeld(vb.HERAANVRAGEN),
    responses=GEPAGINEERD,
    summary="De heraanvragen van de eigen gemeente, vroegste melding eerst, met beslistermijn (bijv. "
    "status=beoordelen), per pagina.",
)
async def lees_heraanvragen(
    poorten: Poorten,
    cursors: AppCursors,
    principal: Gemeente,
    response: Response,
    status: Annotated[
        Literal["toegekend", "beoordelen", "afgewezen", "zonder-uitkering"] | None,
        Query(
            description="De status; of zonder-uitkering: toegekend, maar (nog) geen heropende uitkering (onderweg "
            "naar de decisions-service, of niet geopend: nietGeopend zegt waarom).",
            openapi_examples=parameter("beoordelen"),
        ),
    ] = None,
    vanaf: Vanaf = None,
    paginaGrootte: PaginaGrootte = 1000,
) -> list[dict]:
    alleen_vanaf(vanaf, status=status)
    lezer, nu = lezer_van(principal, "heraanvragen"), poorten.clock.now()
    na = None
    if vanaf is not None:
        status, na = cursors.open(lezer, vanaf, nu, "vanaf", _heraanvragen_vanaf)
    gelezen = await heraanvragen.lijst(poorten, principal, status, na, paginaGrootte + 1)
    # zonder-uitkering is sealed under a key of its own: an instance before 0.12.0 refuses such a cursor
    # (422 ongeldige-cursor) instead of reading it as a status no row has, an empty last page
    sleutel = "filter" if status == ZONDER_UITKERING else "status"
    pagina = cursors.page(response, lezer, gelezen, paginaGrootte, nu, lambda h: {sleutel: status, "na": h.volgorde})
    vandaag = poorten.clock.today()
    return [models.heraanvraag(h, vandaag) for h in pagina]


@heraanvraag_router.post(
    "/heraanvragen/_zoek",
    response_model=list[HeraanvraagWeergave],
    operation_id="zoekHeraanvragen",
    openapi_extra=voorbeeld(vb.HERAANVRAGEN, vb.ZOEK_BSN)
    | doelbinding(
        "eigen-dossier",
        "Alleen de heraanvragen bij uw gemeente: om een heraanvraag terug te vinden waarvan uw systeem het id niet "
        "(meer) heeft. Die bij een andere gemeente staan er niet bij; voor wie bij u geen heraanvraag deed, is het "
        "antwoord leeg.",
    ),
    summary="De heraanvragen van een persoon bij uw gemeente, laatste melding eerst (BSN in de body).",
)
async def zoek_heraanvragen(body: Zoekvraag, poorten: Poorten, principal: Gemeente) -> list[dict]:
    vandaag = poorten.clock.today()
    return [models.heraanvraag(h, vandaag) for h in await heraanvragen.zoek(poorten, principal, body.bsn)]


def _heraanvragen_vanaf(positie: dict[str, Any]) -> tuple[str | None, tuple[date, datetime, str]]:
    melding, ingediend, heraanvraag_id = positie["na"]
    status = positie["filter"] if "filter" in positie else positie["status"]
    return status, (date.fromisoformat(melding), datetime.fromisoformat(ingediend), heraanvraag_id)


zoekpad(heraanvraag_router, "/heraanvragen/_zoek")


@heraanvraag_router.get(
    "/heraanvragen/{heraanvraagId}",
    response_model=HeraanvraagWeergave,
    operation_id="leesHeraanvraag",
    openapi_extra=voorbeeld(vb.INGEDIEND),
    summary="Een heraanvraag van de eigen gemeente.",
)
async def lees_heraanvraag(heraanvraagId: HeraanvraagId, poorten: Poorten, principal: Gemeente) -> dict:
    return models.heraanvraag(await heraanvragen.lees(poorten, principal, heraanvraagId), poorten.clock.today())


@heraanvraag_router.post(
    "/heraanvragen/{heraanvraagId}/_besluit",
    response_model=HeraanvraagWeergave,
    operation_id="besluitHeraanvraag",
    openapi_extra=voorbeeld(vb.BESLOTEN, vb.BESLUIT),
    dependencies=[Idempotent],
    responses={
        404: {
            "description": "De heraanvraag bestaat niet of hoort niet bij uw gemeente, of (bij toekennen) de persoon "
            "staat volgens de BRP niet meer in uw gemeente ingeschreven (geen-ingezetene)."
        },
        409: {
            "description": "Er is al besloten (al-besloten), of (bij toekennen) voor deze persoon loopt een "
            "bijstandsuitkering (uitkering-loopt) of een andere heraanvraag in uw gemeente is toegekend en haar "
            "uitkering nog niet geopend (heraanvraag-loopt, met haar id in detail)."
        },
        422: {
            "description": "Zonder termijn valt er niets te hergebruiken en ontbreekt de situatie (of de "
            "geboortedatum), de zoektermijn loopt nog (toekennen alleen met een ontheffing en haar reden), of de BRP "
            "schrijft de partner van het hergebruikte huishouden niet in uw gemeente in en de situatie zoals die nu "
            "is ontbreekt (partner-elders); of (bij toekennen) de situatie is er een waarmee de decisions-service "
            "de uitkering niet zou heropenen, met het veld: gehuwd zonder geboortedatum van de partner "
            "(partner-ontbreekt), een partner bij een ander huishouden (partner-onverwacht), een partner geboren op of "
            "na de startdatum (geboortedatum-na-ingangsdatum), een jongste kind geboren na de startdatum of vóór de "
            "aanvrager en de partner (geboortedatum-kind), een jongerennorm bij een alleenstaande "
            "(jongerennorm-niet-van-toepassing), een alleenstaande ouder zonder jongste kind (kind-ontbreekt), meer uren "
            "niet mogelijk zonder loonkostensubsidie (geen-loonkostensubsidie)."
        },
    },
    summary="Het besluit van een consulent over een heraanvraag die beoordeeld moest worden.",
    description="Bij toekennen heropent de decisions-service de uitkering met wat de heraanvraagtermijn die op de "
    "meldingsdatum openstaat bij het besluit hergebruikt, niet met wat de heraanvraag bij het indienen overnam: de "
    "decisions-service kan sindsdien een geboortedatum of het huishouden van de beëindigde uitkering hebben "
    "gecorrigeerd, en maanden die na het einde zijn verrekend kunnen de vrijlatingsklok hebben verschoven. Een "
    "situatie die de consulent meegeeft, vervangt het hergebruikte huishouden. De zoektermijn gaat uit van het "
    "huishouden dat de toekenning meeneemt: de leeftijden en de vrijstellingen zoals gecorrigeerd of door de "
    "consulent vastgesteld, niet van de leeftijden die het verzoek noemde; een vrijstelling die het verzoek zelf "
    "opgaf (medische urenbeperking, praktijkonderwijs of vso) blijft gelden. Wijzigt de decisions-service het huishouden terwijl de BRP naar de partner wordt "
    "gevraagd, dan vraagt de service opnieuw; gebeurt dat steeds, dan 503 (bron-niet-beschikbaar): probeer het "
    "later opnieuw. Het antwoord toont wat is toegekend.",
)
async def besluit(heraanvraagId: HeraanvraagId, body: Besluit, poorten: Poorten, principal: Gemeente) -> dict:
    heraanvraag = await heraanvragen.besluit(
        poorten,
        principal,
        heraanvraagId,
        body.besluit == "toekennen",
        body.reden,
        body.zoektermijnOntheffing,
        body.situatie_domein(),
    )
    return models.heraanvraag(heraanvraag, poorten.clock.today())


@overdracht_router.post(
    "/overdrachten/{overdrachtId}/_heraanvraag",
    status_code=201,
    response_model=HeraanvraagWeergave,
    operation_id="startAanvraagVanuitOverdracht",
    openapi_extra=voorbeeld(vb.GESTART, vb.OVERDRACHT_AANVRAAG, 201, "/heraanvragen/{heraanvraagId}"),
    dependencies=[Idempotent],
    responses={
        404: {
            "description": "De overdracht bestaat niet of hoort niet bij uw gemeente, ook wanneer de persoon volgens "
            "de BRP niet (meer) in uw gemeente staat ingeschreven: zoals bij de andere operaties op de overdracht."
        },
        422: {
            "description": "De melding ligt meer dan 4 weken vóór het einde van de WW, na vandaag "
            "(melding-in-de-toekomst) of meer dan 12 maanden terug (melding-te-oud); of de aanvrager is jonger dan 18 op de startdatum (te-jong), of de partner "
            "is na de melding geboren (geboortedatum-na-melding)."
        },
    }
    | HERAANVRAAG_LOOPT
    | BRON_WEG,
    summary="Start de aanvraag vanuit de overdracht: bijstand vanaf de dag na het einde van de WW.",
)
async def start_aanvraag(
    overdrachtId: OverdrachtId, body: OverdrachtAanvraag, poorten: Poorten, principal: Gemeente, response: Response
) -> dict:
    # bijstand from the day after the WW ends (the domain sets it)
    gevraagd = body.aanvraag(body.meldingsdatum, body.meldingsdatum)
    heraanvraag = await heraanvragen.vanuit_overdracht(poorten, principal, overdrachtId, gevraagd)
    response.headers["Location"] = f"{API_PREFIX}/heraanvragen/{heraanvraag.heraanvraag_id}"
    return models.heraanvraag(heraanvraag, poorten.clock.today())


# --- the citizen's own view -------------------------------------------------------------------

mijn_router = Router(tags=["mijn"])
Burger = Annotated[Principal, Depends(requires(Rol.burger))]
ALLEEN_ZELF = (
    "Alleen de burger zelf, met het BSN uit zijn DigiD-token (AVG art. 15); over een ander gaat deze operatie niet."
)


@mijn_router.get(
    "/mijn/heraanvraagtermijn",
    response_model=Zoekresultaat,
    operation_id="leesMijnHeraanvraagtermijn",
    openapi_extra=voorbeeld(vb.ZOEKRESULTAAT) | doelbinding("betrokkene", ALLEEN_ZELF),
    summary="Uw open heraanvraagtermijn (burger, DigiD), in welke gemeente ook: tot wanneer u snel "
    "opnieuw bijstand kunt aanvragen en wat daarbij wordt hergebruikt.",
)
async def lees_mijn_termijn(poorten: Poorten, principal: Burger) -> dict:
    assert principal.bsn
    return models.mijn_zoekresultaat(await termijnen.open_termijn(poorten, principal, principal.bsn))


@mijn_router.get(
    "/mijn/heraanvragen",
    response_model=list[MijnHeraanvraag],
    operation_id="leesMijnHeraanvragen",
    openapi_extra=voorbeeld(vb.MIJN_HERAANVRAGEN) | doelbinding("betrokkene", ALLEEN_ZELF),
    summary="Uw heraanvragen (burger, DigiD), in welke gemeente ook, vroegste melding eerst: de status en in "
    "woorden waar zij staat (bij een automatische toekenning: wat getoetst en hergebruikt is).",
)
async def lees_mijn_heraanvragen(poorten: Poorten, principal: Burger) -> list[dict]:
    vandaag = poorten.clock.today()
    return [models.mijn_heraanvraag(h, vandaag) for h in await heraanvragen.mijn(poorten, principal)]


@mijn_router.get(
    "/mijn/overdracht",
    response_model=MijnOverdrachtWeergave,
    operation_id="leesMijnOverdracht",
    openapi_extra=voorbeeld(vb.MIJN_OVERDRACHT) | doelbinding("betrokkene", ALLEEN_ZELF),
    responses={404: {"description": "UWV heeft geen overdracht voor u gemeld."}},
    summary="De overdracht van UWV aan uw gemeente bij het einde van uw WW (burger, DigiD), met de stappen "
    "die de gemeente zette en in woorden waar die staat.",
)
async def lees_mijn_overdracht(poorten: Poorten, principal: Burger) -> dict:
    assert principal.bsn
    overdracht = await overdrachten.mijn(poorten, principal)
    return models.mijn_overdracht(overdracht, principal.bsn, poorten.clock.today())
