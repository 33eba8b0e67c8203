"""A provider closes a month (domain.afsluiting): who was in its population and had a case in the
month, with nothing known about it, gets the month established without income, announced as any
month is; a later declaration revises it. Against in-memory ports."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from income.adapters.repository import UnitOfWork
from income.domain.afsluiting import Afsluiting, levert
from income.domain.fouten import (
    AfsluitingGeweigerd,
    NietGecontracteerd,
    NietGeleverd,
    OnbekendeAfsluiting,
    TeVeelAfsluitingen,
)
from income.domain.populatie import Bekend, Termijn, Uitkering
from income.service import aangiften, afsluitingen, populatie
from income.tests.fakes import ports
from income.tests.test_service import ANDERE_LEVERANCIER, APRIL, LEVERANCIER, MEI, aangifte, lever
from schakel.caller import Caller, Rol
from schakel.clock import NL
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.opslag import gemigreerd


def om(dag: date, uur: int = 10) -> datetime:
    return datetime(dag.year, dag.month, dag.day, uur, tzinfo=NL)


GEHOORD = date(2029, 1, 2)  # the day income learned of the cases (the clock, moved on, says 11:00 in summer)
NA_MEI = om(date(2029, 6, 5), 2)  # when the provider read its population for May's delivery
VANDAAG = date(2029, 7, 10)  # the day it closes May
WERKT, ZONDER, PARTNER, LATER, ELDERS = "999993653", "999990019", "999990020", "999990032", "999990044"
GELEVERD, GELEVERD_ROTTERDAM = "999900122", "999900134"
NUL = {"nettoInkomen": 0, "vakantiebijslag": 0, "arbeidsinkomen": 0, "overigInkomen": 0, "onbekendInkomen": 0}


def zaak(bsn: str, sinds: date, gemeente: str = "GM0363", tot: date | None = None, **kw) -> Uitkering:
    return Uitkering(f"u-{bsn}", f"p-{bsn}", bsn, gemeente, sinds, tot, **kw)


async def populatie_van(*zaken: Uitkering):
    """The cases, known since GEHOORD, and May delivered for both municipalities (a provider closes only
    a municipality's month it delivered): for someone in each whose case began in June, so the
    declarations count in no month of the tests."""
    p, uow = ports(GEHOORD)
    geleverd = [zaak(GELEVERD, date(2029, 6, 1)), zaak(GELEVERD_ROTTERDAM, date(2029, 6, 1), "GM0599")]
    async with uow:
        await populatie.neem_op(p, uow, [*zaken, *geleverd])
    p.clock.advance(VANDAAG - GEHOORD)
    await lever(p, aangifte(GELEVERD, MEI), aangifte(GELEVERD_ROTTERDAM, MEI), levering_id="mei")
    uow.published.clear()
    return p, uow


@pytest.fixture(params=["geheugen", "database"])
async def opgeslagen(request, tmp_path):
    """The ports as of GEHOORD, on the in-memory fakes and on a migrated database (SQLite here, PostgreSQL
    in CI): what the SQL reads must agree with the fakes."""
    p, _ = ports(GEHOORD)
    if request.param == "geheugen":
        yield p
        return
    db, service = await gemigreerd(tmp_path, "income")
    yield replace(p, uow=lambda: UnitOfWork(service))
    await db.dispose()


async def sluit_af(p, caller: Caller, maand: Maand, gelezen_op: datetime, gemeentecodes, zonder=()) -> Afsluiting:
    """Asks for the closing and works it off, as the service's background task does; as it ended."""
    afsluiting = await afsluitingen.vraag_aan(p, caller, maand, gelezen_op, gemeentecodes, zonder)
    await afsluitingen.werk_af(p)
    return await afsluitingen.van(p, caller, afsluiting.id)


def maanden(uow) -> list[tuple[str, str, dict | None, dict]]:
    return [
        (e.key, e.data["maand"], e.data["vorige"], e.data["huidige"])
        for e in uow.published
        if e.type == events.MaandinkomenVastgesteld.TYPE
    ]


async def test_a_closed_month_is_established_without_income_for_who_had_none_and_only_once():
    p, uow = await populatie_van(
        zaak(WERKT, date(2029, 1, 1)),
        zaak(ZONDER, date(2029, 1, 1)),
        zaak(PARTNER, date(2029, 1, 1), als_partner=True),
        zaak(LATER, date(2029, 6, 1)),  # its case began after May
        zaak(ELDERS, date(2029, 1, 1), "GM0014"),  # a municipality the provider does not deliver for
    )
    await lever(p, aangifte(WERKT, MEI))
    uow.published.clear()

    uit = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert (uit.personen, uit.zonder_inkomen) == (3, 2), "the worker's May was known already"
    assert sorted(maanden(uow)) == [(f"p-{ZONDER}", "2029-05", None, NUL), (f"p-{PARTNER}", "2029-05", None, NUL)]
    uow.published.clear()
    again = await sluit_af(p, LEVERANCIER, MEI, om(VANDAAG, 9), None)
    assert (again.personen, again.zonder_inkomen, uow.published) == (3, 0, [])


async def test_a_declaration_after_the_closing_revises_the_month():
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))
    await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)
    uow.published.clear()

    await lever(p, aangifte(ZONDER, MEI), levering_id="laat")

    [(_, maand, vorige, huidige)] = maanden(uow)
    assert (maand, vorige, huidige["nettoInkomen"]) == ("2029-05", NUL, 130000)


async def test_who_income_learned_of_only_after_the_population_was_read_is_not_covered():
    # a case opened on 20 June at 11:00, backdated to 10 May: the population read on 5 June lacked it
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))
    p.clock.advance(date(2029, 6, 20) - VANDAAG)
    async with uow:
        await populatie.neem_op(p, uow, [zaak(LATER, date(2029, 5, 10))])
    p.clock.advance(VANDAAG - date(2029, 6, 20))

    on_5_june = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)
    assert (on_5_june.personen, [k for k, *_ in maanden(uow)]) == (1, [f"p-{ZONDER}"])
    that_morning = await sluit_af(p, LEVERANCIER, MEI, om(date(2029, 6, 20), 9), None)
    assert that_morning.zonder_inkomen == 0, "read an hour before income learned of it"
    # read after income learned of it (the provider delivered for it then): covered
    later = await sluit_af(p, LEVERANCIER, MEI, om(date(2029, 6, 20), 12), None)
    assert (later.personen, later.zonder_inkomen, maanden(uow)[-1][0]) == (2, 1, f"p-{LATER}")


async def test_a_partner_period_keeps_when_income_learned_of_it_and_a_new_period_counts_from_then():
    p, uow = await populatie_van(zaak(WERKT, date(2029, 1, 1)))
    eerst = [(PARTNER, date(2029, 1, 1), date(2029, 3, 31))]
    terug = [(PARTNER, date(2029, 5, 10), None)]  # back in the household from 10 May, learned on 20 June
    p.clock.advance(GEHOORD - VANDAAG)
    async with uow:
        await populatie.zet_partners(p, uow, f"u-{WERKT}", "GM0363", eerst)
    p.clock.advance(date(2029, 6, 20) - GEHOORD)
    async with uow:  # each change states the whole household again
        await populatie.zet_partners(p, uow, f"u-{WERKT}", "GM0363", eerst + terug)
    p.clock.advance(VANDAAG - date(2029, 6, 20))

    mei = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)
    assert mei.personen == 1, "on 5 June the partner's new period was not known, and the old one had ended"
    assert f"p-{PARTNER}" not in {k for k, *_ in maanden(uow)}
    na_20_juni = await sluit_af(p, LEVERANCIER, MEI, om(date(2029, 6, 21)), None)
    assert (na_20_juni.personen, na_20_juni.zonder_inkomen) == (2, 1)


async def test_a_partner_stated_again_with_each_change_stays_known_from_the_first_time():
    p, uow = await populatie_van(zaak(WERKT, date(2029, 1, 1)))
    partner = [(PARTNER, date(2029, 1, 1), None)]
    p.clock.advance(GEHOORD - VANDAAG)
    async with uow:
        await populatie.zet_partners(p, uow, f"u-{WERKT}", "GM0363", partner)
    p.clock.advance(VANDAAG - GEHOORD)
    async with uow:  # a later household change states the partner again
        await populatie.zet_partners(p, uow, f"u-{WERKT}", "GM0363", partner)

    uit = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert f"p-{PARTNER}" in {k for k, *_ in maanden(uow)} and uit.personen == 2


async def test_a_month_of_another_municipalitys_case_is_not_this_providers_to_close():
    # until May in Groningen (not this provider's), from June in Amsterdam (its)
    p, uow = await populatie_van(
        zaak(ZONDER, date(2029, 1, 1), "GM0014", tot=date(2029, 5, 31)),
        Uitkering("u-2", f"p-{ZONDER}", ZONDER, "GM0363", date(2029, 6, 1)),
    )

    uit = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert (uit.personen, maanden(uow)) == (0, [])


async def test_the_population_is_worked_off_in_pages(monkeypatch):
    bsns = ["999900006", "999900018", "999900031", "999900043", "999900055"]
    p, uow = await populatie_van(*(zaak(b, date(2029, 1, 1)) for b in bsns))
    monkeypatch.setattr(afsluitingen, "PER_TRANSACTIE", 2)

    uit = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert (uit.personen, uit.zonder_inkomen) == (5, 5)
    assert sorted(k for k, *_ in maanden(uow)) == sorted(f"p-{b}" for b in bsns)


async def test_a_closing_is_worked_off_in_the_background_and_resumes_after_a_failure_halfway(monkeypatch):
    bsns = ["999900006", "999900018", "999900031", "999900043", "999900055"]
    p, uow = await populatie_van(*(zaak(b, date(2029, 1, 1)) for b in bsns))
    monkeypatch.setattr(afsluitingen, "PER_TRANSACTIE", 2)
    gemeld: list[tuple[int, int]] = []
    afsluiting = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None)
    assert (afsluiting.afgerond_op, afsluiting.personen, maanden(uow)) == (None, 0, []), "asked for, not worked"
    herbereken, pogingen = afsluitingen.herbereken, []

    async def faalt_op_de_tweede_pagina(*args):
        pogingen.append(len(pogingen))
        if len(pogingen) == 2:
            raise ConnectionError("database away")
        return await herbereken(*args)

    monkeypatch.setattr(afsluitingen, "herbereken", faalt_op_de_tweede_pagina)
    with pytest.raises(ConnectionError):
        await afsluitingen.werk_af(p, lambda a, n: gemeld.append((a.personen, n)))
    halverwege = await afsluitingen.van(p, LEVERANCIER, afsluiting.id)
    assert (halverwege.personen, halverwege.na, halverwege.afgerond_op) == (2, bsns[1], None), "the first page kept"

    await afsluitingen.werk_af(p, lambda a, n: gemeld.append((a.personen, n)))  # the task's next run

    klaar = await afsluitingen.van(p, LEVERANCIER, afsluiting.id)
    assert (klaar.personen, klaar.zonder_inkomen, klaar.na, klaar.afgerond_op) == (5, 5, None, p.clock.now())
    # the population holds GELEVERD too (its case began in June): pages of 2, 2, 2 and an empty last one
    assert gemeld == [(2, 2), (4, 2), (5, 1), (5, 0)], "each committed page is reported once"
    assert sorted(k for k, *_ in maanden(uow)) == sorted(f"p-{b}" for b in bsns), "each month established once"


async def test_a_closing_that_keeps_failing_goes_behind_the_others_and_is_given_up(monkeypatch):
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)), zaak(WERKT, date(2029, 1, 1), "GM0599"))
    kapot = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, ["GM0363"])
    p.clock.advance(date(2029, 7, 11) - VANDAAG)
    goed = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, ["GM0599"])
    pagina = afsluitingen._pagina

    async def faalt_voor_amsterdam(ports, uow, afsluiting):
        if afsluiting.id == kapot.id:
            raise ValueError("a bug on one page")
        return await pagina(ports, uow, afsluiting)

    monkeypatch.setattr(afsluitingen, "_pagina", faalt_voor_amsterdam)
    gemeld: list[tuple[str, str]] = []
    for poging in range(afsluitingen.MAX_POGINGEN):
        with pytest.raises(ValueError):
            await afsluitingen.werk_af(p, lambda a, _: gemeld.append((a.id, a.status)))
        if poging == 1:  # failed once: the next run took the other closing first
            assert (await afsluitingen.van(p, LEVERANCIER, goed.id)).status == "afgerond"
    tien_keer = await afsluitingen.van(p, LEVERANCIER, kapot.id)
    assert (tien_keer.status, tien_keer.pogingen) == ("lopend", afsluitingen.MAX_POGINGEN), "failing < half an hour"

    p.clock.advance(afsluitingen.OPGEVEN_NA)
    with pytest.raises(ValueError):
        await afsluitingen.werk_af(p, lambda a, _: gemeld.append((a.id, a.status)))

    opgegeven = await afsluitingen.van(p, LEVERANCIER, kapot.id)
    assert (opgegeven.status, opgegeven.pogingen, opgegeven.na) == ("mislukt", afsluitingen.MAX_POGINGEN + 1, None)
    assert gemeld == [(goed.id, "afgerond"), (kapot.id, "mislukt")]
    await afsluitingen.werk_af(p)  # nothing open is left to fail
    assert [k for k, *_ in maanden(uow)] == [f"p-{WERKT}"], "Rotterdam's closing only"


async def test_asked_again_while_it_runs_is_the_same_closing_and_a_provider_has_a_limit_open(monkeypatch):
    p, _ = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))
    eerste = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None)
    in_utc = NA_MEI.astimezone(UTC)  # the same moment, written otherwise
    assert (await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, in_utc, ["GM0599", "GM0363"])).id == eerste.id
    anders = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, om(date(2029, 6, 6)), None)
    assert anders.id != eerste.id, "another population read"
    monkeypatch.setattr(afsluitingen, "MAX_OPEN", 2)
    with pytest.raises(TeVeelAfsluitingen) as te_veel:
        await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, om(date(2029, 6, 7)), None)
    assert te_veel.value.code == "te-veel-afsluitingen"
    await afsluitingen.werk_af(p)
    assert await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None) != eerste, "ended: a new one"


async def test_asked_again_after_a_late_declaration_is_still_the_same_closing():
    """A retry of a closing that stated Rotterdam had nothing to deliver, after a declaration there came
    late: the closing already runs, so the retry is that closing, not a refusal of its statement. Another
    statement is another request, checked as any."""
    p, uow = ports(GEHOORD)
    async with uow:
        await populatie.neem_op(p, uow, [zaak(WERKT, date(2029, 1, 1)), zaak(ZONDER, date(2029, 1, 1), "GM0599")])
    p.clock.advance(VANDAAG - GEHOORD)
    await lever(p, aangifte(WERKT, MEI), levering_id="mei")
    eerste = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None, ["GM0599"])
    await lever(p, aangifte(ZONDER, MEI), levering_id="laat")

    assert (await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None, ["GM0599"])).id == eerste.id
    anders = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None)
    assert (anders.id != eerste.id, anders.zonder_aangiften) == (True, frozenset())


async def test_the_delivery_check_reads_before_the_providers_lock(monkeypatch):
    """The check reads months of the provider's declarations; the provider's lock holds every key shared,
    so a large delivery (and every lock asked after it) would wait for that read: it is taken after."""
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))
    volgorde, geleverd = [], uow.polisregels.geleverd

    async def vergrendel(*_):
        volgorde.append("vergrendel")

    async def gelezen(*args):
        volgorde.append("geleverd")
        return await geleverd(*args)

    monkeypatch.setattr(uow, "vergrendel", vergrendel)
    monkeypatch.setattr(uow.polisregels, "geleverd", gelezen)
    await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None)

    assert volgorde == ["geleverd", "vergrendel"]


async def test_a_closing_is_read_by_the_provider_that_asked_for_it_only():
    p, _ = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))
    afsluiting = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None)
    ander = Caller("00000001805160327999", Rol.data_provider)

    with pytest.raises(OnbekendeAfsluiting):
        await afsluitingen.van(p, ander, afsluiting.id)
    assert (await afsluitingen.van(p, LEVERANCIER, afsluiting.id)).gemeentecodes == {"GM0363", "GM0599"}


async def test_only_the_municipalities_asked_and_contracted():
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)), zaak(WERKT, date(2029, 1, 1), "GM0599"))

    rotterdam = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, ["GM0599"])

    assert (rotterdam.personen, [k for k, *_ in maanden(uow)]) == (1, [f"p-{WERKT}"])
    with pytest.raises(NietGecontracteerd) as geweigerd:
        await sluit_af(p, LEVERANCIER, MEI, NA_MEI, ["GM0599", "GM0014"])
    assert geweigerd.value.field == "gemeentecodes"
    vreemde = Caller("00000001805160327999", Rol.data_provider)  # contracted for no municipality
    with pytest.raises(NietGecontracteerd):
        await sluit_af(p, vreemde, MEI, NA_MEI, None)


async def test_a_month_the_provider_delivered_nothing_for_is_refused():
    # May delivered (populatie_van), also April for someone: June is closed by mistake right after May
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))
    await lever(p, aangifte(GELEVERD, APRIL), levering_id="april")
    uow.published.clear()

    with pytest.raises(NietGeleverd) as juni:
        await sluit_af(p, LEVERANCIER, Maand(2029, 6), om(date(2029, 7, 5)), None)

    assert (juni.value.code, juni.value.field, uow.published) == ("niet-geleverd", "maand", [])
    assert (await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)).zonder_inkomen == 1


async def test_a_municipality_is_closed_once_delivered_for_or_stated_to_have_no_declarations(opgeslagen):
    """May delivered for Amsterdam only: closing all the provider's municipalities would establish
    Rotterdam's months without income before its delivery came, and that delivery would turn the
    bijstand paid into a claim."""
    p = opgeslagen
    verhuisd = [  # lived in Rotterdam until March, in Amsterdam since: May's declaration is Amsterdam's
        replace(zaak(WERKT, date(2028, 1, 1), "GM0599"), uitkering_id="u-rotterdam"),
        zaak(WERKT, date(2029, 4, 1)),
    ]
    async with p.uow() as tx:
        await populatie.neem_op(p, tx, [*verhuisd, zaak(ZONDER, date(2029, 1, 1), "GM0599")])
        await populatie.beeindig(tx, "u-rotterdam", date(2029, 3, 31), p.clock.now())
    p.clock.advance(VANDAAG - GEHOORD)
    await lever(p, aangifte(WERKT, MEI), levering_id="mei")

    with pytest.raises(NietGeleverd) as alle:
        await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)
    assert (alle.value.field, "GM0599" in alle.value.detail, "GM0363" in alle.value.detail) == (
        "gemeentecodes",
        True,
        False,
    )
    for gemeenten, zonder, code in (
        (None, ["GM0363", "GM0599"], "wel-geleverd"),  # Amsterdam's was delivered: the statement is wrong
        (["GM0363"], ["GM0599"], "niet-in-afsluiting"),
    ):
        with pytest.raises(AfsluitingGeweigerd) as geweigerd:
            await sluit_af(p, LEVERANCIER, MEI, NA_MEI, gemeenten, zonder)
        assert (geweigerd.value.code, geweigerd.value.field) == (code, "gemeentenZonderAangiften")
    async with p.uow() as tx:
        assert await tx.afsluitingen.open_van(LEVERANCIER.oin) == [], "nothing stored by a refusal"
    assert (await sluit_af(p, LEVERANCIER, MEI, NA_MEI, ["GM0363"])).personen == 1, "Amsterdam alone"

    gesteld = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None, ["GM0599"])  # nobody in Rotterdam earned

    assert (gesteld.zonder_aangiften, gesteld.personen, gesteld.zonder_inkomen) == ({"GM0599"}, 2, 1)


def test_a_week_or_four_weeks_running_into_the_month_deliver_it_a_month_or_quarter_begun_before_do_not():
    dag = date  # May 2029
    assert [
        levert(begin, einde, MEI)
        for begin, einde in (
            (dag(2029, 5, 1), dag(2029, 5, 31)),  # the month
            (dag(2029, 4, 30), dag(2029, 5, 27)),  # four weeks
            (dag(2029, 4, 4), dag(2029, 5, 1)),  # four weeks with one day in it
            (dag(2029, 4, 26), dag(2029, 5, 2)),  # a week
            (dag(2029, 5, 29), dag(2029, 6, 25)),  # four weeks beginning in it
            (dag(2029, 4, 20), dag(2029, 4, 26)),  # a week before it
            (dag(2029, 4, 1), dag(2029, 4, 30)),  # the month before
            (dag(2029, 4, 1), dag(2029, 6, 30)),  # a quarter begun before it: an earlier month's delivery
            (dag(2029, 6, 1), dag(2029, 6, 30)),  # the month after
        )
    ] == [True] * 5 + [False] * 4


async def test_a_period_running_into_the_month_delivers_it_and_one_of_the_month_before_does_not(opgeslagen):
    """Rotterdam's one earner is paid four-weekly: 30 April to 27 May is its May (the next period cannot be
    delivered before it ends in June). Amsterdam's one earner had April delivered, not May."""
    p = opgeslagen
    async with p.uow() as tx:
        await populatie.neem_op(p, tx, [zaak(WERKT, date(2029, 1, 1)), zaak(ZONDER, date(2029, 1, 1), "GM0599")])
    p.clock.advance(VANDAAG - GEHOORD)
    vier_weken = aangifte(ZONDER, tijdvak_begin=date(2029, 4, 30), tijdvak_einde=date(2029, 5, 27))
    await lever(p, aangifte(WERKT, APRIL), vier_weken, levering_id="april")

    with pytest.raises(NietGeleverd) as amsterdam:
        await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert (amsterdam.value.field, "GM0363" in amsterdam.value.detail, "GM0599" in amsterdam.value.detail) == (
        "gemeentecodes",
        True,
        False,
    )
    assert (await sluit_af(p, LEVERANCIER, MEI, NA_MEI, ["GM0599"])).personen == 1


async def test_a_municipality_is_delivered_for_only_by_whom_income_knew_when_the_population_was_read(opgeslagen):
    """May delivered for Amsterdam; Rotterdam's one declaration is of a case income learned of on 20 June,
    backdated into May: the population read on 5 June was not delivered for there, and closing it would
    establish its residents' May without income before their delivery."""
    p = opgeslagen
    async with p.uow() as tx:
        await populatie.neem_op(p, tx, [zaak(WERKT, date(2029, 1, 1)), zaak(ZONDER, date(2029, 1, 1), "GM0599")])
    p.clock.advance(date(2029, 6, 20) - GEHOORD)
    async with p.uow() as tx:
        await populatie.neem_op(p, tx, [zaak(LATER, date(2029, 5, 10), "GM0599")])
    p.clock.advance(VANDAAG - date(2029, 6, 20))
    await lever(p, aangifte(WERKT, MEI), aangifte(LATER, MEI), levering_id="mei")

    with pytest.raises(NietGeleverd) as rotterdam:
        await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert (rotterdam.value.field, "GM0599" in rotterdam.value.detail) == ("gemeentecodes", True)
    assert (await sluit_af(p, LEVERANCIER, MEI, om(date(2029, 6, 20), 12), None)).personen == 3, "read after"


async def test_a_municipality_is_delivered_for_by_whom_the_population_held_when_it_was_read(opgeslagen):
    """Amsterdam's one earner was in the population read on 5 June and had May delivered; his case was
    ended back in April only after. His end counts as it was then, as the population the provider read:
    Amsterdam was delivered for (not a statement that nobody there had income), and its resident without
    a declaration gets May established."""
    p = opgeslagen
    async with p.uow() as tx:
        await populatie.neem_op(p, tx, [zaak(WERKT, date(2029, 1, 1)), zaak(ZONDER, date(2029, 1, 1))])
    p.clock.advance(VANDAAG - GEHOORD)
    await lever(p, aangifte(WERKT, MEI), levering_id="mei")
    async with p.uow() as tx:
        await populatie.beeindig(tx, f"u-{WERKT}", date(2029, 4, 30), p.clock.now())

    assert (await sluit_af(p, LEVERANCIER, MEI, NA_MEI, ["GM0363"])).zonder_inkomen == 1


async def test_what_changed_after_the_population_was_read_counts_as_it_was_then():
    venster, tweemaal = "999900018", "999900006"
    p, uow = await populatie_van(
        zaak(ZONDER, date(2029, 1, 1)),  # running when read; ended back in time after, no window
        zaak(LATER, date(2029, 1, 1)),  # running; its partner's period cut back in time after
        zaak(venster, date(2029, 1, 1)),  # ended in May, window open when read; the window cut after
        zaak(WERKT, date(2029, 1, 1)),  # ended in March when read; its end corrected to later after
        zaak(tweemaal, date(2029, 1, 1)),  # the same, corrected twice after: its end then is not kept
    )
    p.clock.advance(GEHOORD - VANDAAG)
    async with uow:
        await populatie.zet_partners(p, uow, f"u-{LATER}", "GM0363", [(PARTNER, date(2029, 1, 1), None)])
        await populatie.beeindig(uow, f"u-{venster}", date(2029, 5, 20), p.clock.now())
        termijn = Termijn(f"u-{venster}", f"p-{venster}", venster, "GM0363", date(2029, 11, 30), Bekend(p.clock.now()))
        await populatie.open_termijn(uow, termijn)
        for b in (WERKT, tweemaal):
            await populatie.beeindig(uow, f"u-{b}", date(2029, 3, 31), p.clock.now())
    p.clock.advance(date(2029, 6, 20) - GEHOORD)
    async with uow:  # on 20 June, after the read of 5 June
        await populatie.beeindig(uow, f"u-{ZONDER}", date(2029, 5, 31), p.clock.now())
        await populatie.zet_partners(p, uow, f"u-{LATER}", "GM0363", [(PARTNER, date(2029, 1, 1), date(2029, 5, 15))])
        await populatie.open_termijn(uow, replace(termijn, geldig_tot=date(2029, 5, 31), bekend=Bekend(p.clock.now())))
        await populatie.beeindig(uow, f"u-{WERKT}", date(2029, 8, 31), p.clock.now())
        await populatie.beeindig(uow, f"u-{tweemaal}", date(2029, 8, 31), p.clock.now())
        await populatie.beeindig(uow, f"u-{tweemaal}", date(2029, 9, 30), p.clock.now())
    p.clock.advance(VANDAAG - date(2029, 6, 20))

    uit = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert sorted(k for k, *_ in maanden(uow)) == sorted(f"p-{b}" for b in (ZONDER, LATER, PARTNER, venster)), (
        "who was in the population on 5 June as income knew it then: not who joined it only by a later change"
    )
    assert uit.personen == 4


@pytest.mark.parametrize(
    "maand_dag,gelezen_op,code,veld",
    [
        (date(2029, 7, 1), om(date(2029, 7, 10), 9), "maand-niet-voorbij", "maand"),
        (date(2029, 5, 1), om(date(2029, 7, 10), 12), "gelezen-in-de-toekomst", "gelezenOp"),
        (date(2029, 5, 1), om(date(2029, 5, 31), 23), "gelezen-in-de-maand", "gelezenOp"),
    ],
)
async def test_a_month_not_over_or_a_population_not_read_after_it_is_refused(maand_dag, gelezen_op, code, veld):
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1)))

    with pytest.raises(AfsluitingGeweigerd) as geweigerd:
        await sluit_af(p, LEVERANCIER, Maand.van(maand_dag), gelezen_op, None)

    assert (geweigerd.value.code, geweigerd.value.field, uow.published) == (code, veld, [])


async def test_a_person_whose_window_closed_after_the_read_is_still_covered():
    # the case ended in May, its window ran to 30 June: in the population read on 5 June, not on 10 July
    p, uow = await populatie_van(zaak(ZONDER, date(2029, 1, 1), tot=date(2029, 5, 31)))
    termijn = Termijn(f"u-{ZONDER}", f"p-{ZONDER}", ZONDER, "GM0363", date(2029, 6, 30), Bekend(om(GEHOORD)))
    async with uow:
        await populatie.open_termijn(uow, termijn)

    uit = await sluit_af(p, LEVERANCIER, MEI, NA_MEI, None)

    assert (uit.personen, [k for k, *_ in maanden(uow)]) == (1, [f"p-{ZONDER}"]), "its last month is settled"


@pytest.mark.parametrize("contract", [{"GM0363"}, None], ids=["amsterdam-only", "not-at-all"])
async def test_a_closing_whose_municipality_is_no_longer_contracted_is_given_up_and_closes_no_more(contract):
    p, uow = await populatie_van(zaak("999900006", date(2029, 1, 1)), zaak("999900031", date(2029, 1, 1), "GM0599"))
    afsluiting = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, NA_MEI, None)
    assert afsluiting.gemeentecodes == {"GM0363", "GM0599"}

    # restarted with settings in which the provider delivers for Amsterdam only, or not at all
    herstart = replace(p, contracten={} if contract is None else dict.fromkeys(p.contracten, frozenset(contract)))
    gemeld: list[str] = []
    await afsluitingen.werk_af(herstart, lambda a, n: gemeld.append(a.status))

    uit = await afsluitingen.van(herstart, LEVERANCIER, afsluiting.id)
    assert (uit.status, uit.personen, uit.na, maanden(uow), gemeld) == ("mislukt", 0, None, [], ["mislukt"])


async def test_a_row_the_retention_forgot_leaves_no_provider_to_a_later_row():
    """The fake's rows, as the database's, never take a forgotten row's id: Rotterdam's May stays
    delivered by its provider after Amsterdam's April went and another provider delivered there."""
    p, uow = ports(GEHOORD)
    p = replace(p, contracten={**p.contracten, ANDERE_LEVERANCIER.oin: frozenset({"GM0363"})})
    async with uow:
        await populatie.neem_op(p, uow, [zaak(WERKT, date(2029, 1, 1)), zaak(ZONDER, date(2029, 1, 1), "GM0599")])
    p.clock.advance(VANDAAG - GEHOORD)
    await lever(p, aangifte(WERKT, APRIL), aangifte(ZONDER, MEI), levering_id="april-mei")
    uow.polisregels.vergeet({p.pseudonym(WERKT)})  # as the retention forgets a line
    await aangiften.lever(p, ANDERE_LEVERANCIER, "ander", [aangifte(WERKT, MEI)], "v-2")

    async with uow:
        assert await uow.polisregels.geleverd(LEVERANCIER.oin, MEI, NA_MEI, frozenset({"GM0363", "GM0599"})) == {
            "GM0599"
        }
