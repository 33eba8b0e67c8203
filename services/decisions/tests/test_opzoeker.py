"""A callback host whose lookup runs out of time (`schakel.dns`) is a delivery's time-out."""

import pytest

from decisions.service.webhooks import adressen


async def test_a_lookup_that_runs_out_of_time_refuses_no_address():
    """Every resolver thread taken (another municipality's hanging names) is a time-out of this
    delivery, not a refusal of the subscriber's address: their subscription stays valid and the
    delivery log says `time-out`."""

    async def vol(host: str, port: int) -> list[str]:
        raise TimeoutError("8 names are being looked up already")

    with pytest.raises(TimeoutError):
        await adressen(vol, "https://backoffice.example.nl/events", False)
