"""Work per key that whoever asks meanwhile shares (single flight): the name lookups of `schakel.dns`,
the console's reads of a service's instances."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class SingleFlight(Generic[K, T]):
    """Who asks for a key while its work runs waits for that work; a new one starts once it ended.
    A waiter that leaves (its own deadline, its client gone) does not end the work the others wait
    for, and a failure nobody waits for any more is retrieved, not logged as never retrieved."""

    def __init__(self) -> None:
        self.running: dict[K, asyncio.Future[T]] = {}

    async def __call__(self, key: K, start: Callable[[], Awaitable[T]]) -> T:
        if key not in self.running:
            work = self.running[key] = asyncio.ensure_future(start())
            work.add_done_callback(lambda done: self._done(key, done))
        return await asyncio.shield(self.running[key])

    def _done(self, key: K, work: asyncio.Future[T]) -> None:
        del self.running[key]
        if not work.cancelled():
            work.exception()

    def cancel(self) -> None:
        for work in self.running.values():
            work.cancel()
