"""The local broker's security material, created once under a folder by the project's own code and
never committed: a development CA, the broker's TLS certificate (also its client certificate on
the controller listener) and a SCRAM-SHA-512 password per principal. Kafka's StorageTool stores
the users when it formats the broker (deploy/kafka_broker.py); the ACLs come from the contract
(schakel.messaging.acls).

Used by `make run` (under data/kafka/security), the tests (once per test session) and the benchmark.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from schakel.events import load_contract
from schakel.messaging import KafkaConfig
from schakel.messaging.acls import BROKER, Party, principals
from schakel.runtime.settings import DEV_KAFKA_PASSWORD_PREFIX

# the parties outside Schakel that `make run` and the tests let in (their OINs as deploy/token.py)
DEVELOPMENT_PARTIES = (Party("leverancier", "00000001805160327000"), Party("uwv", "00000001003214345000"))
VALID = datetime.timedelta(days=825)


@dataclass(frozen=True)
class Security:
    folder: Path
    passwords: dict[str, str]
    parties: tuple[Party, ...]

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def keystore(self) -> Path:
        """The broker's private key and certificate chain (PEM), Kafka's `ssl.keystore.type=PEM`."""
        return self.folder / "broker.pem"

    def client(
        self, bootstrap: str, principal: str, client_id: str | None = None, timeout: float = 30.0
    ) -> KafkaConfig:
        return KafkaConfig(
            bootstrap,
            client_id or principal,
            timeout,
            security_protocol="SASL_SSL",
            ca_file=str(self.ca),
            username=principal,
            password=self.passwords[principal],
        )

    def environment(self, principal: str) -> dict[str, str]:
        """A service's SCHAKEL_KAFKA_* settings for this principal."""
        return {
            "SCHAKEL_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "SCHAKEL_KAFKA_CA_FILE": str(self.ca),
            "SCHAKEL_KAFKA_USERNAME": principal,
            "SCHAKEL_KAFKA_PASSWORD": self.passwords[principal],
        }

    def scram_arguments(self) -> list[str]:
        """StorageTool `format` arguments that store every user's SCRAM-SHA-512 credential."""
        return [
            arg
            for principal, password in sorted(self.passwords.items())
            for arg in ("--add-scram", f"SCRAM-SHA-512=[name={principal},password={password}]")
        ]

    def properties(self, bootstrap: str, principal: str) -> str:
        """A librdkafka-style client configuration (kcat -F, confluent-kafka) for this principal."""
        return "".join(
            f"{k}={v}\n"
            for k, v in {
                "bootstrap.servers": bootstrap,
                "security.protocol": "SASL_SSL",
                "sasl.mechanisms": "SCRAM-SHA-512",
                "sasl.username": principal,
                "sasl.password": self.passwords[principal],
                "ssl.ca.location": self.ca,
            }.items()
        )


def ensure(folder: Path, parties: tuple[Party, ...] = DEVELOPMENT_PARTIES) -> Security:
    """The folder's CA, broker certificate and passwords, created on the first call."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    users = folder / "users.json"
    if not users.exists():
        _certificates(folder)
        # marked as development credentials: the services refuse them outside development
        passwords = {
            p: f"{DEV_KAFKA_PASSWORD_PREFIX}{secrets.token_hex(16)}" for p in principals(load_contract(), parties)
        }
        partial = users.with_suffix(".partial")
        partial.write_text(json.dumps(passwords, indent=1))
        os.chmod(partial, 0o600)
        partial.rename(users)  # last: a folder with users.json is complete
    passwords = json.loads(users.read_text())
    missing = set(principals(load_contract(), parties)) - set(passwords)
    if missing:  # the broker stored its users when it was formatted
        raise RuntimeError(f"{folder} has no password for {sorted(missing)}; remove it (`make clean`) and start again")
    return Security(folder, passwords, parties)


def _certificates(folder: Path) -> None:
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Schakel development CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALID)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    broker = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, BROKER)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALID)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH, x509.OID_CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    keystore = folder / "broker.pem"
    keystore.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        + broker.public_bytes(pem)
        + ca.public_bytes(pem)
    )
    os.chmod(keystore, 0o600)
    # the CA's key is not kept: nothing else is ever signed with it
