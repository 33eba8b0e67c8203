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
    sa.Column("hergebruik", sa.JSON),
)

# a municipality's re-application window in months, for benefits ending from a date on
termijnbeleid = sa.Table(
    "termijnbeleid", metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("geldig_vanaf", sa.Date, primary_key=True),
    sa.Column("maanden", sa.Integer, nullable=False),
)
