"""The Max-WW handover: UWV tells the municipality of residence that a person's WW reaches its
maximum duration, so that a bijstand decision can be in place before the WW ends (no income gap).
UWV may not simply push personal data: a notification carries the person's consent or the legal
basis it relies on. A later notification updates the handover (a new end date, a move to another
municipality); the same one again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

STAPPEN = ("contact-gelegd", "re-integratie-gestart", "aanvraag-voorbereid")


@dataclass(frozen=True, slots=True)
class Overdracht:
    overdracht_id: str
    gemeentecode: str
    ww_einddatum: date
    grondslag: dict[str, str]  # {"soort": "toestemming" | "wettelijke-grondslag", "referentie": ...}
    stappen: tuple[tuple[str, str], ...] = ()  # ((stap, ISO date), ...)
    besluit_op: date | None = None  # when a bijstand case for the person was opened
    besluit_startdatum: date | None = None

    @property
    def op_tijd(self) -> bool:
        """A decision was in place before the WW ended, starting no later than the day after."""
        return (
            self.besluit_op is not None
            and self.besluit_op <= self.ww_einddatum
            and self.besluit_startdatum is not None
            and self.besluit_startdatum <= self.ww_einddatum + timedelta(days=1)
        )


def met_stap(o: Overdracht, stap: str, datum: date) -> Overdracht:
    return replace(o, stappen=o.stappen + ((stap, datum.isoformat()),))


def uitkering_geopend(o: Overdracht, gemeentecode: str, besloten: date, startdatum: date) -> Overdracht | None:
    """A bijstand case opened in the handover's municipality: the decision is in place (the first
    one counts); None when it changes nothing."""
    if o.gemeentecode != gemeentecode or o.besluit_op:
        return None
    return replace(o, besluit_op=besloten, besluit_startdatum=startdatum)


def melding(
    bestaand: Overdracht | None, nieuw_id: str, gemeentecode: str, ww_einddatum: date, grondslag: dict[str, str]
) -> tuple[Overdracht, str]:
    """The handover after UWV's notification, and what happened: nieuw, bijgewerkt, verhuisd or ongewijzigd."""
    if bestaand is None:
        return Overdracht(nieuw_id, gemeentecode, ww_einddatum, grondslag), "nieuw"
    bijgewerkt = replace(bestaand, gemeentecode=gemeentecode, ww_einddatum=ww_einddatum, grondslag=grondslag)
    if bijgewerkt == bestaand:
        return bestaand, "ongewijzigd"
    if gemeentecode != bestaand.gemeentecode:
        # the new municipality takes over; steps of the old one are not its business
        return replace(bijgewerkt, stappen=()), "verhuisd"
    return bijgewerkt, "bijgewerkt"


@dataclass(frozen=True, slots=True)
class Rapportage:
    overdrachten: int
    lopend: int  # the WW has not ended yet
    ww_beeindigd: int
    besluit_op_tijd: int  # of those ended: a decision before the WW ended (the aim: all)
    zonder_besluit_op_tijd: int


def rapportage(overdrachten: list[Overdracht], vandaag: date) -> Rapportage:
    afgelopen = [o for o in overdrachten if o.ww_einddatum < vandaag]
    op_tijd = sum(o.op_tijd for o in afgelopen)
    return Rapportage(
        len(overdrachten), len(overdrachten) - len(afgelopen), len(afgelopen), op_tijd, len(afgelopen) - op_tijd
    )
