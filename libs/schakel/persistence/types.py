from datetime import UTC, datetime

import sqlalchemy as sa

# an autoincrementing surrogate key: BIGINT on PostgreSQL; SQLite autoincrements INTEGER keys only
IdType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp that comes back timezone-aware (UTC) on SQLite too, which stores it naive."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
