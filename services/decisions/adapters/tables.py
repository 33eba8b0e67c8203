import sqlalchemy as sa

metadata = sa.MetaData()

uitkeringen = sa.Table(
    "uitkeringen", metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("bsn", sa.String(9), nullable=False, index=True),
    sa.Column("persoon", sa.String(64), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("geboortedatum", sa.Date, nullable=False),
    sa.Column("startdatum", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("einddatum", sa.Date),
    sa.Column("reden", sa.String(20)),
)

# the doelgroepregister status of persons, as the registration service reports it
deelnamestatussen = sa.Table(
    "deelnamestatussen", metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("grond", sa.String(30)),
    sa.Column("ingangsdatum", sa.Date, nullable=False),
)
