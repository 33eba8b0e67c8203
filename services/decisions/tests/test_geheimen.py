"""Webhook secrets at rest: stored encrypted under the configured key, read back as they were;
written anew under a new first key so that the old one can go; migration 0006 encrypts the secrets
stored before it (and a downgrade decrypts them); the development key is refused outside
development. On a real database (SQLite here, PostgreSQL in CI)."""

import asyncio
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from decisions.adapters.geheimen import Kluis, herversleutel
from decisions.adapters.repository import SqlAbonnementen
from decisions.domain.webhook import Circuit, Stopreden
from decisions.service.ports import Abonnement
from decisions.settings import Settings
from schakel.persistence import migrate
from schakel.persistence.database import Database
from schakel.runtime import PlatformSettings
from schakel.telemetry import metrics
from tests.support.stack import new_database_url

MIGRATIONS = Path(__file__).parents[1] / "migrations"
GEHEIM = "whsec_ZEP71JYSK831UEhHdZS37Z17vhibwlfc"
TABEL = sa.table("abonnementen", sa.column("abonnement_id"), sa.column("geheim"))


async def database(tmp_path) -> Database:
    return Database(await asyncio.to_thread(new_database_url, tmp_path, f"decisions-{uuid.uuid4().hex[:8]}"))


async def opgeslagen(db: Database) -> str:
    async with db.transaction() as conn:
        return (await conn.execute(sa.select(TABEL.c.geheim))).scalar_one()


async def test_a_secret_is_stored_encrypted_and_read_back_as_it_was(tmp_path):
    db, kluis = await database(tmp_path), Kluis(Fernet.generate_key().decode())
    await migrate(db, MIGRATIONS)
    abonnement = Abonnement(
        "a-1", "GM0363", "00000001002220647000", "https://b.example/h", ["x"], GEHEIM, datetime.now(UTC), Circuit()
    )
    async with db.transaction() as conn:
        await SqlAbonnementen(conn, kluis).voeg_toe(abonnement)
    assert GEHEIM.removeprefix("whsec_") not in await opgeslagen(db)
    assert kluis.ontsleutel(await opgeslagen(db)) == GEHEIM
    assert Kluis(Fernet.generate_key().decode()).ontsleutel(await opgeslagen(db)) is None  # another key reads nothing
    async with db.transaction() as conn:  # only a delivery decrypts it
        assert (await SqlAbonnementen(conn, kluis).van("a-1")).geheim is None
    await db.dispose()


async def abonneer(db: Database, kluis: Kluis, abonnement_id: str) -> None:
    abonnement = Abonnement(
        abonnement_id,
        "GM0363",
        "00000001002220647000",
        "https://b.example/h",
        ["x"],
        GEHEIM,
        datetime.now(UTC),
        Circuit(),
    )
    async with db.transaction() as conn:
        await SqlAbonnementen(conn, kluis).voeg_toe(abonnement)


async def alle(db: Database) -> dict[str, str]:
    async with db.transaction() as conn:
        return dict((await conn.execute(sa.select(TABEL.c.abonnement_id, TABEL.c.geheim))).all())


async def test_a_new_first_key_gets_every_active_secret_so_that_the_old_key_can_go(tmp_path):
    db, oud, nieuw, weg = await database(tmp_path), *(Fernet.generate_key().decode() for _ in range(3))
    await migrate(db, MIGRATIONS)
    for abonnement_id in ("onder-oud", "gestopt"):
        await abonneer(db, Kluis(oud), abonnement_id)
    await abonneer(db, Kluis(nieuw), "onder-nieuw")
    await abonneer(db, Kluis(weg), "onleesbaar")  # under a key no longer configured
    async with db.transaction() as conn:
        await SqlAbonnementen(conn, Kluis(oud)).stop("gestopt", Stopreden.beeindigd, datetime.now(UTC))
    voor = await alle(db)

    stand = await herversleutel(db, Kluis(f"{nieuw},{oud}"))
    assert stand == {"first": 1, "older": 1, "none": 1}, "as it found them"
    assert {k: metrics.WEBHOOK_SECRETS.labels(k)._value.get() for k in stand} == stand
    na = await alle(db)
    assert Kluis(nieuw).ontsleutel(na["onder-oud"]) == GEHEIM, "the new key alone reads it"
    assert {k: na[k] == voor[k] for k in voor} == {
        "onder-oud": False,
        "onder-nieuw": True,  # already under the first key
        "onleesbaar": True,  # nothing reads it: left for the municipality to subscribe again
        "gestopt": True,  # no delivery needs it
    }

    assert await herversleutel(db, Kluis(f"{nieuw},{oud}")) == {"first": 2, "older": 0, "none": 1}
    assert await alle(db) == na, "nothing left to do"
    await db.dispose()


async def test_a_secret_written_meanwhile_is_left_to_the_next_run(tmp_path):
    db, oud, nieuw = await database(tmp_path), *(Fernet.generate_key().decode() for _ in range(2))
    await migrate(db, MIGRATIONS)
    await abonneer(db, Kluis(oud), "a-1")
    ander = Kluis(oud).versleutel("whsec_ander")
    transaction = db.transaction
    calls = []

    @asynccontextmanager
    async def tussendoor():  # on the transaction of the writes (on SQLite the read has one before it)
        async with transaction() as conn:
            calls.append(1)
            if len(calls) == (2 if db.is_sqlite else 1):
                await conn.execute(TABEL.update().values(geheim=ander))
            yield conn

    db.transaction = tussendoor
    assert await herversleutel(db, Kluis(f"{nieuw},{oud}")) == {"first": 0, "older": 1, "none": 0}
    assert await opgeslagen(db) == ander
    assert await herversleutel(db, Kluis(f"{nieuw},{oud}")) == {"first": 0, "older": 1, "none": 0}
    assert Kluis(nieuw).ontsleutel(await opgeslagen(db)) == "whsec_ander"
    assert await herversleutel(db, Kluis(f"{nieuw},{oud}")) == {"first": 1, "older": 0, "none": 0}
    await db.dispose()


async def test_older_stays_until_a_run_finds_every_secret_under_the_first_key(tmp_path):
    """README step 3 removes the old key once `older` is 0 at each instance. An instance still on step 1's
    setting (`old,new`, say one the rollout has not stopped yet) writes the secrets back under the old key
    after the new instances' runs: the gauge must not already say 0 for a run that had to write them."""
    db, oud, nieuw = await database(tmp_path), *(Fernet.generate_key().decode() for _ in range(2))
    await migrate(db, MIGRATIONS)
    await abonneer(db, Kluis(oud), "a-1")
    nieuw_eerst, oud_eerst = Kluis(f"{nieuw},{oud}"), Kluis(f"{oud},{nieuw}")
    assert (await herversleutel(db, nieuw_eerst))["older"] == 1, "it found one under the older key"
    await herversleutel(db, oud_eerst)  # the straggler writes it back
    assert Kluis(nieuw).ontsleutel(await opgeslagen(db)) is None, "the new key alone no longer reads it"
    assert (await herversleutel(db, nieuw_eerst))["older"] == 1, "found again, written again"
    assert (await herversleutel(db, nieuw_eerst))["older"] == 0, "only now is the old key unused"
    await db.dispose()


async def test_migration_0006_encrypts_the_secrets_stored_before_it(tmp_path):
    db, sleutel = await database(tmp_path), Fernet.generate_key().decode()
    settings = Settings(webhook_sleutel=sleutel)
    await migrate(db, MIGRATIONS, "decisions_0005")
    async with db.transaction() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO abonnementen (abonnement_id, gemeentecode, oin, url, event_types, geheim, actief,"
                " aangemaakt_op) VALUES ('a-1', 'GM0363', '00000001002220647000', 'https://b.example/h', '[]',"
                " :geheim, true, :op)"
            ),
            {"geheim": GEHEIM, "op": datetime.now(UTC)},
        )

    await migrate(db, MIGRATIONS, settings=settings)
    assert GEHEIM.removeprefix("whsec_") not in await opgeslagen(db)
    assert Kluis(sleutel).ontsleutel(await opgeslagen(db)) == GEHEIM

    await migrate(db, MIGRATIONS, "decisions_0005", downgrade=True, settings=settings)
    assert await opgeslagen(db) == GEHEIM, "a downgrade decrypts"
    await db.dispose()


def test_the_development_key_is_refused_outside_development_and_off_this_machine():
    production = PlatformSettings(
        environment="production",
        jwt_secret=None,
        jwks_url="https://idp.example/jwks",
        pseudonym_key="a-real-key-from-the-vault-0123456789",
        kafka_security_protocol="SASL_SSL",
        brp_url="https://brp.example.nl/haalcentraal/api/brp",
    )
    with pytest.raises(ValueError, match="placeholder"):
        Settings().refuse_development_secrets(production)
    Settings(webhook_sleutel=Fernet.generate_key().decode()).refuse_development_secrets(production)
    with pytest.raises(ValueError, match="non-loopback"):
        Settings(host="0.0.0.0").refuse_development_secrets(PlatformSettings(environment="development"))
