import sqlalchemy as sa

from schakel.persistence.types import IdType, UtcDateTime

metadata = sa.MetaData()


def bekend() -> list[sa.Column]:
    """domain.populatie.Bekend: when income learned of the row, and its end before the latest change
    (a month's closing judges the population as the provider read it)."""
    return [
        sa.Column("bekend_op", UtcDateTime),
        sa.Column("vorig_einde", sa.Date),
        sa.Column("einde_gewijzigd_op", UtcDateTime),
        sa.Column("vorig_einde_sinds", UtcDateTime),
    ]


# one row per benefit case: the population is every person with a case running on a date
populatie = sa.Table(
    "populatie",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("bsn", sa.String(9), nullable=False, index=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("sinds", sa.Date, nullable=False),
    sa.Column("tot", sa.Date),
    # the sequence number of the latest change (household, end) applied: an older one replayed is skipped
    sa.Column("volgnummer", sa.BigInteger),
    *bekend(),
)

# a partner of a case's household is in the population for their period in it (their income counts)
partners = sa.Table(
    "partners",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("sinds", sa.Date, primary_key=True),
    sa.Column("bsn", sa.String(9), nullable=False, index=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("tot", sa.Date),
    *bekend(),
    sa.Index("ix_partners_persoon", "persoon"),
)

# open re-application windows keep a person in the population after the case ended
heraanvraagtermijnen = sa.Table(
    "heraanvraagtermijnen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("bsn", sa.String(9), nullable=False, index=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("geldig_tot", sa.Date, nullable=False),
    sa.Column("volgnummer", sa.BigInteger),  # of the latest announcement applied (reapplication's numbering)
    *bekend(),
)

# every version of every declaration; `actueel` marks the latest of (employer, IKV, period)
polisregels = sa.Table(
    "polisregels",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("persoon", sa.String(64), nullable=False),
    sa.Column("loonheffingennummer", sa.String(12), nullable=False),
    sa.Column("inkomstenverhouding", sa.BigInteger, nullable=False),
    sa.Column("tijdvak_begin", sa.Date, nullable=False),
    sa.Column("versie", sa.Integer, nullable=False),
    sa.Column("actueel", sa.Boolean, nullable=False),
    sa.Column("vingerafdruk", sa.String(64), nullable=False),
    sa.Column("inhoud", sa.JSON, nullable=False),
    sa.Column("leverancier", sa.String(20), nullable=False),
    sa.Column("levering_id", sa.String(100), nullable=False),
    sa.Column("ontvangen_op", UtcDateTime, nullable=False),
    sa.Column("aangemaakt_op", UtcDateTime),  # when the provider made this version, if it said so
    sa.UniqueConstraint(
        "persoon", "loonheffingennummer", "inkomstenverhouding", "tijdvak_begin", "versie", name="uq_polisregels_versie"
    ),
    sa.Index("ix_polisregels_persoon_actueel", "persoon", "actueel"),
    # whether a provider delivered over a month (its closing's check)
    sa.Index("ix_polisregels_leverancier_tijdvak", "leverancier", "tijdvak_begin"),
)

# the established net income per person and month, with the contributions that explain it
maandinkomens = sa.Table(
    "maandinkomens",
    metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("loon", sa.BigInteger, nullable=False),
    sa.Column("vakantiebijslag", sa.BigInteger, nullable=False),
    sa.Column("polis_loon", sa.BigInteger, nullable=False),
    sa.Column("bron", sa.String(20), nullable=False),
    sa.Column("te_beoordelen", sa.Boolean, nullable=False),
    sa.Column("bijdragen", sa.JSON, nullable=False),
    sa.Column("gewijzigd_op", UtcDateTime, nullable=False),
)

overschrijvingen = sa.Table(
    "overschrijvingen",
    metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("loon", sa.BigInteger, nullable=False),
    sa.Column("reden", sa.String(500), nullable=False),
    sa.Column("polis_versies", sa.Text, nullable=False),
    sa.Column("te_beoordelen", sa.Boolean, nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("vastgelegd_door", sa.String(20), nullable=False),
    sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
)

leveringen = sa.Table(
    "leveringen",
    metadata,
    sa.Column("leverancier", sa.String(20), primary_key=True),
    sa.Column("levering_id", sa.String(100), primary_key=True),
    sa.Column("kanaal", sa.String(10), nullable=False),
    sa.Column("vingerafdruk", sa.String(64)),
    sa.Column("ontvangen_op", UtcDateTime, nullable=False),
    sa.Column("bijgewerkt_op", UtcDateTime, nullable=False),
    sa.Column("aantallen", sa.JSON, nullable=False),
    sa.Column("antwoord", sa.JSON),
    # a refusal came beyond the first MAX_AFWIJZINGEN kept (migration 0016)
    sa.Column("afwijzingen_afgekapt", sa.Boolean, nullable=False, server_default=sa.false()),
)

# why the declarations of a Kafka delivery were refused: the first 1000 of each, for a while (migrations 0015, 0016)
afwijzingen = sa.Table(
    "afwijzingen",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("leverancier", sa.String(20), nullable=False),
    sa.Column("levering_id", sa.String(100), nullable=False),
    sa.Column("event_id", sa.String(200)),  # the record's CloudEvents id, where it could be read, masked
    sa.Column("sleutel", sa.String(100)),  # a keyed hash of that id as it came: a retry is the same record
    sa.Column("partitie", sa.Integer),  # else its place on the topic
    sa.Column("positie", sa.BigInteger),
    sa.Column("reden", sa.String(2000), nullable=False),  # the field and the rule, never a value
    sa.Column("afgewezen_op", UtcDateTime, nullable=False),
    sa.Index("afwijzingen_levering", "leverancier", "levering_id", "id"),
    sa.Index("afwijzingen_afgewezen_op", "afgewezen_op"),  # retention (migration 0016)
)

toerekeningsbeleid = sa.Table(
    "toerekeningsbeleid",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("toerekening", sa.String(30), nullable=False),
    sa.Column("gewijzigd_op", UtcDateTime, nullable=False),
)

# persons whose months must be recomputed in the background (after an attribution policy change)
herberekeningen = sa.Table(
    "herberekeningen",
    metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
)

# a provider's closing of a month, worked off in the background (service.afsluitingen)
maandafsluitingen = sa.Table(
    "maandafsluitingen",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("leverancier", sa.String(20), nullable=False),
    sa.Column("maand", sa.String(7), nullable=False),
    sa.Column("gelezen_op", UtcDateTime, nullable=False),
    sa.Column("gemeentecodes", sa.JSON, nullable=False),
    sa.Column("zonder_aangiften", sa.JSON),  # null: asked before income 0.14.0, when it was not stated
    sa.Column("aangevraagd_op", UtcDateTime, nullable=False),
    sa.Column("personen", sa.Integer, nullable=False),
    sa.Column("zonder_inkomen", sa.Integer, nullable=False),
    sa.Column("na", sa.String(9)),
    sa.Column("afgerond_op", UtcDateTime),
    sa.Column("pogingen", sa.Integer, nullable=False),  # failed attempts at its next page, in a row
    sa.Column("fout_sinds", UtcDateTime),  # the first of those failures
    sa.Column("mislukt_op", UtcDateTime),  # given up after too many, for too long
)
# the open ones, least failed and oldest first: what the workers claim (the queries use OPEN too, so
# they match the index's condition)
OPEN = sa.and_(maandafsluitingen.c.afgerond_op.is_(None), maandafsluitingen.c.mislukt_op.is_(None))
sa.Index(
    "ix_maandafsluitingen_open",
    maandafsluitingen.c.pogingen,
    maandafsluitingen.c.aangevraagd_op,
    postgresql_where=OPEN,
    sqlite_where=OPEN,
)
