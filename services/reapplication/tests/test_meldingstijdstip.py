"""UWV's notification may name when UWV made it (`meldingstijdstip`), so that one made before the latest
applied changes nothing. A moment after it arrived cannot be (a year typed wrong): it would pass for the
latest notification for good, and every later one naming its moment (as UWV is asked to send them) would
be `verouderd`: a corrected WW end and a move to the new municipality answered 200 and dropped. Refused
(422), as a date ahead is elsewhere; UWV's clock may run a little ahead of ours."""

from datetime import date, datetime, timedelta

import pytest

from reapplication.service import overdrachten
from reapplication.tests.fakes import ports
from schakel.errors import Refused

VANDAAG = date(2026, 12, 1)
BSN = "999993653"  # the BRP (FakeBrp) registers everyone in GM0363
GROND = {"soort": "toestemming", "referentie": "UWV-1", "reikwijdte": ["ww-einddatum"]}
EINDE = VANDAAG + timedelta(days=40)


async def test_a_notification_made_in_the_future_is_refused_and_leaves_the_handover_open_to_corrections():
    p, uow = ports(VANDAAG)
    nu: datetime = p.clock.now()
    with pytest.raises(Refused) as refused:
        await overdrachten.meld(p, BSN, "GM0363", EINDE, GROND, None, nu.replace(year=2062))
    assert (refused.value.code, refused.value.field) == ("meldingstijdstip-in-de-toekomst", "meldingstijdstip")
    assert uow.overdrachten.alle_rijen() == []
    uitkomst, _ = await overdrachten.meld(p, BSN, "GM0363", EINDE, GROND, None, nu - timedelta(hours=2))
    assert uitkomst == "nieuw"
    # UWV's correction of the end, made after it, applies (as it would not after the year typed wrong)
    uitkomst, o = await overdrachten.meld(
        p, BSN, "GM0363", EINDE + timedelta(days=7), GROND, None, nu - timedelta(hours=1)
    )
    assert (uitkomst, o.ww_einddatum) == ("bijgewerkt", EINDE + timedelta(days=7))
    # a clock a minute ahead of ours is UWV's own: taken
    later = EINDE + timedelta(days=14)
    uitkomst, o = await overdrachten.meld(p, BSN, "GM0363", later, GROND, None, nu + timedelta(minutes=1))
    assert (uitkomst, o.ww_einddatum) == ("bijgewerkt", later)
