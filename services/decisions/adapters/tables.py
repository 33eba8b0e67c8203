import functools

import sqlalchemy as sa

from schakel.persistence.types import IdType, UtcDateTime
from schakel.primitives import Maand

metadata = sa.MetaData()

# a month as the tables keep it (JJJJ-MM): a few hundred distinct ones, each parsed once (settling a
# delivery reads every month of every case again on each new income)
maand_van = functools.lru_cache(maxsize=4096)(Maand.parse)

uitkeringen = sa.Table(
    "uitkeringen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("bsn", sa.String(9), nullable=False, index=True),
    sa.Column("persoon", sa.String(64), nullable=False, index=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("geboortedatum", sa.Date, nullable=False),
    sa.Column("startdatum", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("einddatum", sa.Date),
    sa.Column("reden", sa.String(20)),
    sa.Column("startklok", sa.JSON),  # [[ground, months]] used in an earlier benefit (domain.uitkering)
    sa.Column("heraanvraag_id", sa.String(36)),  # the re-application that reopened it
    # one running case per person nationally, also under concurrent requests
    sa.Index(
        "uitkeringen_een_lopende_per_bsn",
        "bsn",
        unique=True,
        sqlite_where=sa.text("status = 'lopend'"),
        postgresql_where=sa.text("status = 'lopend'"),
    ),
)

# the doelgroepregister status of persons, as the registration service reports it
deelnamestatussen = sa.Table(
    "deelnamestatussen",
    metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("grond", sa.String(30)),
    sa.Column("ingangsdatum", sa.Date, nullable=False),
    sa.Column("volgnummer", sa.BigInteger),  # the event's ce_sequence (None: from before it was kept)
)

# a case's household situations, each from its own date
situaties = sa.Table(
    "situaties",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("ingangsdatum", sa.Date, primary_key=True),
    sa.Column("huishouden", sa.String(30), nullable=False),
    sa.Column("partner_geboortedatum", sa.Date),
    # the partner (none recorded before Schakel asked for the BSN), found by pseudonym when income arrives
    sa.Column("partner_bsn", sa.String(9)),
    sa.Column("partner_persoon", sa.String(64), index=True),
    sa.Column("partner_medisch_urenbeperkt", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("partner_loonkostensubsidie", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("partner_meer_uren_niet_mogelijk", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("jongste_kind_geboortedatum", sa.Date),
    sa.Column("kostendelers", sa.Integer, nullable=False),
    sa.Column("medisch_urenbeperkt", sa.Boolean, nullable=False),
    sa.Column("loonkostensubsidie", sa.Boolean, nullable=False),
    sa.Column("meer_uren_niet_mogelijk", sa.Boolean, nullable=False),
    sa.Column("regime", sa.String(20), nullable=False),
    sa.Column("betaalmodel", sa.String(20), nullable=False),
    sa.Column(
        "jongerennorm", sa.BigInteger
    ),  # cents: the law's amount for a young household, as the caseworker gave it
)

# net income per person and month, as the income service established it
inkomens = sa.Table(
    "inkomens",
    metadata,
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("netto", sa.BigInteger, nullable=False),
    sa.Column("vakantiebijslag", sa.BigInteger, nullable=False),
    sa.Column("bijdragen", sa.JSON, nullable=False),
    sa.Column("volgnummer", sa.BigInteger),  # the sequence of the income event it came from
    # of netto + vakantiebijslag: other income (benefits, pensions) and income of an unknown kind
    sa.Column("overig", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("onbekend", sa.BigInteger, nullable=False, server_default="0"),
    # the municipality established the month (from a payslip): its lines are the polis's
    sa.Column("overschreven", sa.Boolean, nullable=False, server_default=sa.false()),
)

# a caseworker's judgement of an income relationship whose kind the income service does not know: of
# one person's (the applicant's or a partner's; employers number relationships per employee)
inkomstensoorten = sa.Table(
    "inkomstensoorten",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("persoon", sa.String(64), primary_key=True),
    sa.Column("loonheffingennummer", sa.String(12), primary_key=True),
    sa.Column("inkomstenverhouding", sa.Integer, primary_key=True),
    sa.Column("soort", sa.String(10), nullable=False),
    sa.Column("reden", sa.String(500), nullable=False),
    sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
)

# what was actually paid for a month (the advance)
betalingen = sa.Table(
    "betalingen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
)

# on stable income: the fixed amount the intermediate account paid for a month not settled yet when a
# change back in time reached it (as the case stood before the change)
vaste_bedragen = sa.Table(
    "vaste_bedragen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
)

# the latest settlement of each month of a case; `versie` counts its revisions
verrekeningen = sa.Table(
    "verrekeningen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("versie", sa.Integer, nullable=False),
    sa.Column("te_betalen", sa.BigInteger, nullable=False),
    sa.Column("betaald", sa.BigInteger, nullable=False),
    sa.Column("berekening", sa.JSON, nullable=False),  # the calculation, in its own terms
    sa.Column("vastgesteld_op", UtcDateTime, nullable=False),
    sa.Column("beweging", sa.JSON),  # what settling this version moved (domain.verrekening.Beweging), for its text
)

# the latest proposal to end a case: months above the norm in a row
beeindigingsvoorstellen = sa.Table(
    "beeindigingsvoorstellen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("van_maand", sa.String(7), nullable=False),
    sa.Column("tot_maand", sa.String(7), nullable=False),
    sa.Column("voorgesteld_op", UtcDateTime, nullable=False),
)
# proposals the municipality dismissed (it kept the case), by their run's first month: when, and why
afgewezen_voorstellen = sa.Table(
    "afgewezen_voorstellen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("van_maand", sa.String(7), primary_key=True),
    sa.Column("tot_maand", sa.String(7), nullable=False),
    sa.Column("voorgesteld_op", UtcDateTime, nullable=False),
    sa.Column("afgewezen_op", UtcDateTime, nullable=False),
    sa.Column("reden", sa.String(500), nullable=False),
)

# webhook subscriptions of municipal back offices
abonnementen = sa.Table(
    "abonnementen",
    metadata,
    sa.Column("abonnement_id", sa.String(36), primary_key=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
    sa.Column("oin", sa.String(20), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("event_types", sa.JSON, nullable=False),
    sa.Column("geheim", sa.String(400), nullable=False),  # encrypted (adapters.geheimen)
    sa.Column("actief", sa.Boolean, nullable=False),
    sa.Column("aangemaakt_op", UtcDateTime, nullable=False),
    # the circuit: failed deliveries in a row, paused until, and how many pauses in a row
    sa.Column("opeenvolgende_fouten", sa.Integer, nullable=False, server_default="0"),
    sa.Column("onderbroken_tot", UtcDateTime),
    sa.Column("onderbrekingen", sa.Integer, nullable=False, server_default="0"),
    # the instance that delivers its webhooks, until when (another takes over after that)
    sa.Column("bezorger", sa.String(100)),
    sa.Column("bezorger_tot", UtcDateTime),
    # a stopped one: when, and why (ontvanger-weg: its receiver answered 410; beeindigd: by the municipality)
    sa.Column("gestopt_op", UtcDateTime),
    sa.Column("stopreden", sa.String(20)),
    # paused by its municipality, an operator, or both, since when: its deliveries wait while either stands
    sa.Column("gepauzeerd_gemeente", UtcDateTime),
    sa.Column("gepauzeerd_beheerder", UtcDateTime),
)

# one row per event per subscription, written in the transaction that wrote the event
WACHTEND = sa.text("status = 'wachtend'")
afleveringen = sa.Table(
    "afleveringen",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("abonnement_id", sa.String(36), nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("traceparent", sa.String(100)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("pogingen", sa.Integer, nullable=False),
    sa.Column("volgende_poging_op", UtcDateTime, nullable=False),
    sa.Column("aangemaakt_op", UtcDateTime, nullable=False),
    # the worker's and the back office's reads at national scale (migration 0016)
    sa.Index("ix_afleveringen_abonnement", "abonnement_id", "id"),
    sa.Index("ix_afleveringen_wachtend", "abonnement_id", "id", postgresql_where=WACHTEND, sqlite_where=WACHTEND),
    sa.Index("ix_afleveringen_wachtend_sinds", "aangemaakt_op", postgresql_where=WACHTEND, sqlite_where=WACHTEND),
    # the oldest waiting per subscription, paused or not (migration 0038)
    sa.Index(
        "ix_afleveringen_wachtend_per_abonnement",
        "abonnement_id",
        "aangemaakt_op",
        postgresql_where=WACHTEND,
        sqlite_where=WACHTEND,
    ),
)

# every delivery attempt, for the back office to read
pogingen = sa.Table(
    "pogingen",
    metadata,
    sa.Column("aflevering_id", sa.BigInteger, primary_key=True),
    sa.Column("nummer", sa.Integer, primary_key=True),
    sa.Column("tijdstip", UtcDateTime, nullable=False),
    sa.Column("statuscode", sa.Integer),
    sa.Column("fout", sa.String(200)),
    sa.Column("duur_ms", sa.Integer),  # none when nothing was sent (a refused address)
)

# the case's history: every event the service published about it
gebeurtenissen = sa.Table(
    "gebeurtenissen",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("uitkering_id", sa.String(36), nullable=False, index=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("maand", sa.String(7)),
    sa.Column("tijdstip", UtcDateTime, nullable=False),
    # the change feed's order (migration 0034): the case's municipality (empty from an earlier version's
    # instance), and the writing transaction's id (PostgreSQL's default; 0 on SQLite and before 0034)
    sa.Column("gemeentecode", sa.String(6)),
    sa.Column("xact", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("gebeurtenissen_feed", "gemeentecode", "xact", "id"),
    # the feed read from a time (migration 0036): the transaction in the index, so its lowest needs no row read
    sa.Index("gebeurtenissen_vanaf", "gemeentecode", "tijdstip", postgresql_include=["xact"]),
    # the rows of an earlier version's instance, found through their case
    sa.Index(
        "gebeurtenissen_zonder_gemeente",
        "xact",
        "id",
        postgresql_where=sa.text("gemeentecode IS NULL"),
        sqlite_where=sa.text("gemeentecode IS NULL"),
    ),
)

# each municipality's months first settled, counted per UTC day (the payment calendar's timeliness);
# counted with the settlement, no case or person named (migration 0017)
eerste_verrekeningen = sa.Table(
    "eerste_verrekeningen",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("dag", sa.Date, primary_key=True),
    sa.Column("aantal", sa.Integer, nullable=False),
)

# a municipality's advance policy, per version (the payment calendar)
voorschotbeleid = sa.Table(
    "voorschotbeleid",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("geldig_vanaf", sa.Date, primary_key=True),
    sa.Column("percentage", sa.Integer, nullable=False),
    sa.Column("maanden", sa.Integer, nullable=False),
    sa.Column("doel_werkdagen", sa.Integer, nullable=False),
    sa.Column("leverdag", sa.Integer, nullable=False),
)

# the advance proposed for a month of a case: the key makes the proposal once, across instances
voorschotvoorstellen = sa.Table(
    "voorschotvoorstellen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("voorgesteld_op", UtcDateTime, nullable=False),
)

# a payout of holiday allowance announced for a case (its payout year: the June it belongs to): the
# key makes the announcement once, across instances; `stand` is the payout as last announced (its
# months' reservations), `te_controleren` marks it to be compared with its months again (a change to
# one of them), as does `voorlopig_tot` once it passed (a provisional month turning final)
vakantietoeslagen = sa.Table(
    "vakantietoeslagen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("jaar", sa.Integer, primary_key=True),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("vastgesteld_op", UtcDateTime, nullable=False),
    sa.Column("stand", sa.JSON),  # None: announced before it was kept (migration decisions_0021)
    sa.Column("te_controleren", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("voorlopig_tot", sa.Date),
)
# the payouts that will be looked at: what the revision job reads (its query includes this condition)
TE_BEKIJKEN = sa.or_(vakantietoeslagen.c.te_controleren, vakantietoeslagen.c.voorlopig_tot.is_not(None))
sa.Index(
    "ix_vakantietoeslagen_te_bekijken",
    vakantietoeslagen.c.uitkering_id,
    postgresql_where=TE_BEKIJKEN,
    sqlite_where=TE_BEKIJKEN,
)

# a case ended for work, for the programme's fall-back figure (AVG art. 89): a pseudonym of its own
# (not the message key), the municipality and month of leaving, and, once a case opens for the same
# pseudonym, after how many months; kept until its 36-month window passed (service.programmacijfers)
uitstroom = sa.Table(
    "uitstroom",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("pseudoniem", sa.String(64), nullable=False, index=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("maand", sa.String(7), nullable=False, index=True),
    sa.Column("terug_na", sa.Integer),  # months from leaving to the new case
)

# the outflow records whose window passed, counted per municipality and month of leaving: no person
uitstroomtellingen = sa.Table(
    "uitstroomtellingen",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("uitgestroomd", sa.Integer, nullable=False),
    sa.Column("terug_12", sa.Integer, nullable=False),
    sa.Column("terug_36", sa.Integer, nullable=False),
)

# claims (domain.vordering): a municipality's recovery policy per version, each month's settled
# difference as last booked (its key makes a concurrent second booking of the same month fail and
# retry instead of doubling the claim), the bookings every claim is folded from, and the month's
# instalment (its key withholds a month once, across instances)
vorderingsbeleid = sa.Table(
    "vorderingsbeleid",
    metadata,
    sa.Column("gemeentecode", sa.String(6), primary_key=True),
    sa.Column("geldig_vanaf", sa.Date, primary_key=True),
    sa.Column("maximale_termijn", sa.BigInteger),
    sa.Column("drempel", sa.BigInteger, nullable=False),
)
vorderingsverschillen = sa.Table(
    "vorderingsverschillen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("verschil", sa.BigInteger, nullable=False),
    sa.Column("versie", sa.Integer, nullable=False),
)
vorderingsboekingen = sa.Table(
    "vorderingsboekingen",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("uitkering_id", sa.String(36), nullable=False, index=True),
    sa.Column("bron", sa.String(7), nullable=False),
    sa.Column("soort", sa.String(20), nullable=False),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("maand", sa.String(7), nullable=False),
    sa.Column("geboekt_op", UtcDateTime, nullable=False),
    # a repayment's reference from the municipality, once per case for the repayment and once for its
    # reversal (the same kind, the amount negative: migration 0035)
    sa.Column("kenmerk", sa.String(100)),
    *(
        sa.Index(
            naam,
            "uitkering_id",
            "kenmerk",
            unique=True,
            postgresql_where=sa.text(waar),
            sqlite_where=sa.text(waar),
        )
        for naam, waar in (("vorderingsboekingen_kenmerk", "bedrag > 0"), ("vorderingsboekingen_storno", "bedrag < 0"))
    ),
)
# a caseworker's raise of a case's beslagvrije voet (Rv art. 475da), per ground and version
beslagvrije_voet_verhogingen = sa.Table(
    "beslagvrije_voet_verhogingen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("grond", sa.String(20), primary_key=True),
    sa.Column("geldig_vanaf", sa.Date, primary_key=True),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("reden", sa.String(500), nullable=False),
)
inhoudingen = sa.Table(
    "inhoudingen",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
)

# the months of a case that wait for a caseworker (domain.verrekening.TeBeoordelen), as the last
# settlement of each left them, since when each waits: the municipality's worklist
werkvoorraad = sa.Table(
    "werkvoorraad",
    metadata,
    sa.Column("uitkering_id", sa.String(36), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("wie", sa.String(10), primary_key=True),
    sa.Column("soort", sa.String(20), primary_key=True),
    sa.Column("gemeentecode", sa.String(6), nullable=False),  # the case's: a page reads one municipality's
    sa.Column("reden", sa.Text, nullable=False),
    sa.Column("inkomstenverhoudingen", sa.JSON, nullable=False),  # [[loonheffingennummer, inkomstenverhouding]]
    sa.Column("sinds", UtcDateTime, nullable=False),
    # a page in the list's order, from where the last ended (keyset), within one municipality
    sa.Index("ix_werkvoorraad_gemeente", "gemeentecode", "sinds", "uitkering_id", "maand", "wie", "soort"),
)

# the rules (the release that deployed them and their fingerprint, `<release> <sha256>`) under which
# every case was last settled whole, or is being settled whole (`na`: the last case settled so far);
# one row (sleutel 1)
regelversie = sa.Table(
    "regelversie",
    metadata,
    sa.Column("sleutel", sa.Integer, primary_key=True),
    sa.Column("versie", sa.String(128), nullable=False),
    sa.Column("vastgesteld_op", UtcDateTime, nullable=False),
    sa.Column("na", sa.String(36)),
)
