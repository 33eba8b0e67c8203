"""Takes in participation facts (UWV's register mutations over Kafka, UWV and municipalities over
the API), keeps only those that fit the person's timeline, and publishes what changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import NamedTuple

from registration.domain.capaciteit import BETROKKEN, Capaciteit
from registration.domain.capaciteit import capaciteit as bereken_capaciteit
from registration.domain.deelname import Feit, Soort, Toestand, vouw
from registration.domain.fouten import (
    DatumBuitenBereik,
    FeitNietGemeld,
    GeenTaak,
    NietWoongemeente,
    Onbekend,
    VerhuizingVoorInschrijving,
    WoongemeenteOntbreekt,
)
from registration.domain.gevolgen import (
    einde_gevraagd,
    registratie_gevraagd,
    status_veranderd,
    verloopdagen,
    volgende_aankondiging,
)
from registration.domain.melding import (
    Intrekking,
    al_ingetrokken,
    datum_fout,
    elders_genoemd,
    gelezen_door,
    gemeente_fout,
    herhaald,
    herleving_fout,
    ingetrokken,
    intrekking,
    intrekking_fout,
    mag_melden,
    verhuizing_fout,
    zichtbaar,
    zichtbare_intrekkingen,
)
from registration.service import bewaring
from registration.service.ports import Ports, UnitOfWork
from schakel.caller import Caller, Rol
from schakel.events import Event
from schakel.events.models import (
    BanenafspraakbaanIngetrokken,
    BanenafspraakbaanZonderRegistratie,
    BeschutWerkVastgesteld,
    DeelnamestatusGewijzigd,
)
from schakel.primitives.bewaring import bewaren_tot

ONBEKEND = "Van deze persoon is bij uw organisatie geen deelnamestatus bekend."


class Stand(NamedTuple):
    """What a caller sees of a person: today's status, the facts and the facts withdrawn; and, when no fact
    the caller sees names a municipality, the one to name (`gemeentecode`)."""

    toestand: Toestand
    feiten: list[Feit]
    ingetrokken: list[Intrekking]
    gemeentecode: str | None = None


async def neem_op(
    ports: Ports,
    uow: UnitOfWork,
    persoon: str,
    bsn: str,
    feit: Feit,
    bron: str,
    elders: NietWoongemeente | None = None,
) -> list[Feit]:
    """Adds the fact if its dates can be (else DatumBuitenBereik) and the timeline with it still makes
    sense (else OvergangFout), and publishes changes; returns the person's facts with it. The same fact
    again (`herhaald`) changes nothing and is answered with the facts as they are. Every way
    in (the API, UWV's register over Kafka) passes here, so every one applies the same rules;
    `elders`: UWV names a municipality the person did not live in then (`woonde_elders`)."""
    vandaag = ports.clock.today()
    if fout := datum_fout(feit, vandaag):
        veld, reden = fout
        raise DatumBuitenBereik(reden, field=veld)
    await uow.vergrendel(persoon)  # judged on the timeline with any fact arriving alongside
    feiten = await uow.feiten.van(persoon)
    if herhaald(feit, feiten):  # a retry (a time-out, a new key) or the same report twice at once
        return feiten
    op_datum = vouw(feiten, feit.datum)  # the timeline as the fact finds it on its date
    if fout := verhuizing_fout(feit, feiten, op_datum) or herleving_fout(feit, op_datum):
        raise fout
    voor, voor_geheel = vouw(feiten, vandaag), vouw(feiten)
    # the whole timeline with the new fact (it arrived last); refuses it when it does not fit
    met_feit = feiten + [replace(feit, volgnummer=max((f.volgnummer for f in feiten), default=0) + 1)]
    geheel = vouw(met_feit)
    if elders:  # last: a fact refused for another rule says that, whichever municipality it names
        raise elders
    # a fact dated ahead changes the status on its date, and a fallback ends the day after its last:
    # announced then (kondig_aan), the next such day kept with the newest fact
    vooruit = volgende_aankondiging(met_feit, vandaag)
    # UWV is asked to assess a job without a registration on its date (kept with it: its withdrawal tells UWV)
    uwv_gevraagd = registratie_gevraagd(feit, vouw(met_feit, feit.datum))
    feit = replace(feit, uwv_gevraagd=uwv_gevraagd)
    feiten.append(await uow.feiten.voeg_toe(persoon, bsn, feit, bron, ports.clock.now(), vooruit))
    na = vouw(feiten, vandaag)
    events = []
    if status_veranderd(voor, na):
        events.append(_gewijzigd(uow, persoon, bsn, na, feit.datum))
        # today's status is announced: a fact dated ahead whose day has come needs no announcement of its own
        await uow.feiten.aangekondigd([persoon], vandaag)
    if gevraagd := einde_gevraagd(voor_geheel, feiten, geheel):
        events.append(_einde(uow, persoon, bsn, feit.gemeentecode, *gevraagd))
    if uwv_gevraagd:
        events.append(
            uow.event(
                persoon,
                BanenafspraakbaanZonderRegistratie(bsn=bsn, gemeentecode=feit.gemeentecode, startdatum=feit.datum),
            )
        )
    await uow.publish(*events)
    return feiten


def _gewijzigd(
    uow: UnitOfWork, persoon: str, bsn: str, na: Toestand, ingangsdatum: date, laatste: str | None = None
) -> Event:
    """`laatste`: the municipality of a person whose last fact was withdrawn (the status is `geen`)."""
    return uow.event(
        persoon,
        DeelnamestatusGewijzigd(
            bsn=bsn,
            gemeentecode=na.gemeentecode or laatste,
            status=na.status,
            doelgroepregisterGrond=na.registratie["grond"] if na.registratie else None,
            ingangsdatum=ingangsdatum,
            terugvalopties=[o["soort"] for o in na.terugvalopties],
        ),
    )


def _einde(uow: UnitOfWork, persoon: str, bsn: str, gemeentecode: str, sinds: date, einde: date) -> Event:
    """UWV ends the registration in the register: beschut werk holds from `sinds` (Besluit SUWI art. 3.2 lid 3)."""
    return uow.event(
        persoon,
        BeschutWerkVastgesteld(
            bsn=bsn, gemeentecode=gemeentecode, vastgesteldOp=sinds, doelgroepregistratieEindigtOp=einde
        ),
    )


def _veranderd_op(feiten: list[Feit], vanaf: date, vandaag: date) -> date:
    """The last day from `vanaf` to `vandaag` the status changed: a fact's day, or the day after one (a
    registration ends the day after beschut werk, a waiting list starts the day after a place ended), or
    the day a fallback ended."""
    dagen = {d for f in feiten for d in (f.datum, f.datum + timedelta(days=1))}
    dagen = sorted(d for d in dagen | verloopdagen(vouw(feiten, vanaf - timedelta(days=1))) if vanaf <= d <= vandaag)
    return next(
        (d for d in reversed(dagen) if status_veranderd(vouw(feiten, d - timedelta(days=1)), vouw(feiten, d))), vanaf
    )


async def kondig_aan(ports: Ports, retentie_maanden: int, per: int = 200) -> int:
    """Announces the status of everyone whose fact dated ahead has taken effect or whose fallback has
    ended (the status is the one on the day an event is sent, so it was not announced when the fact
    arrived), and plans each one's next such day; returns how many changed. Hourly, on one instance; a
    person at a time in order, `per` a transaction. Whom it reads it holds and asks again: a fact that
    arrived meanwhile, or a run alongside, announced them. Not whom retention forgets (an end longer
    ago than `retentie_maanden`, after the service was down that long or its clock moved on): the
    services that keep the status would hold the person again after they forgot them."""
    vandaag, aangekondigd = ports.clock.today(), 0
    tot = bewaren_tot(vandaag, retentie_maanden)
    while True:
        async with ports.uow() as uow:
            gelezen = await uow.feiten.aan_te_kondigen(vandaag, per)
            if not gelezen:
                return aangekondigd
            await uow.vergrendel(*gelezen)  # as a fact arriving for them alongside holds them
            # asked again once held: a fact that arrived meanwhile announced the day's status, and so did a
            # run alongside; only those still due are announced (once)
            personen = await uow.feiten.aan_te_kondigen(vandaag, per, list(gelezen))
            events = []
            for persoon, (bsn, vanaf) in personen.items():
                feiten = await uow.feiten.van(persoon)
                if bewaring.stil({persoon: feiten}, tot):
                    continue
                na = vouw(feiten, vandaag)
                if status_veranderd(vouw(feiten, vanaf - timedelta(days=1)), na):
                    events.append(_gewijzigd(uow, persoon, bsn, na, _veranderd_op(feiten, vanaf, vandaag)))
                if dag := volgende_aankondiging(feiten, vandaag):  # after today: not cleared below
                    await uow.feiten.plan(persoon, dag)
            await uow.feiten.aangekondigd(list(personen), vandaag)
            await uow.publish(*events)
            aangekondigd += len(events)


async def meld(ports: Ports, caller: Caller, bsn: str, feit: Feit) -> Stand:
    """A fact reported over the API by UWV or the person's municipality; answered as `status` would
    answer this caller right after."""
    _eigen_taak(caller, feit, "meldt", "")
    if caller.rol is Rol.municipality:
        await _woont_in(ports, caller, bsn)
        if feit.soort is Soort.verhuisd:
            await _niet_voor_inschrijving(ports, bsn, feit.datum)
    # UWV's municipality is judged last, once the fact fits the timeline (asked first: no connection
    # waits on the BRP), so its answer tells nothing a fact that is kept would not
    elders = None if caller.rol is Rol.municipality else await woonde_elders(ports, bsn, feit)
    persoon = ports.pseudonym(bsn)
    async with ports.uow() as uow:
        feiten = await neem_op(ports, uow, persoon, bsn, feit, caller.oin, elders)
        return _antwoord(ports, caller, feiten, await uow.intrekkingen.van(persoon))


def _eigen_taak(caller: Caller, feit: Feit, werkwoord: str, partikel: str) -> None:
    """Whoever reports a kind of fact (and withdraws it): UWV its kinds; a municipality its kinds, naming
    itself (of whom: `meld` and `trek_in` say)."""
    if not mag_melden(caller.rol, feit.soort):
        raise GeenTaak(f"Uw organisatie {werkwoord} geen {feit.soort.value}{partikel}.")
    if not feit.gemeentecode:  # UWV's body without it: schema-valid (a municipality's is its own), so a 422
        raise WoongemeenteOntbreekt("UWV geeft de woongemeente mee.", field="gemeentecode")
    if caller.rol is Rol.municipality and feit.gemeentecode != caller.gemeente:
        raise GeenTaak(
            f"Een gemeente {werkwoord} alleen feiten van haar eigen gemeente{partikel}.", field="gemeentecode"
        )


def _antwoord(ports: Ports, caller: Caller, feiten: list[Feit], intrekkingen: list[Intrekking]) -> Stand:
    """As `status` would answer this caller (UWV sees no dagbesteding): today's status, a fact dated ahead
    taking effect on its day, and the history, from the timeline just written."""
    feiten = zichtbaar(caller.rol, caller.gemeente, feiten)
    return Stand(
        gelezen_door(caller.rol, vouw(feiten, ports.clock.today())),
        feiten,
        zichtbare_intrekkingen(caller.rol, caller.gemeente, intrekkingen),
    )


async def trek_in(ports: Ports, caller: Caller, bsn: str, feit: Feit) -> Stand | None:
    """Withdraws a fact reported in error (AVG art. 16), named as it was reported: whoever may report its
    kind, a municipality its own facts. The timeline is as if it never came: the status is announced
    again when it changes, and the fact may be reported again. Refused when a later fact rests on it
    (`intrekking_fout`); answered as `meld` answers, but for a municipality the person has left.

    A municipality the person has left withdraws the facts it reported while they lived there (an objection
    upheld after the move, a mistake found late): nobody else may, and the fact would follow the person.
    It is answered without a status (None): that is the municipality of residence's now. Any other fact, and
    the same one again once withdrawn, is answered as a stranger is: it learns only whether its own fact still
    stands and whether it can be withdrawn now (a retry under the same Idempotency-Key gets the first answer)."""
    _eigen_taak(caller, feit, "trekt", " in")
    vertrokken = caller.rol is Rol.municipality and await ports.brp.woongemeente(bsn) != caller.gemeente
    persoon = ports.pseudonym(bsn)
    async with ports.uow() as uow:
        feiten = await haal_weg(ports, uow, persoon, bsn, feit, caller, vertrokken)
        if vertrokken:
            return None
        stand = _antwoord(ports, caller, feiten, await uow.intrekkingen.van(persoon))
    # the last fact this caller sees withdrawn: the status `geen`, of the municipality the fact named
    return stand if stand.feiten else stand._replace(gemeentecode=feit.gemeentecode)


async def haal_weg(
    ports: Ports, uow: UnitOfWork, persoon: str, bsn: str, feit: Feit, caller: Caller, vertrokken: bool = False
) -> list[Feit]:
    """Takes the fact off the person's timeline if `caller` may (`ingetrokken`) and nothing rests on it
    (`intrekking_fout`), keeps what the history says of it, and publishes what changed; returns the facts
    left. The same withdrawal again (a retry, a record sent twice) changes nothing. Every way in (the API,
    UWV's register over Kafka) passes here, as every report passes `neem_op`. `vertrokken`: a municipality
    the person no longer lives in, which sees nothing of them but its own facts."""
    vandaag = ports.clock.today()
    await uow.vergrendel(persoon)
    feiten = await uow.feiten.van(persoon)
    weg = ingetrokken(feit, feiten, caller.oin)
    # done before, and not on the timeline again: a move another organisation reported since (its report
    # again, counted as that one) is not this caller's to withdraw, whatever it withdrew before. A
    # municipality the person left hears of its fact only while it is there: whether the trace is still kept
    # (retention forgets it with a person nothing holds) or UWV reported the same move since is not its to learn
    gedaan = weg is None and not vertrokken and not herhaald(feit, feiten)
    if gedaan and al_ingetrokken(feit, await uow.intrekkingen.van(persoon), caller.rol, ports.kenmerk):
        return feiten
    if weg is None:  # of a person without a status this caller sees, as `status` answers
        if vertrokken or not zichtbaar(caller.rol, caller.gemeente, feiten):
            raise Onbekend(ONBEKEND)
        raise FeitNietGemeld(
            "Dit feit staat niet zo op de tijdlijn van de persoon (een verhuizing: niet zo gemeld door uw organisatie)."
        )
    if fout := intrekking_fout(feiten, weg, caller.rol, caller.gemeente, vertrokken):
        raise fout
    rest = [f for f in feiten if f.volgnummer != weg.volgnummer]
    # a day that has come and is not announced yet (the hourly task is to come), on whichever row
    te_doen = (await uow.feiten.aan_te_kondigen(vandaag, 1, [persoon])).get(persoon)
    await uow.feiten.trek_in(persoon, weg.volgnummer)
    await uow.intrekkingen.voeg_toe(persoon, intrekking(weg, caller.rol, ports.clock.now(), ports.kenmerk))
    events = []
    if status_veranderd(vouw(feiten, vandaag), na := vouw(rest, vandaag)):
        events.append(_gewijzigd(uow, persoon, bsn, na, weg.datum, weg.gemeentecode))
        await uow.feiten.aangekondigd([persoon], vandaag)
        te_doen = None  # today's status is announced
    if rest and (gevraagd := einde_gevraagd(vouw(feiten), rest, vouw(rest))):
        events.append(_einde(uow, persoon, bsn, weg.gemeentecode, *gevraagd))
    # a job UWV was asked to assess when it arrived (as `neem_op` kept it): UWV hears it never was. One stored
    # before that was kept is judged on the facts that arrived up to it and are still there
    uwv_gevraagd = weg.uwv_gevraagd
    if uwv_gevraagd is None:
        uwv_gevraagd = registratie_gevraagd(weg, vouw([f for f in feiten if f.volgnummer <= weg.volgnummer], weg.datum))
    if uwv_gevraagd:
        ingetrokken_ = BanenafspraakbaanIngetrokken(bsn=bsn, gemeentecode=weg.gemeentecode, startdatum=weg.datum)
        events.append(uow.event(persoon, ingetrokken_))
    # a day still due stays (announced, it plans the next one), whether its row went or the newest row's day
    # would be planned over; else the next day after today, which may have been kept with the fact
    if rest and (dag := te_doen[1] if te_doen else volgende_aankondiging(rest, vandaag)):
        await uow.feiten.plan(persoon, dag)
    await uow.publish(*events)
    return rest


async def _niet_voor_inschrijving(ports: Ports, bsn: str, datum: date) -> None:
    """A municipality's move is dated no earlier than the day the BRP registered the person in it (where
    the BRP does not say, today; the BRP has them there today in any case): dated back, it would put
    what the municipality the person lived in recorded (places, waiting time) under the new one."""
    vandaag = ports.clock.today()
    sinds = await ports.brp.ingeschreven_sinds(bsn)
    if datum >= min(sinds or vandaag, vandaag):
        return
    waarom = "de BRP zegt niet sinds wanneer" if sinds is None else f"volgens de BRP sinds {sinds.isoformat()}"
    raise VerhuizingVoorInschrijving(
        f"De persoon woont in uw gemeente, {waarom}: een verhuizing daarvóór zou wat de vorige gemeente vastlegde "
        "(plekken, wachttijd) onder uw gemeente brengen.",
        field="datum",
    )


async def woonde_elders(ports: Ports, bsn: str, feit: Feit) -> NietWoongemeente | None:
    """The BRP asked whether UWV's fact names where the person lived then (`gemeente_fout`); since when
    only when it names another municipality than the one they live in now."""
    woongemeente = await ports.brp.woongemeente(bsn)
    sinds = await ports.brp.ingeschreven_sinds(bsn) if elders_genoemd(feit, woongemeente) else None
    return gemeente_fout(feit, woongemeente, sinds, ports.clock.today())


async def _woont_in(ports: Ports, caller: Caller, bsn: str) -> None:
    """A municipality acts only for a person the BRP registers in it (a move there moves the right);
    anyone else, also a person the BRP does not know, gets the same answer: nothing to see here."""
    if await ports.brp.woongemeente(bsn) != caller.gemeente:
        raise Onbekend(ONBEKEND)


async def status(ports: Ports, caller: Caller, bsn: str) -> Stand:
    """The person's municipality of residence sees everything; UWV what its task needs."""
    if caller.rol is Rol.municipality:
        await _woont_in(ports, caller, bsn)
    persoon = ports.pseudonym(bsn)
    async with ports.uow() as uow:
        stand = _antwoord(ports, caller, await uow.feiten.van(persoon), await uow.intrekkingen.van(persoon))
    if stand.feiten:
        return stand
    # the citizen also when only withdrawals are left: what is kept of them is theirs to see (AVG art. 15)
    if caller.rol is not Rol.burger or not stand.ingetrokken:
        raise Onbekend(ONBEKEND)
    # no fact names their municipality: the one the BRP registers them in (else the last withdrawal's)
    woongemeente = await ports.brp.woongemeente(bsn)
    return stand._replace(gemeentecode=woongemeente or stand.ingetrokken[-1].gemeentecode)


async def zet_taakstelling(ports: Ports, caller: Caller, gemeentecode: str, jaar: int, aantal: int) -> None:
    if caller.rol is Rol.municipality and gemeentecode != caller.gemeente:
        raise GeenTaak("Een gemeente stelt alleen haar eigen aantal vast.")
    async with ports.uow() as uow:
        await uow.taakstellingen.zet(gemeentecode, jaar, aantal, caller.oin, ports.clock.now())


async def capaciteit(ports: Ports, caller: Caller, jaar: int | None) -> Capaciteit:
    """Places realised in the year (this year unless asked), the waiting list now, and the time
    from positive advice to a place. Someone on the waiting list whom the BRP registers elsewhere
    now has moved away (also before a `verhuisd` fact came): not this municipality's to see or wait
    for; the places it realised for them before count still."""
    vandaag = ports.clock.today()
    jaar = jaar or vandaag.year
    async with ports.uow() as uow:
        personen = await uow.feiten.met_soorten(BETROKKEN, caller.gemeente)
        taakstelling = await uow.taakstellingen.van(caller.gemeente, jaar)
    overzicht = bereken_capaciteit(caller.gemeente, jaar, vandaag, taakstelling, personen)
    woont = await ports.brp.woongemeenten(w.bsn for w in overzicht.wachtlijst)
    weg = {bsn for bsn, gemeente in woont.items() if gemeente != caller.gemeente}
    if not weg:
        return overzicht
    return bereken_capaciteit(caller.gemeente, jaar, vandaag, taakstelling, personen, weg)
