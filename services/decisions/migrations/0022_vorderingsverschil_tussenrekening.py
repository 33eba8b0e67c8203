"""Claims book each settled month's difference with the person (`vorderingsverschillen`). From decisions
0.11 a month paid as stable income has the difference minus what was paid as an advance: its bijstand
went into the intermediate account, not to the person. Booked before as what was payable minus what was
paid, such a month would turn into a claim of its whole bijstand when settled again; its booked
difference is rebased to the new meaning instead (the same version: nothing changed for the person).
Only cases that were ever on stable income are read. A month is on stable income when the situation in
force on its first day (or on the case's start, in its first month) says so, as settling reads it.

Revision ID: decisions_0022
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "decisions_0022"
down_revision = "decisions_0021"
branch_labels = None
depends_on = None

STABIEL = "stabiel-inkomen"
uitkeringen = sa.table("uitkeringen", sa.column("uitkering_id"), sa.column("startdatum"))
situaties = sa.table("situaties", sa.column("uitkering_id"), sa.column("ingangsdatum"), sa.column("betaalmodel"))
verschillen = sa.table("vorderingsverschillen", sa.column("uitkering_id"), sa.column("maand"), sa.column("verschil"))
betalingen = sa.table("betalingen", sa.column("uitkering_id"), sa.column("maand"), sa.column("bedrag"))
verrekeningen = sa.table("verrekeningen", sa.column("uitkering_id"), sa.column("maand"), sa.column("te_betalen"))


def _stabiele_maanden(conn) -> list[tuple[str, str]]:
    """(case, month) of every booked difference of a month on stable income."""
    ooit = sa.select(situaties.c.uitkering_id).where(situaties.c.betaalmodel == STABIEL).distinct()
    start = dict(
        conn.execute(
            sa.select(uitkeringen.c.uitkering_id, uitkeringen.c.startdatum).where(uitkeringen.c.uitkering_id.in_(ooit))
        ).all()
    )
    per_zaak: dict[str, list[tuple[date, str]]] = {}
    for rij in conn.execute(
        sa.select(situaties.c.uitkering_id, situaties.c.ingangsdatum, situaties.c.betaalmodel)
        .where(situaties.c.uitkering_id.in_(ooit))
        .order_by(situaties.c.uitkering_id, situaties.c.ingangsdatum)
    ):
        per_zaak.setdefault(rij.uitkering_id, []).append((_datum(rij.ingangsdatum), rij.betaalmodel))
    result = []
    for rij in conn.execute(
        sa.select(verschillen.c.uitkering_id, verschillen.c.maand).where(verschillen.c.uitkering_id.in_(ooit))
    ):
        jaar, maand = (int(d) for d in rij.maand.split("-"))
        dag = max(date(jaar, maand, 1), _datum(start[rij.uitkering_id]))
        geldend = [m for d, m in per_zaak[rij.uitkering_id] if d <= dag] or [per_zaak[rij.uitkering_id][0][1]]
        if geldend[-1] == STABIEL:
            result.append((rij.uitkering_id, rij.maand))
    return result


def _datum(waarde) -> date:
    return waarde if isinstance(waarde, date) else date.fromisoformat(str(waarde)[:10])  # SQLite gives text


def _zet(conn, nieuw) -> None:
    for uitkering_id, maand in _stabiele_maanden(conn):
        conn.execute(
            verschillen.update()
            .where(verschillen.c.uitkering_id == uitkering_id, verschillen.c.maand == maand)
            .values(verschil=nieuw(uitkering_id, maand))
        )


def _betaald(conn):
    def betaald(uitkering_id: str, maand: str) -> int:
        rij = conn.execute(
            sa.select(betalingen.c.bedrag).where(betalingen.c.uitkering_id == uitkering_id, betalingen.c.maand == maand)
        ).first()
        return 0 if rij is None else rij.bedrag

    return betaald


def upgrade() -> None:
    conn = op.get_bind()
    betaald = _betaald(conn)
    _zet(conn, lambda uitkering_id, maand: -betaald(uitkering_id, maand))


def downgrade() -> None:
    conn = op.get_bind()
    betaald = _betaald(conn)

    def te_betalen(uitkering_id: str, maand: str) -> int:
        rij = conn.execute(
            sa.select(verrekeningen.c.te_betalen).where(
                verrekeningen.c.uitkering_id == uitkering_id, verrekeningen.c.maand == maand
            )
        ).first()
        return 0 if rij is None else rij.te_betalen

    _zet(conn, lambda uitkering_id, maand: te_betalen(uitkering_id, maand) - betaald(uitkering_id, maand))
