import sqlalchemy as sa

metadata = sa.MetaData()

# one row per benefit case: the population is every person with a case running on a date
populatie = sa.Table(
    "populatie", metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("bsn", sa.String(9), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("sinds", sa.Date, nullable=False),
    sa.Column("tot", sa.Date),
)
