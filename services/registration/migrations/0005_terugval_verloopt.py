"""A fallback that ends (a dagbesteding indication's last day, the end of a Wajong or WIA right's
revival) changes the status the day after, without a fact: from this version the hourly task announces
that day, kept with the person's newest fact (`aankondigen_op`; the task reads the earliest of a
person's marks). Whoever had such a fallback before has no such day kept, so their newest fact is
marked with the day after their latest fact that was announced (one dated ahead and still marked is
not: it is announced on its date, later), or keeps its own mark where that is earlier: the task then
compares the status of that day with today's, announces a fallback that ended since (never announced),
and keeps the next day one ends. (A fact that arrived after its date, with a fallback changing between,
may be announced a second time: the same status again.)

Revision ID: registration_0005
"""

from alembic import op

revision = "registration_0005"
down_revision = "registration_0004"
branch_labels = None
depends_on = None

# the facts that give a fallback with a last day (registration.domain.terugval)
SOORTEN = "'dagbesteding-gestart', 'dagbesteding-beeindigd', 'wajong-recht-beeindigd', 'wia-recht-beeindigd'"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    dag_erna = "date(max(l.datum), '+1 day')" if sqlite else "max(l.datum) + 1"
    # the day after the latest fact announced (no mark left: it arrived on or after its date, or its date came)
    dag = f"(SELECT {dag_erna} FROM feiten l WHERE l.persoon = feiten.persoon AND l.aankondigen_op IS NULL)"
    # the earlier of that day and the newest fact's own mark, either of which may be missing
    vroegste = (
        f"min(coalesce(aankondigen_op, {dag}), coalesce({dag}, aankondigen_op))"
        if sqlite
        else f"least(aankondigen_op, {dag})"
    )
    op.execute(
        f"UPDATE feiten SET aankondigen_op = {vroegste} "
        "WHERE id IN (SELECT max(id) FROM feiten GROUP BY persoon) "
        f"AND persoon IN (SELECT persoon FROM feiten WHERE soort IN ({SOORTEN}))"
    )


def downgrade() -> None:
    # the marks are announced and cleared by the task; code before this version announces them as it
    # announces facts dated ahead
    pass
