"""deploy/Containerfile without a container engine: its install step runs in a clean virtual
environment, the files it copies (less what .containerignore leaves out) are laid out and prepared
as in the image (no tests, compiled), and every service starts from them with only the runtime
dependencies (it migrates a database; the console builds its app), and one serves its API as the
image's command starts it."""

import fnmatch
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from deploy.kafka_broker import free_port
from deploy.services import SERVICES

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
CONTAINERFILE = ROOT / "deploy" / "Containerfile"


BUILD, APP, IMAGE = 0, 1, 2  # the stages: the virtual environment, the application's code, the image


def instructions(stage: int) -> list[tuple[str, str]]:
    """(instruction, arguments) of the Containerfile's stage (BUILD, APP or IMAGE)."""
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
    build = instructions(BUILD)
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

    image = dict(i for i in instructions(IMAGE) if i[0] == "ENV")["ENV"]
    assert [i[1] for i in instructions(IMAGE) if i[0] == "COPY"] == [
        "--from=build /opt/schakel /opt/schakel",
        "--from=app /app /app",
    ]
    [(_, prepare)] = [i for i in instructions(APP) if i[0] == "RUN"]
    for service in [*SERVICES, "console"]:
        app = tmp_path / f"image-{service}"
        for _, copy in [i for i in instructions(APP) if i[0] == "COPY"]:
            source, target = copy.replace("${SERVICE}", service).split()
            # all of it, as `docker build` (which reads no .containerignore) sends it
            shutil.copytree(ROOT / source, app / target.lstrip("/"), symlinks=True)
        # the code's preparation, with the base image's Python (the virtual environment's)
        command = re.sub(r"(?<=\s)/app", f"{app}/app", prepare.replace("${SERVICE}", service))
        subprocess.run(command.replace("python -m compileall", f"{python} -m compileall"), shell=True, check=True)
        assert not list((app / "app").rglob("tests")), f"{service}: no tests in the image"
        modules = [*(app / "app" / "libs").rglob("*.py"), *(app / "app" / "services").rglob("*.py")]
        assert modules and all(Path(importlib.util.cache_from_source(str(m))).exists() for m in modules), service
        env = {
            "PATH": f"{python.parent}:{os.environ['PATH']}",
            "PYTHONPATH": re.search(r"PYTHONPATH=(\S+)", image).group(1).replace("/app", str(app / "app")),
            "SCHAKEL_ENVIRONMENT": "development",
            "SCHAKEL_DATA_DIR": str(app),
            "PYTHONDONTWRITEBYTECODE": "1",
            "SERVICE": re.search(r"SERVICE=(\S+)", image).group(1).replace("${SERVICE}", service),
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
        if service == "income":  # one service started as the image starts it, on the database just migrated
            serves(service, env, app)


def test_the_image_runs_as_a_user_other_than_root():
    users = [arguments for word, arguments in instructions(IMAGE) if word == "USER"]
    # numeric: the chart's runAsNonRoot cannot tell a user's name from root
    assert len(users) == 1 and re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[0]), f"one USER, not root: {users}"


def test_the_image_command_hands_its_process_to_the_service():
    image = instructions(IMAGE)
    assert not [i for i in image if i[0] == "ENTRYPOINT"], "the chart's `command` replaces the CMD alone"
    [(_, command)] = [i for i in image if i[0] == "CMD"]
    # exec form, and sh hands over to Python: the process that gets SIGTERM is the service
    assert json.loads(command) == ["sh", "-c", 'exec python -m "$SERVICE"']


def serves(service: str, env: dict[str, str], app: Path) -> None:
    """The image's CMD serves `service`'s API from the layout `app`: its liveness answers 200; SIGTERM stops it."""
    [(_, command)] = [i for i in instructions(IMAGE) if i[0] == "CMD"]
    port, log = free_port(), app / f"{service}.log"
    # a broker that is not there: liveness does not wait for one, and the test reaches none by chance
    env = {**env, f"{service.upper()}_PORT": str(port), "SCHAKEL_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}"}
    with log.open("w") as output:
        process = subprocess.Popen(json.loads(command), env=env, cwd=app / "app", stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 60
        while not answers(f"http://127.0.0.1:{port}/api/v1/health/live"):
            assert process.poll() is None, f"{service} stopped: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"{service} does not answer on {port}: {log.read_text()[-2000:]}"
            time.sleep(0.2)  # polls until it listens
        process.terminate()
        # uvicorn raises the signal again once it has shut down gracefully
        assert process.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text()[-2000:]
    finally:
        process.kill()
        process.wait()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def ignored():
    """What .containerignore keeps out of the build context, as a copytree `ignore` of paths under the root."""
    patterns = [
        line.strip()
        for line in (ROOT / ".containerignore").read_text().splitlines()
        if line.strip()[:1] not in ("", "#")
    ]

    def ignore(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(ROOT)
        return {
            name
            for name in names
            for pattern in patterns
            if fnmatch.fnmatch((relative / name).as_posix(), pattern)
            or (pattern.startswith("**/") and fnmatch.fnmatch(name, pattern.removeprefix("**/")))
        }

    return ignore


def test_the_build_context_leaves_out_caches_environments_and_tests():
    ignore = ignored()
    assert ignore(str(ROOT), [".venv", ".cache", "libs", "contracts"]) == {".venv", ".cache"}
    assert ignore(str(ROOT / "services" / "income"), ["tests", "__pycache__", "api.py"]) == {"tests", "__pycache__"}
