"""Who reports which facts, and from when to when (DOMAIN.md §5): UWV advises on beschut werk,
keeps the doelgroepregister and reports its Wajong and WIA guarantees; the municipality of residence establishes beschut werk and reports
places, banenafspraak jobs, dagbesteding and the triangle statement; either reports a move. UWV
sees what its task needs; a municipality sees its residents (the BRP decides, in the service)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import cast

from registration.domain.deelname import UWV_SOORTEN, Feit, OvergangFout, Plek, Soort, Toestand, tijdlijn, vouw
from registration.domain.fouten import (
    FeitNodig,
    NietWoongemeente,
    RegistrationError,
    VerhuizingNietGemeld,
    VerhuizingVoorTijdlijn,
)
from schakel.caller import Rol
from schakel.primitives import plus_maanden

UWV_FEITEN = UWV_SOORTEN | {Soort.verhuisd}
GEMEENTE_FEITEN = frozenset(set(Soort) - UWV_FEITEN | {Soort.verhuisd})
GEMEENTE_EIGEN = GEMEENTE_FEITEN - {Soort.verhuisd}  # only the municipality of residence reports these
# UWV's task is the doelgroepregister, the beschut werk advice and its own Wajong and WIA: not the
# Wmo/Wlz dagbesteding, nor the municipality's alternative offer
UWV_ZIET = frozenset(set(Soort) - {Soort.dagbesteding_gestart, Soort.dagbesteding_beeindigd, Soort.ander_aanbod})
# what the citizen reads of a municipality's alternative offer: its own words may hold what it knows of the
# person (health, as a caseworker's note does); that an offer was made, and when, stands in the status
AANBOD_VOOR_BURGER = "De omschrijving is alleen voor de gemeente. Vraag de gemeente naar haar aanbod."
EERSTE_DATUM = date(2000, 1, 1)
VOORUIT_MAANDEN = 12  # a fact may be reported up to a year ahead: today's date next year at the latest
# an application, an advice and a signed statement exist from the day they were made: not ahead (a
# positive advice dated ahead would put the person on the waiting list for a place before it exists)
GEDAAN = frozenset({Soort.advies_aangevraagd, Soort.advies_uitgebracht, Soort.driehoeksverklaring})
# the AOW age is at most 70 (it rises with life expectancy, Algemene Ouderdomswet art. 7a) and a Wajong
# right begins at 16 at the earliest: a person with one reaches the AOW age at most 54 years from now
AOW_UITERLIJK_JAREN = 54
# the refusal a municipality the person left hears when no later fact of its own rests on its fact: one text
# whichever fact of another or request to UWV it is (the date of UWV's request or end neither)
NODIG_ELDERS = (
    "Een later gemeld feit rust op dit feit, of UWV is met dit feit gevraagd de registratie in het "
    "doelgroepregister te beëindigen. Neem contact op met UWV of met de gemeente waar de persoon nu woont."
)


def mag_melden(rol: Rol, soort: Soort) -> bool:
    return soort in (UWV_FEITEN if rol is Rol.uwv else GEMEENTE_FEITEN if rol is Rol.municipality else ())


def zichtbaar(rol: Rol, gemeentecode: str | None, feiten: list[Feit]) -> list[Feit]:
    """The facts of a person's timeline this role's task needs (AVG art. 5 lid 1 onder b and c). A
    municipality does not see the alternative offer of one the person lived in before: the offer was
    that municipality's, its own obligation to offer a place stands. The citizen sees their whole
    timeline (AVG art. 15), an alternative offer without the municipality's own words."""
    if rol is Rol.uwv:
        return [f for f in feiten if f.soort in UWV_ZIET]
    if rol is Rol.municipality:
        return [f for f in feiten if f.soort is not Soort.ander_aanbod or f.gemeentecode == gemeentecode]
    return [
        replace(f, gegevens=f.gegevens | {"omschrijving": AANBOD_VOOR_BURGER}) if f.soort is Soort.ander_aanbod else f
        for f in feiten
    ]


def gelezen_door(rol: Rol, toestand: Toestand) -> Toestand:
    """The status as this role reads it: UWV that a beschut place runs and since when (a place ends a
    registration, Besluit SUWI art. 3.2 lid 3), not its employer, hours or form, which its task does not
    need (AVG art. 5 lid 1 onder c)."""
    if rol is not Rol.uwv or toestand.plek is None:
        return toestand
    return replace(toestand, plek=Plek(werkgever=None, urenPerWeek=None, vorm=None, sinds=toestand.plek["sinds"]))


def herhaald(feit: Feit, feiten: list[Feit]) -> bool:
    """Whether the timeline holds this fact already (kind, date, municipality and what it says): a fact
    happened once, so reported again (a retry after a time-out, the same report twice) it is the same
    one, not a second advice, registration or statement. A field left empty says nothing: a fact stored
    before the field existed (`geldigTot` of dagbesteding-gestart, registration 0.5.0) is the same one."""
    gezegd = _gezegd(feit)
    return any(
        (f.soort, f.datum, f.gemeentecode, _gezegd(f)) == (feit.soort, feit.datum, feit.gemeentecode, gezegd)
        for f in feiten
    )


def _gezegd(feit: Feit) -> dict[str, object]:
    return {veld: waarde for veld, waarde in feit.gegevens.items() if waarde is not None}


@dataclass(frozen=True)
class Intrekking:
    """What stays of a withdrawn fact: its kind, date and municipality, who withdrew it and when, for the
    history; what it said only as a fingerprint (`kenmerk`), which recognises the same withdrawal again."""

    soort: Soort
    datum: date
    gemeentecode: str
    kenmerk: str
    door: Rol  # uwv or municipality: one role reports a kind (a move: the reporter withdraws it)
    op: datetime


def kenmerk(feit: Feit, sleutel: Callable[[str], str]) -> str:
    """A fact as `herhaald` compares it, as a fingerprint under a secret key (`sleutel`, a keyed hash): the
    withdrawn details are not kept, and whoever reads the table without the key cannot try the few values a
    field takes (an indication's wmo or wlz, an advice's outcome, a ground of the register)."""
    gezegd = [feit.soort.value, feit.datum.isoformat(), feit.gemeentecode, _gezegd(feit)]
    return sleutel(json.dumps(gezegd, sort_keys=True, default=str))


def intrekking(feit: Feit, door: Rol, op: datetime, sleutel: Callable[[str], str]) -> Intrekking:
    return Intrekking(feit.soort, feit.datum, feit.gemeentecode, kenmerk(feit, sleutel), door, op)


def al_ingetrokken(feit: Feit, intrekkingen: list[Intrekking], door: Rol, sleutel: Callable[[str], str]) -> bool:
    """A withdrawal of `feit` by this role that was made before (a retry under a new key, a record sent
    twice): done, as a repeated report is."""
    gezocht = (kenmerk(feit, sleutel), door)
    return any((i.kenmerk, i.door) == gezocht for i in intrekkingen)


def zichtbare_intrekkingen(rol: Rol, gemeentecode: str | None, intrekkingen: list[Intrekking]) -> list[Intrekking]:
    """The citizen sees every withdrawal of a fact about them (AVG art. 15 and 19); an organisation only its
    own: another's mistake (often a fact about someone else) tells it nothing it needs about this person."""
    if rol is Rol.burger:
        return intrekkingen
    return [i for i in intrekkingen if i.door is rol and (rol is Rol.uwv or i.gemeentecode == gemeentecode)]


def ingetrokken(feit: Feit, feiten: list[Feit], oin: str) -> Feit | None:
    """The fact on the timeline (`feiten`) that a withdrawal of `feit` names, as `herhaald` knows it, if
    the caller may withdraw it: who may report a kind withdraws it (the service checks the role and a
    municipality's own facts); a move, which either side reports, only the organisation (`oin`) that
    reported it."""
    return next((f for f in feiten if herhaald(feit, [f]) and (f.soort is not Soort.verhuisd or f.bron == oin)), None)


def intrekking_fout(
    feiten: list[Feit], weg: Feit, rol: Rol, gemeentecode: str | None, vertrokken: bool = False
) -> FeitNodig | None:
    """Why the timeline cannot do without the fact `weg`, or None. Every fact that arrived after it is
    judged again as it was on arrival, without it: one that passed then and fails now rests on it (the
    end of a place whose start goes, a municipality's fact after a move that goes). And UWV, once asked to
    end the registration on a day, may have done so: a municipality's withdrawal that changes that day is
    refused (UWV is asked in person); UWV's own (its registration reported in error) is UWV's to square with
    its register. The refusal names the later fact only to a role that sees it (`zichtbaar`). A municipality
    the person left (`vertrokken`) hears of a later fact of its own (reported by it, naming it) and otherwise
    always the same refusal (`NODIG_ELDERS`): it does not say which fact of the municipality of residence or
    request to UWV stands in the way, nor since when."""
    rest = [f for f in feiten if f.volgnummer != weg.volgnummer]
    for f in sorted(rest, key=lambda f: f.volgnummer):
        if f.volgnummer < weg.volgnummer:
            continue
        eerder = [g for g in rest if g.volgnummer < f.volgnummer]
        reden = _past_niet(f, eerder)
        # one stored under older rules fails them with it too: it rests on it still when it does not fold without
        if reden and (
            not _past_niet(f, [g for g in feiten if g.volgnummer < f.volgnummer]) or not _vouwt([*eerder, f])
        ):
            eigen = (f.bron, f.gemeentecode) == (weg.bron, weg.gemeentecode)
            if vertrokken and not eigen:
                return FeitNodig(NODIG_ELDERS)
            welk = f"het feit {f.soort.value} van {f.datum.isoformat()}" if zichtbaar(rol, gemeentecode, [f]) else None
            waarom = f" ({welk}: {reden})" if welk else ""
            return FeitNodig(
                f"Een later gemeld feit rust op dit feit{waarom}. Trek eerst dat feit in, of laat de organisatie die "
                "het meldde dat doen."
            )
    geheel, zonder = vouw(feiten), vouw(rest)
    einde = geheel.registratie_einde_verzocht
    if einde is not None and rol is not Rol.uwv and zonder.registratie_einde_verzocht != einde:
        if vertrokken:
            return FeitNodig(NODIG_ELDERS)
        return FeitNodig(
            f"UWV is gevraagd de registratie in het doelgroepregister op {einde.isoformat()} te beëindigen, met dit "
            "feit: Schakel trekt dat verzoek niet in (UWV kan het al hebben uitgevoerd). Neem contact op met UWV."
        )
    # and once UWV answered, it did: its end stands for beschut werk, which a municipality's withdrawal would
    # take away (an end of UWV's own then, UWV not asked); UWV's own withdrawal is UWV's to square
    voor_beschut = {r for r in geheel.registraties if r.door not in (None, Soort.doelgroepregistratie_beeindigd)}
    if rol is not Rol.uwv and (anders := voor_beschut - set(zonder.registraties)):
        if vertrokken:
            return FeitNodig(NODIG_ELDERS)
        einde = min(r.einde for r in anders if r.einde is not None)
        return FeitNodig(
            f"UWV heeft de registratie in het doelgroepregister op {einde.isoformat()} beëindigd omdat beschut werk "
            "geldt, met dit feit: Schakel trekt dat niet in. Neem contact op met UWV."
        )
    return None


def _vouwt(feiten: list[Feit]) -> bool:
    try:
        vouw(feiten)
    except OvergangFout:
        return False
    return True


def _past_niet(feit: Feit, eerder: list[Feit]) -> str | None:
    """Why the fact would have been refused on arrival after `eerder` (the timeline rules of `neem_op`)."""
    try:
        op_datum = vouw(eerder, feit.datum)
        if fout := verhuizing_fout(feit, eerder, op_datum) or herleving_fout(feit, op_datum):
            return fout.detail
        vouw([*eerder, feit])
    except OvergangFout as overgang:
        return overgang.detail
    return None


def verhuizing_fout(feit: Feit, feiten: list[Feit], op_datum: Toestand) -> RegistrationError | None:
    """Why a fact does not fit the municipalities on the person's timeline (`feiten`), or None. A
    municipality's own fact names the municipality of residence: on a day the timeline has the person
    elsewhere (before its first fact: that fact's municipality), their move was not reported, and the
    fact would count where they no longer live. A move dated before the first fact, which another
    municipality recorded, would put everything that municipality recorded under the new one.
    `op_datum`: the timeline folded up to the fact's date."""
    if not feiten:
        return None
    eerste = tijdlijn(feiten)[0]
    gemeente = op_datum.gemeentecode or eerste.gemeentecode
    if feit.soort in GEMEENTE_EIGEN and gemeente != feit.gemeentecode:
        return VerhuizingNietGemeld(
            "Op deze datum hoort de persoon volgens de tijdlijn bij een andere gemeente: meld eerst de verhuizing "
            "(verhuisd) met de datum waarop de persoon in uw gemeente kwam wonen.",
            field="datum",
        )
    if feit.soort is Soort.verhuisd and feit.datum < eerste.datum and eerste.gemeentecode != feit.gemeentecode:
        return VerhuizingVoorTijdlijn(
            "Een verhuizing kan niet vóór het eerste feit van de persoon liggen: dat legde een andere gemeente vast.",
            field="datum",
        )
    return None


def herleving_fout(feit: Feit, op_datum: Toestand) -> OvergangFout | None:
    """A new triangle statement revives a sleeping advice only (`op_datum`: the timeline folded up to
    its date). The fold also takes one on an advice that is awake after a school leaver's
    registration: stored when that registration still put the advice to sleep (before registration
    0.7.4)."""
    if feit.soort is Soort.driehoeksverklaring and op_datum.advies != "slapend":
        return OvergangFout("geen-slapend-advies", "een driehoeksverklaring doet alleen een slapend advies herleven")
    return None


def elders_genoemd(feit: Feit, woongemeente: str | None) -> bool:
    """Whether UWV's fact names another municipality than the one the BRP registers the person in now
    (a person the BRP does not know: none): only then does since when count (`gemeente_fout`)."""
    return woongemeente not in (None, feit.gemeentecode)


def gemeente_fout(feit: Feit, woongemeente: str | None, sinds: date | None, vandaag: date) -> NietWoongemeente | None:
    """UWV names the municipality of its fact: the one the BRP registers the person in now
    (`woongemeente`), or, for a fact from before they were registered there (`sinds`), another (UWV's
    records are historical). Named otherwise (a typing error, a code of no municipality), the fact would
    make that municipality the person's from its day and shut out the one they live in. A person the
    BRP does not know is not checked: UWV's task does not wait on the BRP's gaps. The refusal names
    neither the municipality nor the day."""
    if not elders_genoemd(feit, woongemeente):
        return None
    # a date the BRP knows to the month or year only counts as its last day, at most today
    if sinds is not None and feit.datum < min(sinds, vandaag):
        return None
    return NietWoongemeente(
        "Volgens de BRP woonde de persoon op de datum van dit feit niet in die gemeente; meld het feit met de "
        "gemeente waar de persoon toen woonde.",
        field="gemeentecode",
    )


def datum_fout(feit: Feit, vandaag: date) -> tuple[str, str] | None:
    """Why a fact's dates cannot be taken (the field and why), or None."""
    if feit.soort in GEDAAN and feit.datum > vandaag:
        return "datum", "een aanvraag, advies of driehoeksverklaring geldt vanaf de dag dat die er is: niet vooruit"
    if not EERSTE_DATUM <= feit.datum <= plus_maanden(vandaag, VOORUIT_MAANDEN):
        return "datum", "een feit geldt vanaf 2000 en hooguit een jaar vooruit"
    if feit.soort is Soort.wajong_beeindigd and (reden := _aow_fout(feit, vandaag)):
        return "aowDatum", reden
    if feit.soort is Soort.driehoeksverklaring:
        return _ondertekening_fout(feit)
    return None


def _aow_fout(feit: Feit, vandaag: date) -> str | None:
    """The right can revive until the AOW age, so that day lies after the end, and within a lifetime of
    today."""
    aow = date.fromisoformat(feit.gegevens["aowDatum"])
    if aow <= feit.datum:
        return "de AOW-datum ligt na de dag waarop het Wajong-recht eindigde"
    if aow > plus_maanden(vandaag, 12 * AOW_UITERLIJK_JAREN):
        return (
            f"de AOW-datum ligt hooguit {AOW_UITERLIJK_JAREN} jaar vooruit (AOW-leeftijd hooguit 70, Wajong vanaf 16)"
        )
    return None


def _ondertekening_fout(feit: Feit) -> tuple[str, str] | None:
    """A triangle statement holds from the day the last party signed, so no signature lies after its date."""
    partijen = cast(Mapping[str, Mapping[str, str]], feit.gegevens)  # each party: {naam, datum}
    for partij in ("werkgever", "gemeente", "client"):
        if date.fromisoformat(partijen[partij]["datum"]) > feit.datum:
            return f"{partij}.datum", "de verklaring geldt vanaf de laatste ondertekening: die ligt niet na de datum"
    return None
