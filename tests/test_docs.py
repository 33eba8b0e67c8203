"""An integrator on a network without access to public CDNs opens each service's documentation in
a real browser (headless Chromium from Debian) that can reach nothing but this machine, and sees
every operation of the contract listed."""

import re
import subprocess

import pytest
import yaml

from deploy.contracts import OPENAPI
from deploy.services import SERVICES
from tests.support.browser import OFFLINE

pytestmark = pytest.mark.integration


def rendered(url: str) -> str:
    return subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            *OFFLINE,
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


@pytest.mark.parametrize("name", SERVICES)
def test_the_documentation_lists_every_operation_without_the_internet(stack, name):
    dom = rendered(f"{stack.services[name].url}/docs")
    contract = yaml.safe_load((OPENAPI / f"{name}.yaml").read_text())
    shown = set(re.findall(r'class="opblock-summary-path" data-path="([^"]+)"', dom))
    assert shown == set(contract["paths"]), sorted(set(contract["paths"]) ^ shown)
