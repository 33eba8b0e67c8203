"""New rules or parameters reach months already settled: after a deploy whose rules differ from
those every case was last settled whole under, the background task settles every case whole once,
revises (and announces) the months that come out differently, and records the new rules; a second
round, or a round on the rules already recorded, does nothing."""

import copy
from dataclasses import replace
from datetime import date

import yaml

from decisions.adapters.parameters import BESTAND
from decisions.domain.parameters import uit_tabel
from decisions.service import verrekeningen
from decisions.service.ports import Regelstand
from decisions.service.verrekeningen import OUDE_ORDE
from decisions.tests.fakes import ports
from decisions.tests.test_service import ANDER, BSN, HERZIEN, VANDAAG, geopend, inkomens, types
from schakel.events import models as events
from schakel.primitives import Maand

TABEL = yaml.safe_load(BESTAND.read_text())
VASTGESTELD = events.VerrekeningVastgesteld.TYPE
A, B = "0.16.1", "0.17.0"  # the releases that deploy rules A and B


def hogere_norm_vanaf(dag: date, extra: int):
    """The parameters with the single person's norm `extra` cents higher from `dag` on."""
    tabel = copy.deepcopy(TABEL)
    geldig = max((n for n in tabel["normen"] if n["geldigVanaf"] <= dag), key=lambda n: n["geldigVanaf"])
    tabel["normen"].append(dict(geldig, geldigVanaf=dag, alleenstaand=geldig["alleenstaand"] + extra))
    return uit_tabel(tabel)


def normen_pas_vanaf(dag: date):
    """The parameters without any norm before `dag`: a month before it waits (no legal amounts)."""
    tabel = copy.deepcopy(TABEL)
    geldig = max((n for n in tabel["normen"] if n["geldigVanaf"] <= dag), key=lambda n: n["geldigVanaf"])
    tabel["normen"] = [dict(geldig, geldigVanaf=dag)] + [n for n in tabel["normen"] if n["geldigVanaf"] > dag]
    return uit_tabel(tabel)


async def settled_under_a():
    p, uow = ports(VANDAAG, regelversie="A")
    for bsn in (BSN, ANDER):
        await geopend(p, bsn=bsn)
        await inkomens(p, ("2026-01", 50_000), ("2026-02", 50_000), ("2026-03", 50_000), bsn=bsn)
    await verrekeningen.herbereken_na_nieuwe_regels(p, A)  # the rules A recorded
    return p, uow


async def test_a_deploy_with_a_higher_norm_revises_the_settled_months_it_changes_once():
    p, uow = await settled_under_a()
    voor = {i: dict(rijen) for i, rijen in uow.verrekeningen.rijen.items()}
    uow.published.clear()
    b = replace(p, regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))

    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B, per=1) == (2, 2)

    assert types(uow) == [HERZIEN, HERZIEN]
    # the norm 1.000 cents higher, of which 5% is reserved as holiday allowance
    assert {(e.data["maand"], e.data["herziening"]) for e in uow.published} == {("2026-03", 950)}
    for i, rijen in uow.verrekeningen.rijen.items():
        assert [m for m in rijen if rijen[m] != voor[i][m]] == [Maand(2026, 3)]
        assert rijen[Maand(2026, 3)].versie == 2
    assert await uow.regelversie.lees() == Regelstand(f"{B} B", OUDE_ORDE)
    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B) == (0, 0)


async def test_a_round_stopped_halfway_goes_on_after_the_last_case_it_settled():
    """Also when another instance goes on with it: each batch records how far the round got."""
    p, uow = await settled_under_a()
    eerste, tweede = sorted(uow.verrekeningen.rijen)
    b = replace(p, regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))
    uow.regelversie.stand = Regelstand(f"{B} B", b.clock.now(), na=eerste)  # as after the first batch of 1
    uow.published.clear()

    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B, per=1) == (1, 1)

    assert [(e.type, e.data["uitkeringId"]) for e in uow.published] == [(HERZIEN, tweede)]
    assert await uow.regelversie.lees() == Regelstand(f"{B} B", b.clock.now())


async def test_the_rules_already_recorded_read_no_case():
    p, uow = await settled_under_a()
    uow.published.clear()

    async def geen(*_):
        raise AssertionError("no case is read when the rules did not change")

    uow.uitkeringen.pagina = geen
    assert await verrekeningen.herbereken_na_nieuwe_regels(p, A) == (0, 0)
    assert not uow.published


async def test_a_case_whose_months_all_waited_is_settled_by_rules_that_settle_them():
    p, uow = ports(VANDAAG, regelversie="A")
    p = replace(p, parameters=normen_pas_vanaf(date(2026, 4, 1)))
    await geopend(p)
    await inkomens(p, ("2026-01", 50_000), ("2026-02", 50_000))
    assert await verrekeningen.herbereken_na_nieuwe_regels(p, A) == (1, 0)
    assert not uow.verrekeningen.rijen and not [t for t in types(uow) if t.startswith(VASTGESTELD)]

    b = replace(p, regelversie="B", parameters=uit_tabel(TABEL))
    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B) == (1, 2)
    assert types(uow).count(VASTGESTELD) == 2


async def test_a_fresh_store_records_the_rules_and_announces_nothing():
    p, uow = ports(VANDAAG, regelversie="A")
    await geopend(p)  # a case, no settlement yet
    uow.published.clear()

    assert await verrekeningen.herbereken_na_nieuwe_regels(p, A) == (1, 0)
    assert await uow.regelversie.lees() == Regelstand(f"{A} A", OUDE_ORDE) and not uow.published
