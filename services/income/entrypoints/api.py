"""HTTP routes of the income service (paths relative to /api/v1); bodies in models.py."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, Response

from income.entrypoints import examples as vb
from income.entrypoints.aangifte import LEVERING_ID_TEKEN
from income.entrypoints.models import (
    MAX_LEVERING,
    Aangifteversies,
    Afwijzing,
    Beleid,
    Intrekking,
    LaatsteMaandinkomen,
    Levering,
    Leveringsresultaat,
    Leveringsstatus,
    Maandafsluiting,
    MaandafsluitingInvoer,
    Maandinkomen,
    Maandinkomens,
    OverschrijvingInvoer,
    Populatie,
    Zoekvraag,
    aangifteversie,
    afwijzing,
    laatste_maandinkomen,
    leveringsstatus,
    maandafsluiting,
    maandinkomen,
)
from income.service import aangiften, afsluitingen, inzage, populatie
from income.service.populatie import Positie
from income.service.ports import Ports
from schakel.api import API_PREFIX, Idempotent, Principal, Rol, app_ports, requires
from schakel.api.cursor import AppCursors, alleen_vanaf
from schakel.api.doelbinding import doelbinding
from schakel.api.edge import MaxBody
from schakel.api.examples import parameter, voorbeeld
from schakel.api.problems import onjuist_veld
from schakel.api.router import Router
from schakel.api.types import Datum
from schakel.api.types import Zoekvraag as ZoekBsn
from schakel.primitives import Maand
from schakel.telemetry import metrics

router = Router()
GEEN_UITKERING = {404: {"description": "Geen lopende uitkering van uw gemeente voor deze persoon."}}
BUITEN_UITKERING = {422: {"description": "De maand valt buiten de uitkeringen en termijnen van uw gemeente."}}


Poorten = Annotated[Ports, Depends(app_ports)]
Leverancier = Annotated[Principal, Depends(requires(Rol.data_provider))]
LeveringIdPad = Annotated[
    str, Path(max_length=100, pattern=f"^{LEVERING_ID_TEKEN}+$", openapi_examples=parameter(vb.LEVERING_ID))
]
Gemeente = Annotated[Principal, Depends(requires(Rol.municipality))]


@router.get(
    "/populatie",
    response_model=Populatie,
    operation_id="leesPopulatie",
    openapi_extra=voorbeeld(vb.POPULATIE),
    responses={
        422: {
            "description": "`vanaf` is geen cursor van u van de afgelopen dag (`ongeldige-cursor`), of staat naast "
            "`peildatum` of `pagina` (`niet-met-vanaf`)."
        }
    },
    tags=["populatie"],
    summary="De personen voor wie u polisgegevens mag leveren: lopende uitkering of open heraanvraagtermijn "
    "in een gemeente waarvoor u gecontracteerd bent.",
)
async def lees_populatie(
    poorten: Poorten,
    cursors: AppCursors,
    principal: Leverancier,
    peildatum: Annotated[
        Datum | None,
        Query(
            description="Standaard vandaag. Op een eerdere dag: wie toen een uitkering had die al begonnen was, of "
            "de heraanvraagtermijn erna.",
            openapi_examples=parameter("2026-11-30"),
        ),
    ] = None,
    vanaf: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="De `volgende` van de vorige pagina: de pagina daarna, op dezelfde peildatum. Zonder: de "
            "eerste pagina.",
            openapi_examples=parameter("gAAAAABpTH3oVb0cZ8wQm2xR1yJk6T_Ns4eUvC5aD9fGhI0jKlMnOpQrStUvWxYz"),
        ),
    ] = None,
    pagina: Annotated[
        int | None,
        Query(
            ge=1,
            le=1_000_000,
            deprecated=True,
            description="Vervangen door `vanaf`: een pagina op nummer telt de hele populatie tot daar opnieuw.",
            openapi_examples=parameter(1),
        ),
    ] = None,
    paginaGrootte: Annotated[int, Query(ge=1, le=10_000, openapi_examples=parameter(1000))] = 1000,
) -> dict:
    alleen_vanaf(vanaf, peildatum=peildatum, pagina=pagina)
    positie = None if vanaf is None else cursors.open(principal.oin, vanaf, poorten.clock.now(), "vanaf", _positie)
    uit = await populatie.leden(poorten, principal, peildatum, pagina or 1, paginaGrootte, positie)
    return {
        "peildatum": uit.peildatum,
        "pagina": uit.pagina,
        "paginaGrootte": paginaGrootte,
        "totaal": uit.totaal,
        "personen": [{"bsn": bsn, "gemeentecode": gemeentecode} for bsn, gemeentecode in uit.personen],
        "volgende": None
        if uit.volgende is None
        else cursors.seal(principal.oin, _verzegeld(uit.volgende), poorten.clock.now()),
    }


def _verzegeld(p: Positie) -> dict[str, Any]:
    return {"peildatum": p.peildatum.isoformat(), "totaal": p.totaal, "pagina": p.pagina, "na": p.na}


def _positie(verzegeld: dict[str, Any]) -> Positie:
    # sealed by us (Cursors): as we wrote it
    return Positie(
        date.fromisoformat(verzegeld["peildatum"]), verzegeld["totaal"], verzegeld["pagina"], verzegeld["na"]
    )


@router.post(
    "/leveringen",
    response_model=Leveringsresultaat,
    operation_id="leverAangiften",
    openapi_extra=voorbeeld(vb.LEVERINGSRESULTAAT, vb.LEVERING, 201, "/leveringen/{leveringId}")
    | doelbinding(
        "wettelijke-taak",
        "Een gegevensleverancier levert polisgegevens voor de populatie van de gemeenten waarvoor hij is "
        "gecontracteerd (configuratie); een aangifte daarbuiten wordt niet bewaard (buiten-populatie), "
        "net als die van een onbekende persoon.",
    ),
    tags=["leveringen"],
    response_model_exclude_none=True,
    dependencies=[Depends(MaxBody(MAX_LEVERING))],
    status_code=201,
    responses={
        200: {
            "model": Leveringsresultaat,
            "description": "Herhaalde levering: het eerste antwoord, niets gewijzigd.",
            "content": {"application/json": {"example": vb.LEVERINGSRESULTAAT}},
            "headers": {
                "Location": {
                    "description": "Het pad van de levering: `/api/v1/leveringen/{leveringId}`.",
                    "schema": {"type": "string"},
                }
            },
        },
        409: {"description": "Dit leveringId hoort bij een andere levering."},
    },
    summary="Lever polisaangiften aan; het antwoord geeft per aangifte de uitkomst.",
)
async def lever(
    request: Request, response: Response, levering: Levering, poorten: Poorten, principal: Leverancier
) -> dict:
    # the delivery's content, not its bytes: the same delivery sent again with other spacing, key
    # order or 150000.0 for 150000 (one number in JSON, taken as the same cents) is a repeat
    geparst = json.loads(await request.body(), parse_float=_getal)  # any integer, also past 64 bits
    inhoud = json.dumps(geparst, sort_keys=True, separators=(",", ":"))
    vingerafdruk = hashlib.sha256(inhoud.encode()).hexdigest()
    nieuw, antwoord = await aangiften.lever(poorten, principal, levering.leveringId, levering.aangiften, vingerafdruk)
    if nieuw:
        for uitkomst, aantal in antwoord["aantallen"].items():
            metrics.DECLARATIONS.labels(principal.oin, uitkomst).inc(aantal)
    response.status_code = 201 if nieuw else 200
    response.headers["Location"] = f"{API_PREFIX}/leveringen/{levering.leveringId}"
    return antwoord


def _getal(tekst: str) -> float | int:
    getal = float(tekst)
    return int(getal) if getal.is_integer() else getal


@router.get(
    "/leveringen/{leveringId}",
    response_model=Leveringsstatus,
    operation_id="leesLevering",
    openapi_extra=voorbeeld(vb.LEVERINGSSTATUS),
    tags=["leveringen"],
    summary="Verwerkingsstatus van een eigen levering (aantallen per uitkomst).",
)
async def lees_levering(leveringId: LeveringIdPad, poorten: Poorten, principal: Leverancier) -> dict:
    return leveringsstatus(await aangiften.levering(poorten, principal, leveringId))


@router.get(
    "/leveringen/{leveringId}/afwijzingen",
    response_model=list[Afwijzing],
    operation_id="leesAfwijzingen",
    openapi_extra=voorbeeld([vb.AFWIJZING]),
    tags=["leveringen"],
    summary="Waarom aangiften van een eigen levering over Kafka zijn afgewezen (de eerste 1000).",
    description="Per afgewezen aangifte: haar CloudEvents-id (ce_id) als het bericht te lezen was, anders haar plaats "
    "op het topic (partitie en offset), en de reden: het veld en de regel, nooit een waarde. Dezelfde reden staat "
    "op het dead-letter-topic, dat alleen de beheerder leest. Over HTTP noemt het antwoord op de levering dit al per "
    "aangifte; de lijst noemt alleen wat over Kafka kwam. Een aangifte die opnieuw om dezelfde reden wordt "
    "afgewezen (haar batch opnieuw geprobeerd), staat er één keer in. Een afgewezen aangifte stuurt u verbeterd "
    "opnieuw, in een levering met hetzelfde of een nieuw leveringId. Zijn er meer dan 1000 afgewezen, dan zegt "
    "`GET /leveringen/{leveringId}` dat met `afwijzingenAfgekapt`. Een afwijzing blijft "
    "`INCOME_AFWIJZINGEN_BEWAREN_DAGEN` (30) dagen staan; de aantallen van de levering blijven.",
)
async def lees_afwijzingen(leveringId: LeveringIdPad, poorten: Poorten, principal: Leverancier) -> list[dict]:
    return [afwijzing(a) for a in await aangiften.afwijzingen(poorten, principal, leveringId)]


@router.post(
    "/maandafsluitingen",
    response_model=Maandafsluiting,
    status_code=202,
    operation_id="sluitMaandAf",
    openapi_extra=voorbeeld(vb.MAANDAFSLUITING_LOPEND, vb.MAANDAFSLUITING, status=202)
    | doelbinding(
        "wettelijke-taak",
        "Een gegevensleverancier verklaart zijn levering over een maand compleet voor de populatie die hij las: "
        "alleen voor wie daarin zat en toen een uitkering had, wordt de maand zonder inkomen vastgesteld, zodat de "
        "gemeente de maand kan verrekenen.",
    ),
    dependencies=[Idempotent],
    tags=["leveringen"],
    responses={
        202: {
            "description": "Aanvaard: income werkt de populatie af; volg de voortgang op de Location "
            "(`GET /maandafsluitingen/{maandafsluitingId}`).",
            "headers": {
                "Location": {
                    "description": "Het pad van de afsluiting: `/api/v1/maandafsluitingen/{maandafsluitingId}`.",
                    "schema": {"type": "string"},
                },
            },
        },
        403: {"description": "Een gemeente waarvoor u niet gecontracteerd bent (`niet-gecontracteerd`)."},
        409: {
            "description": "U leverde geen aangifte over deze maand (een tijdvak dat erin loopt, ook een week of "
            "vier weken die in de maand ervoor begonnen, geen kwartaal dat ervoor begon) voor een gemeente van de afsluiting en noemde haar niet in "
            "`gemeentenZonderAangiften` (`niet-geleverd`, het veld `gemeentecodes`; `maand` als u de maand voor "
            "geen van haar gemeenten leverde): sluit een maand af nadat u haar leverde. Dezelfde afsluiting "
            "nogmaals terwijl ze loopt, wordt niet opnieuw getoetst. Of u heeft al 24 lopende afsluitingen "
            "(`te-veel-afsluitingen`)."
        },
        422: {
            "description": "De maand is nog niet voorbij (`maand-niet-voorbij`), of `gelezenOp` ligt in de toekomst "
            "(`gelezen-in-de-toekomst`) of niet na de maand (`gelezen-in-de-maand`). Of `gemeentenZonderAangiften` "
            "noemt een gemeente die niet in de afsluiting staat (`niet-in-afsluiting`) of waarvoor u over de maand "
            "wel leverde (`wel-geleverd`)."
        },
    },
    summary="Verklaar uw levering over een maand compleet: wie in de populatie die u las over die maand geen "
    "aangifte heeft, had geen inkomen uit de polis.",
    description="Stuur dit nadat de laatste levering over de maand verwerkt is (bij het Kafka-topic: als "
    "`GET /leveringen/{leveringId}` alle aangiften telt). Income sluit een gemeente pas af als u over de maand "
    "een aangifte leverde voor iemand van haar populatie, of als u verklaart dat daar niemand inkomen uit de polis "
    "had (`gemeentenZonderAangiften`). Voor ieder van de populatie die u las met een "
    "uitkering van die gemeenten in de maand, van wie nog geen maandinkomen over die maand bekend is, stelt income de maand vast "
    "zonder inkomen (`maandinkomen.vastgesteld`), zodat de gemeente haar verrekent. Income controleert het "
    "verzoek meteen en werkt de populatie daarna op de achtergrond af, een deel per keer (een landelijke "
    "populatie duurt minuten): het antwoord is `202` met de afsluiting (`status` `lopend`), de voortgang staat "
    "op de Location. Dezelfde afsluiting nogmaals sturen terwijl ze loopt, geeft die afsluiting terug; na een fout "
    "halverwege gaat income zelf verder waar het was. Een latere aangifte over de maand telt gewoon: die herziet de "
    "maand. Een nieuwe afsluiting van een afgesloten maand stelt alleen vast wat nog ontbrak.",
)
async def sluit_maand_af(
    invoer: MaandafsluitingInvoer, response: Response, poorten: Poorten, principal: Leverancier
) -> dict:
    afsluiting = await afsluitingen.vraag_aan(
        poorten,
        principal,
        Maand.parse(invoer.maand),
        invoer.gelezenOp,
        invoer.gemeentecodes,
        invoer.gemeentenZonderAangiften,
    )
    response.headers["Location"] = f"{API_PREFIX}/maandafsluitingen/{afsluiting.id}"
    return maandafsluiting(afsluiting)


@router.get(
    "/maandafsluitingen/{maandafsluitingId}",
    response_model=Maandafsluiting,
    operation_id="leesMaandafsluiting",
    openapi_extra=voorbeeld(vb.MAANDAFSLUITING_AFGEROND),
    tags=["leveringen"],
    responses={404: {"description": "Geen afsluiting van u met dit id."}},
    summary="Voortgang van een eigen maandafsluiting (aantallen tot nu toe).",
)
async def lees_maandafsluiting(
    maandafsluitingId: Annotated[
        str, Path(pattern=r"^[0-9a-f-]{36}$", openapi_examples=parameter(vb.MAANDAFSLUITING_ID))
    ],
    poorten: Poorten,
    principal: Leverancier,
) -> dict:
    return maandafsluiting(await afsluitingen.van(poorten, principal, maandafsluitingId))


EIGEN_DOSSIER = doelbinding(
    "eigen-dossier",
    "Alleen de gemeente met een eigen lopende uitkering of open heraanvraagtermijn van de persoon, en alleen "
    "voor de perioden daarvan (van de start van de uitkering tot het einde van de termijn erna; de volgende eigen "
    "uitkering van de persoon, ook elders, sluit de termijn de dag vóór haar start; van een partner in het "
    "huishouden vanaf de eerste maand die met hem of haar verrekend wordt: een maand wordt verrekend met het "
    "huishouden van de eerste dag, dus wie binnen een maand bijkomt, telt vanaf de volgende); iedere andere gemeente "
    "krijgt het antwoord voor een onbekende persoon.",
)


@router.post(
    "/maandinkomens/_zoek",
    response_model=Maandinkomens,
    operation_id="zoekMaandinkomens",
    openapi_extra=voorbeeld(vb.MAANDINKOMENS, vb.ZOEKVRAAG) | EIGEN_DOSSIER,
    tags=["maandinkomens"],
    responses=GEEN_UITKERING | {422: {"description": "vanMaand ligt na totMaand."}},
    summary="Netto inkomen per kalendermaand van een persoon, met herkomst (BSN in de body).",
)
async def zoek_maandinkomens(vraag: Zoekvraag, poorten: Poorten, principal: Gemeente) -> dict:
    if vraag.vanMaand > vraag.totMaand:
        raise onjuist_veld(
            "vanMaand", "ongeldige-periode", "Ongeldige periode", "vanMaand ligt na totMaand.", "volgorde"
        )
    maanden = await inzage.zoek(poorten, principal, vraag.bsn, Maand.parse(vraag.vanMaand), Maand.parse(vraag.totMaand))
    return {"bsn": vraag.bsn, "maanden": [maandinkomen(*m) for m in maanden]}


@router.post(
    "/maandinkomens/_laatste",
    response_model=LaatsteMaandinkomen,
    operation_id="zoekLaatsteMaandinkomen",
    openapi_extra=voorbeeld(vb.LAATSTE_MAANDINKOMEN, vb.ZOEK_BSN) | EIGEN_DOSSIER,
    tags=["maandinkomens"],
    responses=GEEN_UITKERING,
    summary="Alleen de laatste maand met polisgegevens en of het werk daarin eindigde (BSN in de body): wat een "
    "heraanvraag vraagt, zonder de herkomst.",
)
async def zoek_laatste_maandinkomen(vraag: ZoekBsn, poorten: Poorten, principal: Gemeente) -> dict:
    return laatste_maandinkomen(vraag.bsn, await inzage.laatste(poorten, principal, vraag.bsn))


@router.post(
    "/aangiften/_zoek",
    response_model=Aangifteversies,
    operation_id="zoekAangiften",
    openapi_extra=voorbeeld(vb.AANGIFTEVERSIES, vb.ZOEK_BSN) | EIGEN_DOSSIER,
    tags=["maandinkomens"],
    responses=GEEN_UITKERING,
    summary="Alle versies van de polisaangiften van een persoon, ook vervangen versies (BSN in de body).",
)
async def zoek_aangiften(vraag: ZoekBsn, poorten: Poorten, principal: Gemeente) -> dict:
    versies = await inzage.versies(poorten, principal, vraag.bsn)
    return {"bsn": vraag.bsn, "aangiften": [aangifteversie(v) for v in versies]}


@router.post(
    "/overschrijvingen",
    response_model=Maandinkomen,
    operation_id="overschrijfMaandinkomen",
    openapi_extra=voorbeeld(vb.OVERSCHREVEN, vb.OVERSCHRIJVING) | EIGEN_DOSSIER,
    dependencies=[Idempotent],
    tags=["maandinkomens"],
    responses=GEEN_UITKERING
    | {
        422: {
            "description": "De maand valt buiten de uitkeringen en termijnen van uw gemeente "
            "(maand-buiten-uitkering), of is nog niet begonnen (maand-in-de-toekomst)."
        }
    },
    summary="Stel het netto inkomen van een maand vast met een reden (bijv. van een loonstrook).",
)
async def overschrijf(invoer: OverschrijvingInvoer, poorten: Poorten, principal: Gemeente) -> dict:
    return maandinkomen(
        *await inzage.overschrijf(
            poorten, principal, invoer.bsn, Maand.parse(invoer.maand), invoer.nettoInkomen, invoer.reden
        )
    )


@router.post(
    "/overschrijvingen/_intrekken",
    response_model=Maandinkomen,
    operation_id="trekOverschrijvingIn",
    openapi_extra=voorbeeld(vb.INGETROKKEN, vb.INTREKKING) | EIGEN_DOSSIER,
    dependencies=[Idempotent],
    tags=["maandinkomens"],
    responses={404: {"description": "Geen lopende uitkering van uw gemeente, of geen overschrijving."}}
    | BUITEN_UITKERING,
    summary="Trek een overschrijving in; de polis geldt weer.",
)
async def trek_in(invoer: Intrekking, poorten: Poorten, principal: Gemeente) -> dict:
    return maandinkomen(*await inzage.trek_in(poorten, principal, invoer.bsn, Maand.parse(invoer.maand)))


@router.get(
    "/toerekeningsbeleid",
    response_model=Beleid,
    operation_id="leesToerekeningsbeleid",
    openapi_extra=voorbeeld(vb.BELEID),
    tags=["beleid"],
    summary="Hoe de eigen gemeente tijdvakken aan kalendermaanden toerekent.",
)
async def lees_beleid(poorten: Poorten, principal: Gemeente) -> dict:
    return {"toerekening": await inzage.beleid(poorten, principal)}


@router.put(
    "/toerekeningsbeleid",
    response_model=Beleid,
    operation_id="zetToerekeningsbeleid",
    openapi_extra=voorbeeld(vb.BELEID, vb.BELEID),
    tags=["beleid"],
    summary="Wijzig de toerekening; de maandinkomens van de eigen inwoners worden op de achtergrond "
    "herberekend (gewijzigde maanden volgen als maandinkomen.vastgesteld).",
)
async def zet_beleid(beleid: Beleid, poorten: Poorten, principal: Gemeente) -> dict:
    await inzage.zet_beleid(poorten, principal, beleid.toerekening)
    return {"toerekening": beleid.toerekening}
