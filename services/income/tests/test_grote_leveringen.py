"""Income as bootstrap builds it takes large deliveries within the platform's budget
(SCHAKEL_LARGE_BODIES_MIB): one more is refused with 503 before its body is read, not parsed into
memory the process does not have."""

import asyncio

import httpx

from deploy.token import development, mint
from income import bootstrap
from schakel.api import Rol
from schakel.api.edge import MiB
from tests.support.bodies import Held


async def test_a_delivery_beyond_the_budget_is_refused_unread(tmp_path):
    platform = development().model_copy(update={"data_dir": tmp_path, "large_bodies_mib": 1})
    service, app = bootstrap.build(platform)
    token = mint(Rol.data_provider)
    try:
        await service.migrate()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1")
        eerste, tweede = Held(MiB), Held(MiB)
        lopend = asyncio.create_task(client.post("/leveringen", content=eerste, headers=eerste.headers(token)))
        await asyncio.wait_for(eerste.started.wait(), 10)  # bounded: a defect fails, not hangs
        bezet = await asyncio.wait_for(client.post("/leveringen", content=tweede, headers=tweede.headers(token)), 10)
        assert bezet.status_code == 503 and bezet.headers["Retry-After"].isdigit() and tweede.read == 0
        eerste.release.set()
        assert (await asyncio.wait_for(lopend, 10)).status_code == 400, "a list is not a delivery"
    finally:
        await service.db.dispose()
