"""HTTP routes of the registration service (paths relative to /api/v1); bodies in models.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Response

from registration.domain.deelname import Feit, Soort
from registration.domain.programmacijfers import GROEPEN
from registration.entrypoints import examples as vb
from registration.entrypoints.models import (
    Capaciteit,
    Deelnamestatus,
    MutatieInvoer,
    Taakstelling,
    TaakstellingInvoer,
    capaciteit,
    weergave,
)
from registration.service import deelname, programmacijfers
from registration.service.ports import Ports
from schakel.api import Idempotent, Principal, Rol, app_ports, requires
from schakel.api import programmacijfers as cijfers
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.router import Router
from schakel.api.types import Zoekvraag

router = Router(tags=["deelnamestatussen"])
capaciteit_router = Router(tags=["capaciteit"])


Poorten = Annotated[Ports, Depends(app_ports)]


@router.post(
    "/mutaties",
    status_code=201,
    response_model=Deelnamestatus,
    operation_id="meldMutatie",
    response_description="De deelnamestatus zoals POST /deelnamestatussen/_zoek die direct daarna geeft: de "
    "status van vandaag (een feit met een latere datum verandert die op zijn datum) en de hele geschiedenis die "
    "uw organisatie mag zien (UWV geen dagbesteding en geen ander aanbod, van een beschutte plek alleen sinds "
    "wanneer). Hetzelfde feit nogmaals (zelfde soort, "
    "datum, gemeente en gegevens, zoals bij een nieuwe poging na een time-out) wordt niet nog eens vastgelegd: het "
    "antwoord is de status zoals die is.",
    openapi_extra=voorbeeld(vb.GEZOCHT, vb.MUTATIE, 201)
    | doelbinding(
        "woongemeente",
        "Een gemeente meldt alleen voor wie de BRP in haar gemeente inschrijft (een verhuizing in de BRP "
        "verplaatst dat recht); UWV meldt advies en doelgroepregister voor iedere persoon (wettelijke taak).",
    ),
    dependencies=[Idempotent],
    summary="Meld een gedateerd feit: UWV (advies, doelgroepregister, verhuizing) of de woongemeente "
    "(beschut werk, plek, banenafspraakbaan, dagbesteding, driehoeksverklaring, verhuizing).",
    responses={
        404: {"description": "De persoon staat volgens de BRP niet in uw gemeente ingeschreven (of is onbekend)."},
        409: {
            "description": "Op de datum van dit feit hoort de persoon volgens de tijdlijn bij een andere gemeente "
            "(verhuizing-niet-gemeld): meld eerst de verhuizing (verhuisd) met de datum waarop de persoon in uw "
            "gemeente kwam wonen, zodat plekken en wachttijden tellen waar de persoon woont; of een verhuizing "
            "gedateerd vóór het eerste feit van de persoon, dat een andere gemeente vastlegde "
            "(verhuizing-voor-tijdlijn), of (door een gemeente gemeld) vóór de dag waarop de BRP de persoon in de "
            "gemeente inschreef, en waar de BRP die dag niet noemt vóór vandaag (verhuizing-voor-inschrijving): wat "
            "de vorige gemeente vastlegde, blijft van haar."
        },
        422: {
            "description": "Deze overgang kan niet op de tijdlijn van de persoon, of een datum kan niet "
            "(datum-buiten-bereik, met het veld): een feit vóór 2000 of meer dan een jaar vooruit; een aanvraag, "
            "advies of driehoeksverklaring na vandaag; een ondertekening na de datum van de driehoeksverklaring "
            "(werkgever.datum, gemeente.datum, client.datum); een AOW-datum op of vóór het einde van het "
            "Wajong-recht of meer dan 54 jaar vooruit. Of UWV noemt een gemeente waar de BRP de persoon op de datum "
            "van het feit niet inschrijft (niet-woongemeente, veld gemeentecode): een andere dan de woongemeente "
            "alleen vóór de dag waarop de BRP de persoon daar inschreef; getoetst na alle andere regels. Of UWV "
            "noemt geen gemeente (woongemeente-ontbreekt, veld gemeentecode): UWV geeft de woongemeente altijd mee."
        },
    },
)
async def meld(
    body: MutatieInvoer, poorten: Poorten, principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.uwv))]
) -> dict:
    return weergave(*await deelname.meld(poorten, principal, body.bsn, _feit(body, principal)), poorten.clock.today())


@router.post(
    "/mutaties/_intrekken",
    response_model=Deelnamestatus,
    operation_id="trekMutatieIn",
    response_description="De deelnamestatus zonder het feit, zoals POST /deelnamestatussen/_zoek die direct daarna "
    "geeft; was het het laatste feit dat uw organisatie mag zien, dan status `geen` (en geeft _zoek daarna 404). "
    "Veranderde de status van vandaag, dan volgt deelnamestatus.gewijzigd. Het feit staat daarna onder `ingetrokken` "
    "(soort, datum, gemeente, wanneer en door wie) en kan opnieuw gemeld worden. Dezelfde intrekking nogmaals (ook "
    "met een nieuwe Idempotency-Key) verandert niets: het antwoord is de status zoals die is (een gemeente waar de "
    "persoon niet meer woont: 404, zie daar). Hoorde UWV van een "
    "banenafspraakbaan dat zij zonder registratie begon, dan hoort UWV dat zij is ingetrokken "
    "(banenafspraakbaan.ingetrokken).",
    openapi_extra=voorbeeld(vb.INGETROKKEN, vb.MUTATIE)
    | doelbinding(
        "woongemeente",
        "Wie een soort feit meldt, trekt het in: een gemeente alleen haar eigen feiten, van wie de BRP in haar "
        "gemeente inschrijft of er inschreef toen zij het feit meldde (een bezwaar dat na de verhuizing gegrond is), "
        "een verhuizing alleen de organisatie die haar meldde (AVG art. 16). Een gemeente waar de persoon niet meer "
        "woont, ziet de status niet en hoort niet welk ander feit er staat of wat UWV deed: alleen of haar eigen feit er "
        "nog staat en of het ingetrokken kan worden.",
    ),
    dependencies=[Idempotent],
    summary="Trek een ten onrechte gemeld feit in: hetzelfde verzoek als de melding (soort, datum, gemeente en "
    "gegevens). De tijdlijn is alsof het feit nooit kwam.",
    responses={
        422: {
            "description": "UWV noemt geen gemeente (woongemeente-ontbreekt, veld gemeentecode): UWV geeft de "
            "woongemeente altijd mee."
        },
        204: {
            "description": "De persoon woont volgens de BRP niet (meer) in uw gemeente, en het feit dat u meldde toen "
            "die er woonde, is ingetrokken. Zonder inhoud: de status is niet meer aan u; "
            "verandert zij, dan volgt deelnamestatus.gewijzigd zoals bij elke intrekking."
        },
        404: {
            "description": "De persoon staat volgens de BRP niet in uw gemeente ingeschreven (of is onbekend) en er "
            "staat geen feit zo op de tijdlijn dat u meldde, of "
            "het feit staat niet zo op de tijdlijn (feit-niet-gemeld; een verhuizing: niet zo gemeld door uw "
            "organisatie). Ook een herhaalde intrekking van een feit dat de andere kant introk of dat vóór versie 0.13 "
            "of langer dan de bewaartermijn geleden werd ingetrokken, en van een verhuizing die een andere organisatie "
            "sindsdien meldde (die staat weer op de tijdlijn, niet als de uwe). Een gemeente waar de persoon niet "
            "meer woont, krijgt dit antwoord ook op dezelfde intrekking nogmaals met een nieuwe Idempotency-Key: het "
            "feit staat er niet meer (met dezelfde sleutel krijgt zij het eerste antwoord, zolang de sleutel bewaard "
            "wordt)."
        },
        409: {
            "description": "Een later gemeld feit rust op dit feit (het einde van een plek waarvan de start "
            "verdwijnt, een feit van de gemeente na een verhuizing die verdwijnt): trek eerst dat feit in; of met "
            "dit feit is UWV gevraagd de registratie in het doelgroepregister op een dag te beëindigen, of beëindigde "
            "UWV haar daarom, en zonder zou dat veranderen (feit-nodig; een gemeente: neem contact op met UWV; UWV "
            "trekt zijn eigen registratie wel in). Een gemeente waar de persoon niet meer woont, hoort alleen een "
            "later feit van haarzelf genoemd; anders steeds dezelfde tekst, die niet zegt welk feit of verzoek in de "
            "weg staat of sinds wanneer."
        },
    },
)
async def trek_in(
    body: MutatieInvoer, poorten: Poorten, principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.uwv))]
) -> dict | Response:
    stand = await deelname.trek_in(poorten, principal, body.bsn, _feit(body, principal))
    if stand is None:  # a municipality the person left: the status is no longer its to see
        return Response(status_code=204)
    return weergave(*stand, poorten.clock.today())


def _feit(body: MutatieInvoer, principal: Principal) -> Feit:
    """The fact a body names (UWV names the municipality of residence; a municipality's is its own). The
    contract lets the field be absent (a municipality leaves it out), so UWV's missing one is a rule's refusal
    (422, `deelname`), after whether UWV reports the kind at all, not a malformed body (400)."""
    gemeentecode = body.gemeentecode or principal.gemeente or ""
    gegevens = body.model_dump(mode="json", exclude={"bsn", "datum", "gemeentecode", "soort"})
    return Feit(Soort(body.soort), body.datum, gemeentecode, gegevens)


@router.post(
    "/deelnamestatussen/_zoek",
    response_model=Deelnamestatus,
    operation_id="zoekDeelnamestatus",
    openapi_extra=voorbeeld(vb.GEZOCHT, vb.ZOEK_BSN)
    | doelbinding(
        "woongemeente",
        "Een gemeente ziet alleen wie de BRP in haar gemeente inschrijft, en niet het andere aanbod van een "
        "gemeente waar de persoon eerder woonde (dat was haar antwoord op haar eigen plicht); UWV ziet wat zijn "
        "taak vraagt: het doelgroepregister en het advies beschut werk, geen dagbesteding (Wmo/Wlz), en van een "
        "beschutte plek alleen sinds wanneer, niet de werkgever, de uren of de vorm.",
    ),
    summary="De deelnamestatus van een persoon, de terugvalopties en de geschiedenis (BSN in de body).",
    responses={404: {"description": "Geen deelnamestatus bekend die u mag zien."}},
)
async def zoek(
    body: Zoekvraag, poorten: Poorten, principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.uwv))]
) -> dict:
    return weergave(*await deelname.status(poorten, principal, body.bsn), poorten.clock.today())


Jaar = Annotated[int, Path(ge=2015, le=2100, description="Het kalenderjaar.", openapi_examples=parameter(2026))]


@capaciteit_router.put(
    "/taakstellingen/{jaar}",
    response_model=Taakstelling,
    operation_id="zetTaakstelling",
    openapi_extra=voorbeeld(vb.TAAKSTELLING_GEZET, vb.TAAKSTELLING),
    summary="Het minimum aantal beschut-werkplekken van een gemeente in een jaar (de gemeente zelf, "
    "of de beheerder namens het ministerie).",
)
async def zet_taakstelling(
    jaar: Jaar,
    body: TaakstellingInvoer,
    poorten: Poorten,
    principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.operator))],
) -> dict:
    await deelname.zet_taakstelling(poorten, principal, body.gemeentecode, jaar, body.aantal)
    return {"gemeentecode": body.gemeentecode, "jaar": jaar, "aantal": body.aantal}


@capaciteit_router.get(
    "/capaciteit",
    response_model=Capaciteit,
    operation_id="leesCapaciteit",
    openapi_extra=voorbeeld(vb.CAPACITEIT),
    summary="Beschut werk in de eigen gemeente: minimum, gerealiseerd, wachtlijst en doorlooptijd.",
)
async def lees_capaciteit(
    poorten: Poorten,
    principal: Annotated[Principal, Depends(requires(Rol.municipality))],
    jaar: Annotated[
        int | None, Query(ge=2015, le=2100, description="Standaard dit jaar.", openapi_examples=parameter(2026))
    ] = None,
) -> dict:
    return capaciteit(await deelname.capaciteit(poorten, principal, jaar))


programmacijfers_router = cijfers.router(
    programmacijfers.lees,
    "beschut werk gerealiseerd (personen en plekken van 31 uur) tegen de "
    "taakstelling van het jaar waarin de periode eindigt, en het aandeel positieve adviezen. Een plek telt voor "
    "de gemeente zolang de persoon bij haar hoorde (na een verhuizing vanaf de verhuisdatum voor de nieuwe), "
    "een advies voor de gemeente van de dag van het advies; landelijk telt iedere persoon één keer.",
    vb.PROGRAMMACIJFERS,
    GROEPEN,
)


mijn_router = Router(tags=["mijn"])


@mijn_router.get(
    "/mijn/deelnamestatus",
    response_model=Deelnamestatus,
    operation_id="leesMijnDeelnamestatus",
    openapi_extra=voorbeeld(vb.GEZOCHT)
    | doelbinding(
        "betrokkene",
        "Alleen de burger zelf, met het BSN uit zijn DigiD-token (AVG art. 15): zijn hele tijdlijn, ook "
        "dagbesteding, met de terugvalopties; een ander aanbod van de gemeente zonder haar eigen omschrijving (die "
        "kan gezondheidsgegevens bevatten).",
    ),
    summary="Uw deelnamestatus (burger, DigiD): beschut werk, banenafspraak, dagbesteding, de weg terug als "
    "iets stopt, en de geschiedenis.",
    responses={404: {"description": "Er is niets over u geregistreerd."}},
)
async def lees_mijn(poorten: Poorten, principal: Annotated[Principal, Depends(requires(Rol.burger))]) -> dict:
    assert principal.bsn
    return weergave(*await deelname.status(poorten, principal, principal.bsn), poorten.clock.today())
