"""A school leaver's registration in the doelgroepregister (ground `vso-pro`) no longer puts a
positive advice beschut werk to sleep (registration 0.7.4): it is no indication by UWV. The status of
someone registered so after a positive advice changes with it (no sleeping advice as a fallback, the
waiting list kept), so their positive advice is marked to be announced: the next run of the hourly
task tells decisions and reapplication the status of today.

Revision ID: registration_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "registration_0004"
down_revision = "registration_0003"
branch_labels = None
depends_on = None

feiten = sa.table(
    "feiten",
    sa.column("persoon", sa.String),
    sa.column("soort", sa.String),
    sa.column("datum", sa.Date),
    sa.column("gegevens", sa.JSON),
    sa.column("aankondigen_op", sa.Date),
)


def upgrade() -> None:
    school = feiten.alias("school")
    na_advies = (
        sa.select(school.c.persoon)
        .where(
            school.c.persoon == feiten.c.persoon,
            school.c.soort == "doelgroepregistratie-gestart",
            school.c.gegevens["grond"].as_string() == "vso-pro",
            school.c.datum >= feiten.c.datum,
        )
        .exists()
    )
    op.execute(
        feiten.update()
        .where(
            feiten.c.soort == "advies-uitgebracht",
            feiten.c.gegevens["uitkomst"].as_string() == "positief",
            feiten.c.aankondigen_op.is_(None),
            na_advies,
        )
        .values(aankondigen_op=feiten.c.datum)
    )


def downgrade() -> None:
    pass  # the marks are announced and cleared by the task; nothing to undo
