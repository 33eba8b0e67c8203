"""`.cache/`'s fetch-once: processes that need a tool at once (the tests' workers) fetch it once."""

import fcntl
import threading
import time
from types import SimpleNamespace

import pytest

from deploy import cache


def test_a_fetch_under_way_elsewhere_is_waited_for_not_repeated(tmp_path, monkeypatch):
    folder, fetches, locking = tmp_path / "tool" / "1.0", [], threading.Event()

    def fetch(partial):
        fetches.append(partial)
        partial.mkdir()

    def flock(file, operation):
        locking.set()
        fcntl.flock(file, operation)

    monkeypatch.setattr(cache, "fcntl", SimpleNamespace(flock=flock, LOCK_EX=fcntl.LOCK_EX))
    folder.parent.mkdir()
    with open(folder.parent / "1.0.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process is fetching it
        waiting = threading.Thread(target=cache.fetched, args=(folder, fetch))
        waiting.start()
        # polled: a wait with a time-out never ends under libfaketime (a deadline in the faked time)
        while not locking.is_set() and waiting.is_alive():
            time.sleep(0.01)
        assert locking.is_set(), "it takes the lock before it looks again"
        folder.mkdir()  # the other process's fetch completes
    waiting.join()
    assert fetches == [], "what the other fetched is taken, not fetched again"


def test_a_failed_fetch_leaves_nothing_that_looks_complete(tmp_path):
    folder = tmp_path / "tool" / "1.0"

    def broken(partial):
        partial.mkdir()
        (partial / "half.jar").write_bytes(b"PK")
        raise RuntimeError("the network went away")

    with pytest.raises(RuntimeError):
        cache.fetched(folder, broken)
    assert not folder.exists()

    assert cache.fetched(folder, lambda partial: (partial.mkdir(), (partial / "tool.jar").write_bytes(b"PK"))) == folder
    assert [p.name for p in folder.iterdir()] == ["tool.jar"], "fetched again in full, nothing left of the first"
