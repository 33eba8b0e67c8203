"""Re-application rules: automatic approval or the concrete reasons for review; the search period
and its exemptions; start dates around the melding."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from reapplication.domain.fouten import (
    AlBesloten,
    GeenHergebruik,
    HeraanvraagFout,
    MeldingTeVroeg,
    ZoektermijnLoopt,
)
from reapplication.domain.heraanvraag import (
    Aanvraag,
    Context,
    beoordeel,
    besluit,
    controleer,
    na_ww,
    redenen,
    zoektermijn_tot,
)
from reapplication.domain.hergebruik import Hergebruik, Situatie
from reapplication.domain.inkomen import LaatsteInkomen
from reapplication.entrypoints.models import Grondslag, GrondslagWeergave, HeraanvraagInvoer

SITUATIE = Situatie("alleenstaand", None, None, 0, False, False, False, "per-datum", "voorschot")
MELDING = date(2026, 11, 2)
VANDAAG = date(2026, 12, 31)  # the day the requests are checked
NU = datetime(2026, 11, 2, 9, tzinfo=UTC)
LAATSTE = LaatsteInkomen("2026-10", 0, False)  # the polis month after the window's benefit ended, without income


def context(geboren="1980-01-01", situatie=SITUATIE, **changes) -> Context:
    base = dict(
        termijn_open=True,
        hergebruik=Hergebruik(date.fromisoformat(geboren), situatie),
        baan_beeindigd=True,
        doelgroep_loonkostensubsidie=False,
    )
    return Context(**base | changes)


def codes(aanvraag: Aanvraag, c: Context, vandaag=MELDING) -> list[str]:
    return [r.code for r in redenen(aanvraag, c, vandaag)]


def test_a_simple_re_application_is_approved_automatically():
    assert codes(Aanvraag(MELDING, MELDING, ()), context()) == []


def test_an_automatic_grant_says_what_was_checked_and_reused_and_a_past_search_period():
    jong = context(geboren="2001-06-01")
    h = beoordeel("h", "p", "b", "GM0363", Aanvraag(MELDING, MELDING, ()), jong, LAATSTE, NU, date(2026, 11, 30), NU)
    assert h.status == "toegekend" and h.besluit_reden is not None
    assert "De zoektermijn van 4 weken is voorbij: uw aanvraag kon behandeld worden vanaf 30 november 2026." in (
        h.besluit_reden
    )
    wacht = beoordeel("h", "p", "b", "GM0363", Aanvraag(MELDING, MELDING, ()), jong, None, NU, MELDING, NU)
    assert (wacht.status, wacht.besluit_reden) == ("beoordelen", None), "a caseworker gives the reason"


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
    medisch = context(geboren="2001-06-01", situatie=replace(SITUATIE, medisch_urenbeperkt=True))
    assert zoektermijn_tot(aanvraag, medisch) is None
    stel = context(
        geboren="2001-06-01", situatie=replace(SITUATIE, huishouden="gehuwd", partner_geboortedatum=date(1990, 1, 1))
    )
    assert zoektermijn_tot(aanvraag, stel) is None, "only when both partners are under 27"


def test_a_start_more_than_three_months_before_the_melding_is_refused():
    controleer(Aanvraag(MELDING, date(2026, 8, 2), ()), VANDAAG)
    with pytest.raises(HeraanvraagFout) as caught:
        controleer(Aanvraag(MELDING, date(2026, 8, 1), ()), VANDAAG)
    assert (caught.value.code, caught.value.field) == ("startdatum-te-vroeg", "startdatum")


def test_without_reasons_it_is_approved_at_once_otherwise_a_caseworker_decides_once():
    """Art. 43a Participatiewet: only a simple re-application is decided without a caseworker."""
    simpel = beoordeel(
        "h", "p", "999993653", "GM0363", Aanvraag(MELDING, MELDING, ()), context(), LAATSTE, NU, MELDING, NU
    )
    assert (simpel.status, simpel.besloten_op, simpel.redenen) == ("toegekend", NU, ())
    jong = beoordeel(
        "h",
        "p",
        "999993653",
        "GM0363",
        Aanvraag(MELDING, MELDING, ()),
        context(geboren="2001-06-01"),
        None,
        NU,
        MELDING,
        NU,
    )
    assert (jong.status, jong.besloten_op, jong.vroegste_behandeldatum) == ("beoordelen", None, date(2026, 11, 30))
    afgewezen = besluit(jong, False, "geen recht", NU, MELDING)
    assert (afgewezen.status, afgewezen.besluit_reden) == ("afgewezen", "geen recht")
    with pytest.raises(AlBesloten):
        besluit(afgewezen, True, "toch", NU, MELDING)
    zonder_termijn = replace(jong, hergebruik=None)
    with pytest.raises(GeenHergebruik) as refused:
        besluit(zonder_termijn, True, "reden", NU, date(2026, 11, 30))
    assert refused.value.field == "situatie"
    with pytest.raises(GeenHergebruik) as zonder_leeftijd:
        besluit(zonder_termijn, True, "reden", NU, date(2026, 11, 30), situatie=SITUATIE)
    assert zonder_leeftijd.value.field == "geboortedatum"
    assert besluit(zonder_termijn, False, "nieuwe aanvraag", NU, MELDING).status == "afgewezen"
    eerste = replace(zonder_termijn, aanvraag=replace(zonder_termijn.aanvraag, geboortedatum=date(2001, 6, 1)))
    toegekend = besluit(eerste, True, "recht vastgesteld", NU, date(2026, 11, 30), situatie=SITUATIE)
    assert (toegekend.status, toegekend.hergebruik) == ("toegekend", Hergebruik(date(2001, 6, 1), SITUATIE))


def test_from_a_max_ww_handover_bijstand_starts_the_day_after_and_the_melding_is_at_most_4_weeks_early():
    """Art. 41 lid 6 Participatiewet: the melding from four weeks before the WW ends, so the search period fits."""
    basis = Aanvraag(date(2026, 12, 3), date(2026, 12, 3), (), geboortedatum=date(2001, 6, 1))
    assert na_ww(date(2026, 12, 31), date(2026, 12, 3), basis) == replace(basis, startdatum=date(2027, 1, 1))
    with pytest.raises(MeldingTeVroeg) as refused:
        na_ww(date(2026, 12, 31), date(2026, 12, 2), basis)
    assert refused.value.field == "meldingsdatum"


def test_a_first_application_under_27_has_the_search_period_from_the_ages_it_brings():
    """Art. 41 lid 4 Participatiewet: every application, not only a re-application within the window."""
    eerste = context(termijn_open=False, hergebruik=None)
    jong = Aanvraag(MELDING, MELDING, (), geboortedatum=date(2001, 6, 1))
    assert zoektermijn_tot(jong, eerste) == date(2026, 11, 30)
    assert codes(jong, eerste) == ["geen-open-termijn", "zoektermijn"]
    assert zoektermijn_tot(replace(jong, partner_geboortedatum=date(1990, 1, 1)), eerste) is None
    assert zoektermijn_tot(replace(jong, medisch_urenbeperkt=True), eerste) is None
    assert codes(Aanvraag(MELDING, MELDING, ()), eerste) == ["geen-open-termijn", "leeftijd-onbekend"]


def test_a_caseworker_may_waive_the_search_period_with_a_reason_from_2026():
    """Art. 41 lid 11 Participatiewet (Participatiewet in balans): waived case by case from 2026."""
    ontheven = Aanvraag(MELDING, MELDING, (), ontheffing="dakloos, direct inkomen nodig")
    assert zoektermijn_tot(ontheven, context(geboren="2001-06-01")) is None
    assert codes(ontheven, context(geboren="2001-06-01")) == []
    with pytest.raises(HeraanvraagFout) as te_vroeg:
        controleer(replace(ontheven, meldingsdatum=date(2025, 12, 31), startdatum=date(2025, 12, 31)), VANDAAG)
    assert (te_vroeg.value.code, te_vroeg.value.field) == ("ontheffing-niet-mogelijk", "zoektermijnOntheffing")

    jong = beoordeel(
        "h",
        "p",
        "999993653",
        "GM0363",
        Aanvraag(MELDING, MELDING, ()),
        context(geboren="2001-06-01"),
        None,
        NU,
        MELDING,
        NU,
    )
    with pytest.raises(ZoektermijnLoopt) as loopt:
        besluit(jong, True, "recht", NU, date(2026, 11, 29))
    assert loopt.value.field == "zoektermijnOntheffing"
    toegekend = besluit(jong, True, "recht", NU, date(2026, 11, 29), ontheffing="schulden dreigen")
    assert (toegekend.status, toegekend.aanvraag.ontheffing, toegekend.vroegste_behandeldatum) == (
        "toegekend",
        "schulden dreigen",
        MELDING,
    )
    assert besluit(jong, True, "recht", NU, date(2026, 11, 30)).status == "toegekend", "after four weeks: no waiver"
    oud = beoordeel(
        "h", "p", "999993653", "GM0363", Aanvraag(MELDING, MELDING, ("adres",)), context(), None, NU, MELDING, NU
    )
    assert besluit(oud, True, "recht", NU, date(2026, 10, 1)).status == "toegekend", "a melding ahead: no search period"


def test_the_melding_may_come_in_the_last_four_weeks_of_a_temporary_contract():
    """Art. 41 lid 6 applied to a temporary contract (Schakel's choice, seeds/000): the search period ends with it."""
    controleer(Aanvraag(date(2026, 12, 3), date(2027, 1, 1), (), einde_contract=date(2026, 12, 31)), VANDAAG)
    with pytest.raises(MeldingTeVroeg) as refused:
        controleer(Aanvraag(date(2026, 12, 2), date(2027, 1, 1), (), einde_contract=date(2026, 12, 31)), VANDAAG)
    assert refused.value.field == "meldingsdatum"


@pytest.mark.parametrize(
    "aanvraag, code, veld",
    [
        (Aanvraag(date(2027, 1, 1), date(2027, 1, 1), ()), "melding-in-de-toekomst", "meldingsdatum"),
        (Aanvraag(date(1926, 11, 30), date(1926, 12, 1), ()), "melding-te-oud", "meldingsdatum"),
        (Aanvraag(date(2025, 12, 30), date(2025, 12, 30), ()), "melding-te-oud", "meldingsdatum"),
        (Aanvraag(MELDING, date(2099, 1, 1), ()), "startdatum-te-laat", "startdatum"),
        (Aanvraag(MELDING, date(2026, 12, 2), ()), "startdatum-te-laat", "startdatum"),
        (Aanvraag(MELDING, MELDING, (), geboortedatum=date(2020, 1, 1)), "te-jong", "geboortedatum"),
        (Aanvraag(MELDING, MELDING, (), geboortedatum=date(2030, 1, 1)), "te-jong", "geboortedatum"),
        (
            Aanvraag(MELDING, MELDING, (), geboortedatum=date(1990, 1, 1), partner_geboortedatum=date(2040, 1, 1)),
            "geboortedatum-na-melding",
            "partnerGeboortedatum",
        ),
    ],
)
def test_dates_out_of_order_are_refused(aanvraag, code, veld):
    """A melding not yet made or a year typed wrong, a start decades on (it was granted automatically), a child applicant,
    a partner not yet born."""
    with pytest.raises(HeraanvraagFout) as refused:
        controleer(aanvraag, VANDAAG)
    assert (refused.value.code, refused.value.field) == (code, veld)


def test_a_melding_a_year_back_is_taken():
    controleer(Aanvraag(date(2025, 12, 31), date(2025, 12, 31), ()), VANDAAG)


def test_the_start_may_be_the_day_after_the_last_four_weeks_of_an_early_melding():
    controleer(Aanvraag(MELDING, MELDING + timedelta(weeks=4, days=1), ()), VANDAAG)


def test_a_value_named_twice_is_a_malformed_request_and_a_stored_handover_still_reads():
    """`uniqueItems` in the contract: `inkomen` twice was stored and shown twice to the caseworker."""
    with pytest.raises(ValidationError) as refused:
        HeraanvraagInvoer.model_validate(
            {
                "bsn": "999993653",
                "meldingsdatum": "2026-11-02",
                "startdatum": "2026-11-02",
                "wijzigingen": ["inkomen", "inkomen"],
            }
        )
    assert [e["loc"] for e in refused.value.errors()] == [("wijzigingen",)]
    # the same consent in another order is the same; one stored before reikwijdte was checked still shows
    assert Grondslag.model_validate(GRONDSLAG | {"reikwijdte": ["ww-bedrag", "ww-einddatum"]}).reikwijdte == [
        "ww-einddatum",
        "ww-bedrag",
    ]
    with pytest.raises(ValidationError):
        Grondslag.model_validate(GRONDSLAG | {"reikwijdte": ["ww-einddatum", "ww-einddatum"]})
    for opgeslagen in (["ww-bedrag"], ["ww-einddatum", "ww-einddatum"]):
        assert GrondslagWeergave.model_validate(GRONDSLAG | {"reikwijdte": opgeslagen}).reikwijdte == opgeslagen


GRONDSLAG = {"soort": "toestemming", "referentie": "UWV-TOE-1"}
