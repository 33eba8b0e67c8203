"""The decisions service's state in SQL: repositories that only store and load, and the unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

import orjson
import sqlalchemy as sa
from opentelemetry import propagate
from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.adapters.geheimen import Kluis
from decisions.adapters.kalender import SqlKalender
from decisions.adapters.tables import (
    abonnementen,
    afgewezen_voorstellen,
    afleveringen,
    beeindigingsvoorstellen,
    betalingen,
    deelnamestatussen,
    gebeurtenissen,
    inkomens,
    inkomstensoorten,
    maand_van,
    metadata,
    pogingen,
    regelversie,
    situaties,
    uitkeringen,
    vaste_bedragen,
    verrekeningen,
    werkvoorraad,
)
from decisions.adapters.uitstroom import SqlUitstroom
from decisions.adapters.vorderingen import SqlVorderingen
from decisions.domain.deelname import Deelnamestatus
from decisions.domain.fouten import UitkeringLooptAl
from decisions.domain.inkomen import ARBEID, Bijdrage, Inkomen, Oordeel, Oordelen
from decisions.domain.norm import Norm
from decisions.domain.situatie import Betaalmodel, Huishouden, Partner, Regime, Situatie
from decisions.domain.toeslagen import Maandinkomen, maandinkomen_van
from decisions.domain.uitkering import Reden, Status, Uitkering
from decisions.domain.verrekening import Beweging, Deel, Rekening, Verrekening
from decisions.domain.vrijlating import Klok, Klokken, Vrijlating
from decisions.domain.webhook import Circuit, Stopreden
from decisions.service.ports import (
    Abonnement,
    Aflevering,
    Gebeurtenis,
    Lopend,
    Pauze,
    Poging,
    Positie,
    Regelstand,
    Vastgesteld,
    Voorstel,
    Wachtend,
)
from schakel.clock import SYSTEM, Clock
from schakel.messaging.outbox import forget
from schakel.persistence import bewaring
from schakel.persistence.batches import chunks, one_of_keys, rows_of_keys, select_in
from schakel.persistence.types import UtcDateTime
from schakel.persistence.upsert import dialect_insert, insert_all, upsert
from schakel.primitives import Maand
from schakel.primitives.bewaring import AFGELOPEN
from schakel.runtime.uow import SqlUnitOfWork, Transactional

# the body of a delivery that will not be sent again (the delivery log shows its status and tries)
GEEN_INHOUD = ""
# everything kept about a case, found from the schema so that a new table cannot be left behind
VAN_EEN_ZAAK = [t for t in reversed(metadata.sorted_tables) if "uitkering_id" in t.c and t is not uitkeringen]


class _Repo:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _in(self, query: sa.Select, kolom: sa.ColumnElement, sleutels: Iterable[str]) -> list[sa.Row]:
        return await select_in(self._conn, query, kolom, sleutels)


class SqlUitkeringen(_Repo):
    async def get(self, uitkering_id: str) -> Uitkering | None:
        row = (
            await self._conn.execute(sa.select(uitkeringen).where(uitkeringen.c.uitkering_id == uitkering_id))
        ).first()
        return _uitkering(row) if row else None

    async def vergrendel(self, uitkering_ids: list[str]) -> list[Uitkering]:
        # row locks until commit (PostgreSQL; SQLite has one writer and refuses a stale write)
        query = sa.select(uitkeringen).order_by(uitkeringen.c.uitkering_id).with_for_update()
        return [_uitkering(r) for r in await self._in(query, uitkeringen.c.uitkering_id, uitkering_ids)]

    async def voeg_toe(self, uitkering: Uitkering, persoon: str) -> None:
        # the unique index (one running case per person) refuses without failing the transaction, so a
        # consumer refused here goes on in it: it tells reapplication the grant was not reopened
        nieuw = _nieuwe_uitkering(self._conn.dialect.name)
        if not (await self._conn.execute(nieuw, {"persoon": persoon, **_columns(uitkering)})).rowcount:
            raise UitkeringLooptAl(UitkeringLooptAl.BERICHT)

    async def bewaar(self, uitkering: Uitkering) -> None:
        await self._conn.execute(
            uitkeringen.update()
            .where(uitkeringen.c.uitkering_id == uitkering.uitkering_id)
            .values(**_columns(uitkering))
        )

    async def van_persoon(self, persoon: str) -> list[Uitkering]:
        return [
            _uitkering(r)
            for r in await self._conn.execute(sa.select(uitkeringen).where(uitkeringen.c.persoon == persoon))
        ]

    async def van_huishoudens(self, personen: set[str]) -> list[Uitkering]:
        rows = await rows_of_keys(self._conn, _van_huishoudens(self._conn.dialect.name), "personen", personen)
        zaken = {r.uitkering_id: _uitkering(r) for r in rows}
        return [zaken[i] for i in sorted(zaken)]

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, Uitkering]:
        rijen = await self._in(sa.select(uitkeringen), uitkeringen.c.uitkering_id, uitkering_ids)
        return {r.uitkering_id: _uitkering(r) for r in rijen}

    async def pagina(self, na: str | None, aantal: int) -> list[Uitkering]:
        query = sa.select(uitkeringen).order_by(uitkeringen.c.uitkering_id).limit(aantal)
        if na is not None:  # keyset: each page starts after the last, on the primary key
            query = query.where(uitkeringen.c.uitkering_id > na)
        return [_uitkering(r) for r in await self._conn.execute(query)]


@cache
def _van_huishoudens(dialect: str) -> sa.CompoundSelect:
    """Built once (a case opening runs it): the cases of the persons `personen`, as the applicant or
    as a partner, in two branches, each on its index (an OR of the two makes PostgreSQL read every case)."""
    als_partner = sa.select(situaties.c.uitkering_id).where(
        one_of_keys(dialect, situaties.c.partner_persoon, "personen")
    )
    return sa.union_all(
        sa.select(uitkeringen).where(one_of_keys(dialect, uitkeringen.c.persoon, "personen")),
        sa.select(uitkeringen).where(uitkeringen.c.uitkering_id.in_(als_partner)),
    )


@cache
def _nieuwe_uitkering(dialect: str) -> sa.Insert:
    """Built once: an insert that a case of the person paying the same days (Uitkering.overlapt: one
    without an end, or ending on or after the start) skips, and so does the one running case per
    person (the partial unique index) that a concurrent insert has not committed yet."""
    t = uitkeringen.c
    eerder = sa.select(t.uitkering_id).where(
        t.persoon == sa.bindparam("persoon"), sa.or_(t.einddatum.is_(None), t.einddatum >= sa.bindparam("startdatum"))
    )
    rij = sa.select(*(sa.bindparam(c.name, type_=c.type) for c in uitkeringen.c)).where(~sa.exists(eerder))
    insert = dialect_insert(dialect, uitkeringen).from_select(list(uitkeringen.c), rij)
    return insert.on_conflict_do_nothing(index_elements=["bsn"], index_where=sa.text("status = 'lopend'"))


def _columns(u: Uitkering) -> dict:
    return {
        "uitkering_id": u.uitkering_id,
        "bsn": u.bsn,
        "gemeentecode": u.gemeentecode,
        "geboortedatum": u.geboortedatum,
        "startdatum": u.startdatum,
        "status": u.status.value,
        "einddatum": u.einddatum,
        "reden": u.reden.value if u.reden else None,
        "startklok": [list(k) for k in u.startklok],
        "heraanvraag_id": u.heraanvraag_id,
    }


def _uitkering(row) -> Uitkering:
    return Uitkering(
        row.uitkering_id,
        row.bsn,
        row.gemeentecode,
        row.geboortedatum,
        row.startdatum,
        Status(row.status),
        row.einddatum,
        Reden(row.reden) if row.reden else None,
        tuple((grond, maanden) for grond, maanden in row.startklok or ()),
        row.heraanvraag_id,
    )


# read with every case shown; built once (a statement built per call costs SQLAlchemy its cache key)
_DEELNAMESTATUS = sa.select(deelnamestatussen).where(deelnamestatussen.c.persoon == sa.bindparam("persoon"))


class SqlDeelnamestatussen(_Repo):
    async def van(self, persoon: str) -> Deelnamestatus | None:
        row = (await self._conn.execute(_DEELNAMESTATUS, {"persoon": persoon})).first()
        return Deelnamestatus(row.status, row.grond, row.ingangsdatum, row.volgnummer) if row else None

    async def zet(self, persoon: str, status: Deelnamestatus) -> None:
        waarden = {
            "status": status.status,
            "grond": status.grond,
            "ingangsdatum": status.ingangsdatum,
            "volgnummer": status.volgnummer,
        }
        result = await self._conn.execute(
            deelnamestatussen.update().where(deelnamestatussen.c.persoon == persoon).values(**waarden)
        )
        if result.rowcount == 0:
            await self._conn.execute(deelnamestatussen.insert().values(persoon=persoon, **waarden))


class SqlSituaties(_Repo):
    async def zet(self, uitkering_id: str, s: Situatie, partner_persoon: str | None) -> None:
        """The situation from its date on; one of the same date is replaced."""
        p = s.partner
        await upsert(
            self._conn,
            situaties,
            [
                {
                    "uitkering_id": uitkering_id,
                    "ingangsdatum": s.ingangsdatum,
                    "huishouden": s.huishouden.value,
                    "partner_geboortedatum": s.partner_geboortedatum,
                    "partner_bsn": None if p is None else p.bsn,
                    "partner_persoon": partner_persoon,
                    "partner_medisch_urenbeperkt": p is not None and p.medisch_urenbeperkt,
                    "partner_loonkostensubsidie": p is not None and p.loonkostensubsidie,
                    "partner_meer_uren_niet_mogelijk": p is not None and p.meer_uren_niet_mogelijk,
                    "jongste_kind_geboortedatum": s.jongste_kind_geboortedatum,
                    "kostendelers": s.kostendelers,
                    "medisch_urenbeperkt": s.medisch_urenbeperkt,
                    "loonkostensubsidie": s.loonkostensubsidie,
                    "meer_uren_niet_mogelijk": s.meer_uren_niet_mogelijk,
                    "regime": s.regime.value,
                    "betaalmodel": s.betaalmodel.value,
                    "jongerennorm": s.jongerennorm,
                }
            ],
        )

    async def van(self, uitkering_id: str) -> list[Situatie]:
        return (await self.van_alle([uitkering_id]))[uitkering_id]

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Situatie]]:
        per_zaak: dict[str, list[Situatie]] = {i: [] for i in uitkering_ids}
        query = sa.select(situaties).order_by(situaties.c.uitkering_id, situaties.c.ingangsdatum)
        for r in await self._in(query, situaties.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id].append(_situatie(r))
        return per_zaak


def _situatie(r) -> Situatie:
    return Situatie(
        r.ingangsdatum,
        Huishouden(r.huishouden),
        None
        if r.partner_geboortedatum is None
        else Partner(
            r.partner_bsn,
            r.partner_geboortedatum,
            r.partner_medisch_urenbeperkt,
            r.partner_loonkostensubsidie,
            r.partner_meer_uren_niet_mogelijk,
        ),
        r.jongste_kind_geboortedatum,
        r.kostendelers,
        r.medisch_urenbeperkt,
        r.loonkostensubsidie,
        r.meer_uren_niet_mogelijk,
        Regime(r.regime),
        Betaalmodel(r.betaalmodel),
        r.jongerennorm,
    )


@cache
def _volgnummers(dialect: str, vanaf: bool) -> sa.Select:
    """Built once (a case opening runs it): which months of `personen` are held, from `vanaf` on."""
    query = sa.select(inkomens.c.persoon, inkomens.c.maand, inkomens.c.volgnummer).where(
        one_of_keys(dialect, inkomens.c.persoon, "personen")
    )
    return query.where(inkomens.c.maand >= sa.bindparam("vanaf")) if vanaf else query


class SqlInkomens(_Repo):
    async def zet(self, lijst: list[tuple[str, Maand, Inkomen, int | None]]) -> None:
        await upsert(
            self._conn,
            inkomens,
            [
                {
                    "persoon": persoon,
                    "maand": str(maand),
                    "netto": inkomen.netto,
                    "vakantiebijslag": inkomen.vakantiebijslag,
                    "bijdragen": [_bijdrage_json(b) for b in inkomen.bijdragen],
                    "volgnummer": volgnummer,
                    "overig": inkomen.overig,
                    "onbekend": inkomen.onbekend,
                    "overschreven": inkomen.overschreven,
                }
                for persoon, maand, inkomen, volgnummer in lijst
            ],
        )

    async def volgnummers(self, personen: set[str], vanaf: Maand | None = None) -> dict[tuple[str, Maand], int | None]:
        query = _volgnummers(self._conn.dialect.name, vanaf is not None)
        van = {} if vanaf is None else {"vanaf": str(vanaf)}
        rows = await rows_of_keys(self._conn, query, "personen", personen, **van)
        return {(r.persoon, maand_van(r.maand)): r.volgnummer for r in rows}

    async def van_alle(self, personen: set[str], vanaf: Maand | None = None) -> dict[str, dict[Maand, Inkomen]]:
        query = sa.select(inkomens) if vanaf is None else sa.select(inkomens).where(inkomens.c.maand >= str(vanaf))
        per_persoon: dict[str, dict[Maand, Inkomen]] = {}
        for r in await self._in(query, inkomens.c.persoon, personen):
            per_persoon.setdefault(r.persoon, {})[maand_van(r.maand)] = Inkomen(
                r.netto,
                r.vakantiebijslag,
                tuple(_bijdrage(b) for b in r.bijdragen),
                r.overig,
                r.onbekend,
                r.overschreven,
            )
        return per_persoon


class SqlInkomstensoorten(_Repo):
    async def zet(self, uitkering_id: str, persoon: str, o: Oordeel, op: datetime) -> None:
        sleutel = (
            inkomstensoorten.c.uitkering_id == uitkering_id,
            inkomstensoorten.c.persoon == persoon,
            inkomstensoorten.c.loonheffingennummer == o.loonheffingennummer,
            inkomstensoorten.c.inkomstenverhouding == o.inkomstenverhouding,
        )
        await self._conn.execute(inkomstensoorten.delete().where(*sleutel))
        await self._conn.execute(
            inkomstensoorten.insert().values(
                uitkering_id=uitkering_id,
                persoon=persoon,
                loonheffingennummer=o.loonheffingennummer,
                inkomstenverhouding=o.inkomstenverhouding,
                soort=o.soort,
                reden=o.reden,
                vastgelegd_op=op,
            )
        )

    async def van(self, uitkering_id: str) -> Oordelen:
        return (await self.van_alle([uitkering_id]))[uitkering_id]

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, Oordelen]:
        per_zaak: dict[str, Oordelen] = {i: {} for i in uitkering_ids}
        query = sa.select(inkomstensoorten).order_by(inkomstensoorten.c.vastgelegd_op)
        for r in await self._in(query, inkomstensoorten.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id].setdefault(r.persoon, {})[(r.loonheffingennummer, r.inkomstenverhouding)] = (
                Oordeel(r.loonheffingennummer, r.inkomstenverhouding, r.soort, r.reden)
            )
        return per_zaak


# the income service's contribution as it arrived (and as the inkomens table has always held it; the
# kind, holiday allowance and polis code since the kinds of income: absent, it was work income)
def _bijdrage_json(b: Bijdrage) -> dict:
    return {
        "loonheffingennummer": b.loonheffingennummer,
        "inkomstenverhouding": b.inkomstenverhouding,
        "tijdvakBegin": b.tijdvak_begin.isoformat(),
        "tijdvakEinde": b.tijdvak_einde.isoformat(),
        "nettoInkomen": b.netto,
        "soort": b.soort,
        "vakantiebijslag": b.vakantiebijslag,
        "soortInkomstenverhouding": b.soort_inkomstenverhouding,
        "fiscaalLoon": b.fiscaal_loon,
    } | _dagen_json(b)


def _dagen_json(b: Bijdrage) -> dict:
    """The days a period was earned on, and what of it fell outside the case: only where known, so a
    settlement stored before they were kept still reads as the same one."""
    dagen: dict = {} if b.verdiend is None else {"verdiend": [d.isoformat() for d in b.verdiend]}
    buiten = {"buiten": b.buiten} if b.buiten else {}
    return dagen | buiten | ({"buitenVakantiebijslag": b.buiten_vakantiebijslag} if b.buiten_vakantiebijslag else {})


def _soort(b: dict) -> str:
    """A stored polis line's kind; a line stored before kinds were kept was work."""
    return b.get("soort", ARBEID)


def _bijdrage(b: dict) -> Bijdrage:
    return Bijdrage(
        b["loonheffingennummer"],
        b["inkomstenverhouding"],
        date.fromisoformat(b["tijdvakBegin"]),
        date.fromisoformat(b["tijdvakEinde"]),
        b["nettoInkomen"],
        _soort(b),
        b.get("vakantiebijslag", 0),
        b.get("soortInkomstenverhouding"),
        b.get("fiscaalLoon"),
        (date.fromisoformat(b["verdiend"][0]), date.fromisoformat(b["verdiend"][1])) if "verdiend" in b else None,
        b.get("buiten", 0),
        b.get("buitenVakantiebijslag", 0),
    )


def _inkomen_json(i: Inkomen) -> dict:
    return {
        "netto": i.netto,
        "vakantiebijslag": i.vakantiebijslag,
        "bijdragen": [_bijdrage_json(b) for b in i.bijdragen],
        "overig": i.overig,
        "onbekend": i.onbekend,
    } | (  # the keys only then: the rows of before read the same
        {"overschreven": True, "buiten": i.buiten, "buitenVakantiebijslag": i.buiten_vakantiebijslag}
        if i.overschreven
        else {}
    )


def _inkomen(i: dict) -> Inkomen:
    return Inkomen(
        i["netto"],
        i["vakantiebijslag"],
        tuple(_bijdrage(x) for x in i["bijdragen"]),
        i.get("overig", 0),
        i.get("onbekend", 0),
        i.get("overschreven", False),
        i.get("buiten", 0),
        i.get("buitenVakantiebijslag", 0),
    )


def _vrijlating_json(w: Vrijlating | None) -> dict | None:
    if w is None:
        return None
    return {
        "grond": w.grond,
        "percentage": str(w.percentage),
        "plafond": w.plafond,
        "bedrag": w.bedrag,
        "maand_nummer": w.maand_nummer,
        "maanden": w.maanden,
    }


def _vrijlating(w: dict | None) -> Vrijlating | None:
    if w is None:
        return None
    return Vrijlating(w["grond"], Decimal(w["percentage"]), w["plafond"], w["bedrag"], w["maand_nummer"], w["maanden"])


class SqlBetalingen(_Repo):
    async def zet(self, uitkering_id: str, maand: Maand, bedrag: int, op: datetime) -> None:
        await self._conn.execute(
            betalingen.delete().where(betalingen.c.uitkering_id == uitkering_id, betalingen.c.maand == str(maand))
        )
        await self._conn.execute(
            betalingen.insert().values(uitkering_id=uitkering_id, maand=str(maand), bedrag=bedrag, vastgelegd_op=op)
        )

    async def van(self, uitkering_id: str) -> dict[Maand, int]:
        return (await self.van_alle([uitkering_id]))[uitkering_id]

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, int]]:
        per_zaak: dict[str, dict[Maand, int]] = {i: {} for i in uitkering_ids}
        for r in await self._in(sa.select(betalingen), betalingen.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id][maand_van(r.maand)] = r.bedrag
        return per_zaak


class SqlVasteBedragen(_Repo):
    async def zet(self, uitkering_id: str, bedragen: Mapping[Maand, int], op: datetime) -> None:
        al = (await self.van_alle([uitkering_id]))[uitkering_id]
        if nieuw := [
            {"uitkering_id": uitkering_id, "maand": str(m), "bedrag": b, "vastgelegd_op": op}
            for m, b in sorted(bedragen.items())
            if m not in al
        ]:
            await self._conn.execute(vaste_bedragen.insert(), nieuw)

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, int]]:
        per_zaak: dict[str, dict[Maand, int]] = {i: {} for i in uitkering_ids}
        for r in await self._in(sa.select(vaste_bedragen), vaste_bedragen.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id][maand_van(r.maand)] = r.bedrag
        return per_zaak


class SqlVerrekeningen(_Repo):
    async def van(self, uitkering_id: str) -> dict[Maand, Vastgesteld]:
        return {
            m: Vastgesteld(o.verrekening, o.versie, o.vastgesteld_op, beweging=o.beweging)
            for m, o in (await self.van_alle([uitkering_id]))[uitkering_id].items()
        }

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, _Opgeslagen]]:
        per_zaak: dict[str, dict[Maand, _Opgeslagen]] = {i: {} for i in uitkering_ids}
        # the calculation as its JSON text: parsed only for the months settling looks at (a new month's
        # income looks at the months of its year and few more; a long case's other months never)
        kolommen = [sa.cast(c, sa.Text).label(c.name) if c.name == "berekening" else c for c in verrekeningen.c]
        query = sa.select(*kolommen).order_by(verrekeningen.c.uitkering_id, verrekeningen.c.maand)
        for r in await self._in(query, verrekeningen.c.uitkering_id, uitkering_ids):
            m = maand_van(r.maand)
            per_zaak[r.uitkering_id][m] = _Opgeslagen(m, r)
        return per_zaak

    async def zet(self, vastgesteld: list[tuple[str, Vastgesteld]]) -> None:
        await upsert(
            self._conn,
            verrekeningen,
            [
                {
                    "uitkering_id": uitkering_id,
                    "maand": str(v.verrekening.maand),
                    "versie": v.versie,
                    "te_betalen": v.verrekening.te_betalen,
                    "betaald": v.verrekening.betaald,
                    "berekening": berekening(v.verrekening),
                    "vastgesteld_op": v.vastgesteld_op,
                    "beweging": None if v.beweging is None else _beweging_json(v.beweging),
                }
                for uitkering_id, v in vastgesteld
            ],
        )


_BEWEGING = tuple(f.name for f in fields(Beweging))  # its fields, all ints, bools or None: nothing to copy


def _beweging_json(b: Beweging) -> dict:
    """What moved only (most months just pay on top), and `vorig` whenever a version came before. Field by
    field, not `asdict`: its generic deep copy of every value cost as much as the rest of writing the row."""
    return {k: w for k in _BEWEGING if (w := getattr(b, k)) or (k == "vorig" and w is not None)}


def berekening(v: Verrekening) -> dict:
    """A settlement's state: the calculation's own terms (the public explanation is made from it)."""
    eigen, *partner = v.delen
    return {
        "norm": {"bedrag": v.norm.bedrag, "omschrijving": v.norm.omschrijving, "kostendelers": v.norm.kostendelers},
        "dagen": v.dagen,
        "norm_bedrag": v.norm_bedrag,
        **_deel_json(eigen),
        "partner": _deel_json(partner[0]) if partner else None,
        "bijstand": v.bijstand,
        "vakantietoeslag": v.vakantietoeslag,
        "klokken": _klokken_json(v.klokken),
        **({"tussenrekening": True} if v.tussenrekening else {}),  # the form of every other month as before
        # what the intermediate account paid and received for a month on stable income (see Rekening)
        **({"rekening": _rekening_json(v.rekening)} if v.rekening is not None else {}),
    }


def _rekening_json(r: Rekening) -> dict:
    # each partner's wage as a list of pairs, as it reads back; none kept: the form before it was
    return {
        "vast": r.vast,
        "terug": r.terug,
        "loon": r.loon,
        "partnerloon": r.partnerloon,
        **({"partners": [[bsn, w] for bsn, w in r.partners]} if r.partners else {}),
    }


def _rekening(r: dict) -> Rekening:
    partners = tuple((bsn, w) for bsn, w in r.get("partners", ()))
    return Rekening(r["vast"], r["terug"], r["loon"], r["partnerloon"], partners)


def _deel_json(d: Deel) -> dict:
    # why no vrijlating only when there is a why: a month stored before it was kept has the same form
    geen = {} if d.geen_vrijlating is None else {"geen_vrijlating": d.geen_vrijlating}
    return {"inkomen": _inkomen_json(d.inkomen), "vrijlating": _vrijlating_json(d.vrijlating), **geen}


def _deel(d: dict) -> Deel:
    return Deel(_inkomen(d["inkomen"]), _vrijlating(d["vrijlating"]), d.get("geen_vrijlating"))


# the clocks in a fixed form (sorted lists), so that an equal settlement has an equal stored form
def _klok_json(k: Klok) -> dict:
    return {
        "gebruikt": [[g, n] for g, n in k.gebruikt],
        "dienstverbanden": sorted(k.dienstverbanden),
        "reeksen": [[g, str(m)] for g, m in k.reeksen],
    }


def _klok(k: dict) -> Klok:
    gebruikt = tuple((g, n) for g, n in k["gebruikt"])
    return Klok(gebruikt, frozenset(k["dienstverbanden"]), tuple((g, Maand.parse(m)) for g, m in k["reeksen"]))


def _klokken_json(k: Klokken | None) -> dict | None:
    if k is None:
        return None
    return {"aanvrager": _klok_json(k.aanvrager), "partners": [[bsn, _klok_json(c)] for bsn, c in k.partners]}


def _klokken(k: dict | None) -> Klokken | None:
    """The clocks kept with a month's settlement (as it started). Clocks kept before decisions 0.11 counted
    r and in balans by the months applied, which gives no calendar month to go on from: as a row from
    before clocks were kept (None), settling goes on from an earlier month, or settles the whole case."""
    if k is None or "reeksen" not in k["aanvrager"]:
        return None
    return Klokken(_klok(k["aanvrager"]), tuple((bsn, _klok(c)) for bsn, c in k["partners"]))


class _Opgeslagen:
    """A stored settlement as settling reads it: compared in its stored form (the amounts and the
    calculation's JSON), its JSON parsed only when looked at, and into a `Verrekening` only when asked."""

    __slots__ = (
        "_maand",
        "_tekst",
        "_berekening",
        "_verrekening",
        "versie",
        "vastgesteld_op",
        "te_betalen",
        "betaald",
        "_beweging",
    )

    def __init__(self, maand: Maand, rij) -> None:
        self._maand, self._tekst, self._berekening, self._verrekening = maand, rij.berekening, None, None
        self.versie, self.vastgesteld_op, self.te_betalen, self.betaald, self._beweging = (
            rij.versie,
            rij.vastgesteld_op,
            rij.te_betalen,
            rij.betaald,
            rij.beweging,
        )

    @property
    def beweging(self) -> Beweging | None:
        b = self._beweging
        return None if b is None else Beweging(**b)

    @property
    def berekening(self) -> dict:
        if self._berekening is None:
            self._berekening = orjson.loads(self._tekst)
        return self._berekening

    @property
    def verrekening(self) -> Verrekening:
        if self._verrekening is None:
            self._verrekening = _verrekening(self._maand, self)
        return self._verrekening

    @property
    def klokken(self) -> Klokken | None:
        return _klokken(self.berekening.get("klokken"))  # a row from before they were kept: None

    @property
    def maandinkomen(self) -> Maandinkomen | None:
        b, p = self.berekening, self.berekening.get("partner")
        regels = b["inkomen"]["bijdragen"] + (p["inkomen"]["bijdragen"] if p is not None else [])
        fiscaal = [(_soort(r), r.get("fiscaalLoon")) for r in regels]
        return maandinkomen_van(self._maand, fiscaal, b["bijstand"], b["dagen"], p is not None)

    def zelfde(self, v: Verrekening) -> bool:
        if v.maand == self._maand and (self.te_betalen, self.betaald) == (v.te_betalen, v.betaald):
            if self.berekening == berekening(v):
                return True  # the stored form of an equal settlement (it reads back as `v`)
        return self.verrekening == v  # e.g. a row written before a field was added to the form


def _verrekening(maand: Maand, r) -> Verrekening:
    b, p = r.berekening, r.berekening.get("partner")
    return Verrekening(
        maand,
        Norm(**b["norm"]),
        b["dagen"],
        b["norm_bedrag"],
        _inkomen(b["inkomen"]),
        _vrijlating(b["vrijlating"]),
        b["bijstand"],
        b["vakantietoeslag"],
        r.te_betalen,
        r.betaald,
        None if p is None else _deel(p),
        _klokken(b.get("klokken")),
        b.get("geen_vrijlating"),
        b.get("tussenrekening", False),
        None if (r := b.get("rekening")) is None else _rekening(r),
    )


class SqlBeeindigingsvoorstellen(_Repo):
    async def van(self, uitkering_id: str) -> Voorstel | None:
        v, a = beeindigingsvoorstellen.c, afgewezen_voorstellen.c
        met_afwijzing = beeindigingsvoorstellen.outerjoin(
            afgewezen_voorstellen, sa.and_(a.uitkering_id == v.uitkering_id, a.van_maand == v.van_maand)
        )
        query = sa.select(v.van_maand, v.tot_maand, v.voorgesteld_op, a.afgewezen_op, a.reden).select_from(
            met_afwijzing
        )
        row = (await self._conn.execute(query.where(v.uitkering_id == uitkering_id))).first()
        return _voorstel(row) if row else None

    async def zet(self, uitkering_id: str, voorstel: Voorstel) -> None:
        await self._conn.execute(
            beeindigingsvoorstellen.delete().where(beeindigingsvoorstellen.c.uitkering_id == uitkering_id)
        )
        await self._conn.execute(
            beeindigingsvoorstellen.insert().values(
                uitkering_id=uitkering_id,
                van_maand=voorstel.van_maand,
                tot_maand=voorstel.tot_maand,
                voorgesteld_op=voorstel.voorgesteld_op,
            )
        )

    async def afgewezen(self, uitkering_id: str) -> list[Voorstel]:
        a = afgewezen_voorstellen.c
        query = sa.select(afgewezen_voorstellen).where(a.uitkering_id == uitkering_id).order_by(a.van_maand)
        return [_voorstel(r) for r in await self._conn.execute(query)]

    async def wijs_af(self, uitkering_id: str, voorstel: Voorstel) -> None:
        await self._conn.execute(afgewezen_voorstellen.insert().values(uitkering_id=uitkering_id, **asdict(voorstel)))


def _voorstel(r: sa.Row) -> Voorstel:
    return Voorstel(r.van_maand, r.tot_maand, r.voorgesteld_op, r.afgewezen_op, r.reden)


class SqlWerkvoorraad(_Repo):
    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Wachtend]]:
        per_zaak: dict[str, list[Wachtend]] = {i: [] for i in uitkering_ids}
        for r in await self._in(sa.select(werkvoorraad), werkvoorraad.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id].append(_wachtend(r))
        return per_zaak

    async def werk_bij(
        self, uitkering_id: str, gemeentecode: str, weg: list[tuple[Maand, str, str]], bij: list[Wachtend]
    ) -> None:
        w = werkvoorraad.c
        for maand, wie, soort in weg:  # a handful at most: what one settlement of one case changed
            await self._conn.execute(
                werkvoorraad.delete().where(
                    w.uitkering_id == uitkering_id, w.maand == str(maand), w.wie == wie, w.soort == soort
                )
            )
        rijen = [
            {
                "uitkering_id": uitkering_id,
                "maand": str(b.maand),
                "wie": b.wie,
                "soort": b.soort,
                "gemeentecode": gemeentecode,
                "reden": b.reden,
                "inkomstenverhoudingen": [list(v) for v in b.inkomstenverhoudingen],
                "sinds": b.sinds,
            }
            for b in bij
        ]
        await insert_all(self._conn, werkvoorraad, rijen)

    async def van_gemeente(
        self, gemeentecode: str, soort: str | None, na: Positie | None, aantal: int
    ) -> list[Wachtend]:
        w = werkvoorraad.c
        volgorde = (w.sinds, w.uitkering_id, w.maand, w.wie, w.soort)
        query = sa.select(werkvoorraad).where(w.gemeentecode == gemeentecode).order_by(*volgorde).limit(aantal)
        if soort is not None:
            query = query.where(w.soort == soort)
        if na is not None:
            # each value bound as its column's type (a time as the column stores it, on SQLite too)
            waarden = (sa.bindparam(None, waarde, type_=kolom.type) for waarde, kolom in zip(na, volgorde, strict=True))
            query = query.where(sa.tuple_(*volgorde) > sa.tuple_(*waarden))
        return [_wachtend(r) for r in await self._conn.execute(query)]


def _wachtend(r: sa.Row) -> Wachtend:
    verhoudingen = tuple((lhn, int(nummer)) for lhn, nummer in r.inkomstenverhoudingen)
    return Wachtend(r.uitkering_id, maand_van(r.maand), r.wie, r.soort, r.reden, verhoudingen, r.sinds)


class SqlGebeurtenissen(_Repo):
    async def voeg_toe(self, lijst: list[Gebeurtenis]) -> None:
        await insert_all(
            self._conn,
            gebeurtenissen,
            [
                {
                    "uitkering_id": g.uitkering_id,
                    "event_id": g.event_id,
                    "type": g.type,
                    "maand": g.maand,
                    "tijdstip": g.tijdstip,
                    "gemeentecode": g.gemeentecode,
                }
                for g in lijst
            ],
        )

    async def van(self, uitkering_id: str) -> list[Gebeurtenis]:
        rows = await self._conn.execute(
            sa.select(gebeurtenissen).where(gebeurtenissen.c.uitkering_id == uitkering_id).order_by(gebeurtenissen.c.id)
        )
        return [Gebeurtenis(r.uitkering_id, r.type, r.tijdstip, r.maand, r.event_id) for r in rows]

    async def vul_gemeentecodes(self, na: tuple[int, int] | None, aantal: int) -> tuple[int, tuple[int, int] | None]:
        g, u = gebeurtenissen.c, uitkeringen.c
        zonder = sa.select(g.id).where(g.gemeentecode.is_(None), sa.exists().where(u.uitkering_id == g.uitkering_id))
        if na is not None:  # on after the last batch: the rows it filled stay in the index of rows without one
            # (PostgreSQL) while any older snapshot lives, and walked from the start each batch would walk them all
            zonder = zonder.where(sa.tuple_(g.xact, g.id) > sa.tuple_(*na))
        zaak = sa.select(u.gemeentecode).where(u.uitkering_id == g.uitkering_id).scalar_subquery()
        vul = gebeurtenissen.update().where(g.id.in_(zonder.order_by(g.xact, g.id).limit(aantal)))
        gevuld = [
            (r.xact, r.id) for r in await self._conn.execute(vul.values(gemeentecode=zaak).returning(g.xact, g.id))
        ]
        return len(gevuld), max(gevuld, default=na)

    async def van_gemeente(
        self, gemeentecode: str, vanaf: datetime | None, na: tuple[int, int] | None, aantal: int
    ) -> list[Gebeurtenis]:
        g = gebeurtenissen.c
        voorwaarden = [] if vanaf is None else [g.tijdstip >= vanaf]
        if na is not None:
            voorwaarden.append(sa.tuple_(g.xact, g.id) > sa.tuple_(*na))
        if self._conn.dialect.name == "postgresql":  # SQLite: one writer at a time, its ids are commit order
            voorwaarden.append(g.xact < _AFGESLOTEN)
        volgorde = (g.xact, g.id)
        eigen = sa.select(gebeurtenissen).where(g.gemeentecode == gemeentecode, *voorwaarden)
        if vanaf is not None and na is None and self._conn.dialect.name == "postgresql":
            # the rows since `vanaf` are the newest: found by the index on the time, the lowest transaction among
            # them is where the ordered scan starts, not at the municipality's first row (the planner expects them
            # spread evenly and walks the whole history). `+ 0`: min() by the feed's index would be that walk again.
            # The first page only: a later one starts at its cursor, and the bound would read every row since
            # `vanaf` again for each page (a year back, 0,2 -> 110 ms a page at a million rows)
            s = gebeurtenissen.alias("sinds").c
            sinds = sa.select(sa.func.min(s.xact + 0)).where(s.gemeentecode == gemeentecode, s.tijdstip >= vanaf)
            eigen = eigen.where(g.xact >= sinds.scalar_subquery())
        # rows still without the municipality (from before 0034, or an earlier version's instance): through
        # their case, until `vul_gemeentecodes` has filled them in
        van_zaak = sa.select(1).where(
            uitkeringen.c.uitkering_id == g.uitkering_id, uitkeringen.c.gemeentecode == gemeentecode
        )
        zonder = sa.select(gebeurtenissen).where(g.gemeentecode.is_(None), van_zaak.exists(), *voorwaarden)
        # one statement, so one snapshot and one horizon for both: read apart, a row that commits or is
        # filled in between could be served by neither while a later row moves the cursor past it
        delen = [q.order_by(*volgorde).limit(aantal).subquery() for q in (eigen, zonder)]
        samen = sa.union_all(*(sa.select(d) for d in delen)).subquery()
        rijen = (await self._conn.execute(sa.select(samen).order_by(samen.c.xact, samen.c.id).limit(aantal))).all()
        return [
            Gebeurtenis(r.uitkering_id, r.type, r.tijdstip, r.maand, r.event_id, gemeentecode, (r.xact, r.id))
            for r in rijen
        ]

    async def oudste_lopende(self) -> Lopend | None:
        if self._conn.dialect.name != "postgresql":
            return None  # SQLite: one writer at a time, whose ids are commit order
        rij = (await self._conn.execute(_HORIZON)).one()
        return Lopend(rij.xmin, rij.begonnen) if rij.xmin < rij.xmax else None


# a snapshot's xmin is the oldest transaction still running (read-only ones have no id), or its xmax, one past
# the last to end, when none older than that runs: then nothing can wait for one. Its start is shown to a role
# that may read every session (pg_stat_activity's xid is the 32-bit one; a prepared transaction has no session)
_HORIZON = sa.text(
    """
    SELECT x.xmin, x.xmax,
           (SELECT min(a.xact_start) FROM pg_stat_activity a
             WHERE a.backend_xid = (x.xmin % 4294967296)::text::xid) AS begonnen
      FROM (SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax
              FROM pg_current_snapshot() AS s) AS x
    """
).columns(xmin=sa.BigInteger, xmax=sa.BigInteger, begonnen=UtcDateTime)


# the oldest transaction still running as the statement's snapshot sees it: every one before it has ended
_AFGESLOTEN = sa.cast(sa.cast(sa.func.pg_snapshot_xmin(sa.func.pg_current_snapshot()), sa.Text), sa.BigInteger)


async def database_nu(conn: AsyncConnection) -> datetime:
    """The database's clock. The claims on webhook subscriptions run out in it, set and checked alike,
    so instances whose clocks differ agree on when one ran out; an instance's own times (`nu`, `tot`)
    give only the claim's length."""
    if conn.dialect.name == "postgresql":
        return (await conn.execute(sa.select(sa.func.clock_timestamp(type_=UtcDateTime())))).scalar_one()
    # SQLite's clock is its host's (one file, one host)
    tekst = (await conn.execute(sa.select(sa.func.strftime("%Y-%m-%d %H:%M:%f", "now")))).scalar_one()
    return datetime.fromisoformat(tekst).replace(tzinfo=UTC)


@cache
def _actieve_abonnementen(dialect: str, per_gemeente: bool) -> sa.Select:
    """Built once (every published event runs it): the active subscriptions, of `gemeentecodes` only
    when `per_gemeente`, oldest first."""
    query = sa.select(abonnementen).where(abonnementen.c.actief.is_(True)).order_by(abonnementen.c.aangemaakt_op)
    return query.where(one_of_keys(dialect, abonnementen.c.gemeentecode, "gemeentecodes")) if per_gemeente else query


class SqlAbonnementen(_Repo):
    def __init__(self, conn: AsyncConnection, kluis: Kluis, klok: Clock = SYSTEM) -> None:
        super().__init__(conn)
        self._kluis = kluis
        self._klok = klok  # the caller's clock: `houd_vast`'s `tot` less its now is the claim's length

    async def voeg_toe(self, a: Abonnement) -> None:
        await self._conn.execute(
            abonnementen.insert().values(
                abonnement_id=a.abonnement_id,
                gemeentecode=a.gemeentecode,
                oin=a.oin,
                url=a.url,
                event_types=a.event_types,
                geheim=self._kluis.versleutel(a.geheim),
                actief=True,
                aangemaakt_op=a.aangemaakt_op,
                opeenvolgende_fouten=a.circuit.opeenvolgende_fouten,
                onderbroken_tot=a.circuit.onderbroken_tot,
                onderbrekingen=a.circuit.onderbrekingen,
            )
        )

    async def van(
        self, abonnement_id: str, vergrendeld: bool = False, gemeentecode: str | None = None
    ) -> Abonnement | None:
        query = sa.select(abonnementen).where(abonnementen.c.abonnement_id == abonnement_id)
        if gemeentecode is not None:  # in the query, so another municipality's row is not locked
            query = query.where(abonnementen.c.gemeentecode == gemeentecode)
        if vergrendeld:  # until the transaction ends: a worker stopping it (410) waits, or is waited for
            query = query.with_for_update()
        row = (await self._conn.execute(query)).first()
        return _abonnement(row, None) if row else None

    async def actief_van(self, gemeentecodes: list[str] | None) -> list[Abonnement]:
        query = _actieve_abonnementen(self._conn.dialect.name, gemeentecodes is not None)
        rows = await self._conn.execute(
            query, {} if gemeentecodes is None else {"gemeentecodes": sorted(gemeentecodes)}
        )
        return [_abonnement(r, None) for r in rows]

    async def gestopt_van(self, gemeentecodes: list[str] | None) -> list[Abonnement]:
        a = abonnementen.c
        query = sa.select(abonnementen).where(a.actief.is_(False))
        if gemeentecodes is not None:
            query = query.where(a.gemeentecode.in_(gemeentecodes))
        # those stopped before the time was recorded last
        volgorde = (a.gestopt_op.desc().nulls_last(), a.aangemaakt_op.desc())
        rows = await self._conn.execute(query.order_by(*volgorde).limit(100))
        return [_abonnement(r, None) for r in rows]

    async def stop(self, abonnement_id: str, reden: Stopreden, op: datetime) -> int:
        # the first stop holds: a DELETE that read it active while a worker recorded a 410 waits for
        # the row (PostgreSQL) and then finds it stopped
        await self._conn.execute(
            abonnementen.update()
            .where(abonnementen.c.abonnement_id == abonnement_id, abonnementen.c.actief.is_(True))
            .values(actief=False, gestopt_op=op, stopreden=reden.value)
        )
        vervallen = await self._conn.execute(
            afleveringen.update()
            .where(afleveringen.c.abonnement_id == abonnement_id, afleveringen.c.status == "wachtend")
            .values(status="vervallen", body=GEEN_INHOUD)
        )
        # nor are its given-up ones sent again (`_opnieuw` answers 409): the events they carry go now
        await self._conn.execute(
            afleveringen.update()
            .where(afleveringen.c.abonnement_id == abonnement_id, afleveringen.c.status == "mislukt")
            .values(body=GEEN_INHOUD)
        )
        return vervallen.rowcount

    async def zet_circuit(self, abonnement_id: str, c: Circuit) -> None:
        await self._conn.execute(
            abonnementen.update()
            .where(abonnementen.c.abonnement_id == abonnement_id)
            .values(
                opeenvolgende_fouten=c.opeenvolgende_fouten,
                onderbroken_tot=c.onderbroken_tot,
                onderbrekingen=c.onderbrekingen,
            )
        )

    async def zet_pauze(self, abonnement_id: str, pauze: Pauze | None) -> None:
        # lifted: the claim goes too, so a delivery still on its way from before the pause (its outcome and
        # the circuit its worker computed then) is not recorded over the resume; it goes again (at least once)
        vrij = {"bezorger": None, "bezorger_tot": None} if pauze is None else {}
        await self._conn.execute(
            abonnementen.update()
            .where(abonnementen.c.abonnement_id == abonnement_id, abonnementen.c.actief.is_(True))
            .values(
                gepauzeerd_gemeente=pauze and pauze.gemeente, gepauzeerd_beheerder=pauze and pauze.beheerder, **vrij
            )
        )

    async def laat_los(self, bezorger: str) -> None:
        await self._conn.execute(
            abonnementen.update().where(abonnementen.c.bezorger == bezorger).values(bezorger=None, bezorger_tot=None)
        )

    async def houd_vast(self, abonnement_id: str, bezorger: str, tot: datetime, verzonden: bool = False) -> bool:
        tot = await database_nu(self._conn) + (tot - self._klok.now())  # in the database's time
        voorwaarden = [
            abonnementen.c.abonnement_id == abonnement_id,
            abonnementen.c.bezorger == bezorger,
            abonnementen.c.actief.is_(True),
        ]
        if not verzonden:  # paused: no next one; the one already on its way is recorded as it went
            voorwaarden.append(_NIET_GEPAUZEERD)
        result = await self._conn.execute(abonnementen.update().where(*voorwaarden).values(bezorger_tot=tot))
        return bool(result.rowcount)


_NIET_GEPAUZEERD = sa.and_(abonnementen.c.gepauzeerd_gemeente.is_(None), abonnementen.c.gepauzeerd_beheerder.is_(None))


# one written while its subscription was being stopped is never delivered (not active); one of a paused
# subscription waits on purpose, until it lapses. Per active subscription its oldest waiting one, from the
# index of the waiting ones' creation per subscription (migration 0038): a backlog behind a pause (a week of
# a large municipality's events) is not read every round, nor one behind an open circuit
_EERSTE_WACHTENDE = (
    sa.select(sa.func.min(afleveringen.c.aangemaakt_op))
    .where(
        afleveringen.c.abonnement_id == abonnementen.c.abonnement_id,
        afleveringen.c.status == sa.literal_column("'wachtend'"),  # the partial index
    )
    .correlate(abonnementen)
    .scalar_subquery()
)
_PER_ABONNEMENT = (
    sa.select(_NIET_GEPAUZEERD.label("open_"), _EERSTE_WACHTENDE.label("sinds"))
    .where(abonnementen.c.actief.is_(True))
    .subquery("per_abonnement")
)
_OUDSTE_WACHTENDE = sa.select(
    sa.func.min(sa.case((_PER_ABONNEMENT.c.open_, _PER_ABONNEMENT.c.sinds))),
    sa.func.min(sa.case((_PER_ABONNEMENT.c.open_, None), else_=_PER_ABONNEMENT.c.sinds)),
)


def _abonnement(r, geheim: str | None) -> Abonnement:
    return Abonnement(
        r.abonnement_id,
        r.gemeentecode,
        r.oin,
        r.url,
        r.event_types,
        geheim,
        r.aangemaakt_op,
        Circuit(r.opeenvolgende_fouten, r.onderbroken_tot, r.onderbrekingen),
        r.actief,
        r.gestopt_op,
        None if r.stopreden is None else Stopreden(r.stopreden),
        Pauze.van(r.gepauzeerd_gemeente, r.gepauzeerd_beheerder),
    )


class _Voorvoegsel:
    """A joined row's subscription columns (labelled `ab_...`) under their own names."""

    def __init__(self, row, voorvoegsel: str) -> None:
        self._row, self._voorvoegsel = row, voorvoegsel

    def __getattr__(self, name: str):
        return getattr(self._row, self._voorvoegsel + name)


class SqlAfleveringen(_Repo):
    def __init__(self, conn: AsyncConnection, kluis: Kluis) -> None:
        super().__init__(conn)
        self._kluis = kluis

    async def voeg_toe(self, lijst: list[Aflevering]) -> None:
        if not lijst:
            return
        carrier: dict[str, str] = {}
        propagate.inject(carrier)  # the worker continues the trace that wrote the event
        await self._conn.execute(
            afleveringen.insert(),
            [
                {
                    "abonnement_id": a.abonnement_id,
                    "event_id": a.event_id,
                    "event_type": a.event_type,
                    "body": a.body,
                    "traceparent": carrier.get("traceparent"),
                    "status": a.status,
                    "pogingen": a.pogingen,
                    "volgende_poging_op": a.volgende_poging_op,
                    "aangemaakt_op": a.aangemaakt_op,
                }
                for a in lijst
            ],
        )

    async def laatste(self, abonnement_id: str, aantal: int):
        rows = (
            await self._conn.execute(
                sa.select(afleveringen)
                .where(afleveringen.c.abonnement_id == abonnement_id)
                .order_by(afleveringen.c.id.desc())
                .limit(aantal)
            )
        ).all()
        attempts: dict[int, list] = {r.id: [] for r in rows}
        for p in await self._conn.execute(
            sa.select(pogingen).where(pogingen.c.aflevering_id.in_(list(attempts))).order_by(pogingen.c.nummer)
        ):
            attempts[p.aflevering_id].append((p.nummer, p.tijdstip, Poging(p.statuscode, p.fout, p.duur_ms)))
        return [(_aflevering(r), attempts[r.id]) for r in rows]

    async def claim(
        self, nu: datetime, bezorger: str, tot: datetime, behalve: list[str], aantal: int
    ) -> list[tuple[Aflevering, Abonnement]]:
        # a claim runs out in the database's time, whatever this instance's clock says
        database = await database_nu(self._conn)
        vrij = sa.or_(
            abonnementen.c.bezorger.is_(None),
            abonnementen.c.bezorger == bezorger,
            abonnementen.c.bezorger_tot <= database,
        )
        open_ = sa.select(abonnementen).where(
            abonnementen.c.actief.is_(True),
            _NIET_GEPAUZEERD,
            abonnementen.c.abonnement_id.not_in(behalve),
            sa.or_(abonnementen.c.onderbroken_tot.is_(None), abonnementen.c.onderbroken_tot <= nu),
            vrij,
        )
        # a literal, not a parameter: the planner then knows the waiting rows' partial index applies
        wachtend = afleveringen.c.status == sa.literal_column("'wachtend'")
        ab = open_.subquery("ab")
        if self._conn.dialect.name == "postgresql":
            # each open subscription's first waiting deliveries from the index of its waiting ones (a
            # backlog of a subscription this instance may not take now, paused or another's, is never
            # read), of which those due with every one before them: one waiting for its next attempt
            # holds the later ones back, so a subscriber's order holds (a running aggregate in id order
            # streams, so the limit stops the index scan)
            voor_aan = sa.func.bool_and(afleveringen.c.volgende_poging_op <= nu).over(order_by=afleveringen.c.id)
            eerst = (
                sa.select(afleveringen, voor_aan.label("voor_aan"))
                .where(afleveringen.c.abonnement_id == ab.c.abonnement_id, wachtend)
                .order_by(afleveringen.c.id)
                .limit(aantal)
                .lateral("eerst")
            )
            query = (
                sa.select(eerst, *[ab.c[c.name].label(f"ab_{c.name}") for c in abonnementen.c])
                .select_from(ab.join(eerst, sa.true()))
                .where(eerst.c.voor_aan)
                .order_by(eerst.c.id)
                .limit(aantal)
            )
            rows = list((await self._conn.execute(query)).all())
        else:  # SQLite has no LATERAL; it serves one host
            # in order: not while an earlier delivery of the subscription waits for its next attempt
            eerder = afleveringen.alias("eerder")
            ervoor = sa.exists().where(
                eerder.c.abonnement_id == afleveringen.c.abonnement_id,
                eerder.c.status == sa.literal_column("'wachtend'"),
                eerder.c.id < afleveringen.c.id,
                eerder.c.volgende_poging_op > nu,
            )
            query = (
                sa.select(afleveringen, *[ab.c[c.name].label(f"ab_{c.name}") for c in abonnementen.c])
                .join(ab, ab.c.abonnement_id == afleveringen.c.abonnement_id)
                .where(wachtend, afleveringen.c.volgende_poging_op <= nu, ~ervoor)
                # `+ 0`: ordered by the id itself SQLite (without statistics) walks the whole table in
                # id order; so it finds the waiting rows by their index and sorts those
                .order_by(afleveringen.c.id + 0)
                .limit(aantal)
            )
            rows = list((await self._conn.execute(query)).all())
        if not rows:
            return []
        # the claim itself: a concurrent instance's UPDATE of the same row waits for this one and then
        # finds it taken (PostgreSQL evaluates the condition again on the new row; SQLite serialises)
        genomen = set(
            (
                await self._conn.execute(
                    abonnementen.update()
                    .where(abonnementen.c.abonnement_id.in_({r.abonnement_id for r in rows}), vrij)
                    .values(bezorger=bezorger, bezorger_tot=database + (tot - nu))
                    .returning(abonnementen.c.abonnement_id)
                )
            ).scalars()
        )
        return [
            # decrypted only here, to sign; one no key decrypts fails its own deliveries (`bezorging`)
            (_aflevering(r), _abonnement(_Voorvoegsel(r, "ab_"), self._kluis.ontsleutel(r.ab_geheim)))
            for r in rows
            if r.abonnement_id in genomen
        ]

    async def oudste_wachtende(self) -> tuple[datetime | None, datetime | None]:
        open_, gepauzeerd = (await self._conn.execute(_OUDSTE_WACHTENDE)).one()
        return open_, gepauzeerd

    async def leg_vast(self, a: Aflevering, nummer: int, tijdstip: datetime, poging: Poging) -> None:
        await self._conn.execute(
            pogingen.insert().values(
                aflevering_id=a.id,
                nummer=nummer,
                tijdstip=tijdstip,
                statuscode=poging.statuscode,
                fout=poging.fout,
                duur_ms=poging.duur_ms,
            )
        )
        await self._conn.execute(
            afleveringen.update()
            .where(afleveringen.c.id == a.id)
            .values(
                status=a.status,
                pogingen=a.pogingen,
                volgende_poging_op=a.volgende_poging_op,
                # delivered, the event (a BSN, a household) is not sent again: not kept either. Given up, it
                # is kept for `opnieuw` until retention removes the row (DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN)
                **({"body": GEEN_INHOUD} if a.status == "afgeleverd" else {}),
            )
        )

    async def geef_op(self, aangemaakt_voor: datetime) -> int:
        result = await self._conn.execute(
            afleveringen.update()
            .where(
                afleveringen.c.status == sa.literal_column("'wachtend'"),  # its partial index: see `claim`
                afleveringen.c.aangemaakt_op < aangemaakt_voor,
            )
            .values(status="mislukt")
        )
        return result.rowcount

    async def aan_de_beurt(self, abonnement_id: str, nu: datetime) -> None:
        await self._conn.execute(
            afleveringen.update()
            .where(
                afleveringen.c.abonnement_id == abonnement_id,
                afleveringen.c.status == sa.literal_column("'wachtend'"),  # the partial index: see `claim`
                afleveringen.c.volgende_poging_op > nu,
            )
            .values(volgende_poging_op=nu)
        )

    async def opnieuw(self, abonnement_id: str, nu: datetime) -> int:
        opnieuw = sa.select(afleveringen.c.id).where(
            afleveringen.c.abonnement_id == abonnement_id,
            afleveringen.c.status == "mislukt",
            afleveringen.c.body != GEEN_INHOUD,  # given up before its event was kept: nothing to send
        )
        await self._conn.execute(pogingen.delete().where(pogingen.c.aflevering_id.in_(opnieuw)))
        result = await self._conn.execute(
            afleveringen.update()
            .where(afleveringen.c.id.in_(opnieuw.scalar_subquery()))
            # queued again now: its wait before it is given up counts from now (`geef_op`)
            .values(status="wachtend", pogingen=0, volgende_poging_op=nu, aangemaakt_op=nu)
        )
        return result.rowcount


class SqlBewaring(_Repo):
    async def uitgestroomd(self, tot: date) -> list[str]:
        einde = sa.case((uitkeringen.c.status == Status.lopend.value, sa.null()), else_=uitkeringen.c.einddatum)
        # a partner is kept as long as the applicant, by whatever keeps the applicant (a case of theirs,
        # or being a partner in another's): the applicant's kept cases hold the partner's months, which a
        # settlement of them reads again. So each partner gets every end of their applicant, to a fixpoint
        # (UNION, not UNION ALL: a pair seen before adds nothing, so a circle of households ends)
        einden = sa.select(uitkeringen.c.persoon, einde.label("einde")).cte("einden", recursive=True)
        einden = einden.union(
            sa.select(situaties.c.partner_persoon, einden.c.einde)
            .join(uitkeringen, uitkeringen.c.uitkering_id == situaties.c.uitkering_id)
            .join(einden, einden.c.persoon == uitkeringen.c.persoon)
            .where(situaties.c.partner_persoon.is_not(None))
        )
        return await bewaring.uitgestroomd(self._conn, sa.select(einden.c.persoon, einden.c.einde), tot)

    async def vergeet_los(self, tot: date) -> int:
        houders = [uitkeringen.c.persoon, situaties.c.partner_persoon]
        maand = bewaring.maand_einde(self._conn, inkomens.c.maand)
        inkomen = await self._conn.execute(
            inkomens.delete().where(maand < tot, bewaring.niet_gehouden(inkomens.c.persoon, houders))
        )
        status = deelnamestatussen.c
        afgelopen = await self._conn.execute(
            deelnamestatussen.delete().where(
                status.status.in_(AFGELOPEN), status.ingangsdatum < tot, bewaring.niet_gehouden(status.persoon, houders)
            )
        )
        # the worklist's months of a case forgotten by an instance before 0.19, which did not know the table
        zonder_zaak = ~sa.exists().where(uitkeringen.c.uitkering_id == werkvoorraad.c.uitkering_id)
        wees = await self._conn.execute(werkvoorraad.delete().where(zonder_zaak))
        return inkomen.rowcount + afgelopen.rowcount + wees.rowcount

    async def vergeet(self, personen: list[str]) -> None:
        for deel in chunks(personen):
            zaken = sa.select(uitkeringen.c.uitkering_id).where(uitkeringen.c.persoon.in_(deel))
            await forget(self._conn, deel)
            for tabel in VAN_EEN_ZAAK:
                await self._conn.execute(tabel.delete().where(tabel.c.uitkering_id.in_(zaken)))
            for tabel in (inkomens, uitkeringen):
                await self._conn.execute(tabel.delete().where(tabel.c.persoon.in_(deel)))
            # a status that still says something is registration's, kept while it holds it (vergeet_los)
            status = deelnamestatussen.c
            await self._conn.execute(
                deelnamestatussen.delete().where(status.persoon.in_(deel), status.status.in_(AFGELOPEN))
            )

    async def vergeet_afleveringen(self, voor: datetime) -> tuple[int, int]:
        # one written while its subscription was being stopped (its writer read it active; the stop did
        # not see it yet) would wait for ever: it lapses now, its event with it, as the stop's own did
        gestopt = sa.select(abonnementen.c.abonnement_id).where(abonnementen.c.actief.is_(False))
        vervallen = await self._conn.execute(
            afleveringen.update()
            # a literal: the planner knows the waiting rows' partial index applies, also to a generic plan
            .where(afleveringen.c.status == sa.literal_column("'wachtend'"), afleveringen.c.abonnement_id.in_(gestopt))
            .values(status="vervallen", body=GEEN_INHOUD)
        )
        klaar = sa.select(afleveringen.c.id).where(
            afleveringen.c.status != "wachtend", afleveringen.c.aangemaakt_op < voor
        )
        await self._conn.execute(pogingen.delete().where(pogingen.c.aflevering_id.in_(klaar)))
        weg = (await self._conn.execute(afleveringen.delete().where(afleveringen.c.id.in_(klaar)))).rowcount
        # a stopped subscription stays listed as long as its deliveries would; one stopped before the time
        # was recorded goes with its last delivery
        a = abonnementen.c
        await self._conn.execute(
            abonnementen.delete().where(
                a.actief.is_(False),
                sa.or_(a.gestopt_op.is_(None), a.gestopt_op < voor),
                ~sa.exists().where(afleveringen.c.abonnement_id == a.abonnement_id),
            )
        )
        return vervallen.rowcount, weg


class SqlRegelversie(_Repo):
    async def lees(self) -> Regelstand:
        query = sa.select(regelversie.c.versie, regelversie.c.vastgesteld_op, regelversie.c.na)
        rij = (await self._conn.execute(query.where(regelversie.c.sleutel == 1).with_for_update())).one()
        return Regelstand(rij.versie, rij.vastgesteld_op, rij.na)

    async def zet(self, stand: Regelstand) -> None:
        waarden = {"versie": stand.versie, "vastgesteld_op": stand.vastgesteld_op, "na": stand.na}
        await self._conn.execute(regelversie.update().where(regelversie.c.sleutel == 1).values(waarden))


def _aflevering(r) -> Aflevering:
    return Aflevering(
        r.id,
        r.abonnement_id,
        r.event_id,
        r.event_type,
        r.body,
        r.status,
        r.pogingen,
        r.volgende_poging_op,
        r.aangemaakt_op,
        r.traceparent,
    )


class UnitOfWork(SqlUnitOfWork):
    def __init__(
        self, service: Transactional, conn: AsyncConnection | None = None, *, kluis: Kluis, klok: Clock = SYSTEM
    ) -> None:
        super().__init__(service, conn)
        self._kluis, self._klok = kluis, klok

    def bind(self, conn: AsyncConnection) -> None:
        self.uitkeringen = SqlUitkeringen(conn)
        self.deelnamestatussen = SqlDeelnamestatussen(conn)
        self.situaties = SqlSituaties(conn)
        self.inkomens = SqlInkomens(conn)
        self.inkomstensoorten = SqlInkomstensoorten(conn)
        self.betalingen = SqlBetalingen(conn)
        self.vaste_bedragen = SqlVasteBedragen(conn)
        self.verrekeningen = SqlVerrekeningen(conn)
        self.beeindigingsvoorstellen = SqlBeeindigingsvoorstellen(conn)
        self.werkvoorraad = SqlWerkvoorraad(conn)
        self.gebeurtenissen = SqlGebeurtenissen(conn)
        self.abonnementen = SqlAbonnementen(conn, self._kluis, self._klok)
        self.afleveringen = SqlAfleveringen(conn, self._kluis)
        self.kalender = SqlKalender(conn)
        self.vorderingen = SqlVorderingen(conn)
        self.bewaring = SqlBewaring(conn)
        self.uitstroom = SqlUitstroom(conn)
        self.regelversie = SqlRegelversie(conn)
