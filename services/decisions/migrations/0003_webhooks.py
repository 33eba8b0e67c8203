"""Webhook subscriptions, their deliveries and every delivery attempt; the history of each case.

Revision ID: decisions_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0003"
down_revision = "decisions_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "abonnementen",
        sa.Column("abonnement_id", sa.String(36), primary_key=True),
        sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
        sa.Column("oin", sa.String(20), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("geheim", sa.String(100), nullable=False),
        sa.Column("actief", sa.Boolean, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "afleveringen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("abonnement_id", sa.String(36), nullable=False, index=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("traceparent", sa.String(100)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pogingen", sa.Integer, nullable=False),
        sa.Column("volgende_poging_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_afleveringen_te_doen", "afleveringen", ["status", "volgende_poging_op"])
    op.create_table(
        "pogingen",
        sa.Column("aflevering_id", sa.BigInteger, primary_key=True),
        sa.Column("nummer", sa.Integer, primary_key=True),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statuscode", sa.Integer),
        sa.Column("fout", sa.String(200)),
        sa.Column("duur_ms", sa.Integer, nullable=False),
    )
    op.create_table(
        "gebeurtenissen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("uitkering_id", sa.String(36), nullable=False, index=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("maand", sa.String(7)),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("gebeurtenissen", "pogingen", "afleveringen", "abonnementen"):
        op.drop_table(table)
