"""A PostgreSQL server of a test's own (deploy/scripts/postgres.sh, which installs PostgreSQL from
Debian's packages when it is missing): for a test that stops and starts it, or one that needs
PostgreSQL itself where no SCHAKEL_TEST_POSTGRES_URL names a server."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.kafka_broker import free_port

POSTGRES = Path(__file__).resolve().parents[2] / "deploy" / "scripts" / "postgres.sh"


class OwnPostgres:
    def __init__(self) -> None:
        # outside pytest's private temporary folder: the server runs as the postgres user
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="schakel-own-pg.")), free_port()
        self.url = self.start()

    def start(self) -> str:
        return subprocess.run(
            [POSTGRES, "start", str(self.folder), str(self.port)], check=True, capture_output=True, text=True
        ).stdout.strip()

    def stop(self) -> None:
        subprocess.run([POSTGRES, "stop", str(self.folder)], check=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """The tests' PostgreSQL (CI's, SCHAKEL_TEST_POSTGRES_URL), or a server of the caller's own."""
    if url := os.environ.get("SCHAKEL_TEST_POSTGRES_URL"):
        yield url
        return
    own = OwnPostgres()
    try:
        yield own.url
    finally:
        own.remove()
