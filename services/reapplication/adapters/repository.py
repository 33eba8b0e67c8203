"""Windows, window policy, handovers, the latest polis month, doelgroepregister grounds and
re-applications, in SQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from reapplication.adapters.tables import (
    doelgroepen,
    heraanvraagtermijnen,
    heraanvragen,
    overdrachten,
    termijnbeleid,
    uitkeringen,
    vergeten_uitkeringen,
)
from reapplication.domain.heraanvraag import ZONDER_UITKERING, Aanvraag, Heraanvraag, Reden, Uitkering
from reapplication.domain.inkomen import LaatsteInkomen
from reapplication.domain.overdracht import Overdracht
from reapplication.domain.termijn import Heraanvraagtermijn
from reapplication.service.hergebruik import als_json, van_json
from schakel.messaging.outbox import forget
from schakel.persistence import bewaring
from schakel.persistence.batches import chunks
from schakel.persistence.upsert import insert_new, upsert
from schakel.primitives.cijfers import Periode
from schakel.primitives.periode import middernacht
from schakel.runtime.uow import SqlUnitOfWork

t = heraanvraagtermijnen


def _na(query: sa.Select, volgorde: tuple[sa.ColumnElement, ...], na: tuple | None, aantal: int | None) -> sa.Select:
    """The first `aantal` rows in `volgorde` after the key `na` (paging by key: a page costs the same
    wherever it is in the list); each value bound as its column's type (a UTC timestamp on SQLite)."""
    if na is not None:
        sleutel = (sa.literal(waarde, kolom.type) for waarde, kolom in zip(na, volgorde, strict=True))
        query = query.where(sa.tuple_(*volgorde) > sa.tuple_(*sleutel))
    return query.order_by(*volgorde).limit(aantal)


class SqlTermijnen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, persoon: str) -> list[Heraanvraagtermijn]:
        rows = await self._conn.execute(sa.select(t).where(t.c.persoon == persoon).order_by(t.c.einddatum.desc()))
        return [
            Heraanvraagtermijn(
                r.uitkering_id, r.gemeentecode, r.einddatum, r.geldig_tot, r.gesloten_op, van_json(r.hergebruik)
            )
            for r in rows
        ]

    async def zet(self, persoon: str, termijn: Heraanvraagtermijn) -> bool:
        eerder = (
            await self._conn.execute(sa.select(t.c.einddatum).where(t.c.uitkering_id == termijn.uitkering_id))
        ).first()
        if eerder is not None and eerder.einddatum == termijn.einddatum:
            # the same end announced again (months settled after it moved the vrijlating clock): what may
            # be reused follows it, the window stays
            hergebruik = als_json(termijn.hergebruik)
            await self._conn.execute(
                t.update().where(t.c.uitkering_id == termijn.uitkering_id).values(hergebruik=hergebruik)
            )
            return False
        waarden = {
            "einddatum": termijn.einddatum,
            "geldig_tot": termijn.geldig_tot,
            "hergebruik": als_json(termijn.hergebruik),
        }
        if eerder is None:
            await self._conn.execute(
                t.insert().values(
                    uitkering_id=termijn.uitkering_id, persoon=persoon, gemeentecode=termijn.gemeentecode, **waarden
                )
            )
        else:
            await self._conn.execute(t.update().where(t.c.uitkering_id == termijn.uitkering_id).values(**waarden))
        return True

    async def sluit(self, uitkering_id: str, op: date) -> None:
        await self._conn.execute(t.update().where(t.c.uitkering_id == uitkering_id).values(gesloten_op=op))


class SqlUitkeringen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, persoon: str) -> list[Uitkering]:
        u = uitkeringen
        rows = await self._conn.execute(sa.select(u).where(u.c.persoon == persoon))
        return [
            Uitkering(
                r.uitkering_id,
                r.einddatum,
                r.volgnummer,
                None if r.gemeentecode is None else (r.gemeentecode, r.besloten_op, r.startdatum),
            )
            for r in rows
        ]

    async def geopend(self, persoon: str, u: Uitkering) -> None:
        assert u.geopend is not None, "an opening"
        gemeentecode, besloten, start = u.geopend
        rij = {"uitkering_id": u.uitkering_id, "persoon": persoon, "volgnummer": u.volgnummer}
        if not await insert_new(
            self._conn, uitkeringen, rij | {"gemeentecode": gemeentecode, "besloten_op": besloten, "startdatum": start}
        ):
            # its end arrived first (replayed in another order): the opening is added, the end kept
            await self._conn.execute(
                uitkeringen.update()
                .where(uitkeringen.c.uitkering_id == u.uitkering_id, uitkeringen.c.gemeentecode.is_(None))
                .values(gemeentecode=gemeentecode, besloten_op=besloten, startdatum=start)
            )

    async def beeindigd(self, persoon: str, uitkering_id: str, einddatum: date, volgnummer: int | None) -> None:
        rij = {"uitkering_id": uitkering_id, "persoon": persoon, "einddatum": einddatum, "volgnummer": volgnummer}
        await upsert(self._conn, uitkeringen, [rij])

    async def vergeten(self, uitkering_id: str) -> int | None:
        v = vergeten_uitkeringen.c
        return (await self._conn.execute(sa.select(v.volgnummer).where(v.uitkering_id == uitkering_id))).scalar()


class SqlTermijnbeleid:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, gemeentecode: str) -> list[tuple[date, int]]:
        rows = await self._conn.execute(
            sa.select(termijnbeleid)
            .where(termijnbeleid.c.gemeentecode == gemeentecode)
            .order_by(termijnbeleid.c.geldig_vanaf)
        )
        return [(r.geldig_vanaf, r.maanden) for r in rows]

    async def zet(self, gemeentecode: str, geldig_vanaf: date, maanden: int) -> None:
        rij = {"gemeentecode": gemeentecode, "geldig_vanaf": geldig_vanaf, "maanden": maanden}
        await upsert(self._conn, termijnbeleid, [rij])


def _overdracht(r) -> Overdracht:
    return Overdracht(
        r.overdracht_id,
        r.gemeentecode,
        r.ww_einddatum,
        r.grondslag,
        tuple(tuple(x) for x in r.stappen),
        r.besluit_op,
        r.besluit_startdatum,
        (r.ww_bedrag_soort, r.ww_bedrag) if r.ww_bedrag_soort else None,
        r.gemeld_op,
        (r.uitkomst, r.uitkomst_op) if r.uitkomst else None,
        (r.elders_gemeentecode, r.elders_besluit_op, r.elders_startdatum) if r.elders_gemeentecode else None,
        r.melding_op,
    )


class SqlOverdrachten:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, persoon: str) -> Overdracht | None:
        o = overdrachten
        laatste = sa.select(o).where(o.c.persoon == persoon).order_by(o.c.ww_einddatum.desc()).limit(1)
        row = (await self._conn.execute(laatste)).first()
        return _overdracht(row) if row else None

    async def alle(self, persoon: str) -> list[Overdracht]:
        o = overdrachten
        rows = await self._conn.execute(sa.select(o).where(o.c.persoon == persoon).order_by(o.c.ww_einddatum))
        return [_overdracht(r) for r in rows]

    async def met_id(self, overdracht_id: str) -> tuple[Overdracht, str] | None:
        row = (
            await self._conn.execute(sa.select(overdrachten).where(overdrachten.c.overdracht_id == overdracht_id))
        ).first()
        return (_overdracht(row), row.bsn) if row else None

    async def bewaar(self, persoon: str, bsn: str, o: Overdracht) -> None:
        await self._conn.execute(overdrachten.delete().where(overdrachten.c.overdracht_id == o.overdracht_id))
        await self._conn.execute(
            overdrachten.insert().values(
                overdracht_id=o.overdracht_id,
                persoon=persoon,
                bsn=bsn,
                gemeentecode=o.gemeentecode,
                ww_einddatum=o.ww_einddatum,
                grondslag=o.grondslag,
                stappen=[list(s) for s in o.stappen],
                besluit_op=o.besluit_op,
                besluit_startdatum=o.besluit_startdatum,
                ww_bedrag_soort=o.ww_bedrag[0] if o.ww_bedrag else None,
                ww_bedrag=o.ww_bedrag[1] if o.ww_bedrag else None,
                gemeld_op=o.gemeld_op,
                uitkomst=o.uitkomst[0] if o.uitkomst else None,
                uitkomst_op=o.uitkomst[1] if o.uitkomst else None,
                elders_gemeentecode=o.besluit_elders[0] if o.besluit_elders else None,
                elders_besluit_op=o.besluit_elders[1] if o.besluit_elders else None,
                elders_startdatum=o.besluit_elders[2] if o.besluit_elders else None,
                melding_op=o.melding_op,
            )
        )

    async def van_gemeente(
        self,
        gemeentecode: str,
        van: date | None,
        tot: date | None,
        na: tuple[date, str] | None = None,
        aantal: int | None = None,
    ) -> list[tuple[Overdracht, str]]:
        o = overdrachten
        query = sa.select(o).where(o.c.gemeentecode == gemeentecode)
        if van:
            query = query.where(o.c.ww_einddatum >= van)
        if tot:
            query = query.where(o.c.ww_einddatum <= tot)
        rows = await self._conn.execute(_na(query, (o.c.ww_einddatum, o.c.overdracht_id), na, aantal))
        return [(_overdracht(r), r.bsn) for r in rows]

    async def met_einde_in(self, gemeentecode: str | None, periode: Periode) -> list[Overdracht]:
        query = sa.select(overdrachten).where(overdrachten.c.ww_einddatum.between(periode.van, periode.tot))
        if gemeentecode:
            query = query.where(overdrachten.c.gemeentecode == gemeentecode)
        return [_overdracht(r) for r in await self._conn.execute(query)]


class SqlDoelgroepen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, persoon: str) -> str | None:
        row = (await self._conn.execute(sa.select(doelgroepen.c.grond).where(doelgroepen.c.persoon == persoon))).first()
        return row.grond if row else None

    async def zet(self, persoon: str, grond: str | None, volgnummer: int | None, sinds: date) -> None:
        await self._conn.execute(doelgroepen.delete().where(doelgroepen.c.persoon == persoon))
        await self._conn.execute(
            doelgroepen.insert().values(persoon=persoon, grond=grond, volgnummer=volgnummer, sinds=sinds)
        )

    async def volgnummer(self, persoon: str) -> int | None:
        return (
            await self._conn.execute(sa.select(doelgroepen.c.volgnummer).where(doelgroepen.c.persoon == persoon))
        ).scalar()


# the snapshot of the polis month kept with a re-application, in the stored (and contract) form
def _inkomen_json(i: LaatsteInkomen | None) -> dict | None:
    return (
        None
        if i is None
        else {"maand": i.maand, "nettoInkomen": i.netto, "inkomstenverhoudingenBeeindigd": i.relaties_beeindigd}
    )


def _aanvraag(r) -> Aanvraag:
    extra = r.aanvullend or {}

    def dag(naam: str) -> date | None:
        return date.fromisoformat(extra[naam]) if extra.get(naam) else None

    return Aanvraag(
        r.meldingsdatum,
        r.startdatum,
        tuple(r.wijzigingen),
        r.praktijkonderwijs_of_vso,
        dag("geboortedatum"),
        dag("partnerGeboortedatum"),
        bool(extra.get("medischUrenbeperkt")),
        dag("contractEinddatum"),
        r.zoektermijn_ontheffing,
    )


def _aanvullend(a: Aanvraag) -> dict[str, object]:
    def dag(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "geboortedatum": dag(a.geboortedatum),
        "partnerGeboortedatum": dag(a.partner_geboortedatum),
        "medischUrenbeperkt": a.medisch_urenbeperkt,
        "contractEinddatum": dag(a.einde_contract),
    }


def _heraanvraag(r) -> Heraanvraag:
    inkomen = r.recent_inkomen
    return Heraanvraag(
        r.heraanvraag_id,
        r.persoon,
        r.bsn,
        r.gemeentecode,
        _aanvraag(r),
        van_json(r.hergebruik),
        LaatsteInkomen(inkomen["maand"], inkomen["nettoInkomen"], inkomen["inkomstenverhoudingenBeeindigd"])
        if inkomen
        else None,
        tuple(Reden(x["code"], x["uitleg"]) for x in r.redenen),
        r.vroegste_behandeldatum,
        r.ingediend_op,
        r.status,
        r.besloten_op,
        r.besluit_reden,
        r.uitkering_id,
        Reden(r.niet_geopend["code"], r.niet_geopend["uitleg"]) if r.niet_geopend else None,
    )


class SqlHeraanvragen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def voeg_toe(self, h: Heraanvraag) -> None:
        a = h.aanvraag
        await self._conn.execute(
            heraanvragen.insert().values(
                heraanvraag_id=h.heraanvraag_id,
                persoon=h.persoon,
                bsn=h.bsn,
                gemeentecode=h.gemeentecode,
                meldingsdatum=a.meldingsdatum,
                startdatum=a.startdatum,
                wijzigingen=list(a.wijzigingen),
                praktijkonderwijs_of_vso=a.praktijkonderwijs_of_vso,
                aanvullend=_aanvullend(a),
                zoektermijn_ontheffing=a.ontheffing,
                hergebruik=als_json(h.hergebruik),
                recent_inkomen=_inkomen_json(h.recent_inkomen),
                status=h.status,
                redenen=[{"code": x.code, "uitleg": x.uitleg} for x in h.redenen],
                ingediend_op=h.ingediend_op,
                besloten_op=h.besloten_op,
                besluit_reden=h.besluit_reden,
                vroegste_behandeldatum=h.vroegste_behandeldatum,
            )
        )

    async def lees(self, heraanvraag_id: str) -> Heraanvraag | None:
        row = (
            await self._conn.execute(sa.select(heraanvragen).where(heraanvragen.c.heraanvraag_id == heraanvraag_id))
        ).first()
        return _heraanvraag(row) if row else None

    async def werk_bij(self, h: Heraanvraag) -> None:
        await self._conn.execute(
            heraanvragen.update()
            .where(heraanvragen.c.heraanvraag_id == h.heraanvraag_id)
            .values(
                status=h.status,
                besluit_reden=h.besluit_reden,
                besloten_op=h.besloten_op,
                uitkering_id=h.uitkering_id,
                zoektermijn_ontheffing=h.aanvraag.ontheffing,
                vroegste_behandeldatum=h.vroegste_behandeldatum,
                hergebruik=als_json(h.hergebruik),  # a first application: the caseworker's situation
                niet_geopend={"code": h.niet_geopend.code, "uitleg": h.niet_geopend.uitleg} if h.niet_geopend else None,
            )
        )

    async def van_persoon(self, persoon: str, gemeentecode: str | None) -> list[Heraanvraag]:
        h = heraanvragen
        query = sa.select(h).where(h.c.persoon == persoon)
        if gemeentecode is not None:
            query = query.where(h.c.gemeentecode == gemeentecode)
        return [_heraanvraag(r) for r in await self._conn.execute(query)]

    async def van_gemeente(
        self,
        gemeentecode: str,
        status: str | None,
        na: tuple[date, datetime, str] | None = None,
        aantal: int | None = None,
    ) -> list[Heraanvraag]:
        h = heraanvragen
        query = sa.select(h).where(h.c.gemeentecode == gemeentecode)
        if status == ZONDER_UITKERING:  # as domain.heraanvraag.in_lijst
            query = query.where(h.c.status == "toegekend", h.c.uitkering_id.is_(None))
        elif status:
            query = query.where(h.c.status == status)
        volgorde = (h.c.meldingsdatum, h.c.ingediend_op, h.c.heraanvraag_id)
        return [_heraanvraag(r) for r in await self._conn.execute(_na(query, volgorde, na, aantal))]

    async def besloten_in(self, gemeentecode: str | None, periode: Periode) -> list[Heraanvraag]:
        van, tot = (middernacht(d) for d in (periode.van, periode.tot + timedelta(days=1)))
        query = sa.select(heraanvragen).where(heraanvragen.c.besloten_op >= van, heraanvragen.c.besloten_op < tot)
        if gemeentecode:
            query = query.where(heraanvragen.c.gemeentecode == gemeentecode)
        return [_heraanvraag(r) for r in await self._conn.execute(query)]


class SqlBewaring:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def uitgestroomd(self, tot: date) -> list[str]:
        t, h, o = heraanvraagtermijnen, heraanvragen, overdrachten
        # a decision ends on its Dutch day, which is only compared with `tot`: before it when decided
        # before `tot`'s Dutch midnight (an instant, the same on SQLite and PostgreSQL), else not before
        # it; NULL while undecided
        grens = middernacht(tot)
        besloten = sa.case(
            (h.c.besloten_op < grens, sa.literal(tot - timedelta(days=1), sa.Date)),
            (h.c.besloten_op >= grens, sa.literal(tot, sa.Date)),
        )
        einden = sa.union_all(
            sa.select(t.c.persoon, sa.func.coalesce(t.c.gesloten_op, t.c.geldig_tot).label("einde")),
            sa.select(h.c.persoon, besloten),
            sa.select(o.c.persoon, sa.func.coalesce(o.c.besluit_op, o.c.ww_einddatum)),
            sa.select(uitkeringen.c.persoon, uitkeringen.c.einddatum),  # NULL: running
        )
        return await bewaring.uitgestroomd(self._conn, einden, tot)

    async def vergeet_los(self, tot: date) -> int:
        houders = [
            heraanvraagtermijnen.c.persoon,
            heraanvragen.c.persoon,
            overdrachten.c.persoon,
            uitkeringen.c.persoon,
        ]
        g = doelgroepen.c
        geen = g.grond.is_(None) & (sa.func.coalesce(g.sinds, date.min) < tot)
        return (
            await self._conn.execute(doelgroepen.delete().where(geen, bewaring.niet_gehouden(g.persoon, houders)))
        ).rowcount

    async def vergeet(self, personen: list[str], vandaag: date) -> None:
        for deel in chunks(personen):
            u = uitkeringen.c
            zaken = await self._conn.execute(sa.select(u.uitkering_id, u.volgnummer).where(u.persoon.in_(deel)))
            await upsert(
                self._conn,
                vergeten_uitkeringen,
                [
                    {"uitkering_id": z.uitkering_id, "volgnummer": z.volgnummer or 0, "vergeten_op": vandaag}
                    for z in zaken
                ],
            )
            for tabel in (heraanvraagtermijnen, uitkeringen, heraanvragen, overdrachten):
                await self._conn.execute(tabel.delete().where(tabel.c.persoon.in_(deel)))
            # a doelgroep ground that still says something is registration's: it stays (vergeet_los)
            g = doelgroepen.c
            await self._conn.execute(doelgroepen.delete().where(g.persoon.in_(deel), g.grond.is_(None)))
            await forget(self._conn, deel)

    async def vergeet_vergeten(self, tot: date) -> None:
        await self._conn.execute(vergeten_uitkeringen.delete().where(vergeten_uitkeringen.c.vergeten_op < tot))


class UnitOfWork(SqlUnitOfWork):
    def bind(self, conn: AsyncConnection) -> None:
        self.termijnen = SqlTermijnen(conn)
        self.uitkeringen = SqlUitkeringen(conn)
        self.beleid = SqlTermijnbeleid(conn)
        self.overdrachten = SqlOverdrachten(conn)
        self.doelgroepen = SqlDoelgroepen(conn)
        self.heraanvragen = SqlHeraanvragen(conn)
        self.bewaring = SqlBewaring(conn)
