"""The static gate on the shared library: `libs/schakel` type-checks under mypy's strict mode, with
the configuration in pyproject.toml (mypy's own cache keeps a rerun fast)."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_the_library_type_checks_strictly():
    report, errors, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "libs" / "schakel")])
    assert status == 0, report + errors
