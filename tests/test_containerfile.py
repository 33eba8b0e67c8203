"""deploy/Containerfile without a container engine: its install step runs in a clean virtual
environment, the files it copies are laid out as in the image, and every service starts from
them with only the runtime dependencies (it migrates a database; the console builds its app)."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from deploy.services import SERVICES

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
CONTAINERFILE = ROOT / "deploy" / "Containerfile"


def instructions(stage: int) -> list[tuple[str, str]]:
    """(instruction, arguments) of the Containerfile's stage (0: build, 1: the image)."""
    lines = [line for line in CONTAINERFILE.read_text().splitlines() if line and not line.startswith("#")]
    stages, current = [], []
    for line in lines:
        word, _, rest = line.partition(" ")
        if word == "FROM":
            stages.append(current := [])
        current.append((word, rest))
    return stages[stage]


def test_the_base_image_runs_the_python_the_project_requires():
    python = re.search(r"^ARG PYTHON=(\d+\.\d+)$", CONTAINERFILE.read_text(), re.M).group(1)
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={python}"
    assert sys.version_info[:2] == tuple(map(int, python.split("."))), "the tests run on the image's Python"


def test_the_install_steps_give_every_service_what_it_needs_and_no_more(tmp_path):
    # the build stage: its COPY and RUN, with the image's paths moved under tmp_path
    build = instructions(0)
    [(_, copied)] = [i for i in build if i[0] == "COPY"]
    source, target = copied.split()
    (tmp_path / target.lstrip("/")).parent.mkdir(parents=True)
    shutil.copy(ROOT / source, tmp_path / target.lstrip("/"))
    [(_, run)] = [i for i in build if i[0] == "RUN"]
    # pip's cache only saves downloads here: what is installed is the same
    command = re.sub(r"(?<=\s)/(opt|build)", lambda m: f"{tmp_path}/{m.group(1)}", run).replace(" --no-cache-dir", "")
    subprocess.run(
        command, shell=True, check=True, cwd=tmp_path, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    )
    python = tmp_path / "opt" / "schakel" / "bin" / "python"
    assert subprocess.run([python, "-c", "import pytest"], capture_output=True).returncode != 0, "no dev extras"

    image = dict(i for i in instructions(1) if i[0] == "ENV")["ENV"]
    for service in [*SERVICES, "console"]:
        app = tmp_path / f"image-{service}"
        for _, copy in [i for i in instructions(1) if i[0] == "COPY" and not i[1].startswith("--from")]:
            source, target = copy.replace("${SERVICE}", service).split()
            (app / target.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            (app / target.lstrip("/")).symlink_to(ROOT / source)
        env = {
            "PATH": f"{python.parent}:{os.environ['PATH']}",
            "PYTHONPATH": re.search(r"PYTHONPATH=(\S+)", image).group(1).replace("/app", str(app / "app")),
            "SCHAKEL_ENVIRONMENT": "development",
            "SCHAKEL_DATA_DIR": str(app),
        }
        command = (
            ["python", "-m", service, "migrate"]
            if service != "console"
            else ["python", "-c", "from console.bootstrap import build; build()"]
        )
        result = subprocess.run(command, env=env, cwd=app / "app", capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{service}: {result.stderr[-2000:]}"
        if service != "console":
            assert (app / f"{service}.db").exists()
