import sqlalchemy as sa

from schakel.persistence.types import UtcDateTime

metadata = sa.MetaData()

heraanvraagtermijnen = sa.Table(
    "heraanvraagtermijnen",
    metadata,
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
    "termijnbeleid",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("geldig_vanaf", sa.Date, primary_key=True),
    sa.Column("maanden", sa.Integer, nullable=False),
)

# Max-WW handovers from UWV, one per person, held by the municipality of residence
overdrachten = sa.Table(
    "overdrachten",
    metadata,
    sa.Column("overdracht_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),  # one per WW handed over (0015)
    sa.Column("bsn", sa.String(9), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("ww_einddatum", sa.Date, nullable=False),
    sa.Column("grondslag", sa.JSON, nullable=False),
    sa.Column("stappen", sa.JSON, nullable=False),
    sa.Column("besluit_op", sa.Date),
    sa.Column("besluit_startdatum", sa.Date),
    sa.Column("ww_bedrag_soort", sa.String(12)),  # dagloon or maandbedrag, when the consent or basis covers it
    sa.Column("ww_bedrag", sa.BigInteger),  # cents
    sa.Column("gemeld_op", sa.Date),  # UWV's first notification (the lead time)
    sa.Column("uitkomst", sa.String(24)),  # werk-gevonden, geen-bijstand-nodig
    sa.Column("uitkomst_op", sa.Date),
    # the first case opened in the latest other municipality, for a move UWV has yet to report (0010)
    sa.Column("elders_gemeentecode", sa.String(6)),
    sa.Column("elders_besluit_op", sa.Date),
    sa.Column("elders_startdatum", sa.Date),
    sa.Column("melding_op", UtcDateTime),  # when UWV made the latest notification applied, if it said (0018)
    sa.Index("ix_overdrachten_volgorde", "gemeentecode", "ww_einddatum", "overdracht_id"),
)

heraanvragen = sa.Table(
    "heraanvragen",
    metadata,
    sa.Column("heraanvraag_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("bsn", sa.String(9), nullable=False),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("meldingsdatum", sa.Date, nullable=False),
    sa.Column("startdatum", sa.Date, nullable=False),
    sa.Column("wijzigingen", sa.JSON, nullable=False),
    sa.Column("praktijkonderwijs_of_vso", sa.Boolean, nullable=False),
    sa.Column("hergebruik", sa.JSON),
    sa.Column("recent_inkomen", sa.JSON),  # the latest polis month known at submission
    sa.Column("status", sa.String(20), nullable=False),  # toegekend, beoordelen, afgewezen
    sa.Column("vroegste_behandeldatum", sa.Date, nullable=False),  # after the search period, if any
    sa.Column("redenen", sa.JSON, nullable=False),
    sa.Column("besluit_reden", sa.Text),  # a caseworker's (up to 500), or an automatic grant's explanation
    sa.Column("ingediend_op", UtcDateTime, nullable=False),
    sa.Column("besloten_op", UtcDateTime),
    sa.Column("uitkering_id", sa.String(36)),  # the case decisions opened, once it confirmed
    # a first application's ages and exemptions, a temporary contract's end (for the search period)
    sa.Column("aanvullend", sa.JSON),
    sa.Column("zoektermijn_ontheffing", sa.String(500)),  # the caseworker's reason for waiving it
    sa.Column("niet_geopend", sa.JSON),  # {code, uitleg}: decisions did not reopen the grant (migration 0011)
    # a municipality's list, read page by page in its order (migration 0009)
    sa.Index("ix_heraanvragen_volgorde", "gemeentecode", "meldingsdatum", "ingediend_op", "heraanvraag_id"),
)

# the person's cases as decisions announced them (migration 0011): a re-application waits for a
# running one to end
uitkeringen = sa.Table(
    "uitkeringen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("einddatum", sa.Date),  # NULL while it runs
    sa.Column("volgnummer", sa.BigInteger),  # ce_sequence of the last event applied (NULL: from before)
    # its opening (0014; NULL: from before, or its end arrived first): a handover notified later finds it
    sa.Column("gemeentecode", sa.String(6)),
    sa.Column("besloten_op", sa.Date),
    sa.Column("startdatum", sa.Date),
)

# a case retention forgot: its id and the last sequence number applied (0: unnumbered), for as long
# as a copy of one of its events can still arrive (service.bewaring); no person
vergeten_uitkeringen = sa.Table(
    "vergeten_uitkeringen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("volgnummer", sa.BigInteger, nullable=False),
    sa.Column("vergeten_op", sa.Date, nullable=False, index=True),
)

# the doelgroepregister ground per person, from the registration service
doelgroepen = sa.Table(
    "doelgroepen",
    metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("grond", sa.String(30)),
    sa.Column("volgnummer", sa.BigInteger),  # the sequence of the status event it came from
    sa.Column("sinds", sa.Date),  # that status's day (None: stored before it was kept)
)
