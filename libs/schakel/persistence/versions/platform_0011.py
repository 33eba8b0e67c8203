"""An index on the processing log by person, organisation and municipality, so that a municipality
asking about someone who does not live there (a former resident's access request) reads only its own
records: a read through the person's index would also walk every record others hold, and its time
would tell whether they do. On PostgreSQL it is built CONCURRENTLY after the migrations' transaction
(`schakel.persistence.indexes`): a plain build on the largest table would hold every write to it while it
runs. SQLite builds it here.

Revision ID: platform_0011
"""

from alembic import op

revision = "platform_0011"
down_revision = "platform_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("verwerkingen_eigen", "verwerkingen", ["betrokkene", "organisatie", "gemeente", "begin"])


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS verwerkingen_eigen")
