"""The Prometheus configuration and its rules are valid, and each alert fires on the situation it is
for and not before (promtool's rule unit tests, deploy/prometheus/rules_test.yml and rules_test_days.yml). The rules are in the Helm chart, for a PrometheusRule, and
`make run`'s Prometheus reads them there."""

import subprocess
from pathlib import Path

import pytest

PROMETHEUS = Path(__file__).resolve().parents[1] / "deploy" / "prometheus"


@pytest.mark.parametrize(
    "command",
    [
        ["check", "config", "prometheus.yml"],
        ["check", "rules", "../helm/schakel/files/prometheus-rules.yml"],
        ["test", "rules", "rules_test.yml"],
        ["test", "rules", "rules_test_days.yml"],
    ],
)
def test_promtool(command):
    result = subprocess.run(["promtool", *command], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr
