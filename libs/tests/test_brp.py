"""The BRP client asks the Haal Centraal BRP Personen API for one thing, the municipality of
registration, with the BSN in the body; the local stand-in answers in the same shape. Unknown and
RNI persons live in no municipality; a BRP that cannot be asked is an Unavailable, never a guess."""

import pytest

from deploy.brp_standin import BrpStandIn
from deploy.kafka_broker import free_port
from schakel.api.problems import from_domain
from schakel.brp import HaalCentraalBrp
from schakel.errors import Unavailable


@pytest.fixture
def standin():
    brp = BrpStandIn().start()
    yield brp
    brp.stop()


async def test_the_municipality_of_registration_and_a_move(standin):
    client = HaalCentraalBrp(standin.url)
    standin.vestig("999990019", "GM0599")
    assert await client.woongemeente("999990019") == "GM0599"
    standin.vestig("999990019", "GM0363")  # moved
    assert await client.woongemeente("999990019") == "GM0363"
    assert await client.woongemeente("999990020") is None, "unknown to the BRP"
    standin.vestig("999990019", "GM1999")  # the RNI: registered, but in no municipality
    assert await client.woongemeente("999990019") is None
    assert await client.woongemeente("999993653") == "GM0363", "a test person of the contracts' examples"


async def test_the_request_is_the_haal_centraal_shape(standin):
    vraag = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999993653"]}
    assert standin.raadpleeg(vraag) == [
        {"burgerservicenummer": "999993653", "gemeenteVanInschrijving": {"code": "0363"}}
    ]
    with pytest.raises(Unavailable):  # the stand-in refuses any other question with 400
        await HaalCentraalBrp(standin.basis + "/elders").woongemeente("999993653")


async def test_a_brp_that_cannot_be_reached_is_503_not_a_guess():
    with pytest.raises(Unavailable) as unavailable:
        await HaalCentraalBrp(f"http://127.0.0.1:{free_port()}/haalcentraal/api/brp", timeout=1).woongemeente(
            "999993653"
        )
    assert (from_domain(unavailable.value).status, unavailable.value.code) == (503, "bron-niet-beschikbaar")
