"""The console's app as bootstrap builds it, in-process: the page and its API answer only a token."""

import httpx

from console import bootstrap
from deploy.token import development, mint
from schakel.caller import Rol


async def test_the_app_serves_the_page_and_refuses_its_api_without_a_token():
    _, app = bootstrap.build(development())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        page = await client.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert (await client.get("/api/v1/dode-brieven")).status_code == 401
        forbidden = await client.get(
            "/api/v1/dode-brieven", headers={"Authorization": f"Bearer {mint(Rol.municipality, gemeente='GM0363')}"}
        )
        assert forbidden.status_code == 403, "dead letters are the operator's"
