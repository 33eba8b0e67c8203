"""Ingest of polis declarations, the same for an HTTP delivery and for events on the ingest topic.

Per record: rejected (with the broken rules), outside the population (not stored: doelbinding),
a repeat (same content as the current version: nothing changes), a correction (a new version of
a known period) or accepted (a new period). Then the touched months are recomputed.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Problem
from schakel.api.problems import standard
from schakel.events import Event
from schakel.messaging import PermanentError
from schakel.primitives import Maand
from schakel.runtime import Service

from income.adapters import repository
from income.adapters.repository import Opgeslagen
from income.domain.polis import Aangifte, Fout, fouten, vingerafdruk
from income.domain.toerekening import Regel, maanden_van
from income.service.maandinkomens import herbereken

log = logging.getLogger(__name__)
AANGIFTE_AANGELEVERD = "nl.polis.aangifte.aangeleverd"
POGINGEN = 3  # a concurrent delivery for the same period loses the unique index race; try again


class Uitkomst(str, Enum):
    geaccepteerd = "geaccepteerd"
    correctie = "correctie"
    herhaling = "herhaling"
    buiten_populatie = "buiten-populatie"
    afgewezen = "afgewezen"


AANTAL = {u: u.name.split("_")[0] + "".join(w.title() for w in u.name.split("_")[1:]) for u in Uitkomst}


@dataclass(frozen=True, slots=True)
class Resultaat:
    uitkomst: Uitkomst
    fouten: tuple[Fout, ...] = ()


Invoer = Aangifte | list[Fout]  # a parsed record, or why it could not be parsed


async def verwerk(service: Service, conn: AsyncConnection, leverancier: str, levering_id: str,
                  invoer: list[Invoer], vandaag: date) -> list[Resultaat]:
    resultaten: list[Resultaat | None] = [None] * len(invoer)
    geldig: list[tuple[int, Aangifte, str]] = []
    for i, item in enumerate(invoer):
        problemen = item if isinstance(item, list) else fouten(item, vandaag)
        if problemen:
            resultaten[i] = Resultaat(Uitkomst.afgewezen, tuple(problemen))
        else:
            geldig.append((i, item, service.pseudonym(item.bsn)))

    leden = await repository.leden(conn, {p for _, _, p in geldig}, vandaag)
    regels = await repository.actuele_regels(conn, leden, {p: lid.bsn for p, lid in leden.items()})
    now = datetime.now(timezone.utc)
    inserts: list[dict] = []
    nog_niet_opgeslagen: dict[tuple, dict] = {}  # rows of this delivery that are still current
    vervangen: list[int] = []
    geraakt: dict[str, set[Maand]] = defaultdict(set)
    for i, aangifte, persoon in geldig:
        if persoon not in leden:
            resultaten[i] = Resultaat(Uitkomst.buiten_populatie)
            continue
        huidig = regels[persoon].get(aangifte.sleutel)
        inhoud = aangifte.inhoud()
        vinger = vingerafdruk(inhoud)
        if huidig is not None and huidig.vingerafdruk == vinger:
            resultaten[i] = Resultaat(Uitkomst.herhaling)
            continue
        versie = 1
        geraakt[persoon] |= maanden_van(aangifte)
        if huidig is not None:
            versie = huidig.regel.versie + 1
            geraakt[persoon] |= maanden_van(huidig.regel.aangifte)
            if huidig.id is not None:
                vervangen.append(huidig.id)
            else:  # superseded within this same delivery
                nog_niet_opgeslagen[(persoon, aangifte.sleutel)]["actueel"] = False
        regels[persoon][aangifte.sleutel] = Opgeslagen(None, Regel(aangifte, versie), vinger)
        row = {
            "persoon": persoon, "loonheffingennummer": aangifte.loonheffingennummer,
            "inkomstenverhouding": aangifte.inkomstenverhouding, "tijdvak_begin": aangifte.tijdvak_begin,
            "versie": versie, "actueel": True, "vingerafdruk": vinger, "inhoud": inhoud,
            "leverancier": leverancier, "levering_id": levering_id, "ontvangen_op": now}
        inserts.append(row)
        nog_niet_opgeslagen[(persoon, aangifte.sleutel)] = row
        resultaten[i] = Resultaat(Uitkomst.correctie if huidig else Uitkomst.geaccepteerd)

    await repository.vervang(conn, vervangen)
    await repository.voeg_regels_toe(conn, inserts)
    await herbereken(service, conn, geraakt, leden, regels)
    return resultaten


def aantallen(resultaten: list[Resultaat]) -> dict[str, int]:
    counts = Counter(r.uitkomst for r in resultaten)
    return {AANTAL[u]: counts.get(u, 0) for u in Uitkomst}


def resultaat_json(volgnummer: int, r: Resultaat) -> dict:
    body = {"volgnummer": volgnummer, "uitkomst": r.uitkomst.value}
    if r.fouten:
        body["fouten"] = [{"name": f.veld, "code": f.code, "reason": f.reden} for f in r.fouten]
    return body


async def lever(service: Service, principal: Principal, levering_id: str, invoer: list[Invoer],
                vingerafdruk: str) -> tuple[bool, dict]:
    """An HTTP delivery: (new, answer). The same delivery again returns the first answer."""
    for poging in range(1, POGINGEN + 1):
        try:
            async with service.transaction() as conn:
                bestaand = await repository.levering(conn, principal.oin, levering_id)
                if bestaand is not None:
                    if bestaand.antwoord is None or bestaand.vingerafdruk != vingerafdruk:
                        raise Problem(409, "levering-bestaat-al", "Levering bestaat al",
                                      "Dit leveringId is al gebruikt voor een andere levering; kies een nieuw leveringId.")
                    return False, bestaand.antwoord
                resultaten = await verwerk(service, conn, principal.oin, levering_id, invoer, date.today())
                antwoord = {"leveringId": levering_id, "aantallen": aantallen(resultaten),
                            "resultaten": [resultaat_json(i, r) for i, r in enumerate(resultaten)]}
                await repository.tel_levering(conn, principal.oin, levering_id, "http", antwoord["aantallen"],
                                              vingerafdruk, antwoord)
                return True, antwoord
        except IntegrityError:
            log.warning("delivery raced a concurrent one for the same periods (attempt %d)", poging)
    raise standard(409, "Een gelijktijdige levering wijzigde dezelfde tijdvakken; herhaal het verzoek.")


async def levering_status(service: Service, principal: Principal, levering_id: str) -> dict:
    async with service.db.transaction() as conn:
        row = await repository.levering(conn, principal.oin, levering_id)
    if row is None:
        raise standard(404, "Deze levering is niet (door u) aangeleverd.")
    return {"leveringId": row.levering_id, "kanaal": row.kanaal, "ontvangenOp": row.ontvangen_op,
            "bijgewerktOp": row.bijgewerkt_op, "aantallen": row.aantallen}


def leverancier_van(event: Event) -> str:
    """The provider's OIN from the event source `urn:nld:oin:<OIN>:systeem:<name>`."""
    return event.source.split(":")[3]


def on_aangiften(service: Service, parse):
    """Batch handler for the ingest topic: returns the refused events with their reasons."""
    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        per_levering: dict[tuple[str, str], list[Event]] = defaultdict(list)
        for event in events:
            per_levering[(leverancier_van(event), event.data["leveringId"])].append(event)
        geweigerd = {}
        for (leverancier, levering_id), batch in per_levering.items():
            resultaten = await verwerk(service, conn, leverancier, levering_id,
                                       [parse(e.data) for e in batch], date.today())
            await repository.tel_levering(conn, leverancier, levering_id, "kafka", aantallen(resultaten))
            for event, r in zip(batch, resultaten):
                if r.uitkomst is Uitkomst.afgewezen:
                    geweigerd[event.id] = "ongeldige-aangifte: " + "; ".join(f"{f.veld}: {f.reden}" for f in r.fouten)
        return geweigerd
    return handle
