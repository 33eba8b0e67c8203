"""Name lookups that a name server which does not answer cannot hold up for the rest of the process:
the webhooks' callback hosts (decisions) and the instances the console reads."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from schakel.singleflight import SingleFlight

# the longest a lookup waits for a thread while every one is busy
WACHT = 1.0


class Opzoeker:
    """The system resolver, in threads of its own: getaddrinfo cannot be cancelled, so a name whose DNS
    hangs holds its thread until the system resolver gives up, and in the loop's default pool it would
    hold up every other lookup of the process (the database's, Kafka's). A name is looked up once at a
    time, whoever asks (each caller waits for that lookup), so a hanging name holds one thread. With
    every thread busy, a lookup of yet another name waits for one to come free, at most `WACHT`
    (a name server that answers does so in milliseconds): a burst of more names than threads is
    looked up; with every thread held that long, it fails (TimeoutError, as a lookup that ran out
    of time) instead of queueing behind them."""

    def __init__(self, threads: int, name: str) -> None:
        self._threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix=name)
        self._lookups: SingleFlight[tuple[asyncio.AbstractEventLoop, str, int], list[Any]] = SingleFlight()

    async def __call__(self, host: str, port: int) -> list[str]:
        """Every address the system resolver gives for `host` (OSError when there is none)."""
        loop = asyncio.get_running_loop()
        sleutel = (loop, host, port)
        bezig = self._lookups.running
        uiterlijk = loop.time() + WACHT
        while sleutel not in bezig and len(bezig) >= self._threads:
            eigen = [f for (lus, _, _), f in bezig.items() if lus is loop]
            if not eigen or loop.time() >= uiterlijk:
                raise TimeoutError(f"{self._threads} names are being looked up already")
            await asyncio.wait(eigen, timeout=uiterlijk - loop.time(), return_when=asyncio.FIRST_COMPLETED)
        lookup = partial(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        infos = await self._lookups(sleutel, lambda: loop.run_in_executor(self._pool, lookup))
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    def close(self) -> None:
        """Lets its threads go once their lookups end (one that hangs holds its thread till then)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
