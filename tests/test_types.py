"""The static gate: the shared library and every service's pure rules (`domain/`) type-check under
mypy's strict mode, with the configuration in pyproject.toml (mypy's own cache keeps a rerun fast)."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]
REGELS = sorted(ROOT.glob("services/*/domain"))


def test_every_service_has_its_rules_in_the_gate():
    services = sorted(p.parent for p in ROOT.glob("services/*/__init__.py"))
    assert [p.parent for p in REGELS] == services


def test_the_library_and_the_rules_type_check_strictly():
    paden = [ROOT / "libs" / "schakel", *REGELS]
    report, errors, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), *map(str, paden)])
    assert status == 0, report + errors
