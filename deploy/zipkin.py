"""A local Zipkin server with its web UI, the trace server of `make run`: the executable jar from
Maven Central (io.zipkin:zipkin-server, classifier `exec`), resolved once into `.cache/zipkin/`,
keeping traces in memory. The services send their spans to it with the OpenTelemetry Zipkin
exporter (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`)."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy import cache

VERSION = "3.4.2"
JAR = cache.CACHE / "zipkin" / VERSION / f"zipkin-server-{VERSION}-exec.jar"


def ensure_jar() -> Path:
    cache.maven_artifact(JAR.parent, f"io.zipkin:zipkin-server:{VERSION}:jar:exec", "the Zipkin server jar")
    return JAR


@dataclass
class Zipkin:
    port: int = 9411
    log: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def spans_endpoint(self) -> str:
        return f"{self.url}/api/v2/spans"

    def start(self, timeout: float = 90.0) -> Zipkin:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                "java",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-jar",
                str(ensure_jar()),
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "STORAGE_TYPE": "mem"},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"zipkin exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"zipkin not ready after {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
