"""Use cases of claims (terugvorderingen): booked from the settlement whenever a month's settled
difference changes, paid off from the running benefit at the start of each month (a periodic job,
once per case and month across restarts and instances), read by the municipality and the citizen;
and a municipality's recovery policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from decisions.domain import kalender as k
from decisions.domain import tussenrekening
from decisions.domain import vordering as vd
from decisions.domain.fouten import AlBeeindigd, NogNietAan
from decisions.domain.situatie import Situatie
from decisions.domain.uitkering import Uitkering
from decisions.domain.verrekening import Beweging, Verrekening
from decisions.service.ports import Ports, UnitOfWork
from decisions.service.toegang import inzage, van_burger, vanaf_maand, vergrendeld
from decisions.service.webhooks import bericht, publiceer
from schakel import logboek
from schakel.caller import Caller
from schakel.events import Event
from schakel.events import models as m
from schakel.primitives import Maand

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Termijn:
    """A month's instalment as expected: at most `maximum` (the room above the beslagvrije voet, Rv art.
    475dc, with the case's raise, and the policy's cap), never more than the month is expected to pay
    (`te_betalen`); nothing when it pays stable income, or while its norm waits for a caseworker."""

    maximum: int
    te_betalen: int
    norm_onbekend: bool = False  # the month's norm waits for a caseworker: its bijstand is not known yet


@dataclass(frozen=True)
class Stand:
    """What a claim's expected instalment and explanation depend on besides its bookings."""

    beleid: list[vd.Vorderingsbeleid]  # the municipality's policy versions
    laatste: Verrekening | None  # the latest month the case ran in: without one, nothing to estimate from
    verhogingen: list[vd.Verhoging]  # the caseworker's raises of the beslagvrije voet
    # what a month's instalment is estimated from, as its advance is: the settled months, counted as the
    # household in force on it counts them, its norm, and the advance the calendar proposed for it
    verrekend: list[Verrekening] = field(default_factory=list)
    situaties: list[Situatie] = field(default_factory=list)
    voorschotbeleid: list[k.Voorschotbeleid] = field(default_factory=list)
    voorgesteld: dict[Maand, int] = field(default_factory=dict)

    @staticmethod
    async def van(
        uow: UnitOfWork,
        uitkering: Uitkering,
        beleid: list[vd.Vorderingsbeleid] | None = None,
        nieuw: Iterable[Verrekening] = (),
    ) -> Stand:
        """As stored, with the settlements of a run not yet written (`nieuw`) in place of theirs."""
        verrekend = {maand: v.verrekening for maand, v in (await uow.verrekeningen.van(uitkering.uitkering_id)).items()}
        verrekend |= {v.maand: v for v in nieuw}
        return Stand(
            await uow.vorderingen.beleid(uitkering.gemeentecode) if beleid is None else beleid,
            laatste(verrekend[maand] for maand in sorted(verrekend, reverse=True)),
            await uow.vorderingen.verhogingen(uitkering.uitkering_id),
            list(verrekend.values()),
            await uow.situaties.van(uitkering.uitkering_id),
            await uow.kalender.beleid(uitkering.gemeentecode),
            await uow.kalender.voorgesteld(uitkering.uitkering_id),
        )

    def stabiel(self, maand: Maand) -> bool:
        """Whether `maand` pays stable income, by the situation in force in it (not that of the last month
        settled: a case back on advances has its instalments withheld again)."""
        return bool(self.situaties) and tussenrekening.stabiel(self.situaties, maand)

    def termijn(self, ports: Ports, uitkering: Uitkering, maand: Maand) -> Termijn | None:
        """`maand`'s instalment as expected; None with nothing to estimate from. Estimated as the month's
        advance is: its own norm, and the average income of the last settled months as its household
        counts them (a partner who left takes their income along); the payment is at most the advance
        proposed for it. On stable income nothing: the person lives on the fixed amount from the
        intermediate account, and the bijstand is the account's."""
        if self.stabiel(maand):
            return Termijn(0, 0)
        if self.laatste is None:
            return None
        params = ports.parameters
        verwacht = k.verwachting_van(uitkering, self.situaties, self.verrekend, self.voorschotbeleid, maand, params)
        if verwacht is None:
            return Termijn(0, 0, norm_onbekend=True)  # nothing is withheld until its bijstand is known
        te_betalen = verwacht.te_betalen(params.vakantietoeslag)
        if maand in self.voorgesteld:
            te_betalen = min(te_betalen, self.voorgesteld[maand])
        dag = ports.clock.today()
        verhoging = vd.verhoging_op(self.verhogingen, dag)
        maximum = vd.termijn(
            verwacht.norm_bedrag, verwacht.totaal, dag, params, vd.geldend(self.beleid, dag), verhoging
        )
        return Termijn(maximum, te_betalen)


async def boek(
    ports: Ports,
    uow: UnitOfWork,
    uitkering: Uitkering,
    persoon: str,
    verrekeningen: list[Verrekening],
    geboekt: dict[Maand, tuple[int, int]],
    alle: list[vd.Boeking],
    beleid: list[vd.Vorderingsbeleid],
    verschillen: list[tuple[str, Maand, int, int]],
) -> tuple[list[Event], list[vd.Boeking], dict[Maand, Beweging]]:
    """The settlement's hook: books the claims of every month whose settled difference changed since it
    was last booked; returns the events of the claims that changed, the new bookings, and per such month
    what they moved (its settlement's text says it). Keyed on the
    month's difference as booked (with how often it changed): a replay, a restart or a recomputation
    that settles the same amounts books nothing, so a claim never doubles. `geboekt`, `alle` and the
    municipality's `beleid` are read with the case locked (the settlement's dossier); the new
    differences are added to `verschillen`."""
    uitkering_id = uitkering.uitkering_id
    gewijzigd = [v for v in verrekeningen if geboekt.get(v.maand, (0, 0))[0] != v.verschil]
    if not gewijzigd:
        return [], [], {}
    drempel = vd.geldend(beleid, ports.clock.today()).drempel
    wijzigingen = [(v.maand, geboekt.get(v.maand, (0, 0))[0], v.verschil) for v in gewijzigd]
    nieuw, uit = vd.verwerk(alle, wijzigingen, drempel, ports.teruggaven)
    verschillen += [(uitkering_id, v.maand, v.verschil, geboekt.get(v.maand, (0, 0))[1] + 1) for v in gewijzigd]
    bewegingen = vd.bewegingen(nieuw, uit)
    if not nieuw:
        return [], [], bewegingen
    await uow.vorderingen.boek(uitkering_id, nieuw, ports.clock.now())
    # read only here: few settlements change a claim
    stand = await Stand.van(uow, uitkering, beleid, verrekeningen)
    return _events(ports, uow, uitkering, persoon, alle, nieuw, stand), nieuw, bewegingen


def laatste(nieuwste_eerst: Iterable[Verrekening]) -> Verrekening | None:
    """The latest month the case ran in (a month after its end has no benefit to estimate an
    instalment from)."""
    return next((v for v in nieuwste_eerst if v.recht), None)


def _events(
    ports: Ports,
    uow: UnitOfWork,
    uitkering: Uitkering,
    persoon: str,
    eerder: list[vd.Boeking],
    nieuw: list[vd.Boeking],
    stand: Stand,
) -> list[Event]:
    """`vordering.ontstaan` for a claim that is new, `vordering.gewijzigd` for one that changed."""
    bestaand = {b.bron for b in eerder}
    geraakt = {b.bron for b in nieuw}
    return [
        bericht(
            uow,
            m.VorderingGewijzigd if t.bron in bestaand else m.VorderingOntstaan,
            uitkering,
            persoon,
            **weergave(ports, uitkering, t, [b for b in nieuw if b.bron == t.bron], stand),
        )
        for t in vd.vorderingen(eerder + nieuw)
        if t.bron in geraakt
    ]


def weergave(
    ports: Ports, uitkering: Uitkering, t: vd.Terugvordering, toelichten: Iterable[vd.Boeking], stand: Stand
) -> dict:
    """A claim in contract form (the API and the events), explained with the bookings `toelichten`."""
    vandaag = ports.clock.today()
    beleid = vd.geldend(stand.beleid, vandaag)
    verhoging = vd.verhoging_op(stand.verhogingen, vandaag)
    maand = Maand.van(vandaag)
    termijn = stand.termijn(ports, uitkering, maand)
    verwacht = None if termijn is None else min(t.open, termijn.maximum, termijn.te_betalen)
    norm_onbekend = termijn is not None and termijn.norm_onbekend
    geen_betaling = termijn is not None and termijn.te_betalen == 0
    procent = str(ports.parameters.beslagvrije_voet_op(vandaag)).replace(".", ",")
    lopend = uitkering.loopt_op(vandaag)
    stabiel = stand.stabiel(maand)
    return {
        "maand": str(t.bron),
        "bedrag": t.bedrag,
        "afgelost": t.afgelost,
        "kwijtgescholden": t.kwijtgescholden,
        "open": t.open,
        "status": t.status,
        "boekingen": [_boeking(x) for x in toelichten],
        "invordering": vd.invordering(t, lopend and not stabiel),
        "uitleg": vd.uitleg(
            t,
            toelichten,
            beleid,
            procent,
            verwacht,
            lopend,
            verhoging,
            stabiel,
            geen_betaling,
            norm_onbekend,
        ),
    }


def _boeking(b: vd.Boeking) -> dict:
    kenmerk = {} if b.kenmerk is None else {"kenmerk": b.kenmerk}
    return {"soort": b.soort.value, "bedrag": b.bedrag, "maand": str(b.maand)} | kenmerk


async def houd_termijnen_in(ports: Ports) -> int:
    """At the start of each month (the job runs often; a month is withheld once): withholds this month's
    instalment from the benefit of every running case with an open claim. The instalment's key (case,
    month) is inserted with the bookings and events in one transaction: an instance that loses the
    race books nothing."""
    maand = Maand.van(ports.clock.today())
    async with ports.uow() as uow:
        open_ = await uow.vorderingen.zonder_inhouding(maand)
    ingehouden = 0
    for uitkering_id in open_:
        async with ports.uow() as uow:
            ingehouden += await _houd_in(ports, uow, uitkering_id, maand)
    if ingehouden:
        log.info("withheld %d instalment(s) for %s", ingehouden, maand)
    return ingehouden


async def _houd_in(ports: Ports, uow: UnitOfWork, uitkering_id: str, maand: Maand) -> int:
    uitkering = next(iter(await uow.uitkeringen.vergrendel([uitkering_id])), None)  # not beside a settlement's booking
    if uitkering is None or not uitkering.loopt_op(maand.eerste_dag):
        return 0
    stand = await Stand.van(uow, uitkering)
    if (termijn := stand.termijn(ports, uitkering, maand)) is None:
        return 0
    eerder = await uow.vorderingen.boekingen(uitkering_id)
    claims = vd.vorderingen(eerder)
    bedrag = vd.inhouding(vd.openstaand(claims), termijn.te_betalen, termijn.maximum)
    if not await uow.vorderingen.houd_in(uitkering_id, maand, bedrag) or not bedrag:
        return 0
    nieuw = vd.houd_in(claims, maand, bedrag)
    await uow.vorderingen.boek(uitkering_id, nieuw, ports.clock.now())
    persoon = ports.pseudonym(uitkering.bsn)
    await publiceer(uow, ports.clock, *_events(ports, uow, uitkering, persoon, eerder, nieuw, stand))
    return 1


async def kondig_aan(ports: Ports, uow: UnitOfWork, uitkering: Uitkering, behalve: list[vd.Boeking]) -> None:
    """Announces the case's open claims again (`vordering.gewijzigd` without bookings) when what their
    explanation rests on changed: the case ended (a payment arrangement now) or its end was corrected
    past today (withheld from the benefit again, or a payment arrangement), or a raise of the
    beslagvrije voet. A claim whose bookings differ from `behalve` (the bookings before this unit
    of work) was just announced with its change, so it is left out."""
    alle = await uow.vorderingen.boekingen(uitkering.uitkering_id)
    eerder = {t.bron: t for t in vd.vorderingen(behalve)}
    claims = [t for t in vd.vorderingen(alle) if t.open and eerder.get(t.bron) == t]
    if not claims:
        return
    stand = await Stand.van(uow, uitkering)
    persoon = ports.pseudonym(uitkering.bsn)
    await publiceer(
        uow,
        ports.clock,
        *(
            bericht(uow, m.VorderingGewijzigd, uitkering, persoon, **weergave(ports, uitkering, t, [], stand))
            for t in claims
        ),
    )


async def lees(ports: Ports, caller: Caller, uitkering_id: str) -> list[dict]:
    """The case's claims, oldest source month first, each explained with all its bookings (its
    partner's from the first month settled with them)."""
    async with ports.uow() as uow:
        return await _lees(ports, uow, *await inzage(ports, uow, caller, uitkering_id))


async def _lees(ports: Ports, uow: UnitOfWork, uitkering: Uitkering, vanaf: date | None) -> list[dict]:
    stand = await Stand.van(uow, uitkering)
    return [
        {"uitkeringId": uitkering.uitkering_id} | weergave(ports, uitkering, t, t.boekingen, stand)
        for t in vd.vorderingen(await uow.vorderingen.boekingen(uitkering.uitkering_id))
        if vanaf_maand(t.bron, vanaf, uitkering.startdatum)
    ]


async def mijn(ports: Ports, caller: Caller) -> list[dict]:
    """A citizen's own claims, over all their cases."""
    assert caller.bsn, "a citizen's own"
    logboek.noteer_bsn(caller.bsn)
    async with ports.uow() as uow:
        zaken = await van_burger(ports, uow, caller)
        return [v for z in sorted(zaken, key=lambda z: z[0].startdatum) for v in await _lees(ports, uow, *z)]


async def boek_terugbetaling(
    ports: Ports, caller: Caller, uitkering_id: str, bron: Maand, bedrag: int, maand: Maand, kenmerk: str
) -> dict:
    """A repayment the municipality received outside the benefit (its payment arrangement, or at once),
    booked on the claim of `bron` in the month `maand` it came in, and announced (`vordering.gewijzigd`).
    Without it, a later back-payment would be netted against what was paid back already, and the
    person would pay twice."""
    if not ports.terugbetalingen:
        raise NogNietAan(
            "Terugbetalingen boeken staat in deze omgeving nog niet aan: de beheerder zet het aan als elke instantie "
            "versie 0.18 of later draait."
        )
    return await _boek_op_vordering(
        ports,
        caller,
        uitkering_id,
        kenmerk,
        lambda claims, nu, _: [b for b in [vd.terugbetaald(claims, bron, bedrag, maand, kenmerk, nu)] if b],
    )


async def storneer_terugbetaling(ports: Ports, caller: Caller, uitkering_id: str, kenmerk: str, maand: Maand) -> dict:
    """The repayment booked under `kenmerk` reversed in `maand` (`vd.gestorneerd`): its amount open again,
    announced (`vordering.gewijzigd`), and recovered as the rest of the claim is."""
    if not ports.storneringen:
        raise NogNietAan(
            "Terugbetalingen terugdraaien staat in deze omgeving nog niet aan: de beheerder zet het aan als elke "
            "instantie versie 0.21 of later draait."
        )
    return await _boek_op_vordering(
        ports,
        caller,
        uitkering_id,
        kenmerk,
        lambda claims, nu, drempel: vd.gestorneerd(claims, kenmerk, maand, nu, drempel),
    )


async def _boek_op_vordering(
    ports: Ports,
    caller: Caller,
    uitkering_id: str,
    kenmerk: str,
    maak: Callable[[list[vd.Terugvordering], Maand, int], list[vd.Boeking]],
) -> dict:
    """Books a payment the municipality reports under its `kenmerk` on one claim (`maak`, with the
    threshold in force, returns nothing when that is booked already: reported again) and answers that
    claim."""
    async with ports.uow() as uow:
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        eerder = await uow.vorderingen.boekingen(uitkering_id)
        stand = await Stand.van(uow, uitkering)
        drempel = vd.geldend(stand.beleid, ports.clock.today()).drempel
        nieuw = maak(vd.vorderingen(eerder), Maand.van(ports.clock.today()), drempel)
        if nieuw:
            await uow.vorderingen.boek(uitkering_id, nieuw, ports.clock.now())
            persoon = ports.pseudonym(uitkering.bsn)
            await publiceer(uow, ports.clock, *_events(ports, uow, uitkering, persoon, eerder, nieuw, stand))
        alle = [*eerder, *nieuw]
        bron = next(b.bron for b in alle if b.kenmerk == kenmerk)
        [claim] = [t for t in vd.vorderingen(alle) if t.bron == bron]
        return {"uitkeringId": uitkering_id} | weergave(ports, uitkering, claim, claim.boekingen, stand)


async def beleid(ports: Ports, caller: Caller) -> list[vd.Vorderingsbeleid]:
    """The municipality's policy versions; the default alone when it set none."""
    async with ports.uow() as uow:
        return await uow.vorderingen.beleid(caller.gemeente) or [vd.STANDAARD]


async def zet_beleid(ports: Ports, caller: Caller, versie: vd.Vorderingsbeleid) -> list[vd.Vorderingsbeleid]:
    async with ports.uow() as uow:
        await uow.vorderingen.zet_beleid(caller.gemeente, versie)
        return await uow.vorderingen.beleid(caller.gemeente)


async def verhogingen(ports: Ports, caller: Caller, uitkering_id: str) -> list[vd.Verhoging]:
    """The raises of the case's beslagvrije voet, oldest first (its partner's from the day they
    joined the household)."""
    async with ports.uow() as uow:
        _, vanaf = await inzage(ports, uow, caller, uitkering_id)
        return [v for v in await uow.vorderingen.verhogingen(uitkering_id) if vanaf is None or v.geldig_vanaf >= vanaf]


async def verhoog(ports: Ports, caller: Caller, uitkering_id: str, verhoging: vd.Verhoging) -> list[vd.Verhoging]:
    """A caseworker raises the case's beslagvrije voet from a date: instalments from then leave more,
    and the open claims are announced again with the instalment now expected."""
    async with ports.uow() as uow:
        # a stranger's case is unknown, whatever the body
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        verhoging.toets(ports.clock.today())
        if not uitkering.loopt_op(verhoging.geldig_vanaf):
            raise AlBeeindigd(
                "al-beeindigd", "geldigVanaf", "de uitkering loopt dan niet meer: er wordt niets ingehouden"
            )
        eerder = await uow.vorderingen.boekingen(uitkering_id)
        await uow.vorderingen.zet_verhoging(uitkering_id, verhoging)
        await kondig_aan(ports, uow, uitkering, eerder)
        return await uow.vorderingen.verhogingen(uitkering_id)
