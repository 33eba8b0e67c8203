"""Reading a consumer batch's rows at once: one statement per table for all its cases or persons
instead of one per case (a national delivery is bound by round trips, not by the rules)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 500  # keys per IN list: within both databases' limits on bound parameters

T = TypeVar("T")


def chunks(keys: Iterable[T]) -> Iterator[list[T]]:
    """The keys in lists of at most CHUNK, for bounded statements over thousands of keys."""
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def one_of(conn: AsyncConnection, column: sa.ColumnElement[Any], keys: Sequence[Any]) -> sa.ColumnElement[bool]:
    """`column IN keys`, on PostgreSQL as `column = ANY(:keys)`: one array parameter, so the statement
    is compiled once. SQLAlchemy renders an IN list anew on every execution, which cost a busy
    consumer a twentieth of its CPU."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(keys), type_=ARRAY(column.type)))
    return column.in_(keys)


def one_of_keys(dialect: str, column: sa.ColumnElement[Any], name: str) -> sa.ColumnElement[bool]:
    """`column IN :name` for a statement built once, the keys given as the parameter `name` of each
    execution (a list of at most CHUNK): on PostgreSQL `column = ANY(:name)`, as `one_of`. Building a
    statement per call, and its cache key, costs more than running it."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(name, type_=ARRAY(column.type)))
    return column.in_(sa.bindparam(name, expanding=True))


async def select_in(
    conn: AsyncConnection, query: sa.Select[Any], column: sa.ColumnElement[Any], keys: Iterable[Any]
) -> list[sa.Row[Any]]:
    """The query's rows whose `column` is one of `keys`, in bounded lists."""
    rows = list[sa.Row[Any]]()
    for chunk in chunks(sorted(set(keys))):
        rows += (await conn.execute(query.where(one_of(conn, column, chunk)))).all()
    return rows


async def rows_of_keys(
    conn: AsyncConnection, query: sa.Executable, name: str, keys: Iterable[Any], **params: Any
) -> list[sa.Row[Any]]:
    """The rows of a statement built once with `one_of_keys(..., name)`, run over `keys` in bounded lists
    (`select_in` for a statement built per call)."""
    rows = list[sa.Row[Any]]()
    for chunk in chunks(sorted(set(keys))):
        rows += (await conn.execute(query, {name: chunk, **params})).all()
    return rows
