"""`.cache/`: the tools and jars fetched once per version (the broker's jars, Zipkin, the JMX
exporter, Helm). Each is fetched under a lock of its own into a partial folder that is renamed once
complete, so processes that need it at once (the tests' workers) fetch it once, and one killed
midway leaves nothing that looks complete."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"


def fetched(folder: Path, fetch: Callable[[Path], None]) -> Path:
    """`folder`, filled by `fetch(partial folder)` on the first call."""
    if folder.exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the process dies
        if not folder.exists():
            partial = folder.parent / f"{folder.name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            fetch(partial)
            partial.rename(folder)
    return folder


def maven(folder: Path, what: str, *goal: str) -> Path:
    """`folder` filled by a Maven goal (`goal`, its output directory added), for `what` it resolves."""

    def fetch(partial: Path) -> None:
        if not shutil.which("mvn"):
            raise RuntimeError(f"Maven (mvn) is required to resolve {what}")
        subprocess.run(["mvn", "-q", "-B", *goal, f"-DoutputDirectory={partial}"], check=True)

    return fetched(folder, fetch)


def maven_artifact(folder: Path, artifact: str, what: str) -> Path:
    """`folder` holding one artifact from Maven Central (`group:name:version[:type:classifier]`)."""
    return maven(folder, what, "dependency:copy", f"-Dartifact={artifact}")
