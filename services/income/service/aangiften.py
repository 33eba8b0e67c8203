"""Ingest of polis declarations, the same for an HTTP delivery and for events on the ingest topic.

Per record: rejected (with the broken rules), outside the population (not stored: doelbinding),
a repeat (same content as the current version: nothing changes), outdated (the provider made it
before the current version: a superseded version sent again does not undo its correction), a
correction (a new version of a known period) or accepted (a new period). Then the touched months
are recomputed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from income.domain.fouten import GelijktijdigeLevering, LeveringBestaatAl, OnbekendeLevering
from income.domain.polis import Aangifte, Fout, fouten, vingerafdruk
from income.domain.toerekening import Regel, begint_tussen, maanden_van
from income.service.maandinkomens import herbereken, leden_van
from income.service.ports import Afwijzing, Gelijktijdig, Levering, Opgeslagen, Ports, UnitOfWork, Versie
from schakel.caller import Caller
from schakel.primitives import Maand
from schakel.telemetry.redaction import gemaskeerd_id

log = logging.getLogger(__name__)
POGINGEN = 3  # a concurrent delivery for the same period loses the unique index race; try again
STAP = 500  # declarations per step of a delivery (see verwerk): about 0,1 s of the event loop


class Uitkomst(str, Enum):
    geaccepteerd = "geaccepteerd"
    correctie = "correctie"
    herhaling = "herhaling"
    verouderd = "verouderd"
    buiten_populatie = "buiten-populatie"
    afgewezen = "afgewezen"


AANTAL = {u: u.name.split("_")[0] + "".join(w.title() for w in u.name.split("_")[1:]) for u in Uitkomst}


@dataclass(frozen=True, slots=True)
class Resultaat:
    uitkomst: Uitkomst
    fouten: tuple[Fout, ...] = ()


Invoer = Aangifte | list[Fout]  # a parsed record, or why it could not be parsed
PerPersoon = dict[str, list[tuple[int, Aangifte]]]  # each person's valid declarations with their place in the delivery


async def verwerk(
    ports: Ports, uow: UnitOfWork, leverancier: str, levering_id: str, invoer: list[Invoer]
) -> list[Resultaat]:
    """The declarations of a delivery, whose persons (`_personen`) the caller holds already: taken
    with its other locks in one statement, in one order."""
    vandaag = ports.clock.today()
    resultaten: list[Resultaat | None] = [None] * len(invoer)
    per_persoon: PerPersoon = defaultdict(list)  # in delivery order
    for i, item in enumerate(invoer):
        problemen = item if isinstance(item, list) else fouten(item, vandaag)
        if problemen:
            resultaten[i] = Resultaat(Uitkomst.afgewezen, tuple(problemen))
        else:
            per_persoon[ports.pseudonym(item.bsn)].append((i, item))
    # a large delivery is worked off a few persons at a time, in the one transaction: between steps
    # the event loop serves the relay and other requests instead of stalling for the whole delivery
    for stap in _stappen(per_persoon):
        await _verwerk(ports, uow, leverancier, levering_id, stap, resultaten)
        await asyncio.sleep(0)
    return resultaten  # type: ignore[return-value]  # every record has its result by now


def _stappen(per_persoon: PerPersoon) -> Iterator[PerPersoon]:
    """The persons with their declarations in steps of about STAP declarations; a person is never split."""
    stap: PerPersoon = {}
    aantal = 0
    for persoon, records in per_persoon.items():
        stap[persoon] = records
        aantal += len(records)
        if aantal >= STAP:
            yield stap
            stap, aantal = {}, 0
    if stap:
        yield stap


async def _verwerk(
    ports: Ports,
    uow: UnitOfWork,
    leverancier: str,
    levering_id: str,
    per_persoon: PerPersoon,
    resultaten: list[Resultaat | None],
) -> None:
    """Stores the valid declarations of these persons and recomputes their touched months."""
    # only the population of the municipalities this provider is contracted for (doelbinding)
    gecontracteerd = ports.contracten.get(leverancier, frozenset())
    leden = {p: lid for p, lid in (await leden_van(ports, uow, per_persoon)).items() if lid.gemeenten & gecontracteerd}
    # the current versions under the keys of these declarations, and those that count in their
    # months: read once, they serve the recomputation too
    aangiften = [a for records in per_persoon.values() for _, a in records]
    eerste, laatste = min(a.tijdvak_begin for a in aangiften), max(a.tijdvak_einde for a in aangiften)
    gelezen = begint_tussen([Maand.van(eerste), Maand.van(laatste)])
    regels = await uow.polisregels.actueel({p: lid.bsn for p, lid in leden.items()}, gelezen)
    nieuw: list[Versie] = []
    nog_niet_opgeslagen: dict[tuple, Versie] = {}  # versions of this delivery that are still current
    vervangen: list[int] = []
    later_gemaakt: dict[int, datetime | None] = {}  # stored versions made again later, with that moment
    geraakt: dict[str, set[Maand]] = defaultdict(set)
    for persoon, records in per_persoon.items():
        for i, aangifte in records:
            if persoon not in leden:
                resultaten[i] = Resultaat(Uitkomst.buiten_populatie)
                continue
            huidig = regels[persoon].get(aangifte.sleutel)
            inhoud = aangifte.inhoud()
            vinger = vingerafdruk(inhoud)
            if huidig is not None and huidig.vingerafdruk == vinger:
                resultaten[i] = Resultaat(Uitkomst.herhaling)
                gemaakt = huidig.regel.aangifte.aangemaakt_op
                if aangifte.aangemaakt_op and (gemaakt is None or gemaakt < aangifte.aangemaakt_op):
                    # made again later: a version made in between is older than this one
                    regels[persoon][aangifte.sleutel] = replace(huidig, regel=replace(huidig.regel, aangifte=aangifte))
                    if huidig.id is not None:
                        later_gemaakt[huidig.id] = aangifte.aangemaakt_op
                    else:
                        nog_niet_opgeslagen[(persoon, aangifte.sleutel)].aangifte = aangifte
                continue
            if huidig is not None and aangifte.gemaakt_voor(huidig.regel.aangifte):
                resultaten[i] = Resultaat(Uitkomst.verouderd)
                # the provider chose the delivery's id: one that holds what could be a BSN is logged masked
                log.info(
                    "skipped a declaration older than the stored version of its period (provider %s, delivery %s)",
                    leverancier,
                    gemaskeerd_id(levering_id),
                )
                continue
            versie = 1
            geraakt[persoon] |= maanden_van(aangifte)
            if huidig is not None:
                versie = huidig.regel.versie + 1
                geraakt[persoon] |= maanden_van(huidig.regel.aangifte)
                if huidig.id is not None:
                    vervangen.append(huidig.id)
                else:  # superseded within this same delivery
                    nog_niet_opgeslagen[(persoon, aangifte.sleutel)].actueel = False
            regels[persoon][aangifte.sleutel] = Opgeslagen(None, Regel(aangifte, versie), vinger)
            nieuw.append(v := Versie(persoon, aangifte, inhoud, versie, vinger))
            nog_niet_opgeslagen[(persoon, aangifte.sleutel)] = v
            resultaten[i] = Resultaat(Uitkomst.correctie if huidig else Uitkomst.geaccepteerd)

    await uow.polisregels.vervang(vervangen)
    await uow.polisregels.later_gemaakt(later_gemaakt)
    await uow.polisregels.voeg_toe(nieuw, leverancier, levering_id, ports.clock.now())
    # a correction's earlier version may reach months beyond those read: then they are read again
    nodig = begint_tussen(set().union(*geraakt.values())) if geraakt else gelezen
    gedekt = gelezen[0] <= nodig[0] and nodig[1] <= gelezen[1]
    await herbereken(ports, uow, geraakt, leden, regels if gedekt else None)


def aantallen(resultaten: list[Resultaat]) -> dict[str, int]:
    counts = Counter(r.uitkomst for r in resultaten)
    return {AANTAL[u]: counts.get(u, 0) for u in Uitkomst}


def resultaat_json(volgnummer: int, r: Resultaat) -> dict:
    body = {"volgnummer": volgnummer, "uitkomst": r.uitkomst.value}
    if r.fouten:
        body["fouten"] = [{"name": f.veld, "code": f.code, "reason": f.reden} for f in r.fouten]
    return body


async def lever(
    ports: Ports, caller: Caller, levering_id: str, invoer: list[Invoer], vingerafdruk: str
) -> tuple[bool, dict]:
    """An HTTP delivery: (new, answer). The same delivery again returns the first answer, which is
    kept with the delivery for that purpose."""
    for poging in range(1, POGINGEN + 1):
        try:
            async with ports.uow() as uow:
                # the delivery and its persons in one statement: held one after the other, two
                # deliveries of more than locks.MOST persons each waited for the other's
                await uow.vergrendel(_levering(caller.oin, levering_id), *_personen(ports, invoer))
                bestaand = await uow.leveringen.van(caller.oin, levering_id)
                if bestaand is not None:
                    if bestaand.antwoord is None or bestaand.vingerafdruk != vingerafdruk:
                        raise LeveringBestaatAl(
                            "Dit leveringId is al gebruikt voor een andere levering; kies een nieuw leveringId."
                        )
                    return False, bestaand.antwoord
                resultaten = await verwerk(ports, uow, caller.oin, levering_id, invoer)
                antwoord = {
                    "leveringId": levering_id,
                    "aantallen": aantallen(resultaten),
                    "resultaten": [resultaat_json(i, r) for i, r in enumerate(resultaten)],
                }
                await uow.leveringen.tel(
                    caller.oin, levering_id, "http", antwoord["aantallen"], ports.clock.now(), vingerafdruk, antwoord
                )
                return True, antwoord
        except Gelijktijdig:
            log.warning("delivery raced a concurrent one for the same periods (attempt %d)", poging)
    raise GelijktijdigeLevering("Een gelijktijdige levering wijzigde dezelfde tijdvakken; herhaal het verzoek.")


Deel = tuple[tuple[str, str], list[Invoer]]  # (provider, delivery id) and a run of its records


async def neem_in(ports: Ports, delen: list[Deel]) -> list[list[Resultaat]]:
    """A batch from the ingest topic as it was consumed: runs of records of one delivery (provider,
    delivery id) in their order, each run's results. A run sees the versions of the runs before it,
    so the latest record of a period wins, as consumed one by one (the topic keeps an income
    relationship's records in order, whichever deliveries they belong to). A delivery arrives in
    many batches, on several instances: its counts add up."""
    async with ports.uow() as uow:
        # the batch's persons in one statement, then its deliveries' counts in another (only the
        # counts wait for another instance's batch of the same delivery, not the declarations): one
        # delivery's locks held while waiting for the next one's could wait in a circle with another
        # instance's batch or an HTTP delivery
        await uow.vergrendel(*(p for _, deel in delen for p in _personen(ports, deel)))
        uitkomsten = [await verwerk(ports, uow, *levering, deel) for levering, deel in delen]
        per_levering: dict[tuple[str, str], list[Resultaat]] = defaultdict(list)
        for (levering, _), resultaten in zip(delen, uitkomsten, strict=True):
            per_levering[levering] += resultaten
        await uow.vergrendel(*(_levering(*levering) for levering in per_levering))
        for (leverancier, levering_id), resultaten in per_levering.items():
            await uow.leveringen.tel(leverancier, levering_id, "kafka", aantallen(resultaten), ports.clock.now())
    return uitkomsten


async def tel_afgewezen(ports: Ports, per_levering: Mapping[tuple[str, str], list[Afwijzing]]) -> None:
    """Declarations refused before they could be read as one (not a declaration the contract allows), by
    (provider, delivery id): counted as refused, so a delivery's counts reach all it sent, and kept with
    why for the provider."""
    async with ports.uow() as uow:
        await uow.vergrendel(*(_levering(*levering) for levering in per_levering))
        for (leverancier, levering_id), lijst in per_levering.items():
            aantallen = dict.fromkeys(AANTAL.values(), 0) | {AANTAL[Uitkomst.afgewezen]: len(lijst)}
            await uow.leveringen.tel(leverancier, levering_id, "kafka", aantallen, ports.clock.now())
            await uow.leveringen.wijs_af(leverancier, levering_id, lijst)


async def wijs_af(ports: Ports, per_levering: Mapping[tuple[str, str], list[Afwijzing]]) -> None:
    """Keeps why declarations of Kafka deliveries were refused by the rules (counted with the rest)."""
    async with ports.uow() as uow:
        for (leverancier, levering_id), lijst in per_levering.items():
            await uow.leveringen.wijs_af(leverancier, levering_id, lijst)


async def vergeet_afwijzingen(ports: Ports, dagen: int) -> int:
    """Forgets the refusals kept longer than `dagen` ago (a provider's ids and the reasons are not kept
    without an end); the delivery's counts stay."""
    async with ports.uow() as uow:
        weg = await uow.leveringen.vergeet_afwijzingen(ports.clock.now() - timedelta(days=dagen))
    if weg:
        log.info("retention: forgot %d refusal(s) of deliveries", weg)
    return weg


def _personen(ports: Ports, invoer: list[Invoer]) -> set[str]:
    return {ports.pseudonym(a.bsn) for a in invoer if isinstance(a, Aangifte)}


def _levering(leverancier: str, levering_id: str) -> str:
    """The lock's key of a delivery (a person's key is their pseudonym)."""
    return f"levering {leverancier} {levering_id}"


async def levering(ports: Ports, caller: Caller, levering_id: str) -> Levering:
    async with ports.uow() as uow:
        return await _eigen(uow, caller, levering_id)


async def afwijzingen(ports: Ports, caller: Caller, levering_id: str) -> list[Afwijzing]:
    """Why the declarations of the caller's delivery were refused (over Kafka; over HTTP its answer said)."""
    async with ports.uow() as uow:
        await _eigen(uow, caller, levering_id)
        return await uow.leveringen.afwijzingen(caller.oin, levering_id)


async def _eigen(uow: UnitOfWork, caller: Caller, levering_id: str) -> Levering:
    bestaand = await uow.leveringen.van(caller.oin, levering_id)
    if bestaand is None:
        raise OnbekendeLevering("Deze levering is niet (door u) aangeleverd.")
    return bestaand
