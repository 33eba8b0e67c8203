"""The pseudonym key outside development: at least 32 bytes, as strong as the pseudonyms' HMAC-SHA256
output; development keeps its own key (and any length)."""

import os

import pytest
from pydantic import ValidationError

from schakel.runtime import PlatformSettings
from schakel.runtime.settings import DEV_PSEUDONYM_KEY, MIN_PSEUDONYM_KEY_BYTES

PRODUCTION = {
    "environment": "production",
    "jwt_secret": None,
    "jwks_url": "https://login.example.nl/.well-known/jwks.json",
    "kafka_security_protocol": "SASL_SSL",
    "brp_url": "https://brp.example.nl/haalcentraal/api/brp",
}


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch):
    for name in [n for n in os.environ if n.upper().startswith("SCHAKEL_")]:
        monkeypatch.delenv(name)


def test_outside_development_the_pseudonym_key_is_at_least_32_bytes():
    assert MIN_PSEUDONYM_KEY_BYTES == 32
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        PlatformSettings(**PRODUCTION, pseudonym_key="k" * 31)
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        PlatformSettings(**PRODUCTION, pseudonym_key="é" * 15)  # 30 bytes: it is bytes that count
    assert PlatformSettings(**PRODUCTION, pseudonym_key="k" * 32).pseudonym_key.get_secret_value() == "k" * 32


def test_the_development_key_and_development_are_not_held_to_it():
    assert len(DEV_PSEUDONYM_KEY.encode()) >= MIN_PSEUDONYM_KEY_BYTES
    PlatformSettings(environment="development", pseudonym_key="short")
    with pytest.raises(ValidationError, match="placeholder secrets are refused"):
        PlatformSettings(**PRODUCTION)  # the development key itself: refused as before


def test_outside_development_postgresql_is_reached_over_verified_tls(tmp_path):
    """BSNs and incomes go over the connection: asyncpg's default would try TLS unverified and fall
    back to plain text."""
    from schakel.runtime import ServiceSettings

    platform = PlatformSettings(**PRODUCTION, pseudonym_key="k" * 32, data_dir=tmp_path)
    for url in (
        "postgresql+asyncpg://s@db/s",
        "postgresql+asyncpg://s@db/s?ssl=require",
        "postgresql://s@db/s",
        "postgresql+asyncpg://s:x?ssl=verify-full&y=@db/s",  # a password, as the engine reads it
        "postgresql+asyncpg://s@db/s?sslmode=verify-full",  # not asyncpg's word: it would not connect
        "postgresql+asyncpg://s@db/s?ssl=verify-full&ssl=disable",
    ):
        with pytest.raises(ValueError, match="verified TLS"):
            ServiceSettings(port=1, database_url=url).database("income", platform)
    for url in ("postgresql+asyncpg://s@db/s?ssl=verify-full", "postgresql+asyncpg://s@db/s?ssl=verify-ca"):
        assert ServiceSettings(port=1, database_url=url).database("income", platform) == url
    assert ServiceSettings(port=1).database("income", platform).startswith("sqlite+aiosqlite:///")
    development = PlatformSettings(environment="development")
    assert ServiceSettings(port=1, database_url="postgresql+asyncpg://s@db/s").database("income", development)
