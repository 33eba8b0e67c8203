"""Each municipality's months first settled, counted per day they were (the payment calendar's
timeliness, `GET /tijdigheid`, and the programme's figures): counted in the transaction that first
settles a month, and kept without a person, as the outflow counts are. They were worked out on every
request from the whole case history (every `verrekening.vastgesteld` row joined to its case): 3 to
17 s a request at national scale, growing each month. The counts start from that history.

Revision ID: decisions_0017
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0017"
down_revision = "decisions_0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eerste_verrekeningen",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("dag", sa.Date, primary_key=True),  # in UTC
        sa.Column("aantal", sa.Integer, nullable=False),
    )
    # the UTC day of a case-month's first settlement (SQLite keeps the UTC time without its zone)
    dag = (
        "date(min(g.tijdstip))"
        if op.get_bind().dialect.name == "sqlite"
        else "CAST(timezone('UTC', min(g.tijdstip)) AS date)"
    )
    op.execute(
        "INSERT INTO eerste_verrekeningen (gemeentecode, maand, dag, aantal)"
        " SELECT gemeentecode, maand, dag, count(*) FROM ("
        f"  SELECT u.gemeentecode AS gemeentecode, g.maand AS maand, {dag} AS dag"
        "   FROM gebeurtenissen g JOIN uitkeringen u ON u.uitkering_id = g.uitkering_id"
        "   WHERE g.type = 'nl.participatiewet.verrekening.vastgesteld' AND g.maand IS NOT NULL"
        "   GROUP BY g.uitkering_id, u.gemeentecode, g.maand"
        " ) eerste GROUP BY gemeentecode, maand, dag"
    )


def downgrade() -> None:
    op.drop_table("eerste_verrekeningen")
