"""Request bodies that arrive as a test needs them: held in hand, or padded to a size."""

import asyncio


class Held:
    """An empty list padded to `size` bytes, whose first byte arrives at once and the rest when
    released: a large body in hand. `read`: how often it was begun."""

    def __init__(self, size: int) -> None:
        self.size, self.started, self.release, self.read = size, asyncio.Event(), asyncio.Event(), 0

    async def __aiter__(self):
        self.read += 1
        yield b"["
        self.started.set()
        await self.release.wait()
        yield padded(self.size)[1:]

    def headers(self, token: str) -> dict:
        return {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Content-Length": str(self.size),
        }


def padded(size: int) -> bytes:
    """An empty JSON list of `size` bytes."""
    return b"[" + b" " * (size - 2) + b"]"
