import asyncio


async def wait_any(*events: asyncio.Event, timeout: float) -> None:
    """Waits until one of the events is set or the timeout passes, leaving no task behind."""
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
