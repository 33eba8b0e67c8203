"""Income as bootstrap builds it takes large deliveries within the platform's budget
(SCHAKEL_LARGE_BODIES_MIB): one more is refused with 503 before its body is read, not parsed into
memory the process does not have."""

import asyncio

import httpx

from deploy.token import development, mint
from income import bootstrap
from schakel.api import Rol
from schakel.api.edge import MiB


class Vastgehouden:
    """A body of `size` bytes whose first byte arrives at once and the rest when released."""

    def __init__(self, size: int) -> None:
        self.size, self.begonnen, self.los, self.gelezen = size, asyncio.Event(), asyncio.Event(), 0

    async def __aiter__(self):
        self.gelezen += 1
        yield b"["
        self.begonnen.set()
        await self.los.wait()
        yield b" " * (self.size - 2) + b"]"


async def test_a_delivery_beyond_the_budget_is_refused_unread(tmp_path):
    platform = development().model_copy(update={"data_dir": tmp_path, "large_bodies_mib": 1})
    service, app = bootstrap.build(platform)
    headers = {"Authorization": f"Bearer {mint(Rol.data_provider)}", "Content-Type": "application/json"}
    try:
        await service.migrate()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1")
        eerste, tweede = Vastgehouden(MiB), Vastgehouden(MiB)
        lopend = asyncio.create_task(
            client.post("/leveringen", content=eerste, headers=headers | {"Content-Length": str(MiB)})
        )
        await asyncio.wait_for(eerste.begonnen.wait(), 10)  # bounded: a defect fails, not hangs
        bezet = await asyncio.wait_for(
            client.post("/leveringen", content=tweede, headers=headers | {"Content-Length": str(MiB)}), 10
        )
        assert bezet.status_code == 503 and bezet.headers["Retry-After"].isdigit() and tweede.gelezen == 0
        eerste.los.set()
        assert (await asyncio.wait_for(lopend, 10)).status_code == 400, "a list is not a delivery"
    finally:
        await service.db.dispose()
