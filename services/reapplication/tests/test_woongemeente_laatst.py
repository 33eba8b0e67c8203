"""UWV's Max-WW notification names the municipality of residence, judged after the notification's own
rules (what the consent covers, the WW's end): a refused notification tells UWV nothing of where the
person lives that a handover made would not, as registration judges UWV's municipality last. Without
it, one notification that breaks a rule on purpose, sent once per municipality, would find where anyone
lives without a handover to show for it."""

from datetime import date, timedelta

import pytest

from reapplication.domain.fouten import BuitenGrondslag, NietWoongemeente, WwEinddatumBuitenBereik
from reapplication.service import overdrachten
from reapplication.tests.fakes import ports

VANDAAG = date(2026, 12, 1)
BSN = "999993653"  # the BRP (FakeBrp) registers everyone in GM0363
GROND = {"soort": "toestemming", "referentie": "UWV-1", "reikwijdte": ["ww-einddatum"]}


@pytest.mark.parametrize("gemeentecode", ["GM0363", "GM0599"])
async def test_a_notification_breaking_its_own_rules_is_refused_alike_wherever_the_person_lives(gemeentecode):
    p, uow = ports(VANDAAG)
    einde = VANDAAG + timedelta(days=40)
    with pytest.raises(BuitenGrondslag):  # an amount the consent does not cover
        await overdrachten.meld(p, BSN, gemeentecode, einde, GROND, ("dagloon", 9650))
    with pytest.raises(WwEinddatumBuitenBereik):  # a WW ending 30 months ahead
        await overdrachten.meld(p, BSN, gemeentecode, VANDAAG + timedelta(days=915), GROND, None)
    assert uow.overdrachten.alle_rijen() == []


async def test_a_notification_that_passes_its_rules_to_another_municipality_is_refused_and_stores_nothing():
    p, uow = ports(VANDAAG)
    with pytest.raises(NietWoongemeente) as refused:
        await overdrachten.meld(p, BSN, "GM0599", VANDAAG + timedelta(days=40), GROND, None)
    assert (refused.value.code, refused.value.field) == ("niet-woongemeente", "gemeentecode")
    assert uow.overdrachten.alle_rijen() == []
    uitkomst, _ = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=40), GROND, None)
    assert uitkomst == "nieuw" and len(uow.overdrachten.alle_rijen()) == 1
