"""The four services as processes, shared by `make run`, the test suite and the benchmark."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SERVICES = {"income": 8081, "decisions": 8082, "reapplication": 8083, "registration": 8084}
CONSOLE_PORT = 8085  # the operations console (services/console): no contract, no database of its own


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log: Path | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)
    profile: Path | None = None  # cProfile's statistics, written there when the process stops

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self) -> ServiceProcess:
        env = {**os.environ, **self.env, f"{self.name.upper()}_PORT": str(self.port)}
        out = open(self.log, "ab") if self.log else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", *(("deploy.profiled", str(self.profile)) if self.profile else ()), self.name],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
        )
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout}s; see {self.log}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
