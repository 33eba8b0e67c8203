"""The worklist: the months of a municipality's cases that wait for a caseworker, kept by every
settlement of a case, and announced once when they start to wait (`verrekening.te-beoordelen`)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from decisions.domain.situatie import geldend
from decisions.domain.uitkering import Uitkering
from decisions.domain.verrekening import TeBeoordelen, wachten_uitleg
from decisions.service.ports import Ports, Positie, UnitOfWork, Wachtend
from decisions.service.webhooks import bericht
from schakel import logboek
from schakel.caller import Caller
from schakel.events import Event
from schakel.events import models as m
from schakel.primitives import Maand

log = logging.getLogger(__name__)


async def houd_bij(
    ports: Ports,
    uow: UnitOfWork,
    uitkering: Uitkering,
    persoon: str,
    eerder: list[Wachtend],
    vanaf: Maand | None,
    wachtend: list[TeBeoordelen],
) -> list[Event]:
    """Puts the case's months that wait as a settlement found them (`wachtend`) on the worklist, in
    place of those on it (`eerder`); a settlement from a month (`vanaf`) judges only the months from
    it on. Returns the announcement of the months that wait from now on, if any."""
    nu = ports.clock.now()
    oud = {w.sleutel: w for w in eerder if vanaf is None or w.maand >= vanaf}
    nieuw = {}
    for t in wachtend:
        w = _wachtend(uitkering.uitkering_id, t, nu)
        if (vorige := oud.get(w.sleutel)) is not None:
            w = replace(w, sinds=vorige.sinds)  # it waits since then, whatever its reason says now
        nieuw[w.sleutel] = w
    weg = [sleutel for sleutel, w in oud.items() if nieuw.get(sleutel) != w]
    bij = [w for sleutel, w in nieuw.items() if oud.get(sleutel) != w]
    if weg or bij:
        await uow.werkvoorraad.werk_bij(uitkering.uitkering_id, uitkering.gemeentecode, weg, bij)
    erbij = [t for t in wachtend if (t.maand, t.wie, t.soort) not in oud]
    if not erbij:
        return []
    log.info("case %s: %d month(s) now wait for a caseworker", uitkering.uitkering_id, len(erbij))
    maanden = [m.Wachtmaand(maand=str(t.maand), wie=t.wie, soort=t.soort, reden=t.reden) for t in erbij]
    return [bericht(uow, m.VerrekeningTeBeoordelen, uitkering, persoon, maanden=maanden, uitleg=wachten_uitleg(erbij))]


def _wachtend(uitkering_id: str, t: TeBeoordelen, sinds: datetime) -> Wachtend:
    verhoudingen = tuple((b.loonheffingennummer, b.inkomstenverhouding) for b in t.bijdragen)
    return Wachtend(uitkering_id, t.maand, t.wie, t.soort, t.reden, verhoudingen, sinds)


async def lijst(
    ports: Ports, caller: Caller, soort: str | None, na: Positie | None, aantal: int, getoond: int | None = None
) -> list[Wachtend]:
    """The municipality's worklist, longest waiting first: the first `aantal` after `na`. Of the first
    `getoond` (all, without: a page read one longer only to tell that another follows) the persons whose
    data the months show are on record as processed."""
    async with ports.uow() as uow:
        gelezen = await uow.werkvoorraad.van_gemeente(caller.gemeente, soort, na, aantal)
        await _op_record(uow, gelezen if getoond is None else gelezen[:getoond])
    return gelezen


async def _op_record(uow: UnitOfWork, getoond: list[Wachtend]) -> None:
    """The worklist names cases by id, never a BSN, so no field notes whose data it shows (schakel.logboek):
    noted here, as a read of one case notes them (toegang.inzage): each month's applicant, and for a
    partner's income the partner of the month's household (a month settles with that of its first day)."""
    ids = sorted({w.uitkering_id for w in getoond})
    if not ids:
        return
    zaken, situaties = await uow.uitkeringen.van_alle(ids), await uow.situaties.van_alle(ids)
    for w in getoond:
        if (zaak := zaken.get(w.uitkering_id)) is None:
            continue
        logboek.noteer_bsn(zaak.bsn)
        if w.wie == "partner" and situaties[w.uitkering_id]:
            partner = geldend(situaties[w.uitkering_id], max(w.maand.eerste_dag, zaak.startdatum)).partner
            if partner is not None and partner.bsn is not None:
                logboek.noteer_gezinslid(partner.bsn)
