"""A service started without configuration fails closed: the development secrets in this repository
are refused unless SCHAKEL_ENVIRONMENT=development says so, and even then on any address but
loopback. The real service processes, refused before they open a port or a database."""

import os
import subprocess
import sys

import pytest

from deploy.services import SERVICES

pytestmark = pytest.mark.integration  # processes: a few seconds each


def start(name: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCHAKEL_", *(s.upper() for s in SERVICES)))}
    return subprocess.run(
        [sys.executable, "-m", name],
        env=clean | {"SCHAKEL_DATA_DIR": str(tmp_path), "SCHAKEL_KAFKA_BOOTSTRAP": "127.0.0.1:1"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_without_configuration_a_service_refuses_the_development_secrets(name, tmp_path):
    refused = start(name, tmp_path)
    assert refused.returncode != 0 and "placeholder secrets are refused outside development" in refused.stderr
    assert not list(tmp_path.glob("*.db")), "refused before it touched a database"


def test_the_development_secrets_are_refused_on_a_public_address(tmp_path):
    refused = start("decisions", tmp_path, SCHAKEL_ENVIRONMENT="development", DECISIONS_HOST="0.0.0.0")
    assert refused.returncode != 0 and "non-loopback address (0.0.0.0)" in refused.stderr
