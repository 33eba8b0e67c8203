"""Configuration, built at start-up (never at import). Platform-wide values use the SCHAKEL_
prefix; each service's own values (database, port) use its own prefix, e.g. INCOME_."""

from __future__ import annotations

import ipaddress
from datetime import date
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from schakel.messaging.kafka import KafkaConfig

DEV_JWT_SECRET = "schakel-development-secret-change-me-0000"
DEV_PSEUDONYM_KEY = "schakel-development-pseudonym-key-0000"
# the shortest pseudonym key accepted outside development: the pseudonyms' HMAC-SHA256 wants a key
# as strong as its output
MIN_PSEUDONYM_KEY_BYTES = 32
# the broker passwords that `make run` and the tests generate start with this (deploy/kafka_security.py)
DEV_KAFKA_PASSWORD_PREFIX = "ontwikkeling-"


class PlatformSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCHAKEL_")
    # whether the process pseudonymises with `pseudonym_key` (the services); one that does not (the
    # console) neither needs the key nor is refused for lacking it
    pseudonymises: ClassVar[bool] = True

    # fails closed: only an explicit `development` accepts the development secrets in this repository
    environment: Literal["development", "production"] = "production"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_timeout: float = 30.0
    # how the services reach the broker: TLS (SSL, with a client certificate for mutual TLS) or TLS
    # with SASL SCRAM (SASL_SSL); PLAINTEXT only in development
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_SSL"] = "PLAINTEXT"
    kafka_ca_file: str | None = None
    kafka_cert_file: str | None = None
    kafka_key_file: str | None = None
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    kafka_username: str | None = None
    kafka_password: SecretStr | None = None
    jwt_secret: SecretStr | None = SecretStr(DEV_JWT_SECRET)
    jwks_url: str | None = None
    jwt_issuer: str = "schakel-dev"
    jwt_audience: str = "schakel"
    # a token may live at most this long from `iat` to `exp`
    jwt_max_age_seconds: float = Field(3600.0, gt=0)
    # how long the identity provider's keys are trusted before they are fetched again
    jwks_cache_seconds: float = Field(300.0, gt=0)
    # requests per minute each client (OIN) may make to each operation; more get 429
    rate_limit_per_minute: int = Field(1200, ge=1)
    # MiB of large request bodies (income's deliveries) one process takes at once; one more gets 503
    # before it is read. Worked off, a body holds about nine times its size: 48 MiB is three
    # deliveries of 50.000 declarations (16 MB each), about 600 MB with the process, within the
    # chart's 1 GiB for income
    large_bodies_mib: int = Field(48, ge=1)
    pseudonym_key: SecretStr = SecretStr(DEV_PSEUDONYM_KEY)
    # the Haal Centraal BRP Personen API (residence decides who may act); `make run` starts a stand-in here
    brp_url: str = "http://127.0.0.1:8090/haalcentraal/api/brp"
    brp_api_key: SecretStr | None = None
    oin: str = "00000001003214345000"  # the OIN that names Schakel's systems in event sources
    data_dir: Path = Path("data")
    # development and tests only: the services' legal "today", whatever the calendar says
    today: date | None = None
    # origins whose browser code may call the APIs (JSON list); the OpenAPI document is open to any
    cors_origins: list[str] = []
    # off for a process that only serves requests while another one relays the outbox
    outbox_relay: bool = True
    # off where a deployment's job migrates (`python -m <service> migrate`) with a role of its own: the
    # service then only checks the tables are at its version (not ready until they are), and its own
    # role needs no right to change them
    migrate_at_start: bool = True
    # readiness fails once a background task (relay, consumer, periodic job) has been failing this long
    task_failure_seconds: float = Field(30.0, gt=0)
    # the relay or a consumer that goes this long without a round of its loop is restarted
    task_stall_seconds: float = Field(120.0, gt=0)
    # how often the dead-letter topics' depth is measured for the metrics
    dlq_metrics_seconds: float = Field(30.0, gt=0)
    # applied event ids are kept this long: longer than a record can stay on a topic
    # (schakel.messaging.kafka: 7 days' retention plus a 1-day segment), so a redelivery is always recognised
    inbox_retention_days: int = Field(14, gt=8)
    # how long an Idempotency-Key is remembered; after that the same key counts as new
    # at most a week: a remembered answer may name a person, and is kept beside their retention
    idempotency_key_hours: float = Field(24.0, gt=0, le=168)

    @property
    def development_secrets(self) -> bool:
        """True while a secret or key is the development one from this repository."""
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret else None
        return secret == DEV_JWT_SECRET or (
            self.pseudonymises and self.pseudonym_key.get_secret_value() == DEV_PSEUDONYM_KEY
        )

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> PlatformSettings:
        if self.jwks_url and not self.jwks_url.startswith("https://"):
            raise ValueError("SCHAKEL_JWKS_URL is fetched over https only")
        if self.environment != "development":
            if self.development_secrets:
                raise ValueError(
                    "placeholder secrets are refused outside development (set SCHAKEL_ENVIRONMENT=development)"
                )
            if self.pseudonymises and len(self.pseudonym_key.get_secret_value().encode()) < MIN_PSEUDONYM_KEY_BYTES:
                raise ValueError(
                    f"outside development SCHAKEL_PSEUDONYM_KEY is at least {MIN_PSEUDONYM_KEY_BYTES} bytes"
                )
            if self.jwt_secret and not self.jwks_url:
                raise ValueError("production validates tokens against SCHAKEL_JWKS_URL")
            if self.kafka_security_protocol == "PLAINTEXT":
                raise ValueError("outside development the broker is reached over TLS (SCHAKEL_KAFKA_SECURITY_PROTOCOL)")
            if self.kafka_password and self.kafka_password.get_secret_value().startswith(DEV_KAFKA_PASSWORD_PREFIX):
                raise ValueError("development broker credentials are refused outside development")
            if self.today is not None:
                raise ValueError("SCHAKEL_TODAY fixes the date for development and tests only")
            if not self.brp_url.startswith("https://"):
                raise ValueError("outside development the BRP is asked over https (SCHAKEL_BRP_URL): the BSN travels")
        return self

    def kafka(self, client_id: str) -> KafkaConfig:
        return KafkaConfig(
            self.kafka_bootstrap,
            client_id,
            self.kafka_timeout,
            security_protocol=self.kafka_security_protocol,
            ca_file=self.kafka_ca_file,
            cert_file=self.kafka_cert_file,
            key_file=self.kafka_key_file,
            sasl_mechanism=self.kafka_sasl_mechanism,
            username=self.kafka_username,
            password=self.kafka_password.get_secret_value() if self.kafka_password else None,
        )


class ListenerSettings(BaseSettings):
    """Where a process serves its API (the console's settings; a service's add its database)."""

    host: str = "127.0.0.1"
    port: int

    @property
    def development_secrets(self) -> bool:
        """True while a secret of the service's own is the development one (a subclass says which)."""
        return False

    def refuse_development_secrets(self, platform: PlatformSettings) -> None:
        """The development secrets are in this repository: anyone can mint tokens or read what they
        protect. Only an explicit development environment uses them, and only on this machine."""
        if self.development_secrets and platform.environment != "development":
            raise ValueError(
                "placeholder secrets are refused outside development (set SCHAKEL_ENVIRONMENT=development)"
            )
        if (self.development_secrets or platform.development_secrets) and not _loopback(self.host):
            raise ValueError(f"the development secrets are refused on a non-loopback address ({self.host})")


class ServiceSettings(ListenerSettings):
    """Subclass per service with `model_config = SettingsConfigDict(env_prefix="INCOME_")`."""

    database_url: str | None = None  # default: an SQLite file under SCHAKEL_DATA_DIR

    def database(self, name: str, platform: PlatformSettings) -> str:
        """The database's URL. Outside development PostgreSQL is reached over TLS whose certificate is
        verified (`ssl=verify-full` or `verify-ca`, the CA in PGSSLROOTCERT): BSNs and incomes go over
        it, and asyncpg's default tries TLS unverified and falls back to plain text."""
        url = self.database_url or f"sqlite+aiosqlite:///{platform.data_dir.resolve() / name}.db"
        if platform.environment != "development" and url.startswith("postgresql") and not _verified_tls(url):
            raise ValueError("outside development a PostgreSQL URL asks for verified TLS (?ssl=verify-full)")
        return url


def _verified_tls(url: str) -> bool:
    """As the engine reads the URL (a `?` in a password is not a query), `ssl` once and verifying."""
    ssl = make_url(url).query.get("ssl")
    return isinstance(ssl, str) and ssl in ("verify-ca", "verify-full")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
