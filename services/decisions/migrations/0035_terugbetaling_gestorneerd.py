"""A repayment that did not hold (the bank reversed it, or it was booked in error) is reversed by a
booking of the same kind and reference with the amount negative (`POST
/uitkeringen/{uitkeringId}/terugbetalingen/_storneer`). The reference stays once per case for each: one
repayment, and at most one reversal of it. Instances of the earlier version read the reversal as a
repayment that takes off less, but tell the person "min € …" was paid back: reversals wait for
DECISIONS_STORNERINGEN, set once they are gone.

Revision ID: decisions_0035
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0035"
down_revision = "decisions_0034"
branch_labels = None
depends_on = None

_TABEL, _KOLOMMEN = "vorderingsboekingen", ["uitkering_id", "kenmerk"]


def upgrade() -> None:
    op.drop_index("vorderingsboekingen_kenmerk", _TABEL)
    for naam, waar in (("vorderingsboekingen_kenmerk", "bedrag > 0"), ("vorderingsboekingen_storno", "bedrag < 0")):
        op.create_index(
            naam, _TABEL, _KOLOMMEN, unique=True, postgresql_where=sa.text(waar), sqlite_where=sa.text(waar)
        )


def downgrade() -> None:
    op.drop_index("vorderingsboekingen_storno", _TABEL)
    op.drop_index("vorderingsboekingen_kenmerk", _TABEL)
    op.create_index("vorderingsboekingen_kenmerk", _TABEL, _KOLOMMEN, unique=True)
