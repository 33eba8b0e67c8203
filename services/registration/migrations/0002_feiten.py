"""Participation as dated facts (the doelgroepregister rows become facts), and the yearly
minimum number of beschut werk places.

Revision ID: registration_0002
"""

import sqlalchemy as sa
from alembic import op

from schakel.clock import SYSTEM

revision = "registration_0002"
down_revision = "registration_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    feiten = op.create_table(
        "feiten",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("soort", sa.String(40), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
        sa.Column("gegevens", sa.JSON, nullable=False),
        sa.Column("bron", sa.String(20), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
    )
    oud = sa.table(
        "doelgroepregistraties",
        sa.column("id"),
        sa.column("persoon"),
        sa.column("bsn"),
        sa.column("gemeentecode"),
        sa.column("grond"),
        sa.column("startdatum"),
        sa.column("einddatum"),
    )
    now = SYSTEM.now()  # when the facts were moved over
    rows = []
    for r in op.get_bind().execute(sa.select(oud).order_by(oud.c.id)):
        base = {"persoon": r.persoon, "bsn": r.bsn, "gemeentecode": r.gemeentecode, "bron": "uwv", "ontvangen_op": now}
        rows.append(
            base | {"soort": "doelgroepregistratie-gestart", "datum": r.startdatum, "gegevens": {"grond": r.grond}}
        )
        if r.einddatum is not None:
            rows.append(base | {"soort": "doelgroepregistratie-beeindigd", "datum": r.einddatum, "gegevens": {}})
    if rows:
        op.bulk_insert(feiten, rows)
    op.drop_table("doelgroepregistraties")
    op.create_table(
        "taakstellingen",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("jaar", sa.Integer, primary_key=True),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("vastgesteld_door", sa.String(20), nullable=False),
        sa.Column("vastgesteld_op", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("facts cannot be folded back into registration rows")
