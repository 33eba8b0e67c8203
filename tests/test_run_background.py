"""`make start` and `make stop`: a second start beside a stack running in the background is refused
before it starts anything (it would fail on the stack's ports and leave its own pid where `make stop`
reads the first's), and `make stop` ends the stack that runs, not a process that took its pid since."""

import signal
import subprocess
import sys

import pytest

from deploy import run


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "DATA", tmp_path)
    monkeypatch.setattr(run, "PID_FILE", tmp_path / "run.pid")
    return tmp_path


def sleeping(*argv: str) -> subprocess.Popen:
    """A process that has started (it said so): its command line is its own, no longer pytest's."""
    code = "import time; print('started', flush=True); time.sleep(120)"
    process = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "started\n"
    return process


def stack() -> subprocess.Popen:
    """A process that stands for the background stack: its command line names `deploy.run`."""
    return sleeping("deploy.run")


def test_a_second_start_beside_a_running_stack_is_refused_and_stop_ends_the_first(data, monkeypatch):
    with stack() as first:
        try:
            (data / "run.pid").write_text(str(first.pid))
            popen = subprocess.Popen
            monkeypatch.setattr(run.subprocess, "Popen", lambda *a, **k: pytest.fail("a second stack was started"))
            with pytest.raises(SystemExit) as refused:
                run.start_background()
            assert f"already (pid {first.pid})" in str(refused.value)
            assert (data / "run.pid").read_text() == str(first.pid), "make stop still finds the first"
            monkeypatch.setattr(run.subprocess, "Popen", popen)

            run.stop_background()
            assert first.wait() == -signal.SIGTERM
            assert not (data / "run.pid").exists()
        finally:
            first.kill()


def test_stop_leaves_alone_a_process_that_took_a_stale_pid(data, capsys):
    with sleeping() as other:
        try:
            (data / "run.pid").write_text(str(other.pid))  # the stack ended long ago; its pid went to another
            run.stop_background()
            assert "Nothing to stop." in capsys.readouterr().out
            assert other.poll() is None, "not killed"
            assert not (data / "run.pid").exists(), "the stale file is gone"
        finally:
            other.kill()
