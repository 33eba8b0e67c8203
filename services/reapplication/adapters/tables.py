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

# Max-WW handovers from UWV, one per person, held by the municipality of residence
overdrachten = sa.Table(
    "overdrachten", metadata,
    sa.Column("overdracht_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, unique=True),
    sa.Column("bsn", sa.String(9), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
    sa.Column("ww_einddatum", sa.Date, nullable=False),
    sa.Column("grondslag", sa.JSON, nullable=False),
    sa.Column("stappen", sa.JSON, nullable=False),
    sa.Column("besluit_op", sa.Date),
    sa.Column("besluit_startdatum", sa.Date),
)
