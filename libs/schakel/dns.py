"""Name lookups that a name server which does not answer cannot hold up for the rest of the process:
the webhooks' callback hosts (decisions) and the instances the console reads."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any


class Opzoeker:
    """The system resolver, in threads of its own: getaddrinfo cannot be cancelled, so a name whose DNS
    hangs holds its thread until the system resolver gives up, and in the loop's default pool it would
    hold up every other lookup of the process (the database's, Kafka's). A name is looked up once at a
    time, whoever asks (each caller waits for that lookup), so a hanging name holds one thread; with
    every thread held, a lookup of yet another name fails at once (TimeoutError, as a lookup that ran
    out of time) instead of queueing behind them."""

    def __init__(self, threads: int, name: str) -> None:
        self._threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix=name)
        self._bezig: dict[tuple[asyncio.AbstractEventLoop, str, int], asyncio.Future[Any]] = {}

    async def __call__(self, host: str, port: int) -> list[str]:
        """Every address the system resolver gives for `host` (OSError when there is none)."""
        loop = asyncio.get_running_loop()
        sleutel = (loop, host, port)
        if sleutel not in self._bezig:
            if len(self._bezig) >= self._threads:
                raise TimeoutError(f"{self._threads} names are being looked up already")
            opzoeking = loop.run_in_executor(
                self._pool, partial(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
            )
            self._bezig[sleutel] = opzoeking
            opzoeking.add_done_callback(lambda klaar: self._klaar(sleutel, klaar))
        # shielded: a caller that stops waiting (its deadline) leaves the lookup to the others
        infos = await asyncio.shield(self._bezig[sleutel])
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    def _klaar(self, sleutel: tuple[asyncio.AbstractEventLoop, str, int], opzoeking: asyncio.Future[Any]) -> None:
        del self._bezig[sleutel]
        if not opzoeking.cancelled():
            opzoeking.exception()  # retrieved: one nobody waits for any more is not logged as never retrieved

    def close(self) -> None:
        """Lets its threads go once their lookups end (one that hangs holds its thread till then)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
