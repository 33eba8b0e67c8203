"""Settlements: recomputed for the whole case whenever its payments, situation or a caseworker's
judgement change, and from a month before the earliest changed one when new income arrives; a month
settled for the first time is announced as `verrekening.vastgesteld`, a month whose amounts change
afterwards as `verrekening.herzien` with the difference only.

Settling from a month S on the clocks stored with it gives what settling the whole case gives,
when S is a stored month before every month whose income changed, and the current inputs still
settle S (checked: S must be the first month the run from it settles, else the whole case is
settled). Every change to an input of a month (income, payments, situation, judgements, the case's
dates) goes through a settlement that covers that month and every later one, and a month whose
starting clocks change is stored again; so a month the current inputs settle holds what the last
settlement covering it computed on those same inputs: the clocks the whole run gives it. What this
does not see is a change no event brings: a month settled before the clocks were kept (it has
none, so the case is settled whole once), or new rules or parameters for months already settled:
after a deploy of a later release with other rules, `herbereken_na_nieuwe_regels` settles every case
whole once."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from decisions.domain import kalender as k
from decisions.domain import vakantietoeslag as vt
from decisions.domain import vordering as vd
from decisions.domain.fouten import GeenStabielInkomen, Geweigerd
from decisions.domain.inkomen import Inkomen, Oordeel
from decisions.domain.kalender import controleer_bedrag, controleer_betaling
from decisions.domain.situatie import Betaalmodel, Situatie, geldend
from decisions.domain.tussenrekening import Boeking, boekingen, geboekt, stabiel
from decisions.domain.uitkering import Status, Uitkering
from decisions.domain.uitstroom import voorstel
from decisions.domain.verrekening import (
    Beweging,
    Resultaat,
    TeBeoordelen,
    Verrekening,
    andere_reden,
    uitleg,
    verreken,
    voor_burger,
    zonder_toelichting,
)
from decisions.domain.vrijlating import Klok, Klokken, Vrijlating, doorgeteld, klokstand
from decisions.service import toeslagen, vorderingen, werkvoorraad
from decisions.service.einde import einde
from decisions.service.ports import (
    Gebeurtenis,
    Opgeslagen,
    Ports,
    Regelstand,
    UnitOfWork,
    Vastgesteld,
    Voorstel,
    Wachtend,
)
from decisions.service.toegang import in_zicht, inzage, vanaf_maand, vergrendeld
from decisions.service.webhooks import bericht, publiceer
from schakel.caller import Caller, Rol
from schakel.events import Event
from schakel.events import models as m
from schakel.primitives import Maand, maandnaam
from schakel.primitives.periode import dag_van
from schakel.primitives.volgorde import is_newer
from schakel.telemetry.volgorde import superseded

log = logging.getLogger(__name__)


def vrijlating_van(w: Vrijlating | None) -> m.Vrijlating | None:
    if w is None:
        return None
    return m.Vrijlating(
        grond=w.grond,
        percentage=str(w.percentage),
        plafond=w.plafond,
        bedrag=w.bedrag,
        maandNummer=w.maand_nummer,
        maanden=w.maanden,
    )


def inkomen_van(i: Inkomen) -> m.Inkomen:
    return m.Inkomen(
        nettoInkomen=i.netto,
        vakantiebijslag=i.vakantiebijslag,
        bijdragen=[
            m.Bijdrage(
                loonheffingennummer=b.loonheffingennummer,
                inkomstenverhouding=b.inkomstenverhouding,
                tijdvakBegin=b.tijdvak_begin,
                tijdvakEinde=b.tijdvak_einde,
                nettoInkomen=b.netto,
                inkomstensoort=b.soort,
            )
            for b in i.bijdragen
        ],
        arbeidsinkomen=i.arbeid,
        overigInkomen=i.overig,
        bron="overschrijving" if i.overschreven else "polis",
    )


def verrekening_van(
    v: Verrekening,
    verrekend: Mapping[Maand, int] | None = None,
    eerder: int = 0,
    beweging: Beweging | None = None,
    voor_partner: bool = False,
) -> m.Verrekening:
    """The structured explanation of a settlement (contract form, amounts in cents); `verrekend`: what of
    its back-payment paid off claims, by the claim's source month, and `eerder` of claims not named;
    `beweging`: what settling this version moved (see `uitleg`)."""
    p = v.partner
    return m.Verrekening(
        maand=str(v.maand),
        norm=m.Norm(
            bedrag=v.norm.bedrag,
            omschrijving=v.norm.omschrijving,
            kostendelers=v.norm.kostendelers,
            dagen=v.dagen,
            dagenMaand=v.maand.dagen,
            bedragNaarRato=v.norm_bedrag,
        ),
        inkomen=inkomen_van(v.inkomen),
        vrijlating=vrijlating_van(v.vrijlating),
        partner=None
        if p is None
        else m.Partnerdeel(inkomen=inkomen_van(p.inkomen), vrijlating=vrijlating_van(p.vrijlating)),
        getoetstInkomen=v.gekort_inkomen,
        bijstand=v.bijstand,
        vakantietoeslag=v.vakantietoeslag,
        teBetalen=v.te_betalen,
        betaald=v.betaald,
        verschil=v.verschil,
        verrekendMetVorderingen=sum((verrekend or {}).values()) + eerder,
        # a version that kept what it moved says what its own back-payment paid off; one from before, all
        uitleg=uitleg(v, beweging, voor_partner)
        + (
            f" {vd.nabetaling_uitleg(v.maand, verrekend or {}, eerder)}"
            if beweging is None and (verrekend or eerder)
            else ""
        ),
        tussenrekening=True if v.tussenrekening else None,
    )


def inhoud(
    v: Verrekening,
    verrekend: Mapping[Maand, int] | None = None,
    eerder: int = 0,
    beweging: Beweging | None = None,
    voor_partner: bool = False,
) -> dict:
    """The settlement in contract form as JSON, as the API shows it (`voor_partner`: to the case's partner,
    its explanation told to them) and the store keeps it."""
    return verrekening_van(v, verrekend, eerder, beweging, voor_partner).model_dump(mode="json")


async def terug_onverrekend(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> list[tuple[Maand, str]]:
    """The months settled at nil that `uitkering` (its end corrected to a later day) runs in again but
    cannot be settled yet, each with why: they wait for a caseworker, or no income of the household is
    known while its polis is not yet due (once it is, a month without income is settled with none)."""
    dossier, resultaat = await stand(ports, uow, uitkering)
    verrekend = {v.maand for v in resultaat.verrekeningen}
    beleid = await uow.kalender.beleid(uitkering.gemeentecode)
    terug = []
    for maand, v in sorted(dossier.verrekeningen.items()):
        if v.verrekening.recht or not uitkering.loopt_in(maand):
            continue
        partner = geldend(dossier.situaties, max(maand.eerste_dag, uitkering.startdatum)).partner
        van_partner = dossier.partners.get(partner.bsn, {}) if partner is not None and partner.bsn else {}
        polis = k.polis_verwacht(maand, k.geldend(beleid, maand.eerste_dag))
        if maand not in verrekend:
            terug.append((maand, f"de verrekening over {maandnaam(maand)} wacht op een consulent"))
        elif maand not in dossier.inkomens and maand not in van_partner and ports.clock.today() <= polis:
            terug.append(
                (
                    maand,
                    f"over {maandnaam(maand)} is nog geen inkomen bekend en de polis wordt pas op {polis:%d-%m-%Y} verwacht",
                )
            )
    return terug


async def herbereken(ports: Ports, uow: UnitOfWork, uitkering: Uitkering, einde_opnieuw: bool = True) -> int:
    """Settles every month of the case with a known income; returns how many events it wrote. Without
    `einde_opnieuw` the caller announces the case's end itself (it ends, or its end is corrected)."""
    events = await _herbereken(ports, uow, [uitkering], einde_opnieuw=einde_opnieuw)
    if events:
        await publiceer(uow, ports.clock, *events)
    return len(events)


async def _herbereken(
    ports: Ports,
    uow: UnitOfWork,
    zaken: list[Uitkering],
    gewijzigd: Mapping[str, Maand] | None = None,
    einde_opnieuw: bool = True,
    startklok_voor: Mapping[str, tuple[tuple[str, int], ...]] | None = None,
) -> list[Event]:
    """Settles every month of these cases with a known income (with `gewijzigd`, the earliest month
    whose income changed per person: from a stored month before it); returns the events to publish.
    What the cases need is read for all of them at once, and their settlements are written at once.
    `startklok_voor`: the start clocks a caller's run replaced (see `Ronde`)."""
    ids = {u.uitkering_id for u in zaken}
    # the person's cases after an ended one: a re-application may have reopened the next on the clock the
    # ended one handed on, which settling it may move (and that one the next's). Held with them, all in
    # one statement and one order, so settling them again takes no lock after these.
    volgende, later = await _later(ports, uow, [u for u in zaken if u.status is Status.beeindigd])
    # as they stand once held: a case ended or changed meanwhile is settled as it is now; their claims
    # are not changed alongside an instalment
    gehouden = {u.uitkering_id: u for u in await uow.uitkeringen.vergrendel(sorted(ids | later))}
    # earlier cases first: one that moves the clock a reopened case in this run started on goes before it
    zaken = sorted((gehouden[i] for i in ids if i in gehouden), key=lambda u: (u.startdatum, u.uitkering_id))
    dossiers = await Dossier.van(ports, uow, zaken, gewijzigd)
    ronde = Ronde(
        {e: gehouden[v.uitkering_id] for e, v in volgende.items() if v.uitkering_id in gehouden},
        dict(startklok_voor or {}),
    )
    events = []
    for u in zaken:
        dossier = dossiers[u.uitkering_id]
        if u.uitkering_id in ronde.herstart:  # settled whole from the clock an earlier case here moved
            u = await ronde.herstart_van(uow, u)
            dossier = (await Dossier.van(ports, uow, [u]))[u.uitkering_id]
        events += await _herbereken_zaak(ports, uow, u, dossier, ronde, einde_opnieuw)
    await uow.verrekeningen.zet(ronde.vastgesteld)
    await uow.vorderingen.zet_verschillen(ronde.verschillen)
    await _markeer_vakantietoeslagen(uow, ronde.vastgesteld)
    if ronde.herstart:  # reopened cases this run did not settle: after its writes, settled whole
        heropend = [await ronde.herstart_van(uow, gehouden[i]) for i in sorted(ronde.herstart)]
        events += await _herbereken(ports, uow, heropend, startklok_voor=ronde.startklok_voor)
    return events


@dataclass
class Ronde:
    """What one settling run carries across its cases: the settlements and the claims' differences to
    write; per ended case the person's next case; the reopened cases to count on from a clock an ended
    one moved (`herstart`), and the start clock each such case had before (`startklok_voor`), which the
    end it handed on was counted from."""

    volgende: dict[str, Uitkering]
    startklok_voor: dict[str, tuple[tuple[str, int], ...]]
    herstart: dict[str, dict[str, int]] = field(default_factory=dict)
    vastgesteld: list[tuple[str, Vastgesteld]] = field(default_factory=list)
    verschillen: list[tuple[str, Maand, int, int]] = field(default_factory=list)

    async def herstart_van(self, uow: UnitOfWork, uitkering: Uitkering) -> Uitkering:
        klok = self.herstart.pop(uitkering.uitkering_id)
        self.startklok_voor.setdefault(uitkering.uitkering_id, uitkering.startklok)
        uitkering = replace(uitkering, startklok=tuple(klok.items()))
        await uow.uitkeringen.bewaar(uitkering)
        return uitkering


async def _later(ports: Ports, uow: UnitOfWork, beeindigd: list[Uitkering]) -> tuple[dict[str, Uitkering], set[str]]:
    """Per ended case the applicant's next case, if they have one; and the ids of all their later cases."""
    if not beeindigd:
        return {}, set()
    zaken = await uow.uitkeringen.van_huishoudens({ports.pseudonym(u.bsn) for u in beeindigd})
    volgende, alle = {}, set()
    for u in beeindigd:
        later = [z for z in zaken if z.bsn == u.bsn and z.startdatum > u.startdatum]
        if later:
            volgende[u.uitkering_id] = min(later, key=lambda z: z.startdatum)
            alle |= {z.uitkering_id for z in later}
    return volgende, alle


async def _markeer_vakantietoeslagen(uow: UnitOfWork, vastgesteld: list[tuple[str, Vastgesteld]]) -> None:
    """Marks the payouts of holiday allowance announced already that a month settled here reserves
    another amount in than they announced (the calendar announces them again): in the settlement's
    transaction, so no change goes unseen. Only months of a payout year announced already find any: a
    late or corrected month, May's polis in June and July; a month of this year's payout finds none."""
    geschreven: dict[str, dict[Maand, int | None]] = {}
    for uitkering_id, v in vastgesteld:
        geschreven.setdefault(uitkering_id, {})[v.verrekening.maand] = v.verrekening.vakantietoeslag
    if not geschreven:
        return
    jaren = {vt.uitbetaaljaar(maand) for per_maand in geschreven.values() for maand in per_maand}
    aangekondigd = await uow.kalender.aangekondigd(geschreven, gemarkeerd=False, jaren=jaren)
    await uow.kalender.markeer_vakantietoeslagen(
        {a.uitkering_id for a in aangekondigd if vt.geraakt(a, geschreven[a.uitkering_id])}
    )


async def _herbereken_zaak(
    ports: Ports,
    uow: UnitOfWork,
    uitkering: Uitkering,
    dossier: Dossier,
    ronde: Ronde,
    einde_opnieuw: bool = True,
) -> list[Event]:
    """Settles the case's months with a known income (from the dossier's start, when it has one);
    returns the events to publish, and adds the settlements to store and the claims' booked differences
    to the run's. An ended case's end is announced again when the clock it hands on moved (unless not
    `einde_opnieuw`), or a case reopened after it counts on from it (`Ronde.herstart`)."""
    persoon = ports.pseudonym(uitkering.bsn)
    resultaat = _bereken(ports, uitkering, dossier)
    if dossier.start is not None and not _begint_op(resultaat, dossier.start[0]):
        # the rules no longer settle the start month (it waits for a caseworker): its clocks may be old
        dossier = (await Dossier.van(ports, uow, [uitkering]))[uitkering.uitkering_id]
        resultaat = _bereken(ports, uitkering, dossier)
    nieuw = resultaat.verrekeningen
    oud = dossier.verrekeningen
    claims, geboekt, bewegingen = await vorderingen.boek(
        ports,
        uow,
        uitkering,
        persoon,
        nieuw,
        dossier.verschillen,
        dossier.boekingen,
        dossier.vorderingsbeleid,
        ronde.verschillen,
    )
    alle = dossier.boekingen + geboekt
    events, nu = [], ports.clock.now()
    gelijk = {}  # the months that come out as stored: the new settlement stands in for the stored one
    for v in nieuw:
        vorige = oud.get(v.maand)
        if vorige is not None and vorige.zelfde(v):
            gelijk[v.maand] = v
            continue
        if (
            vorige is not None
            and zonder_toelichting(vorige.verrekening) == zonder_toelichting(v)
            and not andere_reden(vorige.verrekening, v)
        ):
            # the same settlement on moved clocks, or given a reason a row from before reasons were kept had
            # not: kept anew, the settlement keeps its version, nothing to announce
            gelijk[v.maand] = v
            ronde.vastgesteld.append(
                (uitkering.uitkering_id, Vastgesteld(v, vorige.versie, vorige.vastgesteld_op, beweging=vorige.beweging))
            )
            continue
        # what its text says moved: the claims' bookings of this run, and what the version before settled
        beweging = bewegingen.get(v.maand, Beweging())
        if vorige is not None:
            beweging = replace(beweging, vorig=vorige.verrekening.te_betalen, vorig_betaald=vorige.verrekening.betaald)
        versie = 1 if vorige is None else vorige.versie + 1
        ronde.vastgesteld.append((uitkering.uitkering_id, Vastgesteld(v, versie, nu, beweging=beweging)))
        deel = dict(verrekening_van(v, vd.verrekend_met(alle, v.maand), beweging=beweging))
        if vorige is None:
            events.append(bericht(uow, m.VerrekeningVastgesteld, uitkering, persoon, **deel))
        else:
            # a revision announces the difference, never the whole amount again; 0 when only what explains
            # the month changed (its income's source or lines, a vrijlating month), so no text goes unheard
            events.append(
                bericht(
                    uow,
                    m.VerrekeningHerzien,
                    uitkering,
                    persoon,
                    **deel,
                    vorigTeBetalen=vorige.verrekening.te_betalen,
                    herziening=v.te_betalen - vorige.verrekening.te_betalen,
                )
            )
    vanaf = None if dossier.start is None else dossier.start[0]
    wachtend = resultaat.te_beoordelen
    events += await werkvoorraad.houd_bij(ports, uow, uitkering, persoon, dossier.wachtend, vanaf, wachtend)
    # the stored months are read only as far as needed: by the signal, the income of some years (not
    # the whole settlement), and back from the latest month as far as a run above the norm goes
    events += toeslagen.signaleer(ports, uow, uitkering, oud, nieuw, [v.maand for v in nieuw if v.maand not in gelijk])
    events += claims
    if uitkering.status is Status.beeindigd and einde_opnieuw:
        events += await _klok_na_einde(ports, uow, uitkering, oud, nieuw, ronde)
    if uitkering.status is Status.lopend:
        nieuw_per_maand = {v.maand: v for v in nieuw}
        nieuwste_eerst = (
            nieuw_per_maand.get(maand) or oud[maand].verrekening
            for maand in sorted(oud.keys() | nieuw_per_maand.keys(), reverse=True)
        )
        events += await _uitstroom(ports, uow, uitkering, persoon, nieuwste_eerst)
    return events


async def _klok_na_einde(
    ports: Ports,
    uow: UnitOfWork,
    uitkering: Uitkering,
    oud: Mapping[Maand, Opgeslagen],
    nieuw: list[Verrekening],
    ronde: Ronde,
) -> list[Event]:
    """The end announced again, with the same date, when months settled after it (the polis comes weeks
    later) move the vrijlating clock it handed on, or its own start clock moved: a re-application counts
    on from it. Once the person has a later case, not: if a re-application reopened that one, it counts
    on from the clock as it is now (`Ronde.herstart`), checked whenever this case is settled, so a grant
    made on the clock of a moment before is put right too."""
    opnieuw = {v.maand for v in nieuw}
    na = doorgeteld(
        uitkering.startklok,
        [o.verrekening.vrijlating for m, o in oud.items() if m not in opnieuw] + [v.vrijlating for v in nieuw],
    )
    volgende = ronde.volgende.get(uitkering.uitkering_id)
    if volgende is not None:
        if volgende.heraanvraag_id is not None and dict(volgende.startklok) != na:
            ronde.herstart[volgende.uitkering_id] = na
        return []
    begin = ronde.startklok_voor.get(uitkering.uitkering_id, uitkering.startklok)
    if na == doorgeteld(begin, (o.verrekening.vrijlating for o in oud.values())):
        return []
    return [await einde(ports, uow, uitkering, na, uitkering.einddatum)]


def _begint_op(resultaat: Resultaat, maand: Maand) -> bool:
    return bool(resultaat.verrekeningen) and resultaat.verrekeningen[0].maand == maand


@dataclass(frozen=True)
class Dossier:
    """What settling a case reads: its situations, the applicant's and each partner's income (by BSN),
    payments, a caseworker's judgements of income kinds, and the settlements so far; with a `start`
    (a stored month and the clocks it started with), the income and the claims' booked differences
    only from about then on."""

    situaties: list[Situatie]
    inkomens: dict[Maand, Inkomen]
    partners: dict[str, dict[Maand, Inkomen]]
    betalingen: dict[Maand, int]
    oordelen: dict[tuple[str, int], Oordeel]  # the applicant's
    partneroordelen: dict[str, dict[tuple[str, int], Oordeel]]  # each partner's, by BSN
    verrekeningen: dict[Maand, Opgeslagen]
    verschillen: dict[Maand, tuple[int, int]]  # the claims' differences as last booked
    boekingen: list[vd.Boeking]
    vorderingsbeleid: list[vd.Vorderingsbeleid]
    start: tuple[Maand, Klokken] | None = None
    # on stable income: the fixed amount paid for a month a change back in time reached before it was settled
    vaste_bedragen: dict[Maand, int] = field(default_factory=dict)
    wachtend: list[Wachtend] = field(default_factory=list)  # on the worklist (domain.verrekening.TeBeoordelen)

    @staticmethod
    async def van(
        ports: Ports, uow: UnitOfWork, zaken: list[Uitkering], gewijzigd: Mapping[str, Maand] | None = None
    ) -> dict[str, Dossier]:
        """The dossiers of these cases, by case id, in a few statements however many cases; with
        `gewijzigd` (the earliest month whose income changed, per person), each with the start the
        stored settlements give, and the income and booked differences from the earliest start on when
        every case has one."""
        ids = [u.uitkering_id for u in zaken]
        situaties = await uow.situaties.van_alle(ids)
        partners = {
            i: sorted({s.partner.bsn for s in situaties[i] if s.partner is not None and s.partner.bsn is not None})
            for i in ids
        }
        verrekeningen = await uow.verrekeningen.van_alle(ids)
        personen = {u.uitkering_id: {ports.pseudonym(b) for b in (u.bsn, *partners[u.uitkering_id])} for u in zaken}
        starts = {} if gewijzigd is None else {i: _start(verrekeningen[i], personen[i], gewijzigd) for i in ids}
        vanaf = [s[0] for s in starts.values() if s is not None]
        # settling from a start settles no month before it: its income and booked differences are not read
        eerste = min(vanaf) if starts and len(vanaf) == len(starts) else None
        inkomens = await uow.inkomens.van_alle(set[str]().union(*personen.values()), eerste)
        betalingen = await uow.betalingen.van_alle(ids)
        vaste_bedragen = await uow.vaste_bedragen.van_alle(ids)
        oordelen = await uow.inkomstensoorten.van_alle(ids)
        verschillen = await uow.vorderingen.verschillen(ids, eerste)
        boekingen = await uow.vorderingen.boekingen_van_alle(ids)
        beleid = {g: await uow.vorderingen.beleid(g) for g in {u.gemeentecode for u in zaken}}
        wachtend = await uow.werkvoorraad.van_alle(ids)
        return {
            u.uitkering_id: Dossier(
                situaties[u.uitkering_id],
                inkomens.get(ports.pseudonym(u.bsn), {}),
                {b: inkomens.get(ports.pseudonym(b), {}) for b in partners[u.uitkering_id]},
                betalingen[u.uitkering_id],
                oordelen[u.uitkering_id].get(ports.pseudonym(u.bsn), {}),
                {b: oordelen[u.uitkering_id].get(ports.pseudonym(b), {}) for b in partners[u.uitkering_id]},
                verrekeningen[u.uitkering_id],
                verschillen[u.uitkering_id],
                boekingen[u.uitkering_id],
                beleid[u.gemeentecode],
                starts.get(u.uitkering_id),
                vaste_bedragen[u.uitkering_id],
                wachtend[u.uitkering_id],
            )
            for u in zaken
        }


def _start(
    opgeslagen: Mapping[Maand, Opgeslagen], personen: set[str], gewijzigd: Mapping[str, Maand]
) -> tuple[Maand, Klokken] | None:
    """The latest stored month before the earliest one whose income of these persons (the household's)
    changed, with the clocks its settlement started with (a row from before they were kept has none)."""
    vroegste = min((gewijzigd[p] for p in personen if p in gewijzigd), default=None)
    if vroegste is None:
        return None
    for maand in sorted((maand for maand in opgeslagen if maand < vroegste), reverse=True):
        if (klokken := opgeslagen[maand].klokken) is not None:
            return maand, klokken
    return None


def _bereken(ports: Ports, uitkering: Uitkering, dossier: Dossier) -> Resultaat:
    """The case's months as the rules settle them now: the applicant's and each partner's income; a month
    on stable income with what the intermediate account paid and received for it, as its stored
    settlement booked it or as kept when a change back in time reached it (see tussenrekening.geboekt)."""
    resultaat = verreken(
        uitkering.startdatum,
        uitkering.einddatum,
        uitkering.geboortedatum,
        dossier.situaties,
        dossier.inkomens,
        dossier.betalingen,
        ports.parameters,
        dossier.partners,
        dossier.oordelen,
        Klok(gebruikt=uitkering.startklok),
        dossier.start,
        dossier.verrekeningen.keys(),
        dossier.partneroordelen,
        dossier.vaste_bedragen.keys(),
    )
    procent = ports.parameters.vakantietoeslag
    opgeslagen, vast = dossier.verrekeningen, dossier.vaste_bedragen

    def partner(maand: Maand) -> str | None:
        # a month settles with the household of its first day (or of the case's start)
        p = geldend(dossier.situaties, max(maand.eerste_dag, uitkering.startdatum)).partner
        return None if p is None else p.bsn

    return replace(
        resultaat,
        verrekeningen=[
            geboekt(
                v,
                opgeslagen[v.maand].verrekening if v.maand in opgeslagen else None,
                procent,
                vast.get(v.maand),
                partner(v.maand),
            )
            if v.tussenrekening
            else v
            for v in resultaat.verrekeningen
        ],
    )


async def stand(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> tuple[Dossier, Resultaat]:
    """The case's dossier, and its months as the rules settle them now."""
    return (await standen(ports, uow, [uitkering]))[uitkering.uitkering_id]


async def standen(ports: Ports, uow: UnitOfWork, zaken: list[Uitkering]) -> dict[str, tuple[Dossier, Resultaat]]:
    """`stand` of these cases, by case id, read at once."""
    dossiers = await Dossier.van(ports, uow, zaken)
    return {u.uitkering_id: (dossiers[u.uitkering_id], _bereken(ports, u, dossiers[u.uitkering_id])) for u in zaken}


async def te_beoordelen(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> list[TeBeoordelen]:
    """The months of the case that wait for a caseworker, and why."""
    return (await stand(ports, uow, uitkering))[1].te_beoordelen


def voor_lezer(caller: Caller | None, uitkering: Uitkering, wachtend: list[TeBeoordelen]) -> list[TeBeoordelen]:
    """The waiting months as their reader reads why: a citizen in their own words (the applicant or the
    partner, each of their own income and the other's), the municipality as the caseworker's task."""
    if caller is None or caller.rol is not Rol.burger:
        return wachtend
    aanvrager = caller.bsn == uitkering.bsn
    return [replace(t, reden=voor_burger(t, (t.wie == "aanvrager") == aanvrager)) for t in wachtend]


async def _uitstroom(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, persoon: str, nieuwste_eerst: Iterable[Verrekening]
) -> list[Event]:
    """A proposal to end the case for a new run of months above the norm (again as the run grows),
    from the settlements as they stand (newest first): a stored month the rules no longer settle still
    stands until a caseworker decides it. Not for a run the municipality kept the case through: one
    that still holds a month of a dismissed proposal, also when a correction moved its first month."""
    reeks = voorstel(nieuwste_eerst, ports.uitstroom_na_maanden)
    if not reeks:
        return []
    eerder = await uow.beeindigingsvoorstellen.van(uitkering.uitkering_id)
    if eerder is not None and eerder.tot_maand == str(reeks[-1].maand):
        return []
    afgewezen = await uow.beeindigingsvoorstellen.afgewezen(uitkering.uitkering_id)
    van, tot = reeks[0].maand, reeks[-1].maand
    if any(van <= Maand.parse(a.tot_maand) and Maand.parse(a.van_maand) <= tot for a in afgewezen):
        return []
    await uow.beeindigingsvoorstellen.zet(
        uitkering.uitkering_id, Voorstel(str(reeks[0].maand), str(reeks[-1].maand), ports.clock.now())
    )
    namen = [maandnaam(v.maand) for v in reeks]
    opsomming = ", ".join(namen[:-1]) + f" en {namen[-1]}"
    return [
        bericht(
            uow,
            m.BeeindigingVoorgesteld,
            uitkering,
            persoon,
            maanden=[
                m.Maandtoets(maand=str(v.maand), getoetstInkomen=v.gekort_inkomen, norm=v.norm_bedrag) for v in reeks
            ],
            uitleg=f"In {opsomming} was uw inkomen na vrijlating hoger dan uw bijstandsnorm. De gemeente beoordeelt "
            f"of uw bijstand kan stoppen; tot u van de gemeente hoort, verandert er niets.",
        )
    ]


async def neem_inkomens_op(
    ports: Ports, uow: UnitOfWork, inkomens: list[tuple[str, Maand, Inkomen, int | None]]
) -> None:
    """Months' incomes the income service established (person, month, income, the event's sequence
    number); every case of each person's household (as applicant or as partner) is settled once,
    however many of its months changed. A month whose income came from a later event already keeps
    it (a late or replayed event is skipped)."""
    if not inkomens:
        return
    personen = {p for p, *_ in inkomens}
    await uow.vergrendel(*personen)  # on two instances at once (a rebalance, a replay), the newest stays
    # only the months from the batch's earliest on: a person's history before them is not looked at
    toegepast = await uow.inkomens.volgnummers(personen, min(maand for _, maand, *_ in inkomens))
    vroegste: dict[str, Maand] = {}  # per person, the earliest month whose income changed
    nieuw = []
    for persoon, maand, inkomen, volgnummer in inkomens:
        if (persoon, maand) in toegepast and not is_newer(volgnummer, toegepast[(persoon, maand)]):
            superseded(m.MaandinkomenVastgesteld.TYPE, volgnummer, toegepast[(persoon, maand)])
            continue
        nieuw.append((persoon, maand, inkomen, volgnummer))
        toegepast[(persoon, maand)] = volgnummer
        vroegste[persoon] = min(maand, vroegste.get(persoon, maand))
    await uow.inkomens.zet(nieuw)
    # all cases are read, settled and written at once (a few statements for the whole batch)
    zaken = await uow.uitkeringen.van_huishoudens(set(vroegste))
    events = await _herbereken(ports, uow, zaken, vroegste)
    if events:
        await publiceer(uow, ports.clock, *events)


# Releases up to decisions 0.14 took rules recorded after their own start for a newer deploy's and
# left them: rules recorded as of this day are left by such an instance restarted during the upgrade,
# rather than settling every case back and recording its own
OUDE_ORDE = datetime(9999, 12, 31, tzinfo=UTC)


def regelstand_versie(uitgave: str, regelversie: str) -> str:
    """The rules as recorded: the release that deployed them (SemVer) and their fingerprint."""
    return f"{uitgave} {regelversie}"


def _uitgave(versie: str) -> tuple[int, int, int] | None:
    """The release of rules as recorded, to order them by; None when none can be read: nothing
    recorded yet, the fingerprint alone (as releases up to decisions 0.14 recorded rules), or a
    record an operator cleared to roll rules back."""
    gevonden = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:[-+]\S*)? \S+", versie)
    return None if gevonden is None else (int(gevonden[1]), int(gevonden[2]), int(gevonden[3]))


def _vingerafdruk(versie: str) -> str:
    return versie.rpartition(" ")[2]


def _neemt_over(stand: Regelstand, eigen: str) -> bool:
    """Whether rules other than those recorded (`eigen`, as `regelstand_versie` records them) take
    over: only a later release's, or any when the record names no release. An instance of an older
    release (restarted during a rolling deploy, a clock off or not) never settles cases back."""
    vastgelegd, deze = _uitgave(stand.versie), _uitgave(eigen)
    if vastgelegd is None or (deze is not None and deze > vastgelegd):
        return True
    if (stand.versie, eigen) not in _gemeld:
        _gemeld.add((stand.versie, eigen))
        log.warning(
            "new rules: the rules recorded (%s) are of release %s, these (%s) of an earlier or the same one: "
            "left; to roll rules back, clear the record once every instance runs these (see the README)",
            stand.versie,
            ".".join(map(str, vastgelegd)),
            eigen,
        )
    return False


_gemeld: set[tuple[str, str]] = set()  # each rules left logged once per process


async def herbereken_na_nieuwe_regels(ports: Ports, uitgave: str, per: int = 200) -> tuple[int, int]:
    """When the rules as deployed are not those every case was last settled whole under: settles every
    case whole (also one whose months all waited: new rules may settle them), `per` cases a transaction,
    recording after each batch how far the round got, then that every case is; returns (cases, events
    written). Instances share a round: each batch locks the record (`Regelversie.lees`) and goes on
    after the last case settled, so no case is settled twice and a round stopped halfway goes on where
    it was. Rules are recorded with the release that deployed them (`uitgave`, SemVer) and ordered by
    it, never by a clock: an instance of an earlier release (an old one still running or restarted in
    a rolling deploy) leaves a later release's rules, rather than settling every case back and forth
    with them, and the same release's other rules leave them too. Rules recorded without a release (by
    decisions 0.14 or earlier, or cleared by an operator to roll back deliberately) are taken over by
    whichever instance checks next. They are recorded as of `OUDE_ORDE`, far ahead, for the instances of
    those releases (which order rules by that time against their own start) to leave them too."""
    eigen = regelstand_versie(uitgave, ports.regelversie)
    zaken = geschreven = 0
    while True:
        async with ports.uow() as uow:
            stand = await uow.regelversie.lees()
            # the same rules (of whichever release) go on with their round, and keep their record
            zelfde = _vingerafdruk(stand.versie) == ports.regelversie
            if (zelfde and stand.na is None) or (not zelfde and not _neemt_over(stand, eigen)):
                break
            deel = await uow.uitkeringen.pagina(stand.na if zelfde else None, per)
            events = await _herbereken(ports, uow, deel) if deel else []
            # new norms change the months of announced payouts that were not settled too
            ids = [u.uitkering_id for u in deel]
            onverrekend = [a for a in await uow.kalender.aangekondigd(ids, gemarkeerd=False) if vt.met_onverrekend(a)]
            await uow.kalender.markeer_vakantietoeslagen({a.uitkering_id for a in onverrekend})
            if events:
                await publiceer(uow, ports.clock, *events)
            na = deel[-1].uitkering_id if deel else None
            nieuw = Regelstand(stand.versie, stand.vastgesteld_op, na) if zelfde else Regelstand(eigen, OUDE_ORDE, na)
            await uow.regelversie.zet(nieuw)
        zaken, geschreven = zaken + len(deel), geschreven + len(events)
    if zaken:
        log.info("new rules: settled %d case(s) whole, %d event(s) written", zaken, geschreven)
    return zaken, geschreven


async def betaal(ports: Ports, caller: Caller, uitkering_id: str, maand: Maand, bedrag: int) -> Vastgesteld | None:
    """Records what was paid for a month of the case, or corrects what was recorded; returns the month's
    settlement when it has one (its income is known, or the case ended before it)."""
    async with ports.uow() as uow:
        controleer_bedrag(maand, bedrag, ports.parameters)
        uitkering = await vergrendeld(ports, uow, caller, uitkering_id)
        # a payment recorded before may always be corrected (one after the case's end is a claim)
        if maand not in await uow.betalingen.van(uitkering_id):
            controleer_betaling(maand, ports.clock.today())
            if not uitkering.loopt_in(maand):
                # a payment the case does not cover would be stored and never settled
                raise Geweigerd("maand-buiten-uitkering", "maand", "de uitkering loopt in die maand niet")
        await uow.betalingen.zet(uitkering_id, maand, bedrag, ports.clock.now())
        await herbereken(ports, uow, uitkering)
        return (await vastgesteld(uow, uitkering_id)).get(maand)


async def lijst(ports: Ports, caller: Caller, uitkering_id: str) -> list[Vastgesteld]:
    """The case's settlements; its partner's from the first month settled with them."""
    async with ports.uow() as uow:
        uitkering, vanaf = await inzage(ports, uow, caller, uitkering_id)
        return list(in_zicht(await vastgesteld(uow, uitkering_id), vanaf, uitkering.startdatum).values())


async def vastgesteld(uow: UnitOfWork, uitkering_id: str) -> dict[Maand, Vastgesteld]:
    """The case's settlements as stored, each with the claims its back-payment paid off."""
    boekingen = await uow.vorderingen.boekingen(uitkering_id)
    return {
        maand: replace(v, verrekend=vd.verrekend_met(boekingen, maand))
        for maand, v in (await uow.verrekeningen.van(uitkering_id)).items()
    }


async def geschiedenis(
    ports: Ports, caller: Caller, uitkering_id: str
) -> tuple[dict[str, int], dict[str, int], list[Gebeurtenis]]:
    """What happened to the case, and the vrijlating clocks (months used per ground) of the applicant
    and of the partner as settled now (today's partner: each partner has their own clock, a former
    partner's months are not theirs); its partner sees both from the first month settled with them
    (not the months the applicant used before the case)."""
    async with ports.uow() as uow:
        uitkering, vanaf = await inzage(ports, uow, caller, uitkering_id)
        # the settlements first: each statement sees what had committed when it began (PostgreSQL's read
        # committed), so every settlement counted in the clock finds its event in the history
        settled = [
            v.verrekening
            for m, v in (await uow.verrekeningen.van(uitkering_id)).items()
            if vanaf_maand(m, vanaf, uitkering.startdatum)
        ]
        situaties = await uow.situaties.van(uitkering_id)
        gebeurtenissen = [
            g
            for g in await uow.gebeurtenissen.van(uitkering_id)
            if (
                vanaf_maand(Maand.parse(g.maand), vanaf, uitkering.startdatum)
                if g.maand
                else vanaf is None or dag_van(g.tijdstip) >= vanaf  # a Dutch day, as `vanaf`
            )
        ]
    nu = geldend(situaties, ports.clock.today()).partner
    bsn = None if nu is None else nu.bsn

    def van_partner_nu(v: Verrekening) -> bool:
        # a month settles with the household of its first day (or of the case's start)
        p = geldend(situaties, max(v.maand.eerste_dag, uitkering.startdatum)).partner
        return bsn is not None and p is not None and p.bsn == bsn

    partner = klokstand(v.partner.vrijlating for v in settled if v.partner is not None and van_partner_nu(v))
    eigen = doorgeteld(uitkering.startklok if vanaf is None else (), (v.vrijlating for v in settled))
    return eigen, partner, gebeurtenissen


async def tussenrekening(ports: Ports, caller: Caller, uitkering_id: str) -> tuple[list[Boeking], list[TeBeoordelen]]:
    """The intermediate account of a case on stable income, month by month, and the months on it that
    wait for a caseworker (not on the account until they are settled); its partner's from the first month
    settled with them."""
    async with ports.uow() as uow:
        uitkering, vanaf = await inzage(ports, uow, caller, uitkering_id)
        dossier = (await Dossier.van(ports, uow, [uitkering]))[uitkering_id]
    if not any(s.betaalmodel is Betaalmodel.stabiel_inkomen for s in dossier.situaties):
        raise GeenStabielInkomen("Deze uitkering wordt niet als stabiel inkomen via een tussenrekening betaald.")
    resultaat = _bereken(ports, uitkering, dossier)
    alle = boekingen(resultaat.verrekeningen, ports.parameters.vakantietoeslag)
    if vanaf is not None:
        assert caller.bsn is not None, "a partner's view is of the partner asking"
        alle = _eigen_loon(alle, resultaat.verrekeningen, caller.bsn)
    wachtend = [
        t
        for t in resultaat.te_beoordelen
        if vanaf_maand(t.maand, vanaf, uitkering.startdatum) and stabiel(dossier.situaties, t.maand)
    ]
    return [b for b in alle if vanaf_maand(b.maand, vanaf, uitkering.startdatum)], voor_lezer(
        caller, uitkering, wachtend
    )


def _eigen_loon(maanden: list[Boeking], verrekeningen: list[Verrekening], bsn: str) -> list[Boeking]:
    """The account as its partner (`bsn`) reads it: each month's wage received of the applicant and of
    themselves, not a former partner's that a revision back in time left on the account (their income is
    not the partner's to know); the balance stays the household's."""
    rekeningen = {v.maand: v.rekening for v in verrekeningen}
    eigen = []
    for b in maanden:
        r = rekeningen[b.maand]
        assert r is not None, "a month on the account as settled now has what the account booked"
        eigen.append(replace(b, loon=r.loon + dict(r.partners).get(bsn, 0)))
    return eigen
