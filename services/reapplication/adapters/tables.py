import sqlalchemy as sa

metadata = sa.MetaData()

heraanvraagtermijnen = sa.Table(
    "heraanvraagtermijnen", metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("einddatum", sa.Date, nullable=False),
    sa.Column("geldig_tot", sa.Date, nullable=False),
    sa.Column("gesloten_op", sa.Date),
)
