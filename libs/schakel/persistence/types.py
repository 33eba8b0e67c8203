from datetime import UTC, datetime

import sqlalchemy as sa

# an autoincrementing surrogate key: BIGINT on PostgreSQL; SQLite autoincrements INTEGER keys only
IdType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored as UTC, and that comes back timezone-aware (UTC) on SQLite too, which stores
    it naive: SQLite keeps a moment's clock time and drops its offset, so a moment given with another
    offset (a provider's `+01:00`) is turned into UTC first."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo is not None else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
