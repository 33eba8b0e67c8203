"""Re-application rules: automatic approval or the concrete reasons for review; the search period
and its exemptions; start dates around the melding."""

from datetime import date

import pytest

from reapplication.domain.heraanvraag import Aanvraag, Context, HeraanvraagFout, controleer, redenen, zoektermijn_tot

SITUATIE = {"huishouden": "alleenstaand", "partnerGeboortedatum": None, "jongsteKindGeboortedatum": None,
            "kostendelers": 0, "medischUrenbeperkt": False, "loonkostensubsidie": False,
            "meerUrenNietMogelijk": False, "vrijlatingsregime": "per-datum", "betaalmodel": "voorschot"}
MELDING = date(2026, 11, 2)


def context(geboren="1980-01-01", **changes) -> Context:
    base = dict(termijn_open=True, hergebruik={"geboortedatum": geboren, "situatie": dict(SITUATIE),
                                               "vrijlatingsklok": []},
                baan_beeindigd=True, doelgroep_loonkostensubsidie=False)
    return Context(**base | changes)


def codes(aanvraag: Aanvraag, c: Context, vandaag=MELDING) -> list[str]:
    return [r.code for r in redenen(aanvraag, c, vandaag)]


def test_a_simple_re_application_is_approved_automatically():
    assert codes(Aanvraag(MELDING, MELDING, ()), context()) == []


def test_each_reason_for_review():
    assert codes(Aanvraag(MELDING, MELDING, ()), context(termijn_open=False)) == ["geen-open-termijn"]
    assert codes(Aanvraag(MELDING, MELDING, ("huishouden",)), context()) == ["wijzigingen"]
    assert codes(Aanvraag(MELDING, MELDING, ()), context(baan_beeindigd=False)) == ["baan-niet-beeindigd"]
    assert codes(Aanvraag(MELDING, date(2026, 10, 1), ()), context()) == ["startdatum-voor-melding"]
    assert codes(Aanvraag(MELDING, MELDING, ()), context(geboren="2001-06-01")) == ["zoektermijn"]


def test_the_search_period_under_27_and_its_exemptions():
    jong = context(geboren="2001-06-01")
    aanvraag = Aanvraag(MELDING, MELDING, ())
    assert zoektermijn_tot(aanvraag, jong) == date(2026, 11, 30)
    assert codes(aanvraag, jong, vandaag=date(2026, 11, 30)) == [], "handled after four weeks"
    assert zoektermijn_tot(Aanvraag(MELDING, MELDING, (), praktijkonderwijs_of_vso=True), jong) is None
    assert zoektermijn_tot(aanvraag, context(geboren="2001-06-01", doelgroep_loonkostensubsidie=True)) is None
    medisch = context(geboren="2001-06-01")
    medisch.hergebruik["situatie"]["medischUrenbeperkt"] = True
    assert zoektermijn_tot(aanvraag, medisch) is None
    stel = context(geboren="2001-06-01")
    stel.hergebruik["situatie"].update(huishouden="gehuwd", partnerGeboortedatum="1990-01-01")
    assert zoektermijn_tot(aanvraag, stel) is None, "only when both partners are under 27"


def test_a_start_more_than_three_months_before_the_melding_is_refused():
    controleer(Aanvraag(MELDING, date(2026, 8, 2), ()))
    with pytest.raises(HeraanvraagFout) as caught:
        controleer(Aanvraag(MELDING, date(2026, 8, 1), ()))
    assert caught.value.field == "startdatum"
