"""Uitkeringen and deelnamestatussen in the decisions database."""

from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.primitives import Maand

from decisions.adapters.tables import beeindigingsvoorstellen, betalingen, deelnamestatussen, gebeurtenissen, inkomens, situaties, uitkeringen, verrekeningen
from decisions.domain.situatie import Betaalmodel, Huishouden, Regime, Situatie
from decisions.domain.uitkering import Reden, Status, Uitkering
from decisions.domain.verrekening import Bijdrage, Inkomen


async def get(conn: AsyncConnection, uitkering_id: str) -> Uitkering | None:
    row = (await conn.execute(sa.select(uitkeringen).where(uitkeringen.c.uitkering_id == uitkering_id))).first()
    return _uitkering(row) if row else None


class AlLopend(Exception):
    """The person already has a running case (the unique index said so)."""


async def add(conn: AsyncConnection, uitkering: Uitkering, persoon: str) -> None:
    try:
        await conn.execute(uitkeringen.insert().values(persoon=persoon, **_columns(uitkering)))
    except IntegrityError as exc:
        raise AlLopend() from exc


async def save(conn: AsyncConnection, uitkering: Uitkering) -> None:
    await conn.execute(uitkeringen.update().where(uitkeringen.c.uitkering_id == uitkering.uitkering_id)
                       .values(**_columns(uitkering)))


async def deelnamestatus(conn: AsyncConnection, persoon: str):
    return (await conn.execute(sa.select(deelnamestatussen).where(deelnamestatussen.c.persoon == persoon))).first()


async def zet_deelnamestatus(conn: AsyncConnection, persoon: str, status: str, grond: str | None,
                             ingangsdatum: date) -> None:
    """Keeps the status with the latest effective date, whatever order the events arrive in."""
    current = await deelnamestatus(conn, persoon)
    if current is None:
        await conn.execute(deelnamestatussen.insert().values(
            persoon=persoon, status=status, grond=grond, ingangsdatum=ingangsdatum))
    elif current.ingangsdatum <= ingangsdatum:
        await conn.execute(deelnamestatussen.update().where(deelnamestatussen.c.persoon == persoon)
                           .values(status=status, grond=grond, ingangsdatum=ingangsdatum))


def _columns(u: Uitkering) -> dict:
    return {"uitkering_id": u.uitkering_id, "bsn": u.bsn, "gemeentecode": u.gemeentecode,
            "geboortedatum": u.geboortedatum, "startdatum": u.startdatum, "status": u.status.value,
            "einddatum": u.einddatum, "reden": u.reden.value if u.reden else None}


def _uitkering(row) -> Uitkering:
    return Uitkering(row.uitkering_id, row.bsn, row.gemeentecode, row.geboortedatum, row.startdatum,
                     Status(row.status), row.einddatum, Reden(row.reden) if row.reden else None)


async def van_persoon(conn: AsyncConnection, persoon: str) -> list[Uitkering]:
    rows = await conn.execute(sa.select(uitkeringen).where(uitkeringen.c.persoon == persoon))
    return [_uitkering(r) for r in rows]


# --- situations -------------------------------------------------------------------------------

async def zet_situatie(conn: AsyncConnection, uitkering_id: str, s: Situatie) -> None:
    """Adds a situation; one on the same date replaces it."""
    await conn.execute(situaties.delete().where(situaties.c.uitkering_id == uitkering_id,
                                                situaties.c.ingangsdatum == s.ingangsdatum))
    await conn.execute(situaties.insert().values(
        uitkering_id=uitkering_id, ingangsdatum=s.ingangsdatum, huishouden=s.huishouden.value,
        partner_geboortedatum=s.partner_geboortedatum, jongste_kind_geboortedatum=s.jongste_kind_geboortedatum,
        kostendelers=s.kostendelers, medisch_urenbeperkt=s.medisch_urenbeperkt, loonkostensubsidie=s.loonkostensubsidie,
        meer_uren_niet_mogelijk=s.meer_uren_niet_mogelijk, regime=s.regime.value, betaalmodel=s.betaalmodel.value))


async def situaties_van(conn: AsyncConnection, uitkering_id: str) -> list[Situatie]:
    rows = await conn.execute(sa.select(situaties).where(situaties.c.uitkering_id == uitkering_id)
                              .order_by(situaties.c.ingangsdatum))
    return [Situatie(r.ingangsdatum, Huishouden(r.huishouden), r.partner_geboortedatum, r.jongste_kind_geboortedatum,
                     r.kostendelers, r.medisch_urenbeperkt, r.loonkostensubsidie, r.meer_uren_niet_mogelijk,
                     Regime(r.regime), Betaalmodel(r.betaalmodel)) for r in rows]


# --- incomes, payments, settlements -----------------------------------------------------------

async def zet_inkomen(conn: AsyncConnection, persoon: str, maand: Maand, netto: int, vakantiebijslag: int,
                      bijdragen: list[dict]) -> None:
    await conn.execute(inkomens.delete().where(inkomens.c.persoon == persoon, inkomens.c.maand == str(maand)))
    await conn.execute(inkomens.insert().values(persoon=persoon, maand=str(maand), netto=netto,
                                                vakantiebijslag=vakantiebijslag, bijdragen=bijdragen))


async def inkomens_van(conn: AsyncConnection, persoon: str) -> dict[Maand, Inkomen]:
    rows = await conn.execute(sa.select(inkomens).where(inkomens.c.persoon == persoon))
    return {Maand.parse(r.maand): Inkomen(r.netto, r.vakantiebijslag, tuple(
        Bijdrage(b["loonheffingennummer"], b["inkomstenverhouding"], date.fromisoformat(b["tijdvakBegin"]),
                 date.fromisoformat(b["tijdvakEinde"]), b["nettoInkomen"]) for b in r.bijdragen)) for r in rows}


async def zet_betaling(conn: AsyncConnection, uitkering_id: str, maand: Maand, bedrag: int) -> None:
    await conn.execute(betalingen.delete().where(betalingen.c.uitkering_id == uitkering_id,
                                                 betalingen.c.maand == str(maand)))
    await conn.execute(betalingen.insert().values(uitkering_id=uitkering_id, maand=str(maand), bedrag=bedrag,
                                                  vastgelegd_op=datetime.now(timezone.utc)))


async def betalingen_van(conn: AsyncConnection, uitkering_id: str) -> dict[Maand, int]:
    rows = await conn.execute(sa.select(betalingen).where(betalingen.c.uitkering_id == uitkering_id))
    return {Maand.parse(r.maand): r.bedrag for r in rows}


async def verrekeningen_van(conn: AsyncConnection, uitkering_id: str) -> dict[str, object]:
    rows = await conn.execute(sa.select(verrekeningen).where(verrekeningen.c.uitkering_id == uitkering_id)
                              .order_by(verrekeningen.c.maand))
    return {r.maand: r for r in rows}


async def zet_verrekening(conn: AsyncConnection, uitkering_id: str, maand: str, versie: int, te_betalen: int,
                          betaald: int, inhoud: dict) -> None:
    await conn.execute(verrekeningen.delete().where(verrekeningen.c.uitkering_id == uitkering_id,
                                                    verrekeningen.c.maand == maand))
    await conn.execute(verrekeningen.insert().values(
        uitkering_id=uitkering_id, maand=maand, versie=versie, te_betalen=te_betalen, betaald=betaald, inhoud=inhoud,
        vastgesteld_op=datetime.now(timezone.utc)))


async def beeindigingsvoorstel(conn: AsyncConnection, uitkering_id: str):
    return (await conn.execute(sa.select(beeindigingsvoorstellen)
                               .where(beeindigingsvoorstellen.c.uitkering_id == uitkering_id))).first()


async def zet_beeindigingsvoorstel(conn: AsyncConnection, uitkering_id: str, van: Maand, tot: Maand) -> None:
    await conn.execute(beeindigingsvoorstellen.delete().where(beeindigingsvoorstellen.c.uitkering_id == uitkering_id))
    await conn.execute(beeindigingsvoorstellen.insert().values(
        uitkering_id=uitkering_id, van_maand=str(van), tot_maand=str(tot), voorgesteld_op=datetime.now(timezone.utc)))


async def geschiedenis(conn: AsyncConnection, uitkering_id: str) -> list:
    return (await conn.execute(sa.select(gebeurtenissen).where(gebeurtenissen.c.uitkering_id == uitkering_id)
                               .order_by(gebeurtenissen.c.id))).all()
