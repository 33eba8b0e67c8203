"""Opens a re-application window when a benefit ends and closes it when a new one starts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from reapplication.domain.heraanvraag import Uitkering
from reapplication.domain.hergebruik import Hergebruik
from reapplication.domain.termijn import Heraanvraagtermijn, sluit, termijn_maanden
from reapplication.domain.termijn import open_termijn as open_op
from reapplication.service import heraanvragen, overdrachten
from reapplication.service.ports import Ports, UnitOfWork
from schakel.caller import Caller, Rol
from schakel.events.models import HeraanvraagtermijnGeopend, UitkeringBeeindigd, UitkeringGeopend
from schakel.primitives.volgorde import is_newer
from schakel.telemetry.volgorde import superseded


async def uitkering_beeindigd(
    ports: Ports,
    persoon: str,
    bsn: str,
    uitkering_id: str,
    gemeentecode: str,
    einddatum: date,
    hergebruik: Hergebruik | None,
    volgnummer: int | None = None,
) -> None:
    """A case ended: a window opens, unless an event of a later case of the person was applied
    already (a higher sequence number): then this end came late (replayed), and its window closed
    when that case began. A corrected end date (a newer end of the same case) moves the window; an
    older end of it, replayed after the correction, changes nothing."""
    async with ports.uow() as uow:
        await uow.vergrendel(persoon)
        if await _vergeten(uow, UitkeringBeeindigd.TYPE, uitkering_id, volgnummer):
            return
        bekend = await uow.uitkeringen.van(persoon)
        eigen = next((u for u in bekend if u.uitkering_id == uitkering_id and u.einddatum is not None), None)
        andere = [u.volgnummer for u in bekend if u.uitkering_id != uitkering_id and u.volgnummer is not None]
        hoogste = max(andere, default=None)
        if eigen is not None and not is_newer(volgnummer, eigen.volgnummer):
            superseded(UitkeringBeeindigd.TYPE, volgnummer, eigen.volgnummer)
            return
        await uow.uitkeringen.beeindigd(persoon, uitkering_id, einddatum, volgnummer)
        # an end stored without its window came after a later case had begun: a correction opens none
        zonder_termijn = eigen is not None and all(
            t.uitkering_id != uitkering_id for t in await uow.termijnen.van(persoon)
        )
        if zonder_termijn or not is_newer(volgnummer, hoogste):
            superseded(UitkeringBeeindigd.TYPE, volgnummer, hoogste)
            return
        maanden = termijn_maanden(await uow.beleid.van(gemeentecode), einddatum, ports.standaard_maanden)
        termijn = Heraanvraagtermijn.na(uitkering_id, gemeentecode, einddatum, maanden, hergebruik)
        if await uow.termijnen.zet(persoon, termijn):
            # the income service keeps polis data for people with an open window (doelbinding)
            await uow.publish(
                uow.event(
                    persoon,
                    HeraanvraagtermijnGeopend(
                        uitkeringId=termijn.uitkering_id,
                        bsn=bsn,
                        gemeentecode=termijn.gemeentecode,
                        einddatum=termijn.einddatum,
                        geldigTot=termijn.geldig_tot,
                    ),
                )
            )


async def uitkering_geopend(
    ports: Ports,
    persoon: str,
    bsn: str,
    gemeentecode: str,
    startdatum: date,
    besloten: date | None,
    heraanvraag_id: str | None,
    uitkering_id: str,
    volgnummer: int | None = None,
) -> None:
    """A new benefit (decisions' case event, `besloten` its day) is known to run, closes the person's
    windows, puts a handover's decision in place and confirms the re-application it reopened, if any."""
    async with ports.uow() as uow:
        await uow.vergrendel(persoon)  # alongside a caseworker's step or outcome for the person
        if await _vergeten(uow, UitkeringGeopend.TYPE, uitkering_id, volgnummer):
            return
        besloten = besloten or ports.clock.today()
        opening = Uitkering(uitkering_id, None, volgnummer, (gemeentecode, besloten, startdatum))
        await uow.uitkeringen.geopend(persoon, opening)
        for termijn in sluit(await uow.termijnen.van(persoon), startdatum):
            await uow.termijnen.sluit(termijn.uitkering_id, startdatum)
        # with its end as stored: an opening replayed after the end leaves that in place
        einde = next((u.einddatum for u in await uow.uitkeringen.van(persoon) if u.uitkering_id == uitkering_id), None)
        await overdrachten.uitkering_geopend(uow, persoon, bsn, replace(opening, einddatum=einde), ports.clock.today())
        if heraanvraag_id:
            await heraanvragen.bevestigd(uow, heraanvraag_id, uitkering_id)


async def open_termijn(ports: Ports, caller: Caller, bsn: str) -> Heraanvraagtermijn | None:
    """The person's window in the asking municipality that is open today, if any; a citizen's own in
    any municipality."""
    gemeente = None if caller.rol is Rol.burger else caller.gemeente
    async with ports.uow() as uow:
        return open_op(await uow.termijnen.van(ports.pseudonym(bsn)), gemeente, ports.clock.today())


async def beleid(ports: Ports, caller: Caller) -> tuple[int, list[tuple[date, int]]]:
    """The default window and the municipality's own dated rows."""
    async with ports.uow() as uow:
        return ports.standaard_maanden, await uow.beleid.van(caller.gemeente)


async def zet_beleid(
    ports: Ports, caller: Caller, geldig_vanaf: date, maanden: int
) -> tuple[int, list[tuple[date, int]]]:
    """Applies to benefits that end on or after `geldig_vanaf`; windows already open keep their length."""
    async with ports.uow() as uow:
        await uow.beleid.zet(caller.gemeente, geldig_vanaf, maanden)
    return await beleid(ports, caller)


async def _vergeten(uow: UnitOfWork, event_type: str, uitkering_id: str, volgnummer: int | None) -> bool:
    """Whether the event is a copy of one about a case retention forgot (replayed from a dead-letter
    topic, or by a consumer group set back): applied, it would bring the person back."""
    vergeten = await uow.uitkeringen.vergeten(uitkering_id)
    if vergeten is None or is_newer(volgnummer, vergeten):
        return False
    superseded(event_type, volgnummer, vergeten, forgotten=True)
    return True
