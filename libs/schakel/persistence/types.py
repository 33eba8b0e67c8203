import sqlalchemy as sa

# an autoincrementing surrogate key: BIGINT on PostgreSQL; SQLite autoincrements INTEGER keys only
IdType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
