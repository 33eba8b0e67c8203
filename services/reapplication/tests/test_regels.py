"""Awb 4:13 (the decision term), the polis showing the job ended, and the reused situation kept in
its contract form (art. 43a Participatiewet)."""

from datetime import date

from reapplication.domain.beslistermijn import Beslistermijn, beslistermijn
from reapplication.domain.inkomen import LaatsteInkomen, baan_beeindigd, na_einde
from reapplication.service.hergebruik import als_json, van_json

HERGEBRUIK = {
    "geboortedatum": "1989-01-01",
    "situatie": {
        "huishouden": "gehuwd",
        "partnerGeboortedatum": "1990-02-02",
        "jongsteKindGeboortedatum": None,
        "kostendelers": 1,
        "medischUrenbeperkt": True,
        "loonkostensubsidie": False,
        "meerUrenNietMogelijk": False,
        "vrijlatingsregime": "per-datum",
        "betaalmodel": "voorschot",
    },
    "vrijlatingsklok": [{"grond": "n", "maandenGebruikt": 2}],
}


def test_the_decision_term_is_eight_weeks_after_the_melding():
    """Awb 4:13 lid 2: without a term in the law, eight weeks."""
    melding = date(2026, 11, 2)
    assert beslistermijn(melding, "beoordelen", melding) == Beslistermijn(date(2026, 12, 28), False, 56)
    op_de_dag = beslistermijn(melding, "beoordelen", date(2026, 12, 28))
    assert (op_de_dag.verstreken, op_de_dag.dagen_over) == (False, 0)
    assert beslistermijn(melding, "beoordelen", date(2026, 12, 29)).verstreken
    assert not beslistermijn(melding, "toegekend", date(2027, 3, 1)).verstreken, "decided: nothing is overdue"


def test_the_job_ended_when_the_latest_month_shows_no_income_or_every_paying_relationship_ended():
    assert baan_beeindigd(None), "no polis income known"
    assert baan_beeindigd(LaatsteInkomen("2026-10", 0, False))
    assert not baan_beeindigd(LaatsteInkomen("2026-10", 130000, False))
    assert baan_beeindigd(LaatsteInkomen("2026-10", 50000, True))


def test_only_a_month_holding_a_day_after_the_benefit_ended_can_show_the_job_ended():
    """The job that ended the benefit paid from the day after the end at the latest: that month or a
    later one shows it; an earlier month, or none, says nothing about it."""
    zonder = LaatsteInkomen("2029-05", 0, False)
    assert na_einde(zonder, date(2029, 5, 16)), "its second half of May had the job's wage"
    assert not na_einde(zonder, date(2029, 5, 31)), "the job began in June"
    assert na_einde(LaatsteInkomen("2029-06", 0, False), date(2029, 5, 31))
    assert not na_einde(LaatsteInkomen("2029-04", 0, False), date(2029, 5, 16))
    assert not na_einde(None, date(2029, 5, 16)), "no month: nothing shown"


def test_the_reused_situation_is_parsed_once_and_written_back_unchanged():
    hergebruik = van_json(HERGEBRUIK)
    assert hergebruik.situatie.medisch_urenbeperkt and hergebruik.geboortedata() == [date(1989, 1, 1), date(1990, 2, 2)]
    assert als_json(hergebruik) == HERGEBRUIK
    assert van_json(None) is None and als_json(None) is None
