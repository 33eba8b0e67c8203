"""`.cache/`'s fetch-once: processes that need a tool at once (the tests' workers) fetch it once."""

import fcntl
import threading

import pytest

from deploy.cache import fetched


def test_a_fetch_under_way_elsewhere_is_waited_for_not_repeated(tmp_path):
    folder, fetches = tmp_path / "tool" / "1.0", []

    def fetch(partial):
        fetches.append(partial)
        partial.mkdir()

    folder.parent.mkdir()
    with open(folder.parent / "1.0.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process is fetching it
        waiting = threading.Thread(target=fetched, args=(folder, fetch))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "it waits for the lock"
        folder.mkdir()  # the other process's fetch completes
    waiting.join(10)
    assert not waiting.is_alive() and fetches == [], "what the other fetched is taken, not fetched again"


def test_a_failed_fetch_leaves_nothing_that_looks_complete(tmp_path):
    folder = tmp_path / "tool" / "1.0"

    def broken(partial):
        partial.mkdir()
        (partial / "half.jar").write_bytes(b"PK")
        raise RuntimeError("the network went away")

    with pytest.raises(RuntimeError):
        fetched(folder, broken)
    assert not folder.exists()

    assert fetched(folder, lambda partial: (partial.mkdir(), (partial / "tool.jar").write_bytes(b"PK"))) == folder
    assert [p.name for p in folder.iterdir()] == ["tool.jar"], "fetched again in full, nothing left of the first"
