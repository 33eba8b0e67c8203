"""The migration job stops on SIGTERM (the Job deleted, or past its deadline) while its database does
not answer: as its container's PID 1, where the kernel drops a signal the process does not handle."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_the_migration_as_pid_1_stops_on_sigterm_while_its_database_does_not_answer():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        env = {
            "PATH": os.environ["PATH"],
            "PYTHONPATH": f"{ROOT / 'libs'}:{ROOT / 'services'}",
            "SCHAKEL_ENVIRONMENT": "development",
            "INCOME_DATABASE_URL": f"postgresql+asyncpg://u:p@127.0.0.1:{silent.getsockname()[1]}/x",
        }
        # a user namespace of its own: no privilege needed; --kill-child: the process goes with unshare
        # when the test ends it
        namespaces = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--kill-child"]
        job = subprocess.Popen(
            [*namespaces, sys.executable, "-m", "income", "migrate"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            connection = _accepted(silent, job)  # the migration is under way: it connects to its database
            with connection:
                [pid_1] = Path(f"/proc/{job.pid}/task/{job.pid}/children").read_text().split()
                [nspid] = [
                    line for line in Path(f"/proc/{pid_1}/status").read_text().splitlines() if line.startswith("NSpid:")
                ]
                assert nspid.split()[-1] == "1", "PID 1 in its namespace"
                os.kill(int(pid_1), signal.SIGTERM)
                sent = time.monotonic()
                _, stderr = job.communicate(timeout=10)
            assert time.monotonic() - sent < 5, "stopped promptly"
            assert job.returncode != 0, stderr[-2000:]
            assert "migration: stopped (SIGTERM)" in stderr
        finally:
            job.kill()
            job.wait()


def _accepted(silent: socket.socket, job: subprocess.Popen, timeout: float = 60.0) -> socket.socket:
    """The job's connection; a job that ended before it connected fails the test with its error."""
    silent.settimeout(0.2)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return silent.accept()[0]
        except TimeoutError:
            if job.poll() is not None:
                raise AssertionError(f"the job ended before it connected: {job.communicate()[1][-2000:]}") from None
    raise AssertionError("the job did not connect to its database")
