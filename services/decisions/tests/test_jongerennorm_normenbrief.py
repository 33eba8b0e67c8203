"""A jongerennorm holds under the normenbrief of the situation it was recorded in: not one Schakel has
no table for, and not carried into a case reopened under a later one."""

from datetime import date

from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.verrekening import verreken
from decisions.tests.test_huishouden import P, loon
from schakel.primitives import Maand


def test_a_jongerennorm_of_a_situation_dated_before_the_first_table_waits_for_the_caseworker():
    jong = date(2005, 1, 1)
    s = [Situatie(date(2024, 11, 1), Huishouden.gehuwd, Partner("999990019", date(2006, 10, 1)), jongerennorm=150_000)]
    result = verreken(date(2024, 11, 1), None, jong, s, {Maand(2025, 2): loon(Maand(2025, 2), 80000)}, {}, P, {}, {})
    [februari] = result.te_beoordelen
    assert februari.soort == "norm" and "per 2025-01-01 gelden nieuwe normen" in februari.reden, februari


async def test_a_reopened_case_does_not_carry_a_jongerennorm_past_an_indexation():
    from decisions.domain.uitkering import Reden
    from decisions.entrypoints import consumers
    from decisions.service import uitkeringen
    from decisions.tests.fakes import ports
    from decisions.tests.test_service_huishouden import AMSTERDAM, BSN, VANDAAG, binnen
    from schakel.events import models as events
    from tests.support.events import received

    p, uow = ports(VANDAAG)
    jong, kind, start = date(2006, 6, 1), date(2025, 1, 1), date(2025, 3, 1)  # the normenbrief of January 2025
    ouder = Situatie(start, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=kind, jongerennorm=110_000)
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, jong, start, ouder)).uitkering.uitkering_id
    await uitkeringen.beeindig(p, AMSTERDAM, zaak, date(2025, 5, 31), Reden.werk)
    [einde] = [e for e in uow.published if e.type == events.UitkeringBeeindigd.TYPE]
    hergebruik = events.UitkeringBeeindigd.model_validate(einde.data).hergebruik
    assert hergebruik.situatie.jongerennormVanaf == start
    toegekend = events.HeraanvraagToegekend(
        heraanvraagId="7d1e3c1c-1111-4c1c-9c1c-000000000002",
        bsn=BSN,
        gemeentecode="GM0363",
        geboortedatum=jong,
        startdatum=date(2026, 2, 1),
        situatie=hergebruik.situatie,
        vrijlatingsklok=[],
    )
    await consumers.on_heraanvraag_toegekend(lambda conn: p)(None, received(f"p-{BSN}", toegekend))
    [heropend] = [u for u in await uitkeringen.zoek(p, AMSTERDAM, BSN) if u.uitkering.uitkering_id != zaak]
    assert heropend.situaties[-1].jongerennorm is None, "the amount of January 2025 is not the law's in 2026"
    await binnen(p, BSN, "2026-03", 40000, "arbeid")
    [maart] = (await uitkeringen.lees(p, AMSTERDAM, heropend.uitkering.uitkering_id)).te_beoordelen
    assert (str(maart.maand), maart.soort) == ("2026-03", "norm")
