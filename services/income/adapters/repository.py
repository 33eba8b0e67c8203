"""Storage of the income service in SQL: each repository works in its unit of work's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from income.adapters.aandelen import naar_opslag, uit_opslag
from income.adapters.tables import (
    OPEN,
    afwijzingen,
    heraanvraagtermijnen,
    herberekeningen,
    leveringen,
    maandafsluitingen,
    maandinkomens,
    overschrijvingen,
    partners,
    polisregels,
    populatie,
    toerekeningsbeleid,
)
from income.domain.afsluiting import VOORAF, Afsluiting
from income.domain.overschrijving import Overschrijving
from income.domain.polis import Aangifte
from income.domain.populatie import Bekend, Dossier, Termijn, Uitkering
from income.domain.toerekening import Regel, Toerekening
from income.service.ports import (
    MAX_AFWIJZINGEN,
    Aangifteversie,
    Afwijzing,
    Gelijktijdig,
    Levering,
    Opgeslagen,
    Vastgelegd,
    Versie,
)
from schakel.messaging.outbox import forget
from schakel.persistence import bewaring
from schakel.persistence.batches import chunks, one_of, select_in
from schakel.persistence.upsert import insert_all, upsert
from schakel.primitives import Maand
from schakel.primitives.periode import dag_van
from schakel.runtime.uow import SqlUnitOfWork

# what a case and a partner's membership of it have in common
_BEKEND = ("bekend_op", "vorig_einde", "einde_gewijzigd_op", "vorig_einde_sinds")
_LID = ("uitkering_id", "persoon", "bsn", "gemeentecode", "sinds", "tot", *_BEKEND)
_TERMIJN = ("uitkering_id", "persoon", "bsn", "gemeentecode", "geldig_tot", *_BEKEND)


def _bekend(r) -> Bekend:
    return Bekend(r.bekend_op, r.vorig_einde, r.einde_gewijzigd_op, r.vorig_einde_sinds)


def _kolommen(b: Bekend) -> dict:
    return dict(zip(_BEKEND, (b.sinds, b.vorig_einde, b.einde_gewijzigd_op, b.vorig_einde_sinds), strict=True))


def _opnieuw(oud, einde: date | None, nieuw: Bekend) -> Bekend:
    """What is known of a row stated again (`oud`: as stored, with its end as `einde_oud`; None: a new
    row) with this end, at the moment `nieuw.sinds`."""
    return nieuw if oud is None else _bekend(oud).na(oud.einde_oud, einde, nieuw.sinds)


class _Repository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn


def _toen(t: sa.Table, einde: str, gelezen_op: datetime) -> tuple[sa.ColumnElement[bool], sa.ColumnElement]:
    """Whether a row was known at `gelezen_op` with its end then, and that end (domain.populatie.zoals_op)."""
    gewijzigd = sa.and_(t.c.einde_gewijzigd_op.is_not(None), t.c.einde_gewijzigd_op >= gelezen_op)
    bekend = sa.and_(
        sa.or_(t.c.bekend_op.is_(None), t.c.bekend_op < gelezen_op),
        sa.or_(~gewijzigd, t.c.vorig_einde_sinds.is_(None), t.c.vorig_einde_sinds < gelezen_op),
    )
    return bekend, sa.case((gewijzigd, t.c.vorig_einde), else_=t.c[einde])


class SqlPopulatie(_Repository):
    async def neem_op(
        self, uitkeringen: list[Uitkering], volgnummers: Mapping[str, int | None] | None = None
    ) -> set[str]:
        known: set[str] = set()
        for chunk in chunks({u.uitkering_id for u in uitkeringen}):
            known |= set(
                (
                    await self._conn.execute(
                        sa.select(populatie.c.uitkering_id).where(one_of(self._conn, populatie.c.uitkering_id, chunk))
                    )
                ).scalars()
            )
        fresh = {u.uitkering_id: u for u in uitkeringen if u.uitkering_id not in known}
        if fresh:
            await self._conn.execute(
                populatie.insert(),
                [
                    {
                        "uitkering_id": u.uitkering_id,
                        "persoon": u.persoon,
                        "bsn": u.bsn,
                        "gemeentecode": u.gemeentecode,
                        "sinds": u.sinds,
                        "volgnummer": (volgnummers or {}).get(u.uitkering_id),
                        **_kolommen(u.bekend),
                    }
                    for u in fresh.values()
                ],
            )
        return known

    async def beeindig(self, uitkering_id: str, tot: date, op: datetime) -> bool:
        query = sa.select(*(populatie.c[c] for c in _BEKEND), populatie.c.tot.label("einde_oud")).where(
            populatie.c.uitkering_id == uitkering_id
        )
        if (oud := (await self._conn.execute(query)).first()) is None:
            return False
        bekend = _opnieuw(oud, tot, Bekend(op))
        await self._conn.execute(
            populatie.update().where(populatie.c.uitkering_id == uitkering_id).values(tot=tot, **_kolommen(bekend))
        )
        await self._conn.execute(
            partners.update()
            .where(partners.c.uitkering_id == uitkering_id, sa.or_(partners.c.tot.is_(None), partners.c.tot > tot))
            # Bekend.na in SQL: the right-hand sides read each row as it was
            .values(
                tot=tot,
                vorig_einde=partners.c.tot,
                einde_gewijzigd_op=op,
                vorig_einde_sinds=sa.func.coalesce(partners.c.einde_gewijzigd_op, partners.c.bekend_op),
            )
        )
        return True

    async def volgnummer(self, uitkering_id: str) -> int | None:
        query = sa.select(populatie.c.volgnummer).where(populatie.c.uitkering_id == uitkering_id)
        return (await self._conn.execute(query)).scalar()

    async def zet_volgnummer(self, uitkering_id: str, volgnummer: int) -> None:
        await self._conn.execute(
            populatie.update().where(populatie.c.uitkering_id == uitkering_id).values(volgnummer=volgnummer)
        )

    async def zet_partners(self, uitkering_id: str, lijst: list[Uitkering]) -> list[str]:
        query = sa.select(
            partners.c.persoon, partners.c.sinds, partners.c.tot.label("einde_oud"), *(partners.c[c] for c in _BEKEND)
        ).where(partners.c.uitkering_id == uitkering_id)
        oud = {(r.persoon, r.sinds): r for r in await self._conn.execute(query)}
        query = sa.select(populatie.c.tot).where(populatie.c.uitkering_id == uitkering_id)
        einde = (await self._conn.execute(query)).scalar()
        await self._conn.execute(partners.delete().where(partners.c.uitkering_id == uitkering_id))
        rijen = []
        for p in lijst:
            # no longer than the case: a household change replayed after its end states periods running on
            tot = p.tot if einde is None else einde if p.tot is None else min(p.tot, einde)
            rij = {c: getattr(p, c) for c in ("uitkering_id", "persoon", "sinds", "bsn", "gemeentecode")}
            rijen.append(rij | {"tot": tot, **_kolommen(_opnieuw(oud.get((p.persoon, p.sinds)), tot, p.bekend))})
        if rijen:
            await self._conn.execute(partners.insert(), rijen)
        return list(dict.fromkeys(p for p, _ in oud))

    async def open_termijn(self, t: Termijn, volgnummer: int | None = None) -> None:
        eerder = (
            await self._conn.execute(
                heraanvraagtermijnen.delete()
                .where(heraanvraagtermijnen.c.uitkering_id == t.uitkering_id)
                .returning(
                    heraanvraagtermijnen.c.volgnummer,
                    heraanvraagtermijnen.c.geldig_tot.label("einde_oud"),
                    *(heraanvraagtermijnen.c[c] for c in _BEKEND),
                )
            )
        ).first()
        await self._conn.execute(
            heraanvraagtermijnen.insert().values(
                uitkering_id=t.uitkering_id,
                persoon=t.persoon,
                bsn=t.bsn,
                gemeentecode=t.gemeentecode,
                geldig_tot=t.geldig_tot,
                volgnummer=volgnummer if volgnummer is not None or eerder is None else eerder.volgnummer,
                **_kolommen(_opnieuw(eerder, t.geldig_tot, t.bekend)),
            )
        )

    async def termijn_volgnummer(self, uitkering_id: str) -> int | None:
        query = sa.select(heraanvraagtermijnen.c.volgnummer).where(heraanvraagtermijnen.c.uitkering_id == uitkering_id)
        return (await self._conn.execute(query)).scalar()

    async def dossiers(self, personen: Iterable[str] | None = None) -> dict[str, Dossier]:
        uitkeringen: dict[str, list[Uitkering]] = {}
        termijnen: dict[str, list[Termijn]] = {}
        for where in [None] if personen is None else list(chunks(set(personen))):
            cases = sa.select(
                *(populatie.c[c] for c in _LID),
                sa.literal(False).label("als_partner"),
                populatie.c.sinds.label("zaak_sinds"),
            )
            windows = sa.select(*(heraanvraagtermijnen.c[c] for c in _TERMIJN))
            # a partner's period with its case's start (decisions settles a month with its first day's household)
            zaak = sa.select(populatie.c.sinds).where(populatie.c.uitkering_id == partners.c.uitkering_id)
            as_partner = sa.select(*(partners.c[c] for c in _LID), sa.literal(True), zaak.scalar_subquery())
            if where is not None:
                cases = cases.where(one_of(self._conn, populatie.c.persoon, where))
                windows = windows.where(one_of(self._conn, heraanvraagtermijnen.c.persoon, where))
                as_partner = as_partner.where(one_of(self._conn, partners.c.persoon, where))
            for r in await self._conn.execute(sa.union_all(cases, as_partner)):
                uitkeringen.setdefault(r.persoon, []).append(
                    Uitkering(
                        r.uitkering_id,
                        r.persoon,
                        r.bsn,
                        r.gemeentecode,
                        r.sinds,
                        r.tot,
                        bool(r.als_partner),
                        _bekend(r),
                        r.zaak_sinds,
                    )
                )
            for r in await self._conn.execute(windows):
                termijnen.setdefault(r.persoon, []).append(
                    Termijn(r.uitkering_id, r.persoon, r.bsn, r.gemeentecode, r.geldig_tot, _bekend(r))
                )
        return {
            p: Dossier(tuple(uitkeringen.get(p, ())), tuple(termijnen.get(p, ())))
            for p in uitkeringen.keys() | termijnen.keys()
        }

    def _leden(
        self,
        op: date,
        gemeenten: frozenset[str],
        na: str | None = None,
        aantal: int | None = None,
        gelezen_op: datetime | None = None,
    ) -> sa.Subquery:
        """domain.populatie.populatie in the database: (bsn, gemeentecode) per member, the lowest code;
        with `na` and `aantal` only those after BSN `na`, enough for `aantal` of them; with `gelezen_op`
        as income knew it then (domain.populatie.zoals_op)."""

        def toen(t: sa.Table, einde: str) -> tuple[sa.ColumnElement[bool], sa.ColumnElement]:
            return _toen(t, einde, gelezen_op) if gelezen_op else (sa.true(), t.c[einde])

        def uit(t: sa.Table, lopend: sa.ColumnElement[bool]) -> sa.Select:
            voorwaarden = [lopend, one_of(self._conn, t.c.gemeentecode, sorted(gemeenten))]
            if na is not None:
                voorwaarden.append(t.c.bsn > na)
            if aantal is None:
                return sa.select(t.c.bsn, t.c.gemeentecode).where(*voorwaarden)
            # the first `aantal` members are among each table's first `aantal` BSNs (read from its index)
            eerste = sa.select(t.c.bsn, sa.func.min(t.c.gemeentecode).label("gemeentecode")).where(*voorwaarden)
            return eerste.group_by(t.c.bsn).order_by(t.c.bsn).limit(aantal).subquery().select()

        def lopend(t: sa.Table) -> sa.ColumnElement[bool]:
            bekend, tot = toen(t, "tot")
            return sa.and_(bekend, t.c.sinds <= op, sa.or_(tot.is_(None), tot >= op))

        w = heraanvraagtermijnen
        begonnen = sa.exists().where(
            populatie.c.uitkering_id == w.c.uitkering_id, populatie.c.sinds <= op, toen(populatie, "tot")[0]
        )
        bekend, geldig_tot = toen(w, "geldig_tot")
        rijen = sa.union_all(
            *(uit(t, lopend(t)) for t in (populatie, partners)),
            uit(w, sa.and_(bekend, geldig_tot >= op, begonnen)),
        ).subquery()
        # BSNs and municipality codes are fixed-width digits (GM and digits): any collation orders them
        # as Python does
        return (
            sa.select(rijen.c.bsn, sa.func.min(rijen.c.gemeentecode).label("gemeentecode"))
            .group_by(rijen.c.bsn)
            .subquery()
        )

    async def pagina(
        self, op: date, gemeenten: frozenset[str], begin: int, aantal: int
    ) -> tuple[int, list[tuple[str, str]]]:
        leden = self._leden(op, gemeenten)
        # the count with the page, in one statement: one snapshot also under read committed
        page = (
            await self._conn.execute(
                sa.select(leden, sa.func.count().over().label("totaal"))
                .order_by(leden.c.bsn)
                .offset(begin)
                .limit(aantal)
            )
        ).all()
        if not page:  # past the end: only the count
            return await self.tel(op, gemeenten), []
        return page[0].totaal, [(r.bsn, r.gemeentecode) for r in page]

    async def tel(self, op: date, gemeenten: frozenset[str]) -> int:
        return (
            await self._conn.execute(sa.select(sa.func.count()).select_from(self._leden(op, gemeenten)))
        ).scalar_one()

    async def na(
        self, op: date, gemeenten: frozenset[str], bsn: str | None, aantal: int, gelezen_op: datetime | None = None
    ) -> list[tuple[str, str]]:
        # by key, not by place: a page reads its own members from the BSN indexes, where counting off
        # the places before it read the whole population for every page (O(population) a page)
        leden = self._leden(op, gemeenten, bsn, aantal, gelezen_op)
        rijen = await self._conn.execute(sa.select(leden).order_by(leden.c.bsn).limit(aantal))
        return [(r.bsn, r.gemeentecode) for r in rijen]

    async def uitgestroomd(self, bewaren_tot: date) -> list[str]:
        einden = sa.union_all(
            sa.select(populatie.c.persoon, populatie.c.tot.label("einde")),
            sa.select(partners.c.persoon, partners.c.tot),
            sa.select(heraanvraagtermijnen.c.persoon, heraanvraagtermijnen.c.geldig_tot),
        )
        return await bewaring.uitgestroomd(self._conn, einden, bewaren_tot)

    async def vergeet_los(self, bewaren_tot: date) -> int:
        houders = [populatie.c.persoon, partners.c.persoon, heraanvraagtermijnen.c.persoon]
        # a polis line goes with the months it made: once none of its person's months from its period's
        # month on is left (those went first)
        maand_van_tijdvak = sa.func.substr(sa.cast(polisregels.c.tijdvak_begin, sa.String), 1, 7)
        gemaakt = sa.exists().where(
            maandinkomens.c.persoon == polisregels.c.persoon, maandinkomens.c.maand >= maand_van_tijdvak
        )
        tabellen = (
            (maandinkomens, bewaring.maand_einde(self._conn, maandinkomens.c.maand) < bewaren_tot),
            (overschrijvingen, bewaring.maand_einde(self._conn, overschrijvingen.c.maand) < bewaren_tot),
            (polisregels, (polisregels.c.tijdvak_begin < bewaren_tot) & ~gemaakt),
        )
        weg: list[str] = []
        for tabel, voorbij in tabellen:
            los = bewaring.niet_gehouden(tabel.c.persoon, houders)
            weg += (await self._conn.execute(tabel.delete().where(voorbij, los).returning(tabel.c.persoon))).scalars()
        # and their outbox numbering (its key is their pseudonym) once nothing of them is left
        over: set[str] = set()
        for tabel, _ in tabellen:
            over |= {r.persoon for r in await select_in(self._conn, sa.select(tabel.c.persoon), tabel.c.persoon, weg)}
        await forget(self._conn, sorted(set(weg) - over))
        return len(weg)

    async def vergeet(self, personen: list[str]) -> None:
        for chunk in chunks(personen):
            await forget(self._conn, chunk)
            for table in (
                polisregels,
                maandinkomens,
                overschrijvingen,
                heraanvraagtermijnen,
                herberekeningen,
                partners,
                populatie,
            ):
                await self._conn.execute(table.delete().where(table.c.persoon.in_(chunk)))


class SqlPolisregels(_Repository):
    async def actueel(
        self, bsns: dict[str, str], begint_tussen: tuple[date, date] | None = None
    ) -> dict[str, dict[tuple, Opgeslagen]]:
        result: dict[str, dict[tuple, Opgeslagen]] = {p: {} for p in bsns}
        for chunk in chunks(result):
            query = sa.select(
                polisregels.c.id,
                polisregels.c.persoon,
                polisregels.c.versie,
                polisregels.c.vingerafdruk,
                polisregels.c.inhoud,
                polisregels.c.aangemaakt_op,
            ).where(one_of(self._conn, polisregels.c.persoon, chunk), polisregels.c.actueel.is_(True))
            if begint_tussen is not None:
                query = query.where(polisregels.c.tijdvak_begin.between(*begint_tussen))
            for r in await self._conn.execute(query):
                aangifte = Aangifte.uit_inhoud(bsns[r.persoon], r.inhoud, r.aangemaakt_op)
                result[r.persoon][aangifte.sleutel] = Opgeslagen(r.id, Regel(aangifte, r.versie), r.vingerafdruk)
        return result

    async def voeg_toe(self, versies: list[Versie], leverancier: str, levering_id: str, ontvangen_op: datetime) -> None:
        await insert_all(
            self._conn,
            polisregels,
            [
                {
                    "persoon": v.persoon,
                    "loonheffingennummer": v.aangifte.loonheffingennummer,
                    "inkomstenverhouding": v.aangifte.inkomstenverhouding,
                    "tijdvak_begin": v.aangifte.tijdvak_begin,
                    "versie": v.versie,
                    "actueel": v.actueel,
                    "vingerafdruk": v.vingerafdruk,
                    "inhoud": v.inhoud,
                    "leverancier": leverancier,
                    "levering_id": levering_id,
                    "ontvangen_op": ontvangen_op,
                    "aangemaakt_op": v.aangifte.aangemaakt_op,
                }
                for v in versies
            ],
        )

    async def vervang(self, ids: list[int]) -> None:
        for chunk in chunks(ids):
            await self._conn.execute(
                polisregels.update().where(one_of(self._conn, polisregels.c.id, chunk)).values(actueel=False)
            )

    async def later_gemaakt(self, momenten: dict[int, datetime | None]) -> None:
        # rare (a repeat made later than the version it repeats): a statement each
        for id_, moment in momenten.items():
            await self._conn.execute(polisregels.update().where(polisregels.c.id == id_).values(aangemaakt_op=moment))

    async def geleverd(
        self, leverancier: str, maand: Maand, gelezen_op: datetime, gemeenten: frozenset[str]
    ) -> frozenset[str]:
        eerste, laatste, peildatum = maand.eerste_dag, maand.laatste_dag, dag_van(gelezen_op)
        codes = sorted(gemeenten)

        def lid(t: sa.Table, einde: str, *voorwaarden: sa.ColumnElement[bool]) -> sa.Select:
            bekend, tot = _toen(t, einde, gelezen_op)  # as the population was when it was read
            return sa.select(t.c.persoon, t.c.gemeentecode).where(
                one_of(self._conn, t.c.gemeentecode, codes), bekend, sa.or_(tot.is_(None), tot >= eerste), *voorwaarden
            )

        leden = sa.union_all(
            *(lid(t, "tot", t.c.sinds <= peildatum) for t in (populatie, partners)),
            lid(heraanvraagtermijnen, "geldig_tot"),
        ).subquery()
        query = (
            sa.select(leden.c.gemeentecode)
            .distinct()
            .join(polisregels, polisregels.c.persoon == leden.c.persoon)
            .where(
                polisregels.c.leverancier == leverancier,
                # domain.afsluiting.levert, by the index on provider and first day
                polisregels.c.tijdvak_begin.between(eerste - VOORAF, laatste),
                sa.or_(
                    polisregels.c.tijdvak_begin >= eerste,
                    polisregels.c.inhoud["tijdvak_einde"].as_string() >= eerste.isoformat(),
                ),
            )
        )
        return frozenset((await self._conn.execute(query)).scalars())

    async def van(self, persoon: str) -> list[Aangifteversie]:
        rows = await self._conn.execute(
            sa.select(polisregels).where(polisregels.c.persoon == persoon).order_by(polisregels.c.id)
        )
        return [
            Aangifteversie(r.inhoud, r.versie, r.actueel, r.levering_id, r.ontvangen_op, r.aangemaakt_op) for r in rows
        ]


_MAAND = ("loon", "vakantiebijslag", "polis_loon", "bron", "te_beoordelen", "bijdragen")


def _vastgelegd(r) -> Vastgelegd:
    return Vastgelegd(
        r.persoon,
        Maand.parse(r.maand),
        r.loon,
        r.vakantiebijslag,
        r.polis_loon,
        r.bron,
        r.te_beoordelen,
        tuple(uit_opslag(b) for b in r.bijdragen),
    )


def _maand_rij(v: Vastgelegd, op: datetime) -> dict:
    return {
        "persoon": v.persoon,
        "maand": str(v.maand),
        "loon": v.loon,
        "vakantiebijslag": v.vakantiebijslag,
        "polis_loon": v.polis_loon,
        "bron": v.bron,
        "te_beoordelen": v.te_beoordelen,
        "bijdragen": [naar_opslag(b) for b in v.bijdragen],
        "gewijzigd_op": op,
    }


class SqlMaandinkomens(_Repository):
    async def van(
        self, personen: Iterable[str], maanden: Iterable[Maand] | None = None
    ) -> dict[tuple[str, Maand], Vastgelegd]:
        result = {}
        for chunk in chunks(set(personen)):
            query = sa.select(maandinkomens).where(one_of(self._conn, maandinkomens.c.persoon, chunk))
            if maanden is not None:
                query = query.where(one_of(self._conn, maandinkomens.c.maand, sorted({str(m) for m in maanden})))
            for r in await self._conn.execute(query):
                v = _vastgelegd(r)
                result[(v.persoon, v.maand)] = v
        return result

    async def met(self, personen: Iterable[str], maand: Maand) -> set[str]:
        query = sa.select(maandinkomens.c.persoon).where(maandinkomens.c.maand == str(maand))
        return {r.persoon for r in await select_in(self._conn, query, maandinkomens.c.persoon, personen)}

    async def tussen(self, persoon: str, van: Maand, tot: Maand) -> list[Vastgelegd]:
        rows = await self._conn.execute(
            sa.select(maandinkomens)
            .where(
                maandinkomens.c.persoon == persoon, maandinkomens.c.maand >= str(van), maandinkomens.c.maand <= str(tot)
            )
            .order_by(maandinkomens.c.maand)
        )
        return [_vastgelegd(r) for r in rows]

    async def bewaar(self, nieuw: list[Vastgelegd], gewijzigd: list[Vastgelegd], op: datetime) -> None:
        if nieuw:
            await insert_all(self._conn, maandinkomens, [_maand_rij(v, op) for v in nieuw])
        if gewijzigd:
            await self._conn.execute(
                maandinkomens.update()
                .where(maandinkomens.c.persoon == sa.bindparam("p"), maandinkomens.c.maand == sa.bindparam("m"))
                .values({c: sa.bindparam(c) for c in (*_MAAND, "gewijzigd_op")}),
                [dict(row, p=row.pop("persoon"), m=row.pop("maand")) for row in (_maand_rij(v, op) for v in gewijzigd)],
            )


class SqlOverschrijvingen(_Repository):
    async def van(self, personen: Iterable[str]) -> dict[tuple[str, Maand], Overschrijving]:
        result = {}
        for chunk in chunks(set(personen)):
            for r in await self._conn.execute(
                sa.select(overschrijvingen).where(one_of(self._conn, overschrijvingen.c.persoon, chunk))
            ):
                maand = Maand.parse(r.maand)
                result[(r.persoon, maand)] = Overschrijving(maand, r.loon, r.reden, r.polis_versies, r.te_beoordelen)
        return result

    async def markeer_te_beoordelen(self, sleutels: list[tuple[str, Maand]]) -> None:
        for persoon, maand in sleutels:
            await self._conn.execute(
                overschrijvingen.update()
                .where(overschrijvingen.c.persoon == persoon, overschrijvingen.c.maand == str(maand))
                .values(te_beoordelen=True)
            )

    async def zet(self, persoon: str, o: Overschrijving, gemeentecode: str, door: str, op: datetime) -> None:
        await self.verwijder(persoon, o.maand)
        await self._conn.execute(
            overschrijvingen.insert().values(
                persoon=persoon,
                maand=str(o.maand),
                loon=o.loon,
                reden=o.reden,
                polis_versies=o.polis_versies,
                te_beoordelen=o.te_beoordelen,
                gemeentecode=gemeentecode,
                vastgelegd_door=door,
                vastgelegd_op=op,
            )
        )

    async def verwijder(self, persoon: str, maand: Maand) -> bool:
        result = await self._conn.execute(
            overschrijvingen.delete().where(
                overschrijvingen.c.persoon == persoon, overschrijvingen.c.maand == str(maand)
            )
        )
        return result.rowcount > 0


# an `Afwijzing` as stored, its fields in order
_afwijzing = sa.select(*(afwijzingen.c[f.name] for f in fields(Afwijzing)))


class SqlLeveringen(_Repository):
    async def wijs_af(self, leverancier: str, levering_id: str, lijst: list[Afwijzing]) -> None:
        t = afwijzingen.c
        van_levering = (t.leverancier == leverancier, t.levering_id == levering_id)
        # one kept already is not kept again: its batch tried again after the dead letter did not leave,
        # or read again after a rebalance, refuses the same record for the same reason
        al = [Afwijzing(*r) for r in await self._conn.execute(_afwijzing.where(*van_levering))]
        bekend = {a.herkend for a in al}
        lijst = [a for a in lijst if a.herkend not in bekend]
        if nog := lijst[: max(0, MAX_AFWIJZINGEN - len(al))]:
            await self._conn.execute(
                afwijzingen.insert(),
                [{"leverancier": leverancier, "levering_id": levering_id} | asdict(a) for a in nog],
            )
        if len(nog) < len(lijst):
            await self._conn.execute(
                leveringen.update()
                .where(leveringen.c.leverancier == leverancier, leveringen.c.levering_id == levering_id)
                .values(afwijzingen_afgekapt=True)
            )

    async def afwijzingen(self, leverancier: str, levering_id: str) -> list[Afwijzing]:
        t = afwijzingen.c
        rows = await self._conn.execute(
            _afwijzing.where(t.leverancier == leverancier, t.levering_id == levering_id).order_by(t.id)
        )
        return [Afwijzing(*r) for r in rows]

    async def vergeet_afwijzingen(self, voor: datetime) -> int:
        result = await self._conn.execute(afwijzingen.delete().where(afwijzingen.c.afgewezen_op < voor))
        # a list retention emptied was not cut: it is gone (a refusal that comes now is listed again)
        lev, afw = leveringen.c, afwijzingen.c
        leeg = ~sa.exists().where(afw.leverancier == lev.leverancier, afw.levering_id == lev.levering_id)
        await self._conn.execute(
            leveringen.update().where(lev.afwijzingen_afgekapt.is_(True), leeg).values(afwijzingen_afgekapt=False)
        )
        return result.rowcount

    async def van(self, leverancier: str, levering_id: str) -> Levering | None:
        r = (
            await self._conn.execute(
                sa.select(leveringen).where(
                    leveringen.c.leverancier == leverancier, leveringen.c.levering_id == levering_id
                )
            )
        ).first()
        return (
            None
            if r is None
            else Levering(
                r.levering_id,
                r.kanaal,
                r.vingerafdruk,
                r.ontvangen_op,
                r.bijgewerkt_op,
                r.aantallen,
                r.antwoord,
                r.afwijzingen_afgekapt,
            )
        )

    async def tel(
        self,
        leverancier: str,
        levering_id: str,
        kanaal: str,
        aantallen: dict[str, int],
        op: datetime,
        vingerafdruk: str | None = None,
        antwoord: dict | None = None,
    ) -> None:
        bestaand = await self.van(leverancier, levering_id)
        if bestaand is None:
            await self._conn.execute(
                leveringen.insert().values(
                    leverancier=leverancier,
                    levering_id=levering_id,
                    kanaal=kanaal,
                    vingerafdruk=vingerafdruk,
                    ontvangen_op=op,
                    bijgewerkt_op=op,
                    aantallen=aantallen,
                    antwoord=antwoord,
                )
            )
        else:
            # every count either side has: one an instance of another version does not know stays
            totaal = {k: bestaand.aantallen.get(k, 0) + aantallen.get(k, 0) for k in bestaand.aantallen | aantallen}
            await self._conn.execute(
                leveringen.update()
                .where(leveringen.c.leverancier == leverancier, leveringen.c.levering_id == levering_id)
                .values(aantallen=totaal, bijgewerkt_op=op)
            )


class SqlBeleid(_Repository):
    async def van(self, gemeentecodes: Iterable[str]) -> dict[str, Toerekening]:
        rows = await self._conn.execute(
            sa.select(toerekeningsbeleid).where(toerekeningsbeleid.c.gemeentecode.in_(sorted(set(gemeentecodes))))
        )
        return {r.gemeentecode: Toerekening(r.toerekening) for r in rows}

    async def zet(self, gemeentecode: str, toerekening: Toerekening, op: datetime) -> None:
        await upsert(
            self._conn,
            toerekeningsbeleid,
            [{"gemeentecode": gemeentecode, "toerekening": toerekening.value, "gewijzigd_op": op}],
        )


class SqlHerberekeningen(_Repository):
    async def plan(self, gemeentecode: str) -> None:
        leden = sa.union(
            sa.select(populatie.c.persoon).where(populatie.c.gemeentecode == gemeentecode),
            sa.select(partners.c.persoon).where(partners.c.gemeentecode == gemeentecode),
        ).subquery()
        # a person already queued is queued again, not skipped: DO UPDATE waits for a recompute that
        # holds the row (it read the policy before this change) and queues them anew once it deleted
        # it; another municipality queueing the same person at once waits instead of failing
        insert = (pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert)(herberekeningen)
        # in order: two municipalities queueing the same persons at once take their rows in one order;
        # WHERE: SQLite reads ON CONFLICT after a bare SELECT as a join
        personen = sa.select(leden.c.persoon).where(sa.true()).order_by(leden.c.persoon)
        await self._conn.execute(
            insert.from_select(["persoon"], personen).on_conflict_do_update(
                index_elements=["persoon"], set_={"persoon": insert.excluded.persoon}
            )
        )

    async def volgende(self, aantal: int) -> list[str]:
        # taken until commit; another instance takes the next ones (PostgreSQL: SKIP LOCKED; SQLite
        # has one writer at a time)
        query = (
            sa.select(herberekeningen.c.persoon)
            .order_by(herberekeningen.c.persoon)
            .limit(aantal)
            .with_for_update(skip_locked=True)
        )
        return list((await self._conn.execute(query)).scalars())

    async def klaar(self, personen: list[str]) -> None:
        await self._conn.execute(herberekeningen.delete().where(herberekeningen.c.persoon.in_(personen)))


class SqlAfsluitingen(_Repository):
    async def neem_op(self, afsluiting: Afsluiting) -> None:
        await self._conn.execute(maandafsluitingen.insert().values(_rij(afsluiting)))

    async def van(self, leverancier: str, afsluiting_id: str) -> Afsluiting | None:
        query = sa.select(maandafsluitingen).where(
            maandafsluitingen.c.id == afsluiting_id, maandafsluitingen.c.leverancier == leverancier
        )
        rij = (await self._conn.execute(query)).first()
        return None if rij is None else _afsluiting(rij)

    async def open_van(self, leverancier: str) -> list[Afsluiting]:
        query = sa.select(maandafsluitingen).where(OPEN, maandafsluitingen.c.leverancier == leverancier)
        return [_afsluiting(r) for r in await self._conn.execute(query)]

    async def volgende(self) -> Afsluiting | None:
        # held until commit; another instance takes the next one (PostgreSQL: SKIP LOCKED; SQLite has
        # one writer at a time)
        query = (
            sa.select(maandafsluitingen)
            .where(OPEN)
            .order_by(maandafsluitingen.c.pogingen, maandafsluitingen.c.aangevraagd_op)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        rij = (await self._conn.execute(query)).first()
        return None if rij is None else _afsluiting(rij)

    async def mislukt(self, afsluiting_id: str, op: datetime, max_pogingen: int, na: timedelta) -> Afsluiting | None:
        a = maandafsluitingen
        deze = sa.and_(a.c.id == afsluiting_id, OPEN)
        fout = a.update().where(deze).values(pogingen=a.c.pogingen + 1, fout_sinds=sa.func.coalesce(a.c.fout_sinds, op))
        await self._conn.execute(fout)
        lang = sa.and_(a.c.pogingen >= max_pogingen, a.c.fout_sinds <= op - na)
        opgeven = a.update().where(deze, lang).values(mislukt_op=op, na=None)
        if not (await self._conn.execute(opgeven)).rowcount:
            return None
        return _afsluiting((await self._conn.execute(sa.select(a).where(a.c.id == afsluiting_id))).one())

    async def werk_bij(self, afsluiting: Afsluiting) -> None:
        await self._conn.execute(
            maandafsluitingen.update().where(maandafsluitingen.c.id == afsluiting.id).values(_rij(afsluiting))
        )


def _rij(a: Afsluiting) -> dict:
    return {
        "id": a.id,
        "leverancier": a.leverancier,
        "maand": str(a.maand),
        "gelezen_op": a.gelezen_op,
        "gemeentecodes": sorted(a.gemeentecodes),
        "zonder_aangiften": sorted(a.zonder_aangiften),
        "aangevraagd_op": a.aangevraagd_op,
        "personen": a.personen,
        "zonder_inkomen": a.zonder_inkomen,
        "na": a.na,
        "afgerond_op": a.afgerond_op,
        "pogingen": a.pogingen,
        "fout_sinds": a.fout_sinds,
        "mislukt_op": a.mislukt_op,
    }


def _afsluiting(r) -> Afsluiting:
    return Afsluiting(
        r.id,
        r.leverancier,
        Maand.parse(r.maand),
        r.gelezen_op,
        frozenset(r.gemeentecodes),
        r.aangevraagd_op,
        frozenset(r.zonder_aangiften or ()),  # null: asked before income 0.14.0
        r.personen,
        r.zonder_inkomen,
        r.na,
        r.afgerond_op,
        r.pogingen,
        r.fout_sinds,
        r.mislukt_op,
    )


class UnitOfWork(SqlUnitOfWork):
    def bind(self, conn: AsyncConnection) -> None:
        self.populatie = SqlPopulatie(conn)
        self.polisregels = SqlPolisregels(conn)
        self.maandinkomens = SqlMaandinkomens(conn)
        self.overschrijvingen = SqlOverschrijvingen(conn)
        self.leveringen = SqlLeveringen(conn)
        self.beleid = SqlBeleid(conn)
        self.herberekeningen = SqlHerberekeningen(conn)
        self.afsluitingen = SqlAfsluitingen(conn)

    async def __aexit__(self, *exc_info) -> bool | None:
        result = await super().__aexit__(*exc_info)
        if isinstance(exc_info[1], IntegrityError):
            # a concurrent delivery won the unique index race: the service decides whether to retry
            raise Gelijktijdig() from exc_info[1]
        return result
