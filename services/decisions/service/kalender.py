"""Use cases of the payment calendar: a case's months read, the advance proposed at the start of each
month (a periodic job, once per case and month across restarts and instances), the holiday allowance
built up, a municipality's advance policy set and read, and its timeliness figure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from decisions.domain import kalender as k
from decisions.domain import vakantietoeslag as vt
from decisions.domain.situatie import Situatie
from decisions.domain.tussenrekening import stabiel
from decisions.domain.uitkering import Status, Uitkering
from decisions.domain.verrekening import Resultaat, reservering
from decisions.service import verrekeningen
from decisions.service.ports import Ports, UnitOfWork, Vastgesteld
from decisions.service.toegang import in_zicht, inzage, vanaf_maand
from decisions.service.webhooks import bericht, publiceer
from schakel.caller import Caller
from schakel.events import models as m
from schakel.primitives import Maand
from schakel.primitives.periode import dag_van, plus_maanden

log = logging.getLogger(__name__)


async def verwachtingen(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, situaties: list[Situatie], maanden: list[Maand]
) -> dict[Maand, k.Verwachting]:
    """Per month, what the policy expects of it from the months settled before it, as the household in
    force on it counts them (a partner who left takes their income along); a month whose norm a caseworker
    must set has none."""
    vastgesteld = [v.verrekening for v in (await uow.verrekeningen.van(uitkering.uitkering_id)).values()]
    beleid = await uow.kalender.beleid(uitkering.gemeentecode)
    verwacht = {}
    for maand in maanden:
        if (v := k.verwachting_van(uitkering, situaties, vastgesteld, beleid, maand, ports.parameters)) is not None:
            verwacht[maand] = v
    return verwacht


async def _verwacht(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, situaties: list[Situatie], maanden: list[Maand]
) -> dict[Maand, int]:
    """Per month, the payable bijstand the policy expects (see `verwachtingen`)."""
    procent = ports.parameters.vakantietoeslag
    return {
        maand: v.te_betalen(procent)
        for maand, v in (await verwachtingen(ports, uow, uitkering, situaties, maanden)).items()
    }


async def lees(
    ports: Ports, caller: Caller, uitkering_id: str
) -> tuple[list[k.Kalendermaand], dict[Maand, Vastgesteld]]:
    """The case's months up to this month (or its end), oldest first (its partner's from the first month
    settled with them); and each settled month as stored, with its version and the claims its
    back-payment paid off."""
    async with ports.uow() as uow:
        uitkering, vanaf = await inzage(ports, uow, caller, uitkering_id)
        maanden = k.maanden_van(uitkering.startdatum, uitkering.einddatum, Maand.van(ports.clock.today()))
        maanden = [maand for maand in maanden if vanaf_maand(maand, vanaf, uitkering.startdatum)]
        situaties = await uow.situaties.van(uitkering_id)
        vastgesteld = in_zicht(await verrekeningen.vastgesteld(uow, uitkering_id), vanaf, uitkering.startdatum)
        rijen = k.kalender(
            maanden,
            await _verwacht(ports, uow, uitkering, situaties, maanden),
            await uow.betalingen.van(uitkering_id),
            await uow.kalender.voorgesteld(uitkering_id),
            {maand: (v.verrekening, dag_van(v.vastgesteld_op)) for maand, v in vastgesteld.items()},
            await uow.kalender.beleid(uitkering.gemeentecode),
            {maand for maand in maanden if stabiel(situaties, maand)},
        )
        return rijen, vastgesteld


async def vakantietoeslag(ports: Ports, caller: Caller, uitkering_id: str) -> list[m.Vakantietoeslag]:
    """The holiday allowance the case built up per payout, with its explanation, up to this month (or
    its end), oldest first (its partner's from the first month settled with them)."""
    async with ports.uow() as uow:
        uitkering, vanaf = await inzage(ports, uow, caller, uitkering_id)
        return await _vakantietoeslagen(ports, uow, uitkering, vanaf)


async def _vakantietoeslagen(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, vanaf: date | None = None
) -> list[m.Vakantietoeslag]:
    procent, vandaag = ports.parameters.vakantietoeslag, ports.clock.today()
    return [
        m.Vakantietoeslag(**_uitbetaling(o), uitleg=vt.uitleg(o, procent, vandaag))
        for o in await _opbouw(ports, uow, uitkering, vanaf)
    ]


def _uitbetaling(o: vt.Opbouw, periode: tuple[Maand, Maand] | None = None) -> dict:
    """A payout's fields as the events and the API show it, but its explanation; `periode` names the
    months of one that has none left."""
    van, tot = periode or (o.maanden[0].maand, o.maanden[-1].maand)
    return {
        "vanMaand": str(van),
        "totMaand": str(tot),
        "bedrag": o.bedrag,
        "uitbetalenUiterlijk": o.uiterlijk,
        "einddatum": o.einddatum,
        "voorlopig": o.voorlopig,
        "maanden": [
            m.Vakantietoeslagmaand(
                maand=str(r.maand), gereserveerd=r.bedrag, verrekend=r.verrekend, voorlopig=r.voorlopig
            )
            for r in o.maanden
        ],
    }


async def _opbouw(ports: Ports, uow: UnitOfWork, uitkering: Uitkering, vanaf: date | None = None) -> list[vt.Opbouw]:
    # one read of the case: its situations, its settlements and the months that wait for a caseworker
    stand = await verrekeningen.stand(ports, uow, uitkering)
    return _opbouw_uit(ports, uitkering, stand, await uow.kalender.beleid(uitkering.gemeentecode), vanaf)


def _opbouw_uit(
    ports: Ports,
    uitkering: Uitkering,
    stand: tuple[verrekeningen.Dossier, Resultaat],
    beleid: list[k.Voorschotbeleid],
    vanaf: date | None = None,
) -> list[vt.Opbouw]:
    """The case's payouts from what settling it reads and gives (`verrekeningen.stand`)."""
    dossier, resultaat = stand
    situaties, wachtend = dossier.situaties, {t.maand for t in resultaat.te_beoordelen}
    verrekend = {maand: v.verrekening for maand, v in dossier.verrekeningen.items()}
    vandaag = ports.clock.today()
    maanden = k.maanden_van(uitkering.startdatum, uitkering.einddatum, Maand.van(vandaag))
    procent = ports.parameters.vakantietoeslag

    def onverrekend(maand: Maand) -> tuple[int | None, bool, date | None, int | None]:
        """Once its polis was due without income: the whole norm; before, or while it waits for a
        caseworker (its income is known), the bijstand its advance expects, provisionally: until its
        polis is due, after which it reserves the whole norm, unless settled by then."""
        if (norm_bedrag := k.maandnorm(uitkering, situaties, maand, ports.parameters)) is None:
            return None, True, None, None
        geldend = k.geldend(beleid, maand.eerste_dag)
        zonder_inkomen = reservering(norm_bedrag, procent)
        polis = k.polis_verwacht(maand, geldend)
        if maand not in wachtend and vandaag > polis:
            return zonder_inkomen, False, None, None
        # as the household of the month counts the months settled before it
        verwacht = k.verwachting(maand, norm_bedrag, verrekend.values(), geldend, situaties, uitkering.startdatum)
        bedrag = reservering(verwacht.bijstand, procent)
        return (bedrag, True, None, None) if maand in wachtend else (bedrag, True, polis, zonder_inkomen)

    return vt.opbouw(
        [maand for maand in maanden if vanaf_maand(maand, vanaf, uitkering.startdatum)],
        uitkering.einddatum,
        verrekend,
        onverrekend,
    )


async def stel_vakantietoeslagen_vast(ports: Ports) -> int:
    """At the start of each month (the job runs often; a payout is announced once): announces every
    payout of holiday allowance due this month, with the amount as it stands. In June the months June
    to May of every case that ran in them; in any month the last months of a case that ended three
    months before (due within three months after its end, when that comes before the June)."""
    maand = Maand.van(ports.clock.today())
    einde = Maand.van(plus_maanden(maand.eerste_dag, -vt.NA_EINDE_MAANDEN))
    async with ports.uow() as uow:
        jaar = vt.uitbetaaljaar(einde)
        open_ = await uow.kalender.zonder_vakantietoeslag(jaar, einde.eerste_dag, einde.laatste_dag, geeindigd=True)
        if maand.maand == vt.UITBETAALMAAND:
            van, tot = (
                Maand(maand.jaar - 1, vt.UITBETAALMAAND).eerste_dag,
                Maand(maand.jaar, vt.UITBETAALMAAND - 1).laatste_dag,
            )
            open_ += await uow.kalender.zonder_vakantietoeslag(maand.jaar, van, tot, geeindigd=False)
    vastgesteld = 0
    for uitkering_id in sorted(set(open_)):
        async with ports.uow() as uow:
            # held: the case as it stands, its end or a settlement alongside waits
            if uitkering := next(iter(await uow.uitkeringen.vergrendel([uitkering_id])), None):
                vastgesteld += await _stel_vast(ports, uow, uitkering, lambda o: Maand.van(o.uiterlijk) == maand)
    if vastgesteld:
        log.info("announced %d payout(s) of holiday allowance due in %s", vastgesteld, maand)
    return vastgesteld


async def stel_vast_na_einde(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> int:
    """A case ended back in time (as held): the payout of its last months, when it was due by this month
    already, is announced at once (the monthly job announces a payout only in the month it falls due)."""
    deze = Maand.van(ports.clock.today())
    return await _stel_vast(ports, uow, uitkering, lambda o: o.einddatum is not None and Maand.van(o.uiterlijk) <= deze)


async def _stel_vast(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, verschuldigd: Callable[[vt.Opbouw], bool]
) -> int:
    """Announces the case's payouts that are `verschuldigd`, each once."""
    procent, vandaag = ports.parameters.vakantietoeslag, ports.clock.today()
    vastgesteld = 0
    for o in await _opbouw(ports, uow, uitkering):
        if not verschuldigd(o) or not await uow.kalender.stel_vakantietoeslag_vast(
            uitkering.uitkering_id, o, ports.clock.now()
        ):
            continue
        uitleg = vt.uitleg(o, procent, vandaag)
        event = bericht(
            uow,
            m.VakantietoeslagVastgesteld,
            uitkering,
            ports.pseudonym(uitkering.bsn),
            **_uitbetaling(o),
            uitleg=uitleg,
        )
        await publiceer(uow, ports.clock, event)
        vastgesteld += 1
    return vastgesteld


async def herzie_vakantietoeslagen(ports: Ports, per: int = 200) -> int:
    """Looks again at the announced payouts marked since (a month of theirs changed, or a provisional
    month turned final), `per` cases a transaction, and announces again each whose final reservations
    changed: its new amount, the one announced before, and per month what changed and why. Runs in
    one instance; a case is held as a settlement holds it, so none changes while it is compared."""
    vandaag, na, herzien = ports.clock.today(), None, 0
    while True:
        async with ports.uow() as uow:
            ids = await uow.kalender.te_herzien(vandaag, na, per)
            if not ids:
                break
            zaken = {u.uitkering_id: u for u in await uow.uitkeringen.vergrendel(ids)}
            # (a case retention deleted meanwhile went with its payouts)
            bekijken = [a for a in await uow.kalender.aangekondigd(zaken) if a.te_bekijken(vandaag)]
            # what settling the page's cases reads, read for all of them at once
            standen = await verrekeningen.standen(ports, uow, list(zaken.values()))
            beleid = {g: await uow.kalender.beleid(g) for g in {u.gemeentecode for u in zaken.values()}}
            for a in bekijken:
                uitkering = zaken[a.uitkering_id]
                nu = _opbouw_uit(ports, uitkering, standen[a.uitkering_id], beleid[uitkering.gemeentecode])
                herzien += await _herzie(ports, uow, uitkering, a, next((o for o in nu if o.jaar == a.jaar), None))
            na = ids[-1]
    if herzien:
        log.info("announced %d revised payout(s) of holiday allowance", herzien)
    return herzien


async def _herzie(ports: Ports, uow: UnitOfWork, uitkering: Uitkering, a: vt.Aangekondigd, nu: vt.Opbouw | None) -> int:
    """Announces the payout again as it stands now (`nu`; None: none of its months is left) when a final
    reservation changed; records it as looked at either way."""
    if a.stand is None:  # announced before its months were kept: only the amount can be compared
        wijzigingen, gewijzigd = [], (nu.bedrag if nu else 0) != a.bedrag
    else:
        wijzigingen = vt.wijzigingen(a.stand, nu)
        gewijzigd = bool(wijzigingen)
    if not gewijzigd:
        # a payout from before its months were kept keeps them from now (as announced: the same amount)
        stand = nu if a.stand is None else None
        await uow.kalender.herzie_vakantietoeslag(a.uitkering_id, a.jaar, vt.voorlopig_tot(nu, a.stand or nu), stand)
        return 0
    procent = ports.parameters.vakantietoeslag
    stand, velden = (nu, _uitbetaling(nu)) if nu else _verdwenen(a, uitkering.einddatum)
    event = bericht(
        uow,
        m.VakantietoeslagHerzien,
        uitkering,
        ports.pseudonym(uitkering.bsn),
        **velden,
        vorigBedrag=a.bedrag,
        wijzigingen=[
            m.Vakantietoeslagwijziging(maand=str(w.maand), vorigGereserveerd=w.vorig, gereserveerd=w.nu, reden=w.reden)
            for w in wijzigingen
        ],
        uitleg=vt.uitleg_herzien(a.bedrag, wijzigingen, nu, procent, ports.clock.today()),
    )
    await publiceer(uow, ports.clock, event)
    await uow.kalender.herzie_vakantietoeslag(
        a.uitkering_id, a.jaar, vt.voorlopig_tot(nu, stand), stand, ports.clock.now()
    )
    return 1


def _verdwenen(a: vt.Aangekondigd, einddatum: date | None) -> tuple[vt.Opbouw, dict]:
    """A payout none of whose months falls in the benefit any more: as announced (or, from before its
    months were kept, its year's months), with none left."""
    periode = (a.stand.maanden[0].maand, a.stand.maanden[-1].maand) if a.stand else vt.periode(a.jaar)
    uiterlijk = a.stand.uiterlijk if a.stand else date(a.jaar, vt.UITBETAALMAAND, 30)
    leeg = vt.Opbouw((), uiterlijk, einddatum)
    return leeg, _uitbetaling(leeg, periode)


async def stel_voorschotten_voor(ports: Ports) -> int:
    """At the start of each month (the job runs often; a month is proposed once): proposes this month's
    advance for every running case that has no payment for it yet. The proposal's key (case, month)
    is inserted with the event in one transaction: an instance that loses the race publishes nothing.
    A rerun asks one query: the cases still without an advance for the month."""
    maand = Maand.van(ports.clock.today())
    async with ports.uow() as uow:
        open_ = await uow.kalender.zonder_voorschot(maand)
    voorgesteld = 0
    for uitkering_id in open_:
        async with ports.uow() as uow:
            voorgesteld += await _stel_voor(ports, uow, uitkering_id, maand)
    if voorgesteld:
        log.info("proposed %d advance(s) for %s", voorgesteld, maand)
    return voorgesteld


async def _stel_voor(ports: Ports, uow: UnitOfWork, uitkering_id: str, maand: Maand) -> int:
    # held: a case ended (or paid) while the job ran gets no advance after its end
    uitkering = next(iter(await uow.uitkeringen.vergrendel([uitkering_id])), None)
    if uitkering is None or uitkering.status is not Status.lopend or uitkering.startdatum > maand.laatste_dag:
        return 0
    if maand in await uow.betalingen.van(uitkering_id):  # paid since the list was made
        return 0
    situaties = await uow.situaties.van(uitkering_id)
    if stabiel(situaties, maand):
        return 0  # stable income: the intermediate account pays the fixed amount, no advance
    verwachting = (await verwachtingen(ports, uow, uitkering, situaties, [maand])).get(maand)
    if verwachting is None:
        return 0  # the norm waits for a caseworker: no advance to propose automatically
    verwacht = verwachting.te_betalen(ports.parameters.vakantietoeslag)
    beleid = k.geldend(await uow.kalender.beleid(uitkering.gemeentecode), maand.eerste_dag)
    bedrag = k.voorschot(verwacht, beleid)
    if not await uow.kalender.stel_voor(uitkering_id, maand, bedrag, ports.clock.now()):
        return 0
    event = bericht(
        uow,
        m.VoorschotVoorgesteld,
        uitkering,
        ports.pseudonym(uitkering.bsn),
        maand=str(maand),
        bedrag=bedrag,
        verwacht=verwacht,
        polisVerwachtOp=k.polis_verwacht(maand, beleid),
        verrekeningVerwachtOp=k.verrekening_verwacht(maand, beleid),
        uitleg=k.uitleg(maand, verwacht, bedrag, beleid, verwachting.zonder_partner),
    )
    await publiceer(uow, ports.clock, event)
    return 1


async def beleid(ports: Ports, caller: Caller) -> list[k.Voorschotbeleid]:
    """The municipality's policy versions; the default alone when it set none."""
    async with ports.uow() as uow:
        return await uow.kalender.beleid(caller.gemeente) or [k.STANDAARD]


async def zet_beleid(ports: Ports, caller: Caller, versie: k.Voorschotbeleid) -> list[k.Voorschotbeleid]:
    async with ports.uow() as uow:
        await uow.kalender.zet_beleid(caller.gemeente, versie)
        return await uow.kalender.beleid(caller.gemeente)


async def tijdigheid(ports: Ports, caller: Caller) -> tuple[k.Tijdigheid, k.Voorschotbeleid]:
    """The share of the municipality's months settled within its target, and the policy in force today."""
    async with ports.uow() as uow:
        versies = await uow.kalender.beleid(caller.gemeente)
        eerste = await uow.kalender.eerste_verrekeningen(caller.gemeente)
    return k.tijdigheid(((m, d, n) for _, m, d, n in eerste), versies), k.geldend(versies, ports.clock.today())
