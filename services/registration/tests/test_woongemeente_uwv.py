"""UWV names the municipality of residence with each fact it reports or withdraws over the API. The
contract lets `gemeentecode` be absent (a municipality's fact names its own), so a body of UWV's without
it is well-formed: refused by the rule (422 naming the field), as every other rule the schema cannot
say, after whether UWV reports the kind at all (403). Through the app as bootstrap builds it."""

from dataclasses import replace

import httpx

from deploy.token import development, mint
from registration import bootstrap
from schakel.api import Rol
from tests.support.fakes import FakeBrp

ADVIES = {"bsn": "999993653", "soort": "advies-uitgebracht", "datum": "2026-02-01", "uitkomst": "positief"}


async def test_uwv_without_the_municipality_of_residence_is_refused_by_the_rule_not_as_malformed(tmp_path):
    service, app = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))
    await service.migrate()
    app.state.ports = replace(app.state.ports, brp=FakeBrp())
    uwv = {"Authorization": f"Bearer {mint(Rol.uwv)}"}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as client:
            for pad in ("/mutaties", "/mutaties/_intrekken"):
                for body in (ADVIES, ADVIES | {"gemeentecode": None}):
                    refused = await client.post(pad, json=body, headers=uwv)
                    assert refused.status_code == 422, (pad, refused.text)
                    assert refused.json()["code"] == "woongemeente-ontbreekt"
                    assert [p["name"] for p in refused.json()["invalidParams"]] == ["gemeentecode"]
            # a kind UWV does not report is that refusal, whatever else the body lacks
            vastgesteld = {"bsn": "999993653", "soort": "beschut-werk-vastgesteld", "datum": "2026-02-01"}
            assert (await client.post("/mutaties", json=vastgesteld, headers=uwv)).status_code == 403
    finally:
        await service.db.dispose()
