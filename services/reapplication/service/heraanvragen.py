"""Re-applications: decided in the request when simple (the decisions service reopens the benefit
on `heraanvraag.toegekend` and confirms with its case event), otherwise prepared for a caseworker."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime

from reapplication.domain.fouten import GeenIngezetene, Onbekend
from reapplication.domain.heraanvraag import (
    Aanvraag,
    Context,
    Heraanvraag,
    Reden,
    beoordeel,
    controleer,
    na_ww,
    vroegste_bij_besluit,
    weiger_dubbel,
)
from reapplication.domain.heraanvraag import besluit as beslis
from reapplication.domain.hergebruik import Hergebruik, Situatie
from reapplication.domain.inkomen import Polis, baan_beeindigd, na_einde
from reapplication.domain.termijn import Heraanvraagtermijn, klok_elders, open_termijn
from reapplication.service import overdrachten
from reapplication.service.hergebruik import klok_contract, situatie_contract
from reapplication.service.ports import Ports, UnitOfWork
from schakel import logboek
from schakel.caller import Caller
from schakel.errors import Unavailable
from schakel.events import Event
from schakel.events import models as events
from schakel.primitives.volgorde import is_newer
from schakel.telemetry.volgorde import superseded


async def deelnamestatus(ports: Ports, persoon: str, grond: str | None, volgnummer: int | None, sinds: date) -> None:
    """registration's status change of `sinds`: the doelgroepregister ground (an exemption of the
    search period), unless a later status change of the person was applied already."""
    async with ports.uow() as uow:
        await uow.vergrendel(persoon)
        toegepast = await uow.doelgroepen.volgnummer(persoon)
        if not is_newer(volgnummer, toegepast):
            superseded(events.DeelnamestatusGewijzigd.TYPE, volgnummer, toegepast)
            return
        await uow.doelgroepen.zet(persoon, grond, volgnummer, sinds)


async def dien_in(ports: Ports, caller: Caller, bsn: str, aanvraag: Aanvraag) -> Heraanvraag:
    controleer(aanvraag, ports.clock.today())
    await _ingezetene(ports, caller, bsn)  # before anything is read
    # the BRP and income are asked before the transaction, so no database connection waits on them
    elders = await _partner_elders(ports, caller, bsn, aanvraag.meldingsdatum)
    polis = await ports.inkomen.laatste(caller, bsn)
    async with ports.uow() as uow:
        return await _dien_in(ports, uow, caller, bsn, aanvraag, polis, elders)


async def vanuit_overdracht(ports: Ports, caller: Caller, overdracht_id: str, gevraagd: Aanvraag) -> Heraanvraag:
    """`gevraagd`: the melding and what the search period needs (ages, exemptions, a waiver)."""
    # first: a handover of someone who moved is not found, before any check says something of it
    overdracht, bsn = await overdrachten.van_ingezetene(ports, caller, overdracht_id)
    controleer(na_ww(overdracht.ww_einddatum, gevraagd.meldingsdatum, gevraagd), ports.clock.today())
    elders = await _partner_elders(ports, caller, bsn, gevraagd.meldingsdatum)
    polis = await ports.inkomen.laatste(caller, bsn)  # between the two: no connection waits on income
    async with ports.uow() as uow:
        # read again once the person is held, in the transaction that holds the Idempotency-Key's claim:
        # it may have changed meanwhile (UWV moved it to the new municipality: not found then)
        overdracht, bsn = await overdrachten.vergrendeld(ports, uow, caller, overdracht_id)
        aanvraag = na_ww(overdracht.ww_einddatum, gevraagd.meldingsdatum, gevraagd)
        controleer(aanvraag, ports.clock.today())
        return await _dien_in(ports, uow, caller, bsn, aanvraag, polis, elders)


async def _ingezetene(ports: Ports, caller: Caller, bsn: str) -> None:
    """Only the municipality of residence per the BRP (Participatiewet art. 40) applies for or grants
    bijstand; asked outside a transaction, so no database connection waits on the BRP."""
    if await ports.brp.woongemeente(bsn) != caller.gemeente:
        raise GeenIngezetene("Deze persoon staat volgens de BRP niet in uw gemeente ingeschreven.")


async def _partner_elders(ports: Ports, caller: Caller, bsn: str, melding: date) -> bool:
    """Whether the BRP registers the partner of the household the open window would reuse elsewhere
    (or nowhere): then the household changed, and decisions would open a case with a partner who is
    not the municipality's resident. The window is read first, outside a transaction, as the BRP is asked."""
    async with ports.lees() as uow:
        termijn = open_termijn(await uow.termijnen.van(ports.pseudonym(bsn)), caller.gemeente, melding)
    return termijn is not None and termijn.hergebruik is not None and await _elders(ports, caller, termijn.hergebruik)


async def _elders(ports: Ports, caller: Caller, hergebruik: Hergebruik) -> bool:
    partner = hergebruik.situatie.partner
    return partner is not None and await ports.brp.woongemeente(partner.bsn) != caller.gemeente


async def _dien_in(
    ports: Ports, uow: UnitOfWork, caller: Caller, bsn: str, aanvraag: Aanvraag, polis: Polis, partner_elders: bool
) -> Heraanvraag:
    ingediend, persoon = ports.clock.now(), ports.pseudonym(bsn)
    await uow.vergrendel(persoon)  # beside a second application for the person at the same moment
    weiger_dubbel(
        await uow.heraanvragen.van_persoon(persoon, caller.gemeente),
        await uow.uitkeringen.van(persoon),
        True,
        aanvraag.startdatum,
    )
    termijn = open_termijn(await uow.termijnen.van(persoon), caller.gemeente, aanvraag.meldingsdatum)
    context = Context(
        termijn is not None,
        termijn.hergebruik if termijn else None,
        baan_beeindigd(polis.laatste),
        await uow.doelgroepen.van(persoon) == "participatiewet",
        polis_bekend=polis.bekend,
        partner_elders=partner_elders and termijn is not None,
        polis_na_einde=termijn is not None and na_einde(polis.laatste, termijn.einddatum),
    )
    heraanvraag = beoordeel(
        str(uuid.uuid4()),
        persoon,
        bsn,
        caller.gemeente,
        aanvraag,
        context,
        polis.laatste,
        ingediend,
        ports.clock.today(),
        ports.clock.now(),
    )
    await uow.heraanvragen.voeg_toe(heraanvraag)
    if heraanvraag.status == "toegekend":
        await uow.publish(_toegekend(uow, heraanvraag))
    return heraanvraag


def _toegekend(uow: UnitOfWork, h: Heraanvraag) -> Event:
    """Asks the decisions service to reopen the benefit with the reused data."""
    assert h.hergebruik is not None  # approval needs an open window (domain.heraanvraag)
    return uow.event(
        h.persoon,
        events.HeraanvraagToegekend(
            heraanvraagId=h.heraanvraag_id,
            bsn=h.bsn,
            gemeentecode=h.gemeentecode,
            startdatum=h.aanvraag.startdatum,
            geboortedatum=h.hergebruik.geboortedatum,
            situatie=situatie_contract(h.hergebruik.situatie),
            vrijlatingsklok=klok_contract(h.hergebruik.vrijlatingsklok),
        ),
    )


async def besluit(
    ports: Ports,
    caller: Caller,
    heraanvraag_id: str,
    toekennen: bool,
    reden: str,
    ontheffing: str | None = None,
    situatie: Situatie | None = None,
) -> Heraanvraag:
    """A caseworker's decision on an application that needed review (a waiver of a running search
    period). A grant opens a case, so only while the BRP still registers the person in the
    municipality; one that moved meanwhile can still be refused (closed). A grant that reuses a
    household whose partner the BRP registers elsewhere needs the situation as it is now. What is
    reused is the window's as it is when decided, not as the application copied it."""
    for _ in range(_POGINGEN):
        try:
            return await _besluit(ports, caller, heraanvraag_id, toekennen, reden, ontheffing, situatie)
        except _PartnerGewijzigd:
            continue  # decisions corrected the household between the BRP's answer and the transaction: ask again
    raise Unavailable("Het huishouden van de vorige uitkering wijzigde tijdens het besluit: probeer het opnieuw.")


_POGINGEN = 3


class _PartnerGewijzigd(Exception):
    """The window's partner at the grant is not the one the BRP was asked about outside the transaction."""


def _hergebruikt(h: Heraanvraag, termijn: Heraanvraagtermijn | None) -> Hergebruik | None:
    """What a grant of `h` reuses: the window's as it is now, granted and checked with (since the application
    decisions may have corrected a birth date typed wrong or the household, announcing the end again with
    them, and months settled after the end may have moved the clock), else the application's copy."""
    return termijn.hergebruik if h.hergebruik and termijn and termijn.hergebruik else h.hergebruik


def _partner(hergebruik: Hergebruik | None) -> str | None:
    partner = hergebruik.situatie.partner if hergebruik is not None else None
    return partner.bsn if partner is not None else None


async def _besluit(
    ports: Ports,
    caller: Caller,
    heraanvraag_id: str,
    toekennen: bool,
    reden: str,
    ontheffing: str | None,
    situatie: Situatie | None,
) -> Heraanvraag:
    elders, gecontroleerd = False, None
    if toekennen:
        async with ports.lees() as uow:
            aanvraag = await _eigen(uow, caller, heraanvraag_id)
            termijn = open_termijn(
                await uow.termijnen.van(aanvraag.persoon), caller.gemeente, aanvraag.aanvraag.meldingsdatum
            )
        if aanvraag.status == "beoordelen":  # one decided already is its 409, wherever the person lives
            await _ingezetene(ports, caller, aanvraag.bsn)
            hergebruik = _hergebruikt(aanvraag, termijn)
            elders = hergebruik is not None and await _elders(ports, caller, hergebruik)
            gecontroleerd = _partner(hergebruik)
    async with ports.uow() as uow:
        # held, then read again: a second caseworker deciding at once finds the first one's decision
        persoon = (await _eigen(uow, caller, heraanvraag_id)).persoon
        await uow.vergrendel(persoon)
        heraanvraag = await _eigen(uow, caller, heraanvraag_id)
        if toekennen and heraanvraag.status == "beoordelen":  # one decided already is its 409 al-besloten
            andere = [
                h
                for h in await uow.heraanvragen.van_persoon(persoon, caller.gemeente)
                if h.heraanvraag_id != heraanvraag_id
            ]
            weiger_dubbel(andere, await uow.uitkeringen.van(persoon), False, heraanvraag.aanvraag.startdatum)
        melding = heraanvraag.aanvraag.meldingsdatum
        termijnen = await uow.termijnen.van(persoon) if toekennen else []
        termijn = open_termijn(termijnen, caller.gemeente, melding)
        if toekennen and heraanvraag.status == "beoordelen":
            eerder = heraanvraag.hergebruik
            heraanvraag = replace(heraanvraag, hergebruik=_hergebruikt(heraanvraag, termijn))
            if _partner(heraanvraag.hergebruik) != gecontroleerd:
                # `elders` is of another partner (or of none): the grant would carry one the BRP was not asked about
                raise _PartnerGewijzigd
            doelgroep = await uow.doelgroepen.van(persoon) == "participatiewet"
            vroegste = vroegste_bij_besluit(heraanvraag, eerder, situatie, doelgroep)
            heraanvraag = replace(heraanvraag, vroegste_behandeldatum=vroegste)
        heraanvraag = beslis(
            heraanvraag,
            toekennen,
            reden,
            ports.clock.now(),
            ports.clock.today(),
            ontheffing,
            situatie,
            elders,
            klok_elders(termijnen, caller.gemeente, melding),  # a first application here after a move
        )
        await uow.heraanvragen.werk_bij(heraanvraag)
        if toekennen:
            await uow.publish(_toegekend(uow, heraanvraag))
        return heraanvraag


async def lees(ports: Ports, caller: Caller, heraanvraag_id: str) -> Heraanvraag:
    async with ports.uow() as uow:
        return await _eigen(uow, caller, heraanvraag_id)


async def lijst(
    ports: Ports,
    caller: Caller,
    status: str | None,
    na: tuple[date, datetime, str] | None = None,
    aantal: int | None = None,
) -> list[Heraanvraag]:
    """The municipality's re-applications (`Heraanvraag.volgorde`): the first `aantal` after `na`."""
    async with ports.uow() as uow:
        return await uow.heraanvragen.van_gemeente(caller.gemeente, status, na, aantal)


async def zoek(ports: Ports, caller: Caller, bsn: str) -> list[Heraanvraag]:
    """The municipality's own re-applications of a person, the latest melding first: found by BSN, so
    one whose id the back office lost is found again. Another municipality's are not among them."""
    async with ports.lees() as uow:
        eigen = await uow.heraanvragen.van_persoon(ports.pseudonym(bsn), caller.gemeente)
    return sorted(eigen, key=lambda h: h.volgorde, reverse=True)


async def mijn(ports: Ports, caller: Caller) -> list[Heraanvraag]:
    """A citizen's own re-applications, in any municipality, the earliest melding first."""
    assert caller.bsn, "a citizen's own"
    async with ports.lees() as uow:
        eigen = await uow.heraanvragen.van_persoon(ports.pseudonym(caller.bsn), None)
    return sorted(eigen, key=lambda h: h.volgorde)


async def bevestigd(uow: UnitOfWork, heraanvraag_id: str, uitkering_id: str) -> None:
    """decisions confirms a reopened benefit with its case event."""
    if heraanvraag := await uow.heraanvragen.lees(heraanvraag_id):
        await uow.heraanvragen.werk_bij(replace(heraanvraag, uitkering_id=uitkering_id, niet_geopend=None))


async def niet_geopend(ports: Ports, persoon: str, heraanvraag_id: str, code: str, uitleg: str) -> None:
    """decisions did not reopen a grant (`heropening.geweigerd`): a case of the person runs. The grant
    stays as decided, with why nothing opened, and is no longer on its way (domain.weiger_dubbel)."""
    async with ports.uow() as uow:
        await uow.vergrendel(persoon)
        heraanvraag = await uow.heraanvragen.lees(heraanvraag_id)
        if heraanvraag is not None and heraanvraag.status == "toegekend" and heraanvraag.uitkering_id is None:
            await uow.heraanvragen.werk_bij(replace(heraanvraag, niet_geopend=Reden(code, uitleg)))


async def _eigen(uow: UnitOfWork, caller: Caller, heraanvraag_id: str) -> Heraanvraag:
    heraanvraag = await uow.heraanvragen.lees(heraanvraag_id)
    if heraanvraag is not None:  # a look refused is on the person's record too (the answer stays the same)
        logboek.noteer_bsn(heraanvraag.bsn)
    if heraanvraag is None or heraanvraag.gemeentecode != caller.gemeente:
        raise Onbekend("Deze heraanvraag bestaat niet of hoort niet bij uw gemeente.")
    return heraanvraag
