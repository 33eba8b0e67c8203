"""Settling from a stored month before the earliest changed income, on the clocks stored with it,
leaves exactly what settling the whole case leaves. Random histories (a single person or a couple,
months arriving one by one, corrections of earlier months arriving later, a month turning to an
unknown kind of income and back, a caseworker's judgement, a payment, a partner leaving) are fed
through the consumer's use case into two in-memory stores: one as the service runs, and one whose
rows show no clocks (as rows stored before they were kept), so that it settles the whole case every
time. Both must hold the same settlements (amounts, vrijlating, clocks, versions), claims and
proposals, and must have published the same events; and the stored months must be what the rules
give for all the income at the end."""

import random
from dataclasses import dataclass, replace
from datetime import date

import pytest

from decisions.domain.inkomen import ARBEID, ONBEKEND, OVERIG, Bijdrage, Inkomen, Oordeel
from decisions.domain.situatie import Huishouden, Partner, Regime, Situatie
from decisions.domain.verrekening import verreken
from decisions.domain.vrijlating import Klok, Klokken
from decisions.service import uitkeringen, verrekeningen
from decisions.service.ports import Ports, Vastgesteld
from decisions.tests.fakes import Beslissingen, FakeInkomens, FakeVerrekeningen, ports
from schakel.caller import Caller, Rol
from schakel.primitives import Maand

VANDAAG = date(2029, 6, 15)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
AANVRAGER, PARTNER = "999993653", "999990019"
START = date(2026, 1, 1)
WERKGEVERS = ["123456782L01", "234567891L01", "345678910L01"]


@dataclass(frozen=True)
class _ZonderKlokken(Vastgesteld):
    @property
    def klokken(self) -> Klokken | None:
        return None


class HeleZaak(FakeVerrekeningen):
    """Rows without their clocks: every settlement starts from the case's first month."""

    async def van_alle(self, uitkering_ids):
        return {
            i: {
                m: _ZonderKlokken(v.verrekening, v.versie, v.vastgesteld_op, beweging=v.beweging)
                for m, v in rijen.items()
            }
            for i, rijen in (await super().van_alle(uitkering_ids)).items()
        }


class Tellend(FakeInkomens):
    """Counts the reads of income from a month on (the settlements that did not start at the beginning)."""

    vanaf = 0

    async def van_alle(self, personen, vanaf=None):
        self.vanaf += vanaf is not None
        return await super().van_alle(personen, vanaf)


def inkomen(rng: random.Random, maand: Maand, hoog: bool) -> Inkomen:
    """One or two polis lines of a month: mostly work, sometimes a benefit or a kind not known; `hoog`:
    mostly above the norm (runs of such months propose an exit)."""
    bijdragen = []
    for _ in range(rng.choice([1, 1, 1, 2])):
        netto = rng.choice(
            [rng.randrange(200_000, 300_000)] * (6 if hoog else 0)
            + [0, rng.randrange(10_000, 60_000), rng.randrange(60_000, 260_000)]
        )
        soort = rng.choices([ARBEID, OVERIG, ONBEKEND], [7, 1, 2])[0]
        werkgever = rng.choice(WERKGEVERS)
        bijdragen.append(
            Bijdrage(werkgever, 1, maand.eerste_dag, maand.laatste_dag, netto, soort, 0, None, netto * 6 // 5)
        )
    netto = sum(b.netto for b in bijdragen)
    soorten = {s: sum(b.netto for b in bijdragen if b.soort == s) for s in (OVERIG, ONBEKEND)}
    return Inkomen(netto, 0, tuple(bijdragen), soorten[OVERIG], soorten[ONBEKEND])


def bekend(i: Inkomen) -> Inkomen:
    """The same month corrected to work income only (an unknown kind turned back)."""
    return Inkomen(i.netto, 0, tuple(replace(b, soort=ARBEID) for b in i.bijdragen))


async def geschiedenis(seed: int, *stores: tuple[Ports, Beslissingen]) -> list[str]:
    """Feeds one random history to every store alike; returns each store's case id."""
    rng = random.Random(seed)
    paar = rng.random() < 0.6
    situatie = Situatie(
        START,
        Huishouden.gehuwd if paar else Huishouden.alleenstaand,
        Partner(PARTNER, date(1988, 3, 1)) if paar else None,
        regime=rng.choice([Regime.per_datum, Regime.in_balans]),
    )
    ids = [
        (
            await uitkeringen.open_uitkering(p, AMSTERDAM, AANVRAGER, date(1990, 5, 1), START, situatie)
        ).uitkering.uitkering_id
        for p, _ in stores
    ]
    personen, hoog = [AANVRAGER, PARTNER] if paar else [AANVRAGER], rng.random() < 0.5
    gehad: dict[tuple[str, Maand], Inkomen] = {}
    maand, volgnummer = Maand(2026, 1), 0
    for _ in range(rng.randrange(12, 20)):
        batch = []
        for bsn in personen:
            if rng.random() < 0.85:  # now and then a person's month comes only later (as a correction)
                batch.append((bsn, maand, inkomen(rng, maand, hoog)))
        for _ in range(rng.choice([0, 0, 1, 2])):  # corrections of earlier months
            bsn = rng.choice(personen)
            eerder = rng.choice([m for (b, m) in gehad if b == bsn] or [maand])
            vorig = gehad.get((bsn, eerder))
            batch.append((bsn, eerder, bekend(vorig) if vorig and vorig.onbekend else inkomen(rng, eerder, hoog)))
        rng.shuffle(batch)
        regels = []
        for bsn, m, i in batch:
            volgnummer += 1
            gehad[(bsn, m)] = i
            regels.append((f"p-{bsn}", m, i, volgnummer))
        for p, uow in stores:
            async with uow:
                await verrekeningen.neem_inkomens_op(p, uow, regels)
        actie = rng.random()
        for (p, _), uitkering_id in zip(stores, ids, strict=True):
            if actie < 0.05:  # a caseworker judges an employer's unknown kind: the whole case again
                oordeel = Oordeel(WERKGEVERS[0], 1, ARBEID, "werk")
                await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, uitkering_id, oordeel)
            elif actie < 0.1:  # an advance paid
                await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, 50_000)
            elif actie < 0.13 and paar:  # the partner leaves
                await uitkeringen.wijzig(
                    p, AMSTERDAM, uitkering_id, Situatie(maand.eerste_dag, Huishouden.alleenstaand)
                )
        if actie < 0.13 and paar:
            paar = False
        maand = maand.volgende()
    return ids


def zonder_zaak(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "uitkeringId"}


@pytest.mark.parametrize("seed", range(32))
async def test_settling_from_the_earliest_changed_month_leaves_what_settling_the_whole_case_leaves(seed):
    vanaf, hele = ports(VANDAAG), ports(VANDAAG)
    vanaf[1].inkomens = Tellend()
    hele[1].verrekeningen = HeleZaak()
    id_vanaf, id_hele = await geschiedenis(seed, vanaf, hele)

    assert vanaf[1].inkomens.vanaf > 0, "some settlements started from a stored month"
    a, b = vanaf[1], hele[1]
    assert a.verrekeningen.rijen[id_vanaf] == b.verrekeningen.rijen[id_hele]
    assert [(e.type, e.key, zonder_zaak(e.data)) for e in a.published] == [
        (e.type, e.key, zonder_zaak(e.data)) for e in b.published
    ]
    assert a.vorderingen.boekrijen.get(id_vanaf) == b.vorderingen.boekrijen.get(id_hele)
    assert a.vorderingen.verschilrijen.get(id_vanaf) == b.vorderingen.verschilrijen.get(id_hele)
    assert a.beeindigingsvoorstellen.rijen.get(id_vanaf) == b.beeindigingsvoorstellen.rijen.get(id_hele)

    # and what the rules give for all of it at the end, clocks and all
    uitkering = await a.uitkeringen.get(id_vanaf)
    situaties = await a.situaties.van(id_vanaf)
    partners = {s.partner.bsn for s in situaties if s.partner is not None and s.partner.bsn}
    resultaat = verreken(
        uitkering.startdatum,
        uitkering.einddatum,
        uitkering.geboortedatum,
        situaties,
        a.inkomens.rijen.get(f"p-{AANVRAGER}", {}),
        await a.betalingen.van(id_vanaf),
        vanaf[0].parameters,
        {bsn: a.inkomens.rijen.get(f"p-{bsn}", {}) for bsn in partners},
        (oordelen := await a.inkomstensoorten.van(id_vanaf)).get(f"p-{AANVRAGER}", {}),
        Klok(gebruikt=uitkering.startklok),
        partneroordelen={bsn: oordelen.get(f"p-{bsn}", {}) for bsn in partners},
    )
    opgeslagen = a.verrekeningen.rijen[id_vanaf]
    assert resultaat.verrekeningen, "some months settled"
    assert all(opgeslagen[v.maand].verrekening == v for v in resultaat.verrekeningen)
