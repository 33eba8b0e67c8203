import sqlalchemy as sa

from schakel.persistence.types import IdType, UtcDateTime

metadata = sa.MetaData()

# every dated fact about a person's participation, from UWV or the municipality; the id is the
# arrival order, which breaks ties between facts of the same date
feiten = sa.Table(
    "feiten",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("bsn", sa.String(9), nullable=False),
    sa.Column("soort", sa.String(40), nullable=False),
    sa.Column("datum", sa.Date, nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
    sa.Column("gegevens", sa.JSON, nullable=False),
    sa.Column("bron", sa.String(20), nullable=False),
    sa.Column("ontvangen_op", UtcDateTime, nullable=False),
    # a fact dated after the day it arrived: the status it brings is announced on that date (0003)
    sa.Column("aankondigen_op", sa.Date, index=True),
    # a banenafspraak job: UWV was asked to assess it when it arrived (null: stored before 0006)
    sa.Column("uwv_gevraagd", sa.Boolean),
)

# what stays of a fact withdrawn (reported in error): its kind, date and municipality for the history,
# what it said only as a fingerprint that recognises the same withdrawal again (0006)
intrekkingen = sa.Table(
    "intrekkingen",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("soort", sa.String(40), nullable=False),
    sa.Column("datum", sa.Date, nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("kenmerk", sa.String(64), nullable=False),
    sa.Column("door", sa.String(20), nullable=False),
    sa.Column("ingetrokken_op", UtcDateTime, nullable=False, index=True),
)

# the minimum number of beschut werk places per municipality and year (ministerial regulation)
taakstellingen = sa.Table(
    "taakstellingen",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("jaar", sa.Integer, primary_key=True),
    sa.Column("aantal", sa.Integer, nullable=False),
    sa.Column("vastgesteld_door", sa.String(20), nullable=False),
    sa.Column("vastgesteld_op", UtcDateTime, nullable=False),
)
