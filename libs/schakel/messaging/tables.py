"""The outbox and inbox tables every service has (created by the platform migrations in
schakel/persistence/versions/)."""

from __future__ import annotations

import sqlalchemy as sa

from schakel.persistence.types import IdType, UtcDateTime

metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(64), nullable=False, unique=True),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("headers", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),  # the relay reports the oldest unsent row's age
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    # the relay's scan for what is still to send stays small however long rows are kept
    sa.Index(
        "outbox_unsent", "id", sqlite_where=sa.text("sent_at IS NULL"), postgresql_where=sa.text("sent_at IS NULL")
    ),
)

# the last sequence number given per person (record key): the outbox numbers each person's events
# in the transaction that writes them, and the row lock this takes serialises writers per person
outbox_sequences = sa.Table(
    "outbox_sequences",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("sequence", sa.BigInteger, nullable=False),
)

# one row: who relays the outbox (SQLite: a lease until `expires_at`; PostgreSQL: its row lock)
outbox_relay = sa.Table(
    "outbox_relay",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("holder", sa.String(100)),
    sa.Column("expires_at", sa.DateTime(timezone=True)),
)

inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("source", sa.String(300), primary_key=True),
    sa.Column("event_id", sa.String(200), primary_key=True),
    sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("inbox_processed_at", "processed_at"),
)
