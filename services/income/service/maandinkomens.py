"""Recomputes a person's monthly net income where something changed, stores it, and emits
`maandinkomen.vastgesteld` for every month whose figure was established or changed."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.events import Event
from schakel.primitives import Maand
from schakel.runtime import Service

from income.adapters import repository
from income.adapters.repository import Lid, Opgeslagen
from income.domain.overschrijving import Vastgesteld, vaststellen
from income.domain.toerekening import Bijdrage, Maandinkomen, Toerekening, maandinkomens, maanden_van

MAANDINKOMEN_VASTGESTELD = "nl.participatiewet.maandinkomen.vastgesteld"


def bijdrage_json(b: Bijdrage) -> dict:
    a, n = b.regel.aangifte, b.netto
    return {
        "loonheffingennummer": a.loonheffingennummer, "inkomstenverhouding": a.inkomstenverhouding,
        "eindeInkomstenverhouding": a.einde_inkomstenverhouding.isoformat() if a.einde_inkomstenverhouding else None,
        "tijdvakBegin": a.tijdvak_begin.isoformat(), "tijdvakEinde": a.tijdvak_einde.isoformat(),
        "versie": b.regel.versie, "dagen": b.dagen, "dagenTijdvak": b.dagen_tijdvak,
        "nettoInkomen": b.loon, "vakantiebijslag": b.vakantiebijslag,
        "berekening": {"fiscaalLoon": n.fiscaal_loon, "waardePriveGebruikAuto": n.waarde_prive_gebruik_auto,
                       "ingehoudenLoonheffing": n.ingehouden_loonheffing,
                       "ingehoudenBijdrageZvw": n.ingehouden_bijdrage_zvw,
                       "premieWgaWerknemer": n.premie_wga_werknemer, "vakantiebijslagBetaald": n.vakantiebijslag_betaald,
                       "nettoTijdvak": n.totaal, "nettoVakantiebijslagTijdvak": n.vakantiebijslag},
    }


def _row(persoon: str, polis: Maandinkomen, vast: Vastgesteld, now: datetime) -> dict:
    return {"persoon": persoon, "maand": str(polis.maand), "loon": vast.loon, "vakantiebijslag": vast.vakantiebijslag,
            "polis_loon": polis.loon, "bron": vast.bron, "te_beoordelen": vast.te_beoordelen,
            "bijdragen": [bijdrage_json(b) for b in polis.bijdragen], "gewijzigd_op": now}


async def herbereken(service: Service, conn: AsyncConnection, geraakt: dict[str, set[Maand]],
                     leden: dict[str, Lid], regels: dict[str, dict[tuple, Opgeslagen]] | None = None) -> int:
    """Recomputes the touched months of each person; returns how many months' figures changed."""
    if not geraakt:
        return 0
    if regels is None:
        regels = await repository.actuele_regels(conn, geraakt, {p: leden[p].bsn for p in geraakt})
    beleid = await repository.beleid(conn, (leden[p].gemeentecode for p in geraakt))
    opgeslagen = await repository.maandinkomens_van(conn, geraakt)
    overschrijvingen = await repository.overschrijvingen_van(conn, geraakt)
    now = datetime.now(timezone.utc)
    nieuw, gewijzigd, events, te_beoordelen = [], [], [], []
    for persoon, maanden in geraakt.items():
        lid = leden[persoon]
        for maand, polis in _polis(lid, regels[persoon], beleid, maanden).items():
            oud = opgeslagen.get((persoon, maand))
            overschrijving = overschrijvingen.get((persoon, maand))
            if oud is None and not polis.bijdragen and overschrijving is None:
                continue  # nothing known for this month
            vast = vaststellen(polis, overschrijving)
            if overschrijving and vast.te_beoordelen and not overschrijving.te_beoordelen:
                te_beoordelen.append((persoon, maand))
            row = _row(persoon, polis, vast, now)
            if oud is None:
                nieuw.append(row)
            elif _verschilt(oud, row):
                gewijzigd.append(row)
            else:
                continue
            if oud is None or (oud.loon, oud.vakantiebijslag) != (vast.loon, vast.vakantiebijslag):
                events.append(_event(service, lid, maand, oud, vast, row["bijdragen"]))
    await repository.bewaar_maandinkomens(conn, nieuw, gewijzigd)
    await repository.markeer_te_beoordelen(conn, te_beoordelen)
    if events:
        await service.outbox.add(conn, *events)
    return len(events)


def _verschilt(oud, row: dict) -> bool:
    return any(getattr(oud, k) != row[k] for k in ("loon", "vakantiebijslag", "polis_loon", "bron", "te_beoordelen",
                                                    "bijdragen"))


def _event(service: Service, lid: Lid, maand: Maand, oud, vast: Vastgesteld, bijdragen: list[dict]) -> Event:
    vorige = None if oud is None else {"nettoInkomen": oud.loon, "vakantiebijslag": oud.vakantiebijslag}
    return service.outbox.event(MAANDINKOMEN_VASTGESTELD, lid.persoon, {
        "bsn": lid.bsn, "maand": str(maand), "vorige": vorige,
        "huidige": {"nettoInkomen": vast.loon, "vakantiebijslag": vast.vakantiebijslag},
        "bron": vast.bron, "bijdragen": bijdragen})


async def herbereken_alles(service: Service, conn: AsyncConnection, personen: list[str], op: date) -> int:
    """Recomputes every month of these persons (their start date or attribution policy changed)."""
    leden = await repository.leden(conn, personen, op)
    regels = await repository.actuele_regels(conn, leden, {p: lid.bsn for p, lid in leden.items()})
    opgeslagen = await repository.maandinkomens_van(conn, leden)
    geraakt = {p: {m for o in regels[p].values() for m in maanden_van(o.regel.aangifte)} for p in leden}
    for persoon, maand in opgeslagen:
        geraakt[persoon].add(maand)
    return await herbereken(service, conn, {p: m for p, m in geraakt.items() if m}, leden, regels)


async def polis(conn: AsyncConnection, lid: Lid, maand: Maand) -> Maandinkomen:
    """The polis figure of one month of one person, as the current versions make it."""
    regels = await repository.actuele_regels(conn, [lid.persoon], {lid.persoon: lid.bsn})
    return _polis(lid, regels[lid.persoon], await repository.beleid(conn, [lid.gemeentecode]), {maand})[maand]


def _polis(lid: Lid, regels: dict[tuple, Opgeslagen], beleid: dict[str, Toerekening],
           maanden: set[Maand]) -> dict[Maand, Maandinkomen]:
    """A person's months from their current declarations, under their municipality's policy."""
    return maandinkomens([o.regel for o in regels.values()], lid.aanvang,
                         beleid.get(lid.gemeentecode, Toerekening.naar_rato), maanden)


async def herbereken_gepland(service: Service, per_transactie: int = 500) -> int:
    """Works off the queued recomputations, a chunk per transaction; returns how many persons."""
    gedaan = 0
    while True:
        async with service.transaction() as conn:
            personen = await repository.te_herberekenen(conn, per_transactie)
            if not personen:
                return gedaan
            await herbereken_alles(service, conn, personen, date.today())
            await repository.herberekend(conn, personen)
        gedaan += len(personen)
