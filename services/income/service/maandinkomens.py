"""Recomputes a person's monthly net income where something changed, stores it, and emits
`maandinkomen.vastgesteld` for every month whose figure was established or changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from income.domain.inkomstensoort import Soorttabel
from income.domain.overschrijving import vaststellen
from income.domain.populatie import Lid, leden
from income.domain.toerekening import (
    Aandeel,
    Maandinkomen,
    Toerekening,
    begint_tussen,
    maanden_van,
    maandinkomens,
    verdeling,
)
from income.service.ports import Opgeslagen, Ports, UnitOfWork, Vastgelegd
from schakel.events import models as events
from schakel.primitives import Maand


def bijdrage_van(b: Aandeel) -> events.Maandbijdrage:
    """A contribution in the public shape of the event and the API (stored in its own shape)."""
    n = b.netto
    return events.Maandbijdrage(
        loonheffingennummer=b.loonheffingennummer,
        inkomstenverhouding=b.inkomstenverhouding,
        eindeInkomstenverhouding=b.einde_inkomstenverhouding,
        tijdvakBegin=b.tijdvak_begin,
        tijdvakEinde=b.tijdvak_einde,
        soortInkomstenverhouding=b.soort_inkomstenverhouding,
        inkomstensoort=b.inkomstensoort,
        versie=b.versie,
        dagen=b.dagen,
        dagenTijdvak=b.dagen_tijdvak,
        nettoInkomen=b.loon,
        vakantiebijslag=b.vakantiebijslag,
        berekening=events.Berekening(
            fiscaalLoon=n.fiscaal_loon,
            waardePriveGebruikAuto=n.waarde_prive_gebruik_auto,
            ingehoudenLoonheffing=n.ingehouden_loonheffing,
            ingehoudenBijdrageZvw=n.ingehouden_bijdrage_zvw,
            premieWgaWerknemer=n.premie_wga_werknemer,
            vakantiebijslagBetaald=n.vakantiebijslag_betaald,
            nettoTijdvak=n.totaal,
            nettoVakantiebijslagTijdvak=n.vakantiebijslag,
        ),
    )


def bijdrage_json(b: Aandeel) -> dict:
    return bijdrage_van(b).model_dump(mode="json")


async def leden_van(ports: Ports, uow: UnitOfWork, personen: Iterable[str]) -> dict[str, Lid]:
    """Those of `personen` in the population today."""
    return leden(await uow.populatie.dossiers(personen), ports.clock.today())


async def herbereken(
    ports: Ports,
    uow: UnitOfWork,
    geraakt: dict[str, set[Maand]],
    leden: dict[str, Lid],
    regels: dict[str, dict[tuple, Opgeslagen]] | None = None,
) -> int:
    """Recomputes the touched months of each person; returns how many months' figures changed."""
    if not geraakt:
        return 0
    maanden = set().union(*geraakt.values())
    if regels is None:  # the versions that can count in these months, not the persons' whole history
        regels = await uow.polisregels.actueel({p: leden[p].bsn for p in geraakt}, begint_tussen(maanden))
    beleid = await uow.beleid.van(g for p in geraakt for _, g in leden[p].gemeenten_sinds)
    # only the touched months: a person's other months are neither recomputed nor compared
    opgeslagen = await uow.maandinkomens.van(geraakt, maanden)
    overschrijvingen = await uow.overschrijvingen.van(geraakt)
    nieuw, gewijzigd, berichten, te_beoordelen = [], [], [], []
    for persoon, maanden in geraakt.items():
        lid = leden[persoon]
        for maand, polis in _polis(lid, regels[persoon], beleid, maanden, ports.inkomstensoorten).items():
            oud = opgeslagen.get((persoon, maand))
            overschrijving = overschrijvingen.get((persoon, maand))
            # a month the polis touches but where nothing counts is known to be without income (a WW that
            # ended the day before the bijstand began), unless it lies wholly before the first case
            voor_aanvang = lid.aanvang is not None and maand.laatste_dag < lid.aanvang
            if oud is None and not polis.bijdragen and overschrijving is None and voor_aanvang:
                continue
            vast = vaststellen(polis, overschrijving)
            if overschrijving and vast.te_beoordelen and not overschrijving.te_beoordelen:
                te_beoordelen.append((persoon, maand))
            nu = Vastgelegd(
                persoon,
                maand,
                vast.loon,
                vast.vakantiebijslag,
                polis.loon,
                vast.bron,
                vast.te_beoordelen,
                tuple(b.aandeel for b in polis.bijdragen),
            )
            if oud is None:
                nieuw.append(nu)
            elif oud != nu:
                gewijzigd.append(nu)
            else:
                continue
            vorige, huidige = None if oud is None else bedragen(oud), bedragen(nu)
            # also the same amounts from another source, or from lines that differ in more than their version:
            # decisions explains (and counts days, fiscal wage) by them
            if oud is None or vorige != huidige or (oud.bron, _gelezen(oud)) != (nu.bron, _gelezen(nu)):
                berichten.append(_event(uow, lid, nu, vorige, huidige))
    await uow.maandinkomens.bewaar(nieuw, gewijzigd, ports.clock.now())
    await uow.overschrijvingen.markeer_te_beoordelen(te_beoordelen)
    await uow.publish(*berichten)
    return len(berichten)


def _gelezen(v: Vastgelegd) -> tuple[Aandeel, ...]:
    """A month's contributions as a consumer reads them: a new version that changed nothing in them (the
    hours) is not news."""
    return tuple(replace(b, versie=0) for b in v.bijdragen)


def bedragen(v: Vastgelegd) -> events.Bedragen:
    """A month's established amounts, split by kind of income."""
    arbeid, overig, onbekend = verdeling(v.loon + v.vakantiebijslag, v.bijdragen)
    return events.Bedragen(
        nettoInkomen=v.loon,
        vakantiebijslag=v.vakantiebijslag,
        arbeidsinkomen=arbeid,
        overigInkomen=overig,
        onbekendInkomen=onbekend,
    )


def _event(uow: UnitOfWork, lid: Lid, nu: Vastgelegd, vorige: events.Bedragen | None, huidige: events.Bedragen):
    return uow.event(
        lid.persoon,
        events.MaandinkomenVastgesteld(
            bsn=lid.bsn,
            maand=str(nu.maand),
            vorige=vorige,
            huidige=huidige,
            bron=nu.bron,
            bijdragen=[bijdrage_van(b) for b in nu.bijdragen],
        ),
    )


async def herbereken_alles(ports: Ports, uow: UnitOfWork, personen: Iterable[str]) -> int:
    """Recomputes every month of these persons (their start date or attribution policy changed)."""
    personen = set(personen)
    await uow.vergrendel(*personen)
    leden = await leden_van(ports, uow, personen)
    regels = await uow.polisregels.actueel({p: lid.bsn for p, lid in leden.items()})
    opgeslagen = await uow.maandinkomens.van(leden)
    geraakt = {p: {m for o in regels[p].values() for m in maanden_van(o.regel.aangifte)} for p in leden}
    for persoon, maand in opgeslagen:
        geraakt[persoon].add(maand)
    return await herbereken(ports, uow, {p: m for p, m in geraakt.items() if m}, leden, regels)


async def polis(ports: Ports, uow: UnitOfWork, lid: Lid, maand: Maand) -> Maandinkomen:
    """The polis figure of one month of one person, as the current versions make it."""
    regels = await uow.polisregels.actueel({lid.persoon: lid.bsn})
    beleid = await uow.beleid.van(g for _, g in lid.gemeenten_sinds)
    return _polis(lid, regels[lid.persoon], beleid, {maand}, ports.inkomstensoorten)[maand]


def _polis(
    lid: Lid, regels: dict[tuple, Opgeslagen], beleid: dict[str, Toerekening], maanden: set[Maand], soorten: Soorttabel
) -> dict[Maand, Maandinkomen]:
    """A person's months from their current declarations, each period under the policy of the
    municipality in charge of the person on its first day."""
    return maandinkomens(
        [o.regel for o in regels.values()],
        lid.aanvang,
        lambda dag: beleid.get(lid.gemeente_op(dag), Toerekening.naar_rato),
        maanden,
        soorten,
    )


async def herbereken_gepland(ports: Ports, per_transactie: int = 500) -> int:
    """Works off the queued recomputations, a chunk per transaction; returns how many persons."""
    gedaan = 0
    while True:
        async with ports.uow() as uow:
            personen = await uow.herberekeningen.volgende(per_transactie)
            if not personen:
                return gedaan
            await herbereken_alles(ports, uow, personen)
            await uow.herberekeningen.klaar(personen)
        gedaan += len(personen)
