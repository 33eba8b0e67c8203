"""Storage of the income service. Every function takes the caller's connection (its transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.primitives import Maand

from income.adapters.tables import (heraanvraagtermijnen, herberekeningen, leveringen, maandinkomens, overschrijvingen, polisregels,
                                    populatie, toerekeningsbeleid)
from income.domain.overschrijving import Overschrijving
from income.domain.polis import Aangifte
from income.domain.toerekening import Regel, Toerekening

CHUNK = 500  # bounded IN lists


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- population -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Lid:
    """A person the service may keep polis data for."""
    persoon: str
    bsn: str
    gemeentecode: str        # of the most recent case or window
    aanvang: date | None     # first day of the earliest case: income before it counts nowhere
    actieve_gemeenten: frozenset[str]  # municipalities with a case not ended on the day asked


async def neem_op(conn: AsyncConnection, rows: list[dict]) -> None:
    """Adds benefit cases (uitkering_id, persoon, bsn, gemeentecode, sinds); known cases stay as they are."""
    known = set()
    for chunk in _chunks({r["uitkering_id"] for r in rows}):
        known |= set((await conn.execute(sa.select(populatie.c.uitkering_id)
                                         .where(populatie.c.uitkering_id.in_(chunk)))).scalars())
    fresh = {r["uitkering_id"]: r for r in rows if r["uitkering_id"] not in known}
    if fresh:
        await conn.execute(populatie.insert(), list(fresh.values()))


async def zet_einde(conn: AsyncConnection, uitkering_id: str, tot: date) -> bool:
    result = await conn.execute(populatie.update().where(populatie.c.uitkering_id == uitkering_id).values(tot=tot))
    return result.rowcount > 0


async def open_termijn(conn: AsyncConnection, uitkering_id: str, persoon: str, bsn: str, gemeentecode: str,
                       geldig_tot: date) -> None:
    await conn.execute(heraanvraagtermijnen.delete().where(heraanvraagtermijnen.c.uitkering_id == uitkering_id))
    await conn.execute(heraanvraagtermijnen.insert().values(uitkering_id=uitkering_id, persoon=persoon, bsn=bsn,
                                                            gemeentecode=gemeentecode, geldig_tot=geldig_tot))


def _lopend(op: date):
    return sa.or_(populatie.c.tot.is_(None), populatie.c.tot >= op)


async def leden(conn: AsyncConnection, personen: Iterable[str], op: date) -> dict[str, Lid]:
    """Those of `personen` in the population on `op`: a case not ended before it, or an open window."""
    cases, windows = {}, {}
    for chunk in _chunks(set(personen)):
        for r in await conn.execute(sa.select(populatie).where(populatie.c.persoon.in_(chunk))):
            cases.setdefault(r.persoon, []).append(r)
        for r in await conn.execute(sa.select(heraanvraagtermijnen).where(
                heraanvraagtermijnen.c.persoon.in_(chunk), heraanvraagtermijnen.c.geldig_tot >= op)):
            windows.setdefault(r.persoon, []).append(r)
    result = {}
    for persoon in cases.keys() | windows.keys():
        own = cases.get(persoon, [])
        running = [c for c in own if c.tot is None or c.tot >= op]
        if not running and persoon not in windows:
            continue
        latest = max(own, key=lambda c: c.sinds) if own else windows[persoon][0]
        result[persoon] = Lid(persoon, latest.bsn, latest.gemeentecode,
                              min((c.sinds for c in own), default=None),
                              frozenset(c.gemeentecode for c in running))
    return result


async def populatie_op(conn: AsyncConnection, peildatum: date, offset: int, limit: int) -> tuple[int, list]:
    """The persons in the population on a date (one row per person), ordered by BSN."""
    cases = sa.select(populatie.c.bsn, populatie.c.gemeentecode).where(_lopend(peildatum))
    windows = sa.select(heraanvraagtermijnen.c.bsn, heraanvraagtermijnen.c.gemeentecode).where(
        heraanvraagtermijnen.c.geldig_tot >= peildatum)
    union = sa.union_all(cases, windows).subquery()
    personen = sa.select(union.c.bsn, sa.func.min(union.c.gemeentecode).label("gemeentecode")).group_by(union.c.bsn)
    totaal = (await conn.execute(sa.select(sa.func.count()).select_from(personen.subquery()))).scalar_one()
    rows = (await conn.execute(personen.order_by(union.c.bsn).offset(offset).limit(limit))).all()
    return totaal, rows


async def uitgestroomd(conn: AsyncConnection, voor: date) -> list[str]:
    """Persons whose every case and window ended before `voor` (retention has run out)."""
    laatste = sa.select(populatie.c.persoon.label("persoon"),
                        sa.func.coalesce(populatie.c.tot, date.max).label("tot"))
    termijnen = sa.select(heraanvraagtermijnen.c.persoon, heraanvraagtermijnen.c.geldig_tot)
    union = sa.union_all(laatste, termijnen).subquery()
    rows = await conn.execute(sa.select(union.c.persoon).group_by(union.c.persoon)
                              .having(sa.func.max(union.c.tot) < voor))
    return [r.persoon for r in rows]


async def vergeet(conn: AsyncConnection, personen: list[str]) -> None:
    """Deletes everything kept about these persons."""
    for chunk in _chunks(personen):
        for table in (polisregels, maandinkomens, overschrijvingen, heraanvraagtermijnen, herberekeningen, populatie):
            await conn.execute(table.delete().where(table.c.persoon.in_(chunk)))


# --- attribution policy -----------------------------------------------------------------------

async def beleid(conn: AsyncConnection, gemeentecodes: Iterable[str]) -> dict[str, Toerekening]:
    rows = await conn.execute(sa.select(toerekeningsbeleid).where(
        toerekeningsbeleid.c.gemeentecode.in_(sorted(set(gemeentecodes)))))
    return {r.gemeentecode: Toerekening(r.toerekening) for r in rows}


async def zet_beleid(conn: AsyncConnection, gemeentecode: str, toerekening: Toerekening) -> None:
    await conn.execute(toerekeningsbeleid.delete().where(toerekeningsbeleid.c.gemeentecode == gemeentecode))
    await conn.execute(toerekeningsbeleid.insert().values(gemeentecode=gemeentecode, toerekening=toerekening.value,
                                                          gewijzigd_op=_now()))


async def plan_herberekening(conn: AsyncConnection, gemeentecode: str) -> None:
    """Queues every person of the municipality for a recomputation in the background."""
    personen = (sa.select(populatie.c.persoon).where(populatie.c.gemeentecode == gemeentecode)
                .where(populatie.c.persoon.not_in(sa.select(herberekeningen.c.persoon))).distinct())
    await conn.execute(herberekeningen.insert().from_select(["persoon"], personen))


async def te_herberekenen(conn: AsyncConnection, limit: int) -> list[str]:
    return list((await conn.execute(sa.select(herberekeningen.c.persoon).order_by(herberekeningen.c.persoon)
                                    .limit(limit))).scalars())


async def herberekend(conn: AsyncConnection, personen: list[str]) -> None:
    await conn.execute(herberekeningen.delete().where(herberekeningen.c.persoon.in_(personen)))


# --- declarations -----------------------------------------------------------------------------

@dataclass(slots=True)
class Opgeslagen:
    """The current version of one (employer, IKV, period) of a person; id None until inserted."""
    id: int | None
    regel: Regel
    vingerafdruk: str


async def actuele_regels(conn: AsyncConnection, personen: Iterable[str],
                         bsns: dict[str, str]) -> dict[str, dict[tuple, Opgeslagen]]:
    result: dict[str, dict[tuple, Opgeslagen]] = {p: {} for p in personen}
    for chunk in _chunks(result):
        rows = await conn.execute(sa.select(polisregels.c.id, polisregels.c.persoon, polisregels.c.versie,
                                            polisregels.c.vingerafdruk, polisregels.c.inhoud)
                                  .where(polisregels.c.persoon.in_(chunk), polisregels.c.actueel.is_(True)))
        for r in rows:
            aangifte = Aangifte.uit_inhoud(bsns[r.persoon], r.inhoud)
            result[r.persoon][aangifte.sleutel] = Opgeslagen(r.id, Regel(aangifte, r.versie), r.vingerafdruk)
    return result


async def voeg_regels_toe(conn: AsyncConnection, rows: list[dict]) -> None:
    if rows:
        await conn.execute(polisregels.insert(), rows)


async def vervang(conn: AsyncConnection, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        await conn.execute(polisregels.update().where(polisregels.c.id.in_(chunk)).values(actueel=False))


async def versies(conn: AsyncConnection, persoon: str) -> list:
    """Every stored version of a person's declarations (for audit), oldest first."""
    return (await conn.execute(sa.select(polisregels).where(polisregels.c.persoon == persoon)
                               .order_by(polisregels.c.id))).all()


# --- monthly incomes and overrides ------------------------------------------------------------

async def maandinkomens_van(conn: AsyncConnection, personen: Iterable[str]) -> dict[tuple[str, Maand], object]:
    result = {}
    for chunk in _chunks(set(personen)):
        for r in await conn.execute(sa.select(maandinkomens).where(maandinkomens.c.persoon.in_(chunk))):
            result[(r.persoon, Maand.parse(r.maand))] = r
    return result


async def bewaar_maandinkomens(conn: AsyncConnection, nieuw: list[dict], gewijzigd: list[dict]) -> None:
    if nieuw:
        await conn.execute(maandinkomens.insert(), nieuw)
    if gewijzigd:
        await conn.execute(maandinkomens.update()
                           .where(maandinkomens.c.persoon == sa.bindparam("p"), maandinkomens.c.maand == sa.bindparam("m"))
                           .values({c: sa.bindparam(c) for c in ("loon", "vakantiebijslag", "polis_loon", "bron",
                                                                  "te_beoordelen", "bijdragen", "gewijzigd_op")}),
                           [dict(row, p=row["persoon"], m=row["maand"]) for row in gewijzigd])


async def maandinkomens_tussen(conn: AsyncConnection, persoon: str, van: Maand, tot: Maand) -> list:
    return (await conn.execute(sa.select(maandinkomens).where(
        maandinkomens.c.persoon == persoon, maandinkomens.c.maand >= str(van), maandinkomens.c.maand <= str(tot))
        .order_by(maandinkomens.c.maand))).all()


async def overschrijvingen_van(conn: AsyncConnection, personen: Iterable[str]) -> dict[tuple[str, Maand], Overschrijving]:
    result = {}
    for chunk in _chunks(set(personen)):
        for r in await conn.execute(sa.select(overschrijvingen).where(overschrijvingen.c.persoon.in_(chunk))):
            maand = Maand.parse(r.maand)
            result[(r.persoon, maand)] = Overschrijving(maand, r.loon, r.reden, r.polis_versies, r.te_beoordelen)
    return result


async def markeer_te_beoordelen(conn: AsyncConnection, sleutels: list[tuple[str, Maand]]) -> None:
    for persoon, maand in sleutels:
        await conn.execute(overschrijvingen.update().where(overschrijvingen.c.persoon == persoon,
                                                           overschrijvingen.c.maand == str(maand))
                           .values(te_beoordelen=True))


async def zet_overschrijving(conn: AsyncConnection, persoon: str, o: Overschrijving, gemeentecode: str,
                             oin: str) -> None:
    await verwijder_overschrijving(conn, persoon, o.maand)
    await conn.execute(overschrijvingen.insert().values(
        persoon=persoon, maand=str(o.maand), loon=o.loon, reden=o.reden, polis_versies=o.polis_versies,
        te_beoordelen=o.te_beoordelen, gemeentecode=gemeentecode, vastgelegd_door=oin, vastgelegd_op=_now()))


async def verwijder_overschrijving(conn: AsyncConnection, persoon: str, maand: Maand) -> bool:
    result = await conn.execute(overschrijvingen.delete().where(overschrijvingen.c.persoon == persoon,
                                                                overschrijvingen.c.maand == str(maand)))
    return result.rowcount > 0


# --- deliveries -------------------------------------------------------------------------------

async def levering(conn: AsyncConnection, leverancier: str, levering_id: str):
    return (await conn.execute(sa.select(leveringen).where(leveringen.c.leverancier == leverancier,
                                                           leveringen.c.levering_id == levering_id))).first()


async def tel_levering(conn: AsyncConnection, leverancier: str, levering_id: str, kanaal: str,
                       aantallen: dict[str, int], vingerafdruk: str | None = None, antwoord: dict | None = None) -> None:
    """Adds outcome counts to a delivery (a Kafka delivery arrives in many batches)."""
    now = _now()
    bestaand = await levering(conn, leverancier, levering_id)
    if bestaand is None:
        await conn.execute(leveringen.insert().values(
            leverancier=leverancier, levering_id=levering_id, kanaal=kanaal, vingerafdruk=vingerafdruk,
            ontvangen_op=now, bijgewerkt_op=now, aantallen=aantallen, antwoord=antwoord))
    else:
        totaal = {k: bestaand.aantallen.get(k, 0) + aantallen.get(k, 0) for k in aantallen}
        await conn.execute(leveringen.update().where(leveringen.c.leverancier == leverancier,
                                                     leveringen.c.levering_id == levering_id)
                           .values(aantallen=totaal, bijgewerkt_op=now))
