"""Use cases of a case (uitkering): opened, read, changed, ended; each one unit of work that changes
state and publishes its events. Plus the participation status others report, and the what-if."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from decisions.domain.deelname import Deelnamestatus, nieuwste
from decisions.domain.fouten import (
    AlBeeindigd,
    AnderHuishouden,
    EindeVastgezet,
    GeenIngezetene,
    Geweigerd,
    NietTeBerekenen,
    VoorstelVastgezet,
)
from decisions.domain.inkomen import Oordeel
from decisions.domain.kalender import maanden_van
from decisions.domain.norm import NormOnbekend
from decisions.domain.parameters import GeenParameters
from decisions.domain.proefberekening import Uitkomst, bereken, samenvatting
from decisions.domain.situatie import (
    Situatie,
    controleer,
    geldend,
    huishoudperioden,
    overlappen,
    partnerperioden,
)
from decisions.domain.tussenrekening import stabiel, vaste_bedragen
from decisions.domain.uitkering import Reden, Status, Uitkering
from decisions.domain.verrekening import TeBeoordelen
from decisions.domain.vrijlating import doorgeteld
from decisions.service import kalender, programmacijfers, vorderingen
from decisions.service.einde import kondig_einde_aan, partners_van, situatie_van
from decisions.service.ports import Ports, UnitOfWork, Voorstel
from decisions.service.toegang import (
    eigen,
    inzage,
    mag_zien,
    partner_periode,
    van_burger,
    vanaf_maand,
    vergrendeld,
)
from decisions.service.verrekeningen import herbereken, te_beoordelen, terug_onverrekend, voor_lezer
from decisions.service.webhooks import bericht, publiceer
from schakel import logboek
from schakel.caller import Caller, Rol
from schakel.events import Event
from schakel.events import models as events
from schakel.primitives import Maand, maandnaam, verrekend_vanaf
from schakel.telemetry.volgorde import superseded


@dataclass(frozen=True)
class Weergave:
    """What the API shows of a case."""

    uitkering: Uitkering
    deelnamestatus: Deelnamestatus | None
    situaties: list[Situatie]
    beeindigingsvoorstel: Voorstel | None
    te_beoordelen: list[TeBeoordelen]
    oordelen: list[tuple[str, Oordeel]]  # whose relationship (BSN) and the judgement


async def _weergave(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, vanaf: date | None = None, caller: Caller | None = None
) -> Weergave:
    """The case; for its partner (`caller`, toegang.inzage) the situations of their period (from `vanaf`
    on, not one recorded for a day after it, which may name the next partner) and a proposal to end
    only of a run within it, without the applicant's
    own participation status or a caseworker's judgements of incomes, which may be a former partner's;
    for the applicant as a citizen the judgements as `_voor_burger` shows them; for a citizen why a month
    waits in their own words."""
    situaties = await uow.situaties.van(uitkering.uitkering_id)
    if vanaf is not None:
        assert caller is not None and caller.bsn is not None, "a partner's view is of the partner asking"
        periode = partner_periode(uitkering, situaties, caller.bsn, ports.clock.today())
        tot = date.max if periode is None or periode[1] is None else periode[1]
        situaties = [s for s in situaties if vanaf <= s.ingangsdatum <= tot]
    return Weergave(
        uitkering,
        None if vanaf else await uow.deelnamestatussen.van(ports.pseudonym(uitkering.bsn)),
        situaties,
        _voorstel_voor(caller, await _voorstel_in_zicht(uow, uitkering, vanaf)),
        voor_lezer(
            caller,
            uitkering,
            [
                t
                for t in await te_beoordelen(ports, uow, uitkering)
                if vanaf_maand(t.maand, vanaf, uitkering.startdatum)
            ],
        ),
        [] if vanaf else _voor_burger(caller, await _oordelen(ports, uow, uitkering, situaties)),
    )


# what a citizen reads for a judgement's reason (the API requires one), or a dismissed proposal's
REDEN_VOOR_GEMEENTE = "alleen voor de gemeente"


async def _voorstel_in_zicht(uow: UnitOfWork, uitkering: Uitkering, vanaf: date | None) -> Voorstel | None:
    """The proposal to end the case, for a partner only when its run lies within their sight: one from
    before names months of another household (the applicant alone, or a former partner's income)."""
    voorstel = await uow.beeindigingsvoorstellen.van(uitkering.uitkering_id)
    if voorstel is None or vanaf_maand(Maand.parse(voorstel.van_maand), vanaf, uitkering.startdatum):
        return voorstel
    return None


def _voorstel_voor(caller: Caller | None, voorstel: Voorstel | None) -> Voorstel | None:
    """A proposal to end as its reader reads it: a citizen reads that it was dismissed, not why."""
    if voorstel is None or voorstel.reden is None or caller is None or caller.rol is not Rol.burger:
        return voorstel
    return replace(voorstel, reden=REDEN_VOOR_GEMEENTE)


def _voor_burger(caller: Caller | None, oordelen: list[tuple[str, Oordeel]]) -> list[tuple[str, Oordeel]]:
    """The judgements a citizen reads: only those of their own income relationships (one of a partner's,
    or a former partner's, is a caseworker's judgement about someone else), and without the reason, which
    may hold health data (a raise of the beslagvrije voet is read without its reason too); the
    municipality reads them all."""
    if caller is None or caller.rol is not Rol.burger:
        return oordelen
    return [(bsn, replace(o, reden=REDEN_VOOR_GEMEENTE)) for bsn, o in oordelen if bsn == caller.bsn]


async def _oordelen(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, situaties: list[Situatie]
) -> list[tuple[str, Oordeel]]:
    """The caseworkers' judgements, each with the BSN of the applicant or partner whose relationship it is."""
    huishouden = [uitkering.bsn, *(s.partner.bsn for s in situaties if s.partner is not None and s.partner.bsn)]
    bsns = {ports.pseudonym(b): b for b in huishouden}
    oordelen = await uow.inkomstensoorten.van(uitkering.uitkering_id)
    return [(bsns[p], o) for p, per_persoon in oordelen.items() if p in bsns for o in per_persoon.values()]


async def _ingezetenen(ports: Ports, caller: Caller, *bsns: str | None) -> None:
    """The municipality of residence (Participatiewet art. 40) per the BRP, of the applicant and of the
    partner alike, asked before anything is read: someone registered elsewhere is answered as unknown."""
    for bsn in bsns:
        if bsn is not None and await ports.brp.woongemeente(bsn) != caller.gemeente:
            raise GeenIngezetene("Deze persoon staat volgens de BRP niet in uw gemeente ingeschreven.")


async def open_uitkering(
    ports: Ports, caller: Caller, bsn: str, geboortedatum: date, startdatum: date, situatie: Situatie
) -> Weergave:
    controleer(situatie, bsn, geboortedatum)
    await _ingezetenen(ports, caller, bsn, situatie.partner and situatie.partner.bsn)
    async with ports.uow() as uow:
        uitkering, met_inkomen = await open_in(ports, uow, caller.gemeente, bsn, geboortedatum, startdatum, situatie)
        if met_inkomen:
            return await _weergave(ports, uow, uitkering)
        # nothing else is known of a new case without income: no settlements, judgements or proposal
        return Weergave(uitkering, await uow.deelnamestatussen.van(ports.pseudonym(bsn)), [situatie], None, [], [])


async def open_in(
    ports: Ports,
    uow: UnitOfWork,
    gemeentecode: str,
    bsn: str,
    geboortedatum: date,
    startdatum: date,
    situatie: Situatie,
    heraanvraag_id: str | None = None,
    startklok: tuple[tuple[str, int], ...] = (),
) -> tuple[Uitkering, bool]:
    """Opens a case in `uow` (a re-application granted elsewhere names itself in the event, and the
    vrijlating months the person used before); says whether income of the household was known already
    (a reopened case, a partner's): only then are there months to settle."""
    uitkering = Uitkering.open(
        str(uuid.uuid4()), bsn, gemeentecode, geboortedatum, startdatum, ports.clock.today(), startklok, heraanvraag_id
    )
    controleer(situatie, bsn, geboortedatum)
    persoon = ports.pseudonym(bsn)
    # the household, before its income is read: not alongside an income batch for one of them (the
    # batch would not yet find this case) nor while retention forgets them
    await uow.vergrendel(*_huishouden(ports, persoon, situatie))
    # a second running case is refused by the store (UitkeringLooptAl): a move ends the old case first
    await uow.uitkeringen.voeg_toe(uitkering, persoon)
    await programmacijfers.teruggekeerd(ports, uow, uitkering)
    geopend = bericht(
        uow,
        events.UitkeringGeopend,
        uitkering,
        persoon,
        geboortedatum=geboortedatum,
        startdatum=startdatum,
        heraanvraagId=heraanvraag_id,
        besluitdatum=ports.clock.today(),
        partners=partners_van([situatie], None),
    )
    await publiceer(uow, ports.clock, geopend)
    await _zet_situatie(ports, uow, uitkering.uitkering_id, situatie)
    await _een_huishouden(ports, uow, uitkering, [situatie], (startdatum, None))
    # which months are held, not their income
    met_inkomen = bool(await uow.inkomens.volgnummers(_huishouden(ports, persoon, situatie)))
    if met_inkomen:
        await herbereken(ports, uow, uitkering)
    return uitkering, met_inkomen


async def lees(ports: Ports, caller: Caller, uitkering_id: str) -> Weergave:
    async with ports.uow() as uow:
        return await _weergave(ports, uow, *await inzage(ports, uow, caller, uitkering_id), caller)


async def mijn(ports: Ports, caller: Caller) -> list[Weergave]:
    """A citizen's own cases, running and ended, newest first: as the applicant, or as the partner in
    the current household."""
    async with ports.uow() as uow:
        eigen_ = await van_burger(ports, uow, caller)
        return [
            await _weergave(ports, uow, *z, caller) for z in sorted(eigen_, key=lambda z: z[0].startdatum, reverse=True)
        ]


async def zoek(ports: Ports, caller: Caller, bsn: str) -> list[Weergave]:
    """A municipality's own cases of a person, running and ended, newest first: as the applicant, or
    as a partner in any of its situations. Found by BSN, so a case whose id the back office lost (an
    answer that never arrived, a restore) is found again. Another municipality's case is not among
    them: for someone without a case here the answer is empty, whatever they have elsewhere."""
    async with ports.uow() as uow:
        gevonden = await uow.uitkeringen.van_huishoudens({ports.pseudonym(bsn)})
        eigen_ = [await inzage(ports, uow, caller, u.uitkering_id) for u in gevonden if mag_zien(caller, u)]
        return [
            await _weergave(ports, uow, *z, caller) for z in sorted(eigen_, key=lambda z: z[0].startdatum, reverse=True)
        ]


async def wijzig(ports: Ports, caller: Caller, uitkering_id: str, situatie: Situatie) -> Weergave:
    """A new household situation from its date on; the months from then are settled again. A partner
    it names must live in the caller's municipality, as the applicant does: asked of the BRP first,
    so no transaction waits on it and an unreachable BRP leaves the Idempotency-Key unclaimed (a
    retry with it asks again)."""
    await _ingezetenen(ports, caller, situatie.partner and situatie.partner.bsn)
    async with ports.uow() as uow:
        uitkering = await eigen(ports, uow, caller, uitkering_id)
        controleer(situatie, uitkering.bsn, uitkering.geboortedatum)
        # the household first, then the case (the order of an income batch), and checked as held
        await uow.vergrendel(*_huishouden(ports, ports.pseudonym(uitkering.bsn), situatie))
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        uitkering.controleer_wijziging(situatie.ingangsdatum, ports.clock.today())
        eerder = await uow.situaties.van(uitkering_id)
        partner = situatie.partner
        if (
            partner is not None
            and partner.bsn
            and (not eerder or geldend(eerder, situatie.ingangsdatum).partner != partner)
        ):
            # their own data recorded (a new partner, their health or subsidy): about them, in their own view
            # too; repeated as it was (a change of the applicant's), the model noted them as a member of the household
            logboek.noteer_bsn(partner.bsn)
        await _zet_situatie(ports, uow, uitkering_id, situatie)
        nu = await uow.situaties.van(uitkering_id)
        await _betaalmodel_blijft(ports, uow, uitkering, eerder, nu)
        # a change from within a month is settled from the next (a month settles with its first day's household)
        vanaf = verrekend_vanaf(situatie.ingangsdatum, uitkering.startdatum)
        await _vast_betaald(ports, uow, uitkering, eerder, vanaf)
        await _een_huishouden(ports, uow, uitkering, nu, (vanaf, None))
        # the norm of the months not settled changes too, in the payouts announced already
        await uow.kalender.markeer_vakantietoeslagen([uitkering_id])
        gewijzigd = bericht(
            uow,
            events.UitkeringGewijzigd,
            uitkering,
            ports.pseudonym(uitkering.bsn),
            ingangsdatum=situatie.ingangsdatum,
            huishouden=situatie.huishouden.value,
            kostendelers=situatie.kostendelers,
            medischUrenbeperkt=situatie.medisch_urenbeperkt,
            loonkostensubsidie=situatie.loonkostensubsidie,
            partners=partners_van(nu, uitkering.einddatum),
        )
        await publiceer(uow, ports.clock, gewijzigd)
        # an ended case's window reuses the situation on its end (a partner's birth date corrected, say):
        # changed, the end is announced again with it, unless a later case closed the window
        einde = uitkering.einddatum
        opnieuw = (
            einde is not None
            # as the window reuses it: its content, not the day it was recorded from
            and situatie_van(geldend(eerder, einde)) != situatie_van(geldend(nu, einde))
            and not await _later(ports, uow, uitkering)
        )
        await herbereken(ports, uow, uitkering, einde_opnieuw=not opnieuw)
        if opnieuw:
            await kondig_einde_aan(ports, uow, uitkering, await _klok(uow, uitkering), einde)
        return await _weergave(ports, uow, uitkering)


async def _vast_betaald(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, situaties: list[Situatie], vanaf: date
) -> None:
    """Before a change back in time to the case (`uitkering` and `situaties` as they were) from `vanaf` on:
    the months from then up to this one that the intermediate account paid the fixed amount (at the start of
    each month on stable income) and that are not settled yet keep what they were paid, so that they are
    settled with it when their polis comes, or at nil with its claim when the change ends the case before
    them (tussenrekening.vaste_bedragen)."""
    van = Maand.van(vanaf)
    if not (maanden := [m for m in _tot_nu(ports, uitkering) if m >= van]):
        return
    verrekend = (await uow.verrekeningen.van_alle([uitkering.uitkering_id]))[uitkering.uitkering_id]
    maanden = [m for m in maanden if m not in verrekend]
    if bedragen := vaste_bedragen(uitkering, situaties, maanden, ports.parameters):
        await uow.vaste_bedragen.zet(uitkering.uitkering_id, bedragen, ports.clock.now())


def _tot_nu(ports: Ports, uitkering: Uitkering) -> list[Maand]:
    """The months of the case up to this one: on stable income, the account has paid each."""
    return maanden_van(uitkering.startdatum, uitkering.einddatum, Maand.van(ports.clock.today()))


async def _betaalmodel_blijft(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, eerder: list[Situatie], nu: list[Situatie]
) -> None:
    """A month settled or paid keeps how it was paid: by advance, or as stable income through the account
    (its bijstand went to the person, or into the account, and its fixed amount was paid out; the account
    pays it at the start of every month, so every month up to this one on stable income was paid).
    Turning it afterwards would pay it twice, or claim back what the account paid."""
    uitkering_id = uitkering.uitkering_id
    betaald = {m for m, bedrag in (await uow.betalingen.van(uitkering_id)).items() if bedrag}
    uit_de_rekening = set(vaste_bedragen(uitkering, eerder, _tot_nu(ports, uitkering), ports.parameters))
    maanden = set(await uow.verrekeningen.van(uitkering_id)) | betaald | uit_de_rekening
    if gedraaid := sorted(m for m in maanden if stabiel(eerder, m) != stabiel(nu, m)):
        raise Geweigerd(
            "betaalmodel-al-verrekend",
            "betaalmodel",
            f"{maandnaam(gedraaid[-1])} is al verrekend of betaald met het betaalmodel van toen (geef het "
            "betaalmodel van de uitkering mee als dat niet wijzigt; zonder is het voorschot): kies anders een "
            "ingangsdatum in een maand daarna",
        )


async def _een_huishouden(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, situaties: list[Situatie], gewijzigd: tuple[date, date | None]
) -> None:
    """One household at a time (Participatiewet art. 4, 11: bijstand is the family's, and no one's
    twice): on the days a change touches (`gewijzigd`), the case's applicant and partners, by its
    `situaties` as they now stand, belong to no other case's household, in any municipality. Else those
    days would be paid twice, and this municipality would read the other household's income. (The
    applicant's own earlier case is the store's to refuse, UitkeringLooptAl; an overlap stored before
    this rule does not hold up a change of other days.) Checked in the writer's transaction, after
    the household is held, so that a refusal leaves nothing of the change."""
    hier = huishoudperioden(uitkering.bsn, uitkering.startdatum, uitkering.einddatum, situaties)
    huishoudens = await uow.uitkeringen.van_huishoudens({ports.pseudonym(b) for b, _, _ in hier})
    anderen = [u for u in huishoudens if u.uitkering_id != uitkering.uitkering_id]
    # their situations in one read (none found, none read)
    daar = await uow.situaties.van_alle([u.uitkering_id for u in anderen]) if anderen else {}
    for ander in anderen:
        for bsn, van, tot in huishoudperioden(ander.bsn, ander.startdatum, ander.einddatum, daar[ander.uitkering_id]):
            eigen_zaak = bsn == ander.bsn == uitkering.bsn
            if not eigen_zaak and any(b == bsn and overlappen((v, t), (van, tot), gewijzigd) for b, v, t in hier):
                raise AnderHuishouden(AnderHuishouden.BERICHT)


def _partners(ports: Ports, situaties: list[Situatie]) -> set[str]:
    """Everyone the situations name as partner, on any day."""
    return {ports.pseudonym(b) for b, _, _ in partnerperioden(situaties, None)}


def _huishouden(ports: Ports, persoon: str, situatie: Situatie) -> set[str]:
    """The applicant and the partner the situation names."""
    partner = situatie.partner.bsn if situatie.partner else None
    return {persoon, *([ports.pseudonym(partner)] if partner else [])}


async def _zet_situatie(ports: Ports, uow: UnitOfWork, uitkering_id: str, situatie: Situatie) -> None:
    partner = situatie.partner
    await uow.situaties.zet(
        uitkering_id, situatie, None if partner is None or partner.bsn is None else ports.pseudonym(partner.bsn)
    )


async def beoordeel_inkomstensoort(
    ports: Ports, caller: Caller, uitkering_id: str, oordeel: Oordeel, bsn: str | None = None
) -> Weergave:
    """A caseworker's judgement of an income relationship of unknown kind (also one that is yet to come)
    of the applicant or (`bsn`) a partner in the case: work or other income, with a reason; the case's
    months are settled again."""
    async with ports.uow() as uow:
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        bsn = bsn or uitkering.bsn
        partners = {s.partner.bsn for s in await uow.situaties.van(uitkering_id) if s.partner is not None}
        if bsn != uitkering.bsn and bsn not in partners:
            raise Geweigerd(
                "niet-in-huishouden", "bsn", "Dit BSN is niet dat van de aanvrager of een partner in deze uitkering."
            )
        await uow.inkomstensoorten.zet(uitkering_id, ports.pseudonym(bsn), oordeel, ports.clock.now())
        await herbereken(ports, uow, uitkering)
        return await _weergave(ports, uow, uitkering)


async def wijs_voorstel_af(ports: Ports, caller: Caller, uitkering_id: str, van: Maand, reden: str) -> Weergave:
    """The municipality keeps the running case its latest proposal to end (`uitkering.beeindiging-voorgesteld`,
    of the run from `van`) named, with its reason: that run is not proposed again as it grows; a new run
    is. The same dismissal again changes nothing; one of an earlier proposal never dismisses a later."""
    async with ports.uow() as uow:
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        if uitkering.status is Status.beeindigd:
            raise AlBeeindigd("al-beeindigd", None, "deze uitkering is al beëindigd: er valt niets af te wijzen")
        voorstel = await uow.beeindigingsvoorstellen.van(uitkering_id)
        if voorstel is None:
            raise VoorstelVastgezet(
                "geen-beeindigingsvoorstel", None, "er is geen voorstel om deze uitkering te beëindigen"
            )
        if voorstel.van_maand != str(van):
            reden_ = f"het voorstel van nu gaat over de maanden vanaf {maandnaam(Maand.parse(voorstel.van_maand))}"
            raise VoorstelVastgezet("ander-voorstel", "vanMaand", reden_)
        if voorstel.afgewezen_op is None:
            afgewezen = replace(voorstel, afgewezen_op=ports.clock.now(), reden=reden)
            await uow.beeindigingsvoorstellen.wijs_af(uitkering_id, afgewezen)
            await publiceer(uow, ports.clock, _afgewezen(ports, uow, uitkering, voorstel))
        elif voorstel.reden != reden:
            raise VoorstelVastgezet("voorstel-al-afgewezen", "reden", f"het voorstel is al afgewezen: {voorstel.reden}")
        return await _weergave(ports, uow, uitkering)


def _afgewezen(ports: Ports, uow: UnitOfWork, uitkering: Uitkering, voorstel: Voorstel) -> Event:
    van, tot = Maand.parse(voorstel.van_maand), Maand.parse(voorstel.tot_maand)
    maanden = maandnaam(van) if van == tot else f"{maandnaam(van)} tot en met {maandnaam(tot)}"
    return bericht(
        uow,
        events.BeeindigingsvoorstelAfgewezen,
        uitkering,
        ports.pseudonym(uitkering.bsn),
        vanMaand=voorstel.van_maand,
        totMaand=voorstel.tot_maand,
        uitleg=f"Uw inkomen na vrijlating was in {maanden} hoger dan uw bijstandsnorm. De gemeente heeft besloten "
        f"dat uw bijstand toch doorloopt. Die maanden worden verrekend zoals altijd.",
    )


async def beeindig(ports: Ports, caller: Caller, uitkering_id: str, einddatum: date, reden: Reden) -> Weergave:
    async with ports.uow() as uow:
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        beeindigd = uitkering.beeindig(einddatum, reden, ports.clock.today())
        # the months after the end paid the fixed amount as the case ran
        await _vast_betaald(ports, uow, uitkering, await uow.situaties.van(uitkering_id), einddatum + timedelta(days=1))
        await uow.uitkeringen.bewaar(beeindigd)
        # an end back in time can take months out of a payout announced already (checked by the calendar)
        await uow.kalender.markeer_vakantietoeslagen([uitkering_id])
        await programmacijfers.uitgestroomd(ports, uow, beeindigd)
        voor = await uow.vorderingen.boekingen(uitkering_id)
        await herbereken(ports, uow, beeindigd, einde_opnieuw=False)  # the last month counts only up to the end
        await kondig_einde_aan(ports, uow, beeindigd, await _klok(uow, beeindigd))
        await kalender.stel_vast_na_einde(ports, uow, beeindigd)  # an end back in time: its payout may be due
        if not beeindigd.loopt_op(ports.clock.today()):
            # the open claims the last month left as they were now go to a payment arrangement
            await vorderingen.kondig_aan(ports, uow, beeindigd, voor)
        return await _weergave(ports, uow, beeindigd)


async def corrigeer_einde(ports: Ports, caller: Caller, uitkering_id: str, einddatum: date) -> Weergave:
    """The end date of an ended case, corrected: its months are settled again (a month now after the
    end at nil, a month back within the case by its income), the outflow record moves, and the end is
    announced again with the date it replaces. Refused once the person has a later case (its vrijlating
    clock, its window and its outflow return follow from this end), and when a month a later end
    brings back was settled at nil but cannot be settled yet (it waits for a caseworker, or its polis
    is not yet due): the correction waits until it can, so the month does not come back unsettled."""
    vandaag = ports.clock.today()
    async with ports.uow() as uow:
        persoon = ports.pseudonym((await eigen(ports, uow, caller, uitkering_id)).bsn)
        partners = _partners(ports, await uow.situaties.van(uitkering_id))
        # the household first, then the case (the order of a case opening): no later case of the person
        # opens meanwhile, nor one of a partner whose period a later end lengthens
        await uow.vergrendel(persoon, *partners)
        # a partner named while this waited for the person is held too; held, the household stays as read
        situaties = await uow.situaties.van(uitkering_id)
        if later_genoemd := _partners(ports, situaties) - partners:
            await uow.vergrendel(*later_genoemd)
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        gecorrigeerd = uitkering.corrigeer_einde(einddatum, vandaag)
        if gecorrigeerd == uitkering:
            return await _weergave(ports, uow, uitkering)  # the same end again changes nothing
        if await _later(ports, uow, uitkering):
            raise EindeVastgezet("latere-uitkering", None, "deze persoon heeft na deze uitkering een nieuwe gekregen")
        if terug := await terug_onverrekend(ports, uow, gecorrigeerd):
            _, waarom = terug[0]
            raise EindeVastgezet(
                "maand-niet-te-verrekenen",
                "einddatum",
                f"{waarom}, dus die maand zou zonder verrekening terugkomen: corrigeer de einddatum zodra die maand "
                "verrekend kan worden",
            )
        if uitkering.einddatum is not None and gecorrigeerd.einddatum is not None:
            # an earlier end: the months it takes out paid the fixed amount up to the end as it was
            vanaf = min(uitkering.einddatum, gecorrigeerd.einddatum) + timedelta(days=1)
            await _vast_betaald(ports, uow, uitkering, situaties, vanaf)
        await uow.uitkeringen.bewaar(gecorrigeerd)
        if uitkering.einddatum is not None and gecorrigeerd.einddatum > uitkering.einddatum:  # days added
            erbij = (uitkering.einddatum + timedelta(days=1), gecorrigeerd.einddatum)
            await _een_huishouden(ports, uow, gecorrigeerd, situaties, erbij)
        # months leave or join the payouts announced already (before the one this end may announce now)
        await uow.kalender.markeer_vakantietoeslagen([uitkering_id])
        await programmacijfers.verplaatst(ports, uow, uitkering, gecorrigeerd)
        voor = await uow.vorderingen.boekingen(uitkering_id)
        await herbereken(ports, uow, gecorrigeerd, einde_opnieuw=False)
        await kondig_einde_aan(ports, uow, gecorrigeerd, await _klok(uow, gecorrigeerd), uitkering.einddatum)
        await kalender.stel_vast_na_einde(ports, uow, gecorrigeerd)
        if uitkering.loopt_op(vandaag) != gecorrigeerd.loopt_op(vandaag):
            # how the open claims are recovered changed: from the benefit, or by a payment arrangement
            await vorderingen.kondig_aan(ports, uow, gecorrigeerd, voor)
        return await _weergave(ports, uow, gecorrigeerd)


async def corrigeer_geboortedatum(ports: Ports, caller: Caller, uitkering_id: str, geboortedatum: date) -> Weergave:
    """The applicant's birth date, corrected: the norm and the vrijlating depend on age, so every month
    is settled again (a month that comes out differently is revised and announced). An ended case's end
    is announced again with the same date, so the window it opened reuses the corrected date (unless the
    person has a later case: that window closed). The same date again changes nothing."""
    async with ports.uow() as uow:
        # the person first, then the case (the order of a case opening): no later case of the person opens
        # between the look for one below and the commit
        await uow.vergrendel(ports.pseudonym((await eigen(ports, uow, caller, uitkering_id)).bsn))
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        gecorrigeerd = uitkering.corrigeer_geboortedatum(geboortedatum)
        if gecorrigeerd == uitkering:
            return await _weergave(ports, uow, uitkering)
        situaties = await uow.situaties.van(uitkering_id)
        for situatie in situaties:  # a youngest child is born after its parents
            controleer(situatie, uitkering.bsn, geboortedatum)
        # the months the account paid the fixed amount by the age as it was, not settled yet, keep it
        await _vast_betaald(ports, uow, uitkering, situaties, uitkering.startdatum)
        await uow.uitkeringen.bewaar(gecorrigeerd)
        await uow.kalender.markeer_vakantietoeslagen([uitkering_id])  # a norm of an announced payout may change
        later = await _later(ports, uow, uitkering)
        # with a later case the window closed: a case reopened in it counts on from the clock as it is now
        # (verrekeningen._klok_na_einde, Ronde.herstart); without, the end is announced again here
        await herbereken(ports, uow, gecorrigeerd, einde_opnieuw=later)
        if gecorrigeerd.einddatum is not None and not later:
            await kondig_einde_aan(ports, uow, gecorrigeerd, await _klok(uow, gecorrigeerd), gecorrigeerd.einddatum)
        return await _weergave(ports, uow, gecorrigeerd)


async def _later(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> bool:
    """Whether the person has had a case after this one: its window closed when that case began."""
    return any(
        u.startdatum > uitkering.startdatum for u in await uow.uitkeringen.van_persoon(ports.pseudonym(uitkering.bsn))
    )


async def _klok(uow: UnitOfWork, uitkering: Uitkering) -> dict[str, int]:
    settled = (await uow.verrekeningen.van(uitkering.uitkering_id)).values()
    return doorgeteld(uitkering.startklok, (v.verrekening.vrijlating for v in settled))


async def zet_deelnamestatus(ports: Ports, uow: UnitOfWork, persoon: str, gemeld: Deelnamestatus) -> None:
    """A status the registration service reported; events may arrive in any order."""
    await uow.vergrendel(persoon)  # on two instances at once (a rebalance), the newest stays
    huidig = await uow.deelnamestatussen.van(persoon)
    geldt = nieuwste(huidig, gemeld)
    if geldt is not gemeld and huidig is not None:
        superseded(events.DeelnamestatusGewijzigd.TYPE, gemeld.volgnummer, huidig.volgnummer)
    elif geldt != huidig:
        await uow.deelnamestatussen.zet(persoon, geldt)


def proefberekening(
    ports: Ports, geboortedatum: date, situatie: Situatie, netto: int, startmaand: Maand, vier_wekelijks: bool
) -> Uitkomst:
    """What-if months, with the rules of a real settlement."""
    controleer(situatie, None, geboortedatum)
    try:
        maanden = bereken(geboortedatum, situatie, netto, startmaand, vier_wekelijks, ports.parameters)
    except (NormOnbekend, GeenParameters) as exc:
        raise NietTeBerekenen(str(exc)) from exc
    return samenvatting(maanden)
