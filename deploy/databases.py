"""Fresh, empty databases for a test run or a benchmark: a new PostgreSQL database on the server
that `postgres_url` points at, or else a new SQLite file under `folder`."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url


async def new_database(folder: Path, name: str, postgres_url: str | None) -> str:
    database = f"schakel_{name}_{uuid.uuid4().hex[:10]}"
    if not postgres_url:
        return f"sqlite+aiosqlite:///{folder / database}.db"
    import asyncpg

    url = make_url(postgres_url)
    conn = await asyncpg.connect(
        user=url.username,
        password=url.password,
        host=url.host,
        port=url.port or 5432,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    return url.set(database=database).render_as_string(hide_password=False)


def new_database_sync(folder: Path, name: str, postgres_url: str | None) -> str:
    return asyncio.run(new_database(folder, name, postgres_url))
