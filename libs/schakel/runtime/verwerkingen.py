"""`POST /verwerkingen/_zoek`, on every service: the processing log's records about one person,
for the data protection officer (any person: supervising is their legal task) and for the person's
municipality of residence (its own residents); any other municipality reads only what it carried out
itself (a former resident's access request), and where that is nothing it is answered as about an
unknown person. `GET /mijn/verwerkingen`: the citizen's own records (DigiD), where the processing was
about them (not where they came up in another's case), without who of an organisation acted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from schakel import logboek
from schakel.api import Principal, Rol, requires
from schakel.api.auth import BETROKKENE
from schakel.api.doelbinding import doelbinding
from schakel.api.examples import parameter, voorbeeld
from schakel.api.problems import onjuist_veld, standard
from schakel.api.router import Router
from schakel.api.types import BsnVeld, Datum
from schakel.primitives.periode import middernacht

if TYPE_CHECKING:
    from schakel.runtime.service import Service

MAX_RECORDS = 1000
BSN = "999993653"
VOORBEELD = {
    "bsn": BSN,
    "verwerkingen": [
        {
            "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
            "spanId": "00f067aa0ba902b7",
            "parentSpanId": "b7ad6b7169203331",
            "naam": "zoekMaandinkomens",
            "status": "OK",
            "begin": "2026-11-30T09:12:03.120000Z",
            "eind": "2026-11-30T09:12:03.161000Z",
            "verwerkingsactiviteit": "urn:schakel:verwerkingsactiviteit:inkomen-inzien-en-corrigeren:1",
            "betrokkene": "5d41402abc4b2a76b9719d911017c592ae2f1d6f3c1e0b5f9d41402abc4b2a76",
            "hoedanigheid": "betrokkene",
            "organisatie": "00000001002564440000",
            "gebruiker": "medewerker-4711",
            "dienst": "income",
        }
    ],
}


class Verwerkingenvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bsn: BsnVeld
    vanaf: Datum | None = Field(None, description="Eerste dag (standaard: alles wat bewaard is).")
    tot: Datum | None = Field(None, description="Laatste dag, inbegrepen (standaard: vandaag).")


class Verwerkingsrecord(BaseModel):
    """One record, with the fields of the Logboek Dataverwerkingen standard."""

    traceId: str = Field(description="trace_id: de trace waarin de verwerking plaatsvond (W3C Trace Context).")
    spanId: str = Field(description="span_id: de verwerking zelf.")
    parentSpanId: str | None = Field(description="parent_span_id: de aanroepende actie, ook bij een andere partij.")
    naam: str = Field(
        description="name: de operatie (operationId), het ontvangen gebeurtenistype, of de taak waarmee Schakel "
        "uit zichzelf verwerkte (bijv. advance-proposal; de taken staan in contracts/verwerkingsactiviteiten.yaml)."
    )
    status: Literal["OK", "ERROR"] = Field(
        description="status_code: ERROR als de verwerking werd geweigerd of mislukte."
    )
    begin: datetime = Field(description="start_time.")
    eind: datetime = Field(description="end_time.")
    verwerkingsactiviteit: str = Field(
        description="dpl.core.processing_activity_id: de activiteit in contracts/verwerkingsactiviteiten.yaml."
    )
    betrokkene: str = Field(description="dpl.core.data_subject_id: het pseudoniem van de persoon, nooit het BSN.")
    hoedanigheid: Literal["betrokkene", "gezinslid"] | None = Field(
        description="Als wie de persoon in de verwerking voorkwam: betrokkene (het ging over hem of haar: gevraagd "
        "naar, de aanvrager van de uitkering, de persoon van de gebeurtenis, een partner van wie een verzoek de "
        "eigen gegevens vastlegt of beoordeelt; bij een eigen verzoek van een burger met DigiD de burger zelf) of "
        "gezinslid (alleen als partner in de uitkering van een ander, zoals een blik erop of een gebeurtenis "
        "erover die noemt, Participatiewet art. 4; bij een eigen verzoek van een burger ieder ander, ook bij een "
        "geweigerde blik). Bij inzage (AVG art. 15) kan een gezinslid-record over het leven van de ander vertellen "
        "(art. 15 lid 4). Leeg: vastgelegd voordat Schakel dit bijhield (voor platformmigratie 0012, door een "
        "instantie van de versie ervoor terwijl een upgrade liep, of bij een herhaling met Idempotency-Key van een "
        "verzoek van voor de upgrade)."
    )
    organisatie: str = Field(description="Het OIN van de organisatie namens wie verwerkt werd.")
    gebruiker: str | None = Field(
        description="De handelende persoon (sub uit het token); leeg bij verwerking door Schakel zelf."
    )
    dienst: str = Field(description="De dienst van Schakel die verwerkte.")


class Verwerkingen(BaseModel):
    bsn: BsnVeld
    verwerkingen: list[Verwerkingsrecord] = Field(description=f"Nieuwste eerst, hoogstens {MAX_RECORDS}.")


class MijnVerwerking(BaseModel):
    """One record as the person it is about reads it: what, when, for what and on whose behalf."""

    naam: str = Field(description="De operatie, het ontvangen gebeurtenistype of de taak van Schakel.")
    status: Literal["OK", "ERROR"] = Field(description="ERROR: de verwerking werd geweigerd of mislukte.")
    begin: datetime = Field(description="Wanneer.")
    verwerkingsactiviteit: str = Field(description="De activiteit in contracts/verwerkingsactiviteiten.yaml.")
    waarvoor: str = Field(description="De naam van die activiteit in het register: waarvoor uw gegevens dienden.")
    door: Literal["u", "schakel", "organisatie"] = Field(
        description="Op wiens verzoek: u zelf (met DigiD), Schakel uit zichzelf (op een gebeurtenis of in een taak), "
        "of een organisatie (een gemeente, UWV, een gegevensleverancier, de functionaris voor de "
        "gegevensbescherming)."
    )
    organisatie: str | None = Field(
        description="Het OIN van de organisatie namens wie verwerkt werd; leeg bij uw eigen verzoek."
    )
    gemeente: str | None = Field(description="De gemeente namens wie (gemeentecode), als een gemeente het vroeg.")
    dienst: str = Field(description="De dienst van Schakel die verwerkte.")


class MijnVerwerkingen(BaseModel):
    verwerkingen: list[MijnVerwerking] = Field(description=f"Nieuwste eerst, hoogstens {MAX_RECORDS}.")


MIJN_VOORBEELD = {
    "verwerkingen": [
        {
            "naam": "zoekMaandinkomens",
            "status": "OK",
            "begin": "2026-11-30T09:12:03.120000Z",
            "verwerkingsactiviteit": "urn:schakel:verwerkingsactiviteit:inkomen-inzien-en-corrigeren:1",
            "waarvoor": "Het vastgestelde inkomen inzien, met herkomst, en een maand corrigeren",
            "door": "organisatie",
            "organisatie": "00000001002564440000",
            "gemeente": "GM0363",
            "dienst": "income",
        }
    ]
}
ONBEKEND = "Deze persoon staat niet ingeschreven in uw gemeente of is onbekend."


def router(service: Service) -> APIRouter:
    router = Router(tags=["verwerkingen"])

    @router.post(
        "/verwerkingen/_zoek",
        response_model=Verwerkingen,
        operation_id="zoekVerwerkingen",
        openapi_extra=voorbeeld(VOORBEELD, {"bsn": BSN, "vanaf": "2026-01-01"})
        | doelbinding(
            "woongemeente",
            "De functionaris voor de gegevensbescherming ziet de verwerkingen over iedere persoon (toezicht, AVG "
            "art. 39). Een gemeente ziet, voor inzage door de persoon (AVG art. 15), over een persoon die de BRP bij "
            "haar inschrijft wat zij zelf deed en wat Schakel uit zichzelf deed (op een gebeurtenis of in een taak) "
            "sinds de persoon volgens de BRP bij haar woont, niet wat een andere gemeente of organisatie deed of "
            "Schakel voor die gemeente; over ieder ander (een vroegere inwoner) alleen wat zij zelf onder haar "
            "gemeentecode uitvoerde, niet een verzoek dat geweigerd werd of een verwerking van voor de gemeentecode "
            "werd vastgelegd. Heeft zij over die persoon niets uitgevoerd, dan krijgt zij het antwoord voor een "
            "onbekende persoon.",
        ),
        responses={
            404: {
                "description": "De persoon woont niet in uw gemeente en uw gemeente (uw OIN met uw gemeentecode) "
                "voerde in de periode geen verwerking over hem of haar uit die met de gemeentecode werd vastgelegd, "
                "of de persoon is onbekend: hetzelfde antwoord."
            },
            503: {
                "description": "Wat uw gemeente uitvoerde over iemand die er niet woont, is nog niet te lezen "
                "(logboek-niet-beschikbaar: de index daarvoor is er nog niet of is nog niet klaar); hetzelfde "
                "antwoord over ieder die er niet woont."
            },
            422: {"description": "vanaf ligt na tot."},
        },
        summary="De verwerkingen van persoonsgegevens door deze dienst over een persoon (BSN in de body).",
    )
    async def zoek(
        vraag: Verwerkingenvraag,
        principal: Annotated[Principal, Depends(requires(Rol.privacy_officer, Rol.municipality))],
    ) -> dict[str, Any]:
        bewoner = principal.rol is Rol.municipality and await service.brp.woongemeente(vraag.bsn) == principal.gemeente
        begin, eind = _periode(service, vraag.vanaf, vraag.tot)
        # a municipality answers its resident's request for access (AVG art. 15) with what it did and
        # what Schakel did by itself (on an event, in a job) since the person lives there: not what
        # another municipality or organisation did (a former municipality's case, its staff), nor what
        # Schakel did for that one (a municipality by its code too: one organisation may act for
        # several under one OIN). Anyone else's request it answers for what it carried out itself under
        # its code (a former resident's): where it has none, as for a stranger, in the same time
        # (logboek.lezen)
        door = None  # the data protection officer reads everything; anyone else only what is theirs
        if principal.rol is not Rol.privacy_officer:
            sinds = await service.brp.ingeschreven_sinds(vraag.bsn) if bewoner else None
            door = logboek.Door(
                principal.oin,
                principal.gemeente or "",
                service.platform.oin,
                middernacht(sinds) if sinds else None,
                bewoner,
            )
        async with service.db.transaction() as conn:
            rows = await logboek.van(conn, service.pseudonym(vraag.bsn), begin, eind, MAX_RECORDS, door)
        if door and not door.bewoner and not rows:
            raise standard(404, ONBEKEND)
        return {"bsn": vraag.bsn, "verwerkingen": [_record(r) for r in rows]}

    @router.get(
        "/mijn/verwerkingen",
        response_model=MijnVerwerkingen,
        operation_id="leesMijnVerwerkingen",
        tags=["mijn"],
        openapi_extra=voorbeeld(MIJN_VOORBEELD)
        | doelbinding(
            "betrokkene",
            "Alleen de burger zelf, met het BSN uit zijn DigiD-token (AVG art. 15): wie deze dienst zijn gegevens "
            "liet verwerken, wanneer en waarvoor, van iedere organisatie en van Schakel zelf, ook wat geweigerd "
            "werd; niet wie van een organisatie het deed (de medewerker). Alleen waar de verwerking over de burger "
            "ging, niet waar hij of zij voorkwam als partner in de uitkering van een ander: dat vertelt over het "
            "leven van de ander (AVG art. 15 lid 4; de functionaris voor de gegevensbescherming ziet het wel). "
            "Verwerkingen zonder hoedanigheid staan er niet in (van voor platformmigratie 0012, of tijdens de upgrade "
            "vastgelegd door de versie ervoor).",
        ),
        responses={422: {"description": "vanaf ligt na tot."}},
        summary="Wie uw persoonsgegevens in deze dienst verwerkte, wanneer en waarvoor (burger, DigiD), nieuwste "
        "eerst.",
    )
    async def mijn(
        principal: Annotated[Principal, Depends(requires(Rol.burger))],
        vanaf: Annotated[
            Datum | None,
            Query(
                description="Eerste dag (standaard: alles wat bewaard is).", openapi_examples=parameter("2026-01-01")
            ),
        ] = None,
        tot: Annotated[
            Datum | None,
            Query(
                description="Laatste dag, inbegrepen (standaard: vandaag).", openapi_examples=parameter("2026-12-31")
            ),
        ] = None,
    ) -> dict[str, Any]:
        assert principal.bsn is not None  # a citizen's token always names them
        begin, eind = _periode(service, vanaf, tot)
        async with service.db.transaction() as conn:
            rows = await logboek.van(conn, service.pseudonym(principal.bsn), begin, eind, MAX_RECORDS, zelf=True)
        activiteiten = service.register.activiteiten
        return {"verwerkingen": [_voor_de_burger(r, activiteiten, service.platform.oin) for r in rows]}

    return router


def _periode(service: Service, vanaf: date | None, tot: date | None) -> tuple[datetime, datetime]:
    """The moments a period of days asks for; without `tot` everything recorded so far (a clock fixed to a
    day, as in tests, must not hide what was recorded after that day's end)."""
    if vanaf and tot and vanaf > tot:
        raise onjuist_veld("vanaf", "ongeldige-periode", "Ongeldige periode", "vanaf ligt na tot.", "volgorde")
    begin = middernacht(vanaf or date(1900, 1, 1))
    return begin, middernacht(tot + timedelta(days=1)) if tot else service.clock.now()


def _voor_de_burger(row: dict[str, Any], activiteiten: Mapping[str, Mapping[str, Any]], schakel: str) -> dict[str, Any]:
    activiteit = activiteiten.get(row["activiteit"], {})
    door = _door(row, schakel)
    return {
        "naam": row["naam"],
        "status": row["status"],
        "begin": row["begin"],
        "verwerkingsactiviteit": row["activiteit"],
        "waarvoor": activiteit.get("naam", row["activiteit"]),
        "door": door,
        "organisatie": None if door == "u" else row["organisatie"],
        "gemeente": row["gemeente"] or None,
        "dienst": row["dienst"],
    }


def _door(row: dict[str, Any], schakel: str) -> str:
    if row["gebruiker"] == BETROKKENE:
        # a citizen's request is on their own record only (logboek.Verwerking.noteer): its organisation is
        # the portal they signed in with, which tells them nothing
        return "u"
    # (Schakel's OIN may be an outside party's too, as UWV's is in development: its staff have a user)
    return "schakel" if row["organisatie"] == schakel and row["gebruiker"] is None else "organisatie"


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "traceId": row["trace_id"],
        "spanId": row["span_id"],
        "parentSpanId": row["parent_span_id"],
        "naam": row["naam"],
        "status": row["status"],
        "begin": row["begin"],
        "eind": row["eind"],
        "verwerkingsactiviteit": row["activiteit"],
        "betrokkene": row["betrokkene"],
        "hoedanigheid": row["hoedanigheid"],
        "organisatie": row["organisatie"],
        "gebruiker": row["gebruiker"],
        "dienst": row["dienst"],
    }
