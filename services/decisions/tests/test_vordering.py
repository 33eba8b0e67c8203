"""Recovery without a debt spiral (Participatiewet art. 58, 60; Rv art. 475da): claims are netted
against back-payments first, oldest first, then against the running benefit above the beslagvrije
voet only (95% of the applicable norm from 2021, or of a lower income)."""

from datetime import date

from decisions.adapters.parameters import laad
from decisions.domain.vordering import Aflossing, Vordering, beslagvrije_voet, inhouding, los_af, ruimte
from schakel.primitives import Maand

P = laad()
DAG = date(2026, 3, 1)
NORM = 140150  # single, 2026, holiday allowance included


def test_the_beslagvrije_voet_is_95_percent_of_the_norm_or_of_a_lower_income():
    assert beslagvrije_voet(NORM, NORM, DAG, P) == 133143  # 1.331,43 (half up)
    assert ruimte(NORM, NORM, DAG, P) == 7007, "only bijstand: 5% of the norm may go to the claims"
    assert beslagvrije_voet(NORM, 100000, DAG, P) == 95000 and ruimte(NORM, 100000, DAG, P) == 5000
    assert ruimte(NORM, 180000, DAG, P) == 180000 - 133143, "above the norm: the income over 95% of the norm"


def test_a_back_payment_pays_off_the_oldest_claim_first_and_the_rest_goes_to_the_person():
    vorderingen = [Vordering(Maand(2026, 4), 5000), Vordering(Maand(2026, 2), 3000)]
    open_, afgelost, over = los_af(vorderingen, 6000)
    assert afgelost == [Aflossing(Maand(2026, 2), 3000), Aflossing(Maand(2026, 4), 3000)]
    assert (open_, over) == ([Vordering(Maand(2026, 4), 2000)], 0)
    assert los_af(open_, 2500) == ([], [Aflossing(Maand(2026, 4), 2000)], 500)


def test_the_running_benefit_withholds_at_most_the_room_and_the_instalment():
    open_ = [Vordering(Maand(2026, 2), 50000)]
    room = ruimte(NORM, NORM, DAG, P)
    assert inhouding(open_, 133143, room) == 7007
    assert inhouding(open_, 133143, min(room, 5000)) == 5000, "a municipality's instalment may be lower"
    assert inhouding([Vordering(Maand(2026, 2), 1200)], 133143, room) == 1200
    assert inhouding(open_, 0, room) == 0
