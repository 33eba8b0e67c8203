import sqlalchemy as sa

from schakel.persistence.types import IdType

metadata = sa.MetaData()

doelgroepregistraties = sa.Table(
    "doelgroepregistraties", metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("bsn", sa.String(9), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("grond", sa.String(30), nullable=False),
    sa.Column("startdatum", sa.Date, nullable=False),
    sa.Column("einddatum", sa.Date),
)
