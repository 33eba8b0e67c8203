"""The Helm binary that renders deploy/helm/schakel, built from its Go module (helm.sh/helm/v3)
once per version into `.cache/helm/<version>/` (there is no download of a prebuilt binary here,
and the Go module proxy is reached): `make helm`, and the chart's tests, call `ensure()`.
`python -m deploy.helm template ...` runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from deploy import cache

ROOT = Path(__file__).resolve().parent.parent
VERSION = "v3.22.0"
BINARY = cache.CACHE / "helm" / VERSION / "helm"
CHART = ROOT / "deploy" / "helm" / "schakel"
KUBERNETES = "1.33.0"  # the version the chart is rendered for and validated against (Chart.yaml: kubeVersion)


def ensure() -> Path:
    """The helm binary, built on the first call (a few minutes; seconds with Go's caches warm)."""

    def build(partial: Path) -> None:
        go = shutil.which("go") or "/usr/local/go/bin/go"
        if not Path(go).exists():
            raise RuntimeError("Go (1.24 or newer) is required to build Helm: install it, or put `go` on the PATH")
        subprocess.run(
            [go, "install", f"helm.sh/helm/v3/cmd/helm@{VERSION}"],
            env={**os.environ, "GOBIN": str(partial), "CGO_ENABLED": "0"},
            check=True,
        )

    cache.fetched(BINARY.parent, build)
    return BINARY


def template(*arguments: str, release: str = "schakel") -> str:
    """`helm template` of Schakel's chart with these extra arguments (e.g. `--set`), as text."""
    result = subprocess.run(
        [str(ensure()), "template", release, str(CHART), "--kube-version", KUBERNETES, *arguments],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return result.stdout


if __name__ == "__main__":
    sys.exit(subprocess.run([str(ensure()), *sys.argv[1:]]).returncode)
