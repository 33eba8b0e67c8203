"""The Max-WW handover: UWV tells the municipality of residence that a person's WW reaches its
maximum duration, so that a bijstand decision can be in place before the WW ends (no income gap).
UWV may not simply push personal data: a notification carries the person's consent or the legal
basis it relies on, and only what that covers (`reikwijdte`): the end date always, the WW amount
(daily wage or monthly amount, in cents) only when the consent or basis names it. A later
notification updates the handover (a new end date), or hands it to the municipality the person
moved to, which starts afresh (none of the old municipality's steps, decision or outcome); the same
one again changes nothing, and so does a move notified once the handover is settled: its WW ended
while the person lived in its municipality.

Lead time: the cooperation runs in the last 3 to 6 months of the WW (DOMAIN.md §4, the Max-WW
approach), so a notification later than three months before the end is counted as late.
Success: a bijstand decision in place before the WW ends starting the day after, or the person
found work or needs no bijstand by then; the municipality tells UWV (`overdracht.opgepakt` at its
first step, `bijstand.besloten` with the outcome)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from reapplication.domain.fouten import (
    AlAfgerond,
    BuitenGrondslag,
    MeldingstijdstipVooruit,
    StapAlVastgelegd,
    StapNietVastgelegd,
    UitkomstNietVastgelegd,
    WwEinddatumBuitenBereik,
)
from reapplication.domain.heraanvraag import Uitkering
from schakel.primitives import dagnaam, geldig_op, plus_maanden
from schakel.primitives.lijst import uniek

STAPPEN = ("contact-gelegd", "re-integratie-gestart", "aanvraag-voorbereid")
UITKOMSTEN = ("werk-gevonden", "geen-bijstand-nodig")
# (WW ending from, months ahead UWV notifies at the latest); the Max-WW approach: the last 3 to 6 months
VOORLOOP_MAANDEN: tuple[tuple[date, int], ...] = ((date.min, 3),)


# the latest a case's opening reaches reapplication after its decision: decisions publishes it with
# the decision (`besluitdatum` that day) and a topic keeps a record at most 8 days (schakel.messaging
# .kafka: retention plus a segment), so a first delivery is never older; a day more for the outbox
# and the Dutch day's boundary
LAAT_GEOPEND = timedelta(days=9)
RONDOM_MAANDEN = 12  # a handover's steps and outcome lie within this many months of the WW's end
WEKENEIS = timedelta(weeks=26)  # the work a new WW right needs, after the last (Werkloosheidswet art. 17)
# (notified from, the longest a WW running then can last, in months): WW art. 42 as the Wet werk en
# zekerheid set it, 38 months down to 24 for rights from 1 April 2019 (one month less per quarter from
# 2016); the last longer right (25 months, from March 2019) had ended by 1 May 2021. A shorter maximum
# gets a row from the day the last right under the longer one has ended.
WW_MAXIMUM_MAANDEN: tuple[tuple[date, int], ...] = ((date.min, 38), (date(2021, 5, 1), 24))


def voorloop(ww_einddatum: date) -> int:
    return geldig_op(VOORLOOP_MAANDEN, ww_einddatum)


def ww_maximum(vandaag: date) -> int:
    return geldig_op(WW_MAXIMUM_MAANDEN, vandaag)


REIKWIJDTE = ("ww-einddatum", "ww-bedrag")  # what a consent or basis may cover, in this order


def dekking(gedekt: list[str]) -> list[str]:
    """What the consent or basis covers, each once and in one order (the same consent sent again is
    the same)."""
    return sorted(uniek(gedekt), key=REIKWIJDTE.index)


def controleer_reikwijdte(grondslag: dict[str, Any], ww_bedrag: tuple[str, int] | None) -> None:
    """UWV shares only what the consent or legal basis covers: the end date always (every handover
    carries it), the amount when it is named."""
    gedekt = grondslag.get("reikwijdte", ["ww-einddatum"])  # the contract's default
    if "ww-einddatum" not in gedekt:
        raise BuitenGrondslag(
            "De toestemming of grondslag dekt het einde van de WW niet, dat elke overdracht noemt.",
            field="grondslag.reikwijdte",
        )
    if ww_bedrag and "ww-bedrag" not in gedekt:
        raise BuitenGrondslag("De toestemming of grondslag dekt het WW-bedrag niet.", field="wwBedrag")


# how far UWV's clock may run ahead of ours (a notification's moment is UWV's own)
KLOKVERSCHIL = timedelta(minutes=5)


def controleer_moment(gemeld: datetime | None, nu: datetime) -> None:
    """UWV made its notification before it arrived here. A moment ahead (a year typed wrong) would pass for
    the latest notification for good: every later one that names its moment would be `verouderd` and change
    nothing, a corrected end as well as a move to the new municipality."""
    if gemeld is not None and gemeld > nu + KLOKVERSCHIL:
        raise MeldingstijdstipVooruit(
            "UWV deed deze melding niet na haar aankomst: het meldingstijdstip ligt in de toekomst.",
            field="meldingstijdstip",
        )


def controleer_einde(ww_einddatum: date, vandaag: date) -> None:
    """A WW ends at most its longest duration ahead; one that ended more than 12 months ago has nothing left to hand
    over (a typing error would keep a handover open for decades, or count as handled too late)."""
    if ww_einddatum > (grens := plus_maanden(vandaag, maximum := ww_maximum(vandaag))):
        raise WwEinddatumBuitenBereik(
            f"De WW duurt hooguit {maximum} maanden: het einde ligt uiterlijk op {grens.isoformat()}.",
            field="wwEinddatum",
            code="ww-einddatum-te-ver-vooruit",
        )
    if ww_einddatum < (grens := plus_maanden(vandaag, -RONDOM_MAANDEN)):
        raise WwEinddatumBuitenBereik(
            f"De WW eindigde meer dan {RONDOM_MAANDEN} maanden geleden: er valt niets meer over te dragen.",
            field="wwEinddatum",
            code="ww-einddatum-verstreken",
        )


@dataclass(frozen=True, slots=True)
class Overdracht:
    overdracht_id: str
    gemeentecode: str
    ww_einddatum: date
    grondslag: dict[
        str, Any
    ]  # {"soort": "toestemming" | "wettelijke-grondslag", "referentie": ..., "reikwijdte": [...]}
    stappen: tuple[tuple[str, str], ...] = ()  # ((stap, ISO date), ...)
    besluit_op: date | None = None  # when a bijstand case for the person was opened
    besluit_startdatum: date | None = None
    ww_bedrag: tuple[str, int] | None = None  # ("dagloon" | "maandbedrag", cents)
    gemeld_op: date | None = None  # UWV's first notification
    uitkomst: tuple[str, date] | None = None  # werk-gevonden or geen-bijstand-nodig, and when
    # the first case opened in the latest other municipality (gemeentecode, decided, start): the person
    # moved before UWV said so; that case is the decision once UWV hands the handover there
    besluit_elders: tuple[str, date, date] | None = None
    # when UWV made the latest notification applied (`meldingstijdstip`, UTC), if it said: an older one
    # arriving after it (a first notification after its own correction) is not applied
    melding_op: datetime | None = None

    @property
    def te_laat_gemeld(self) -> bool:
        return self.gemeld_op is not None and self.gemeld_op > plus_maanden(
            self.ww_einddatum, -voorloop(self.ww_einddatum)
        )

    @property
    def opgepakt(self) -> tuple[str, date] | None:
        """The step the handover was taken up with, and its date: the earliest (of two on one day, the
        first recorded)."""
        if not self.stappen:
            return None
        stap, datum = min(self.stappen, key=lambda s: s[1])  # ISO dates order as text
        return stap, date.fromisoformat(datum)

    @property
    def volgorde(self) -> tuple[date, str]:
        """Where it stands in the municipality's list: the soonest WW end first."""
        return self.ww_einddatum, self.overdracht_id

    @property
    def geslaagd(self) -> bool:
        """A decision in time, or work found / no bijstand needed before the WW ended."""
        return self.op_tijd or (self.uitkomst is not None and self.uitkomst[1] <= self.ww_einddatum)

    @property
    def op_tijd(self) -> bool:
        """A decision was in place before the WW ended, starting no later than the day after."""
        return (
            self.besluit_op is not None
            and self.besluit_op <= self.ww_einddatum
            and self.besluit_startdatum is not None
            and self.besluit_startdatum <= self.ww_einddatum + timedelta(days=1)
        )


def datum_fout(o: Overdracht, datum: date, vandaag: date) -> str | None:
    """Why a step or an outcome cannot have this date, or None: it is recorded once it happened, and a
    handover is about the months around the WW's end (an outcome dated years before would count as in
    time, and UWV would hear so)."""
    if datum > vandaag:
        return "de datum ligt na vandaag: leg een stap of uitkomst vast als die er is"
    if not plus_maanden(o.ww_einddatum, -RONDOM_MAANDEN) <= datum <= plus_maanden(o.ww_einddatum, RONDOM_MAANDEN):
        return f"de datum ligt meer dan {RONDOM_MAANDEN} maanden voor of na het einde van de WW"
    return None


def met_stap(o: Overdracht, stap: str, datum: date) -> Overdracht:
    """Each step once: the list says which the municipality took, and when first."""
    if any(s == stap for s, _ in o.stappen):
        raise StapAlVastgelegd(f"De stap {stap} is al vastgelegd.")
    return replace(o, stappen=o.stappen + ((stap, datum.isoformat()),))


def met_stapdatum(o: Overdracht, stap: str, datum: date) -> Overdracht:
    """A recorded step's date corrected (a typing error); the steps keep their order."""
    if all(s != stap for s, _ in o.stappen):
        raise StapNietVastgelegd(f"De stap {stap} is niet vastgelegd: leg die eerst vast.")
    return replace(o, stappen=tuple((s, datum.isoformat() if s == stap else d) for s, d in o.stappen))


def met_uitkomst(o: Overdracht, uitkomst: str, datum: date) -> Overdracht:
    """The handover ends without bijstand: the person found work or needs none."""
    if o.besluit_op or o.uitkomst:
        raise AlAfgerond("Deze overdracht heeft al een uitkomst.")
    return replace(o, uitkomst=(uitkomst, datum))


def met_gecorrigeerde_uitkomst(o: Overdracht, uitkomst: str, datum: date) -> Overdracht:
    """A recorded outcome corrected: its date (a typing error), or the other outcome. A handover that
    ended in bijstand has none to correct."""
    if o.uitkomst is None:
        raise UitkomstNietVastgelegd(
            "Deze overdracht heeft geen uitkomst (werk of geen bijstand nodig): leg die eerst vast."
        )
    return replace(o, uitkomst=(uitkomst, datum))


def uitkering_geopend(o: Overdracht, gemeentecode: str, besloten: date, startdatum: date) -> Overdracht | None:
    """A bijstand case opened in the handover's municipality: the decision is in place (the first
    one counts); the first one opened elsewhere is kept for a move UWV has yet to report. None when it
    changes nothing."""
    if o.gemeentecode != gemeentecode:  # the first there counts, as here
        al = o.besluit_elders is not None and o.besluit_elders[0] == gemeentecode
        return None if al else replace(o, besluit_elders=(gemeentecode, besloten, startdatum))
    if o.besluit_op or o.uitkomst:
        return None
    return replace(o, besluit_op=besloten, besluit_startdatum=startdatum)


def dezelfde_ww(o: Overdracht, einde: date, vandaag: date) -> bool:
    """Whether UWV notifies the WW `o` hands over: one that has not ended yet (a person has one WW at a
    time), or an end within 26 weeks of its end (a correction). A new right needs 26 of the 36 weeks
    before unemployment worked (Werkloosheidswet art. 17, the wekeneis), so a later WW ends further on."""
    return o.ww_einddatum >= vandaag or abs(einde - o.ww_einddatum) <= WEKENEIS


def loopt(u: Uitkering, vandaag: date) -> bool:
    """Whether the case still runs on the day (its last day included)."""
    return u.einddatum is None or u.einddatum >= vandaag


def al_besloten(uitkeringen: Iterable[Uitkering], gemeentecode: str, vandaag: date) -> tuple[date, date] | None:
    """(decided, start) of the person's case in the municipality that still runs on the day UWV
    notifies (the person applied themselves, or UWV notified late): the decision is in place from
    then, as a case opened after the notification is (uitkering_geopend); of several, the earliest."""
    in_plaats = [
        (u.geopend[1], u.geopend[2])
        for u in uitkeringen
        if u.geopend is not None and u.geopend[0] == gemeentecode and loopt(u, vandaag)
    ]
    return min(in_plaats, default=None)


def is_besluit(o: Overdracht, u: Uitkering, vandaag: date) -> bool:
    """Whether a case whose opening arrives now is a decision for the handover: it still runs, and it
    was decided no earlier than `LAAT_GEOPEND` before UWV notified. A case running at the notification
    whose opening was here already counted then (`al_besloten`); one decided earlier that arrives only
    now is a replay (an ended case's, or one retention forgot with its end), not news about this WW."""
    if u.geopend is None or not loopt(u, vandaag):
        return False
    return o.gemeld_op is None or u.geopend[1] >= o.gemeld_op - LAAT_GEOPEND


def afgesloten(o: Overdracht, gemeentecode: str, ww_einddatum: date, vandaag: date) -> bool:
    """Whether a move UWV notifies to `gemeentecode` leaves the handover with its municipality: its WW
    ended (success is settled by the WW's end, DOMAIN.md §4) while the person lived there. Before the
    end the new municipality takes it over, whatever the old one decided or recorded: the person may
    need bijstand there once the WW ends. A case the new municipality decided by the WW's end tells
    they lived there before it ended (art. 40): that handover still moves, with the case as its
    decision. The WW's end is the later of the stored one and the one notified (a correction that
    lengthens it comes with the move)."""
    if max(o.ww_einddatum, ww_einddatum) >= vandaag:
        return False
    elders = o.besluit_elders
    return not (elders is not None and elders[0] == gemeentecode and elders[1] <= o.ww_einddatum)


def melding(
    bestaande: Iterable[Overdracht],
    nieuw_id: str,
    gemeentecode: str,
    ww_einddatum: date,
    grondslag: dict[str, Any],
    ww_bedrag: tuple[str, int] | None,
    vandaag: date,
    uitkeringen: Iterable[Uitkering] = (),
    gemeld: datetime | None = None,
) -> tuple[Overdracht, str]:
    """The handover after UWV's notification, and what happened: nieuw, bijgewerkt, verhuisd,
    ongewijzigd or verouderd. A new one (also after a move) finds a case of the person's already in
    place there. It is about the person's handover of that WW (`bestaande`: all of theirs); a later
    WW's is a handover of its own, and an earlier one stays as it ended (its decision, steps and
    outcome are about that WW). One settled (`afgesloten`) stays with its municipality when UWV names
    another: the notification changes nothing. One UWV made (`gemeld`) before the latest applied is
    verouderd and changes nothing either; without the moment, the latest to arrive counts."""
    controleer_reikwijdte(grondslag, ww_bedrag)
    zelfde = [o for o in bestaande if dezelfde_ww(o, ww_einddatum, vandaag)]
    bestaand = min(zelfde, key=lambda o: abs(o.ww_einddatum - ww_einddatum), default=None)
    if bestaand is not None and gemeld is not None and bestaand.melding_op is not None and gemeld < bestaand.melding_op:
        return bestaand, "verouderd"
    if bestaand is None or ww_einddatum != bestaand.ww_einddatum:  # the same end again, or a move, still goes
        controleer_einde(ww_einddatum, vandaag)
    if (
        bestaand is not None
        and gemeentecode != bestaand.gemeentecode
        and afgesloten(bestaand, gemeentecode, ww_einddatum, vandaag)
    ):
        return bestaand, "ongewijzigd"  # settled where it was: the move does not take it along
    if bestaand is None or gemeentecode != bestaand.gemeentecode:
        # after a move the new municipality takes the handover over afresh, notified today: what the
        # old one did, decided or recorded is not its business (doelbinding), and its own is to come
        overdracht_id = nieuw_id if bestaand is None else bestaand.overdracht_id
        vers = Overdracht(
            overdracht_id,
            gemeentecode,
            ww_einddatum,
            grondslag,
            ww_bedrag=ww_bedrag,
            gemeld_op=vandaag,
            melding_op=gemeld,
        )
        if bestaand is not None and bestaand.besluit_elders and bestaand.besluit_elders[0] == gemeentecode:
            # its case opened before UWV reported the move: the decision was in place from then
            _, besloten, startdatum = bestaand.besluit_elders
            vers = replace(vers, besluit_op=besloten, besluit_startdatum=startdatum)
        elif al := al_besloten(uitkeringen, gemeentecode, vandaag):
            vers = replace(vers, besluit_op=al[0], besluit_startdatum=al[1])
        return vers, "nieuw" if bestaand is None else "verhuisd"
    bijgewerkt = replace(bestaand, ww_einddatum=ww_einddatum, grondslag=grondslag, ww_bedrag=ww_bedrag)
    # the same notification made again later is unchanged, but its moment is the one to compare with
    laatste = replace(bijgewerkt, melding_op=gemeld or bestaand.melding_op)
    return laatste, "ongewijzigd" if bijgewerkt == bestaand else "bijgewerkt"


STAPPEN_VOOR_BURGER = {
    "contact-gelegd": "contact met u opgenomen",
    "re-integratie-gestart": "re-integratie met u gestart",
    "aanvraag-voorbereid": "uw aanvraag voor bijstand voorbereid",
}


def uitleg(o: Overdracht, vandaag: date) -> str:
    """Where the handover stands, for the citizen (B1): the decision or outcome, else the WW's end and
    the steps the municipality took."""
    eindigt = "eindigt" if o.ww_einddatum >= vandaag else "eindigde"
    if o.besluit_op:
        vanaf = f" vanaf {dagnaam(o.besluit_startdatum)}" if o.besluit_startdatum else ""
        return (
            f"Uw WW {eindigt} op {dagnaam(o.ww_einddatum)}. Uw gemeente besloot op {dagnaam(o.besluit_op)} dat u "
            f"bijstand krijgt{vanaf}."
        )
    if o.uitkomst:
        soort, datum = o.uitkomst
        wat = "u werk heeft gevonden" if soort == "werk-gevonden" else "u geen bijstand nodig heeft"
        return f"Uw gemeente schreef op {dagnaam(datum)} op dat {wat}. U krijgt daarom geen bijstand."
    tekst = [f"Uw WW {eindigt} op {dagnaam(o.ww_einddatum)}. UWV gaf dat door aan uw gemeente."]
    if o.stappen:
        gedaan = ", ".join(
            f"{STAPPEN_VOOR_BURGER[s]} op {dagnaam(date.fromisoformat(d))}"
            for s, d in sorted(o.stappen, key=lambda s: s[1])
        )
        tekst.append(f"Wat uw gemeente al deed: {gedaan}.")
    else:
        tekst.append("Uw gemeente neemt contact met u op.")
    if o.ww_einddatum >= vandaag:
        tekst.append("Het doel: vóór het einde van uw WW weet u of u bijstand krijgt.")
    else:
        tekst.append(
            "Er is nog geen besluit over bijstand. Heeft u geen ander inkomen? Vraag dan bijstand aan bij uw gemeente."
        )
    return " ".join(tekst)


@dataclass(frozen=True, slots=True)
class Rapportage:
    overdrachten: int
    lopend: int  # the WW has not ended yet
    ww_beeindigd: int
    besluit_op_tijd: int  # of those ended: a decision before the WW ended
    werk_gevonden: int  # of those ended: work found before the WW ended
    geen_bijstand_nodig: int
    zonder_besluit_op_tijd: int  # of those ended: none of the three (the aim: none)
    te_laat_gemeld: int  # notified later than the lead time


def rapportage(overdrachten: list[Overdracht], vandaag: date) -> Rapportage:
    afgelopen = [o for o in overdrachten if o.ww_einddatum < vandaag]

    def met(uitkomst: str) -> int:
        return sum(
            o.geslaagd and not o.op_tijd and o.uitkomst is not None and o.uitkomst[0] == uitkomst for o in afgelopen
        )

    return Rapportage(
        len(overdrachten),
        len(overdrachten) - len(afgelopen),
        len(afgelopen),
        sum(o.op_tijd for o in afgelopen),
        met("werk-gevonden"),
        met("geen-bijstand-nodig"),
        sum(not o.geslaagd for o in afgelopen),
        sum(o.te_laat_gemeld for o in overdrachten),
    )
