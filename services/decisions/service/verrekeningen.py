"""Settlements: recomputed for the whole case whenever its income, payments or situation change;
a month settled for the first time is announced as `verrekening.vastgesteld`, a month whose
amounts change afterwards as `verrekening.herzien` with the difference only."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Problem
from schakel.events import Event
from schakel.messaging import BatchHandler
from schakel.primitives import Maand
from schakel.runtime import Service

from decisions.adapters import repository
from decisions.domain.norm import NormOnbekend
from decisions.domain.parameters import GeenParameters, laad
from decisions.domain.situatie import Betaalmodel
from decisions.domain.tussenrekening import boekingen
from decisions.domain.uitkering import Status, Uitkering
from decisions.domain.uitstroom import voorstel
from decisions.domain.verrekening import Verrekening, maandnaam, uitleg, verreken
from decisions.service.toegang import eigen
from decisions.service.webhooks import publiceer

log = logging.getLogger(__name__)
MAANDINKOMEN_VASTGESTELD = "nl.participatiewet.maandinkomen.vastgesteld"
VASTGESTELD = "nl.participatiewet.verrekening.vastgesteld"
HERZIEN = "nl.participatiewet.verrekening.herzien"
BEEINDIGING_VOORGESTELD = "nl.participatiewet.uitkering.beeindiging-voorgesteld"


def inhoud(v: Verrekening) -> dict:
    """The structured explanation of a settlement (contract form, amounts in cents)."""
    w = v.vrijlating
    return {
        "maand": str(v.maand),
        "norm": {"bedrag": v.norm.bedrag, "omschrijving": v.norm.omschrijving, "kostendelers": v.norm.kostendelers,
                 "dagen": v.dagen, "dagenMaand": v.maand.dagen, "bedragNaarRato": v.norm_bedrag},
        "inkomen": {"nettoInkomen": v.inkomen.netto, "vakantiebijslag": v.inkomen.vakantiebijslag,
                    "bijdragen": [{"loonheffingennummer": b.loonheffingennummer,
                                   "inkomstenverhouding": b.inkomstenverhouding,
                                   "tijdvakBegin": b.tijdvak_begin.isoformat(), "tijdvakEinde": b.tijdvak_einde.isoformat(),
                                   "nettoInkomen": b.netto} for b in v.inkomen.bijdragen]},
        "vrijlating": None if w is None else {
            "grond": w.grond, "percentage": str(w.percentage), "plafond": w.plafond, "bedrag": w.bedrag,
            "maandNummer": w.maand_nummer, "maanden": w.maanden},
        "getoetstInkomen": v.gekort_inkomen,
        "bijstand": v.bijstand, "vakantietoeslag": v.vakantietoeslag, "teBetalen": v.te_betalen,
        "betaald": v.betaald, "verschil": v.verschil,
        "uitleg": uitleg(v),
    }


async def herbereken(service: Service, conn: AsyncConnection, uitkering: Uitkering) -> int:
    """Settles every month of the case with a known income; returns how many events it wrote."""
    persoon = service.pseudonym(uitkering.bsn)
    try:
        _, nieuw = await _bereken(service, conn, uitkering)
    except (GeenParameters, NormOnbekend) as exc:
        # not automatable: the settlement waits for a caseworker (no personal data in the log)
        log.warning("case %s not settled automatically: %s", uitkering.uitkering_id, exc)
        return 0
    oud = await repository.verrekeningen_van(conn, uitkering.uitkering_id)
    events = []
    for v in nieuw:
        data, vorige = inhoud(v), oud.get(str(v.maand))
        if vorige is not None and vorige.inhoud == data:
            continue
        await repository.zet_verrekening(conn, uitkering.uitkering_id, str(v.maand),
                                         1 if vorige is None else vorige.versie + 1, v.te_betalen, v.betaald, data)
        if vorige is None:
            events.append(_event(service, VASTGESTELD, uitkering, persoon, data))
        elif (vorige.te_betalen, vorige.betaald) != (v.te_betalen, v.betaald):
            # a revision announces the difference, never the whole amount again
            events.append(_event(service, HERZIEN, uitkering, persoon, data | {
                "vorigTeBetalen": vorige.te_betalen, "herziening": v.te_betalen - vorige.te_betalen}))
    if uitkering.status is Status.lopend:
        events += await _uitstroom(service, conn, uitkering, persoon, nieuw)
    if events:
        await publiceer(service, conn, *events)
    return len(events)


async def _bereken(service: Service, conn: AsyncConnection, uitkering: Uitkering) -> tuple[list, list[Verrekening]]:
    situaties = await repository.situaties_van(conn, uitkering.uitkering_id)
    return situaties, verreken(uitkering.startdatum, uitkering.einddatum, uitkering.geboortedatum, situaties,
                               await repository.inkomens_van(conn, service.pseudonym(uitkering.bsn)),
                               await repository.betalingen_van(conn, uitkering.uitkering_id), laad())


async def tussenrekening(service: Service, principal: Principal, uitkering_id: str) -> dict:
    """The intermediate account of a case on stable income, month by month."""
    async with service.db.transaction() as conn:
        uitkering = await eigen(conn, principal, uitkering_id)
        situaties, maanden = await _bereken(service, conn, uitkering)
    if not any(s.betaalmodel is Betaalmodel.stabiel_inkomen for s in situaties):
        raise Problem(409, "geen-stabiel-inkomen", "Geen tussenrekening",
                      "Deze uitkering wordt niet als stabiel inkomen via een tussenrekening betaald.")
    boek = boekingen(maanden, situaties, int(laad().vakantietoeslag))
    return {"saldo": boek[-1].saldo if boek else 0, "maanden": [
        {"maand": str(b.maand), "loonOntvangen": b.loon, "bijstand": b.bijstand, "uitbetaald": b.vast_bedrag,
         "saldo": b.saldo} for b in boek]}


async def _uitstroom(service: Service, conn: AsyncConnection, uitkering: Uitkering, persoon: str,
                     verrekeningen: list[Verrekening]) -> list[Event]:
    """A proposal to end the case for a new run of months above the norm (once per run)."""
    reeks = voorstel(verrekeningen, service.settings.uitstroom_na_maanden)
    if not reeks:
        return []
    eerder = await repository.beeindigingsvoorstel(conn, uitkering.uitkering_id)
    if eerder is not None and eerder.tot_maand == str(reeks[-1].maand):
        return []
    await repository.zet_beeindigingsvoorstel(conn, uitkering.uitkering_id, reeks[0].maand, reeks[-1].maand)
    namen = [maandnaam(v.maand) for v in reeks]
    opsomming = ", ".join(namen[:-1]) + f" en {namen[-1]}"
    return [_event(service, BEEINDIGING_VOORGESTELD, uitkering, persoon, {
        "maanden": [{"maand": str(v.maand), "getoetstInkomen": v.gekort_inkomen, "norm": v.norm_bedrag} for v in reeks],
        "uitleg": f"In {opsomming} was uw inkomen na vrijlating hoger dan uw bijstandsnorm. De gemeente beoordeelt "
                  f"of uw bijstand kan stoppen; tot u van de gemeente hoort, verandert er niets."})]


def _event(service: Service, event_type: str, u: Uitkering, persoon: str, data: dict) -> Event:
    return service.outbox.event(event_type, persoon, {"uitkeringId": u.uitkering_id, "bsn": u.bsn,
                                                      "gemeentecode": u.gemeentecode, **data})


def on_maandinkomens(service: Service) -> BatchHandler:
    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        personen = set()
        for e in events:
            d = e.data
            await repository.zet_inkomen(conn, e.key, Maand.parse(d["maand"]), d["huidige"]["nettoInkomen"],
                                         d["huidige"]["vakantiebijslag"], d["bijdragen"])
            personen.add(e.key)
        for persoon in personen:  # once per case, however many months changed
            for uitkering in await repository.van_persoon(conn, persoon):
                await herbereken(service, conn, uitkering)
        return {}
    return BatchHandler(handle)


async def betaal(service: Service, principal: Principal, uitkering_id: str, maand: Maand, bedrag: int) -> dict | None:
    """Records what was paid for a month; returns the month's settlement when its income is known."""
    async with service.transaction() as conn:
        uitkering = await eigen(conn, principal, uitkering_id)
        await repository.zet_betaling(conn, uitkering_id, maand, bedrag)
        await herbereken(service, conn, uitkering)
        row = (await repository.verrekeningen_van(conn, uitkering_id)).get(str(maand))
        return None if row is None else _weergave(row)


async def lijst(service: Service, principal: Principal, uitkering_id: str) -> list[dict]:
    async with service.db.transaction() as conn:
        await eigen(conn, principal, uitkering_id)
        return [_weergave(r) for r in (await repository.verrekeningen_van(conn, uitkering_id)).values()]


def _weergave(row) -> dict:
    return row.inhoud | {"versie": row.versie, "vastgesteldOp": row.vastgesteld_op}


async def geschiedenis(service: Service, principal: Principal, uitkering_id: str) -> dict:
    """What happened to the case, and the vrijlating clock (months used per ground) as settled now."""
    async with service.db.transaction() as conn:
        await eigen(conn, principal, uitkering_id)
        rows = await repository.geschiedenis(conn, uitkering_id)
        settled = (await repository.verrekeningen_van(conn, uitkering_id)).values()
    return {"vrijlatingsklok": vrijlatingsklok(settled),
            "gebeurtenissen": [{"type": r.type, "tijdstip": r.tijdstip, "maand": r.maand, "eventId": r.event_id}
                               for r in rows]}


def vrijlatingsklok(settled) -> list[dict]:
    """Months used per vrijlating ground, from the stored settlements."""
    klok: dict[str, int] = {}
    for v in settled:
        if v.inhoud["vrijlating"]:
            grond = v.inhoud["vrijlating"]["grond"]
            klok[grond] = max(klok.get(grond, 0), v.inhoud["vrijlating"]["maandNummer"])
    return [{"grond": g, "maandenGebruikt": n} for g, n in sorted(klok.items())]
