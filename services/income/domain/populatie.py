"""Who is in income's population (doelbinding) and how long their polis data is kept.

Polis income may be kept only for persons with a bijstand benefit case that has not ended, or an
open re-application window after one: the data the municipalities' task needs, no more (AVG art. 5
lid 1 onder c). Once the last case and window ended, the data is kept for a retention period and
then forgotten (art. 5 lid 1 onder e).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from schakel.primitives import verrekend_vanaf


@dataclass(frozen=True, slots=True)
class Bekend:
    """Since when income knew of a case, a partner's period in it or a window, and its end before the
    latest change: a provider's closing of a month judges the population as the provider read it
    (domain.afsluiting). Passed in to be stored, `sinds` is the moment of that statement."""

    sinds: datetime | None = None  # None: known from before this was recorded
    vorig_einde: date | None = None  # the end before the latest change (None: open)
    einde_gewijzigd_op: datetime | None = None  # None: the end never changed since this was recorded
    vorig_einde_sinds: datetime | None = None  # when that earlier end had come (None: before recording)

    def na(self, oud: date | None, nieuw: date | None, op: datetime | None) -> Bekend:
        """After the end changed from `oud` to `nieuw` at `op` (the same end: as it was)."""
        if nieuw == oud:
            return self
        return replace(
            self, vorig_einde=oud, einde_gewijzigd_op=op, vorig_einde_sinds=self.einde_gewijzigd_op or self.sinds
        )

    def al_op(self, moment: datetime) -> bool:
        """Whether income knew of it at `moment`."""
        return self.sinds is None or self.sinds < moment

    def einde_bekend_op(self, moment: datetime) -> bool:
        """Whether its end at `moment` is known: only the latest change is kept, so after two changes
        since then it is not (and the row counts as not known then: the safe side)."""
        return _voor(self.einde_gewijzigd_op, moment) or _voor(self.vorig_einde_sinds, moment)

    def einde_op(self, einde: date | None, moment: datetime) -> date | None:
        """The end as income knew it at `moment`, of one whose end then is known."""
        return einde if _voor(self.einde_gewijzigd_op, moment) else self.vorig_einde


def _voor(op: datetime | None, moment: datetime) -> bool:
    return op is None or op < moment


@dataclass(frozen=True, slots=True)
class Uitkering:
    """A benefit case, as the decisions service announced it."""

    uitkering_id: str
    persoon: str
    bsn: str
    gemeentecode: str
    sinds: date
    tot: date | None = None
    als_partner: bool = False  # the person is the partner in this case, not its applicant
    bekend: Bekend = Bekend()
    zaak_sinds: date | None = None  # of a partner's period: the case's start (None: not known)

    @property
    def zicht_vanaf(self) -> date:
        """The first day the case's municipality sees of the person's income: of a partner, the first
        month settled with them (one who joined within a month is settled from the next)."""
        return verrekend_vanaf(self.sinds, self.zaak_sinds) if self.als_partner else self.sinds


@dataclass(frozen=True, slots=True)
class Termijn:
    """A re-application window opened after a case ended."""

    uitkering_id: str
    persoon: str
    bsn: str
    gemeentecode: str
    geldig_tot: date
    bekend: Bekend = Bekend()


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything known about one person's cases and windows."""

    uitkeringen: tuple[Uitkering, ...] = ()
    termijnen: tuple[Termijn, ...] = ()


@dataclass(frozen=True, slots=True)
class Lid:
    """A person the service may keep polis data for."""

    persoon: str
    bsn: str
    aanvang: date | None  # first day of the earliest case: income before it counts nowhere
    gemeenten: frozenset[str]  # municipalities with a case not ended or a window open on the day asked
    gemeenten_sinds: tuple[tuple[date, str], ...]  # (start, municipality) of each case, by start

    def gemeente_op(self, dag: date) -> str:
        """The municipality in charge of the person on `dag`: of the latest case started by then (its
        window included), or of the first case for a day before any."""
        return next((g for sinds, g in reversed(self.gemeenten_sinds) if sinds <= dag), self.gemeenten_sinds[0][1])


def zoals_op(dossier: Dossier, moment: datetime) -> Dossier:
    """The dossier as income knew it at `moment`: what it learned of later left out, each end as it
    was then (a row whose end then cannot be told is left out too)."""

    def toen(b: Bekend) -> bool:
        return b.al_op(moment) and b.einde_bekend_op(moment)

    return Dossier(
        tuple(replace(u, tot=u.bekend.einde_op(u.tot, moment)) for u in dossier.uitkeringen if toen(u.bekend)),
        tuple(
            replace(t, geldig_tot=t.bekend.einde_op(t.geldig_tot, moment) or t.geldig_tot)
            for t in dossier.termijnen
            if toen(t.bekend)
        ),
    )


def lopend(uitkering: Uitkering, op: date) -> bool:
    return uitkering.tot is None or uitkering.tot >= op


def open_op(termijn: Termijn, op: date) -> bool:
    return termijn.geldig_tot >= op


def gesloten(termijn: Termijn, dossier: Dossier) -> Termijn:
    """The window as the person's next case leaves it: a case of their own, or their period as the
    partner in a household's case (in any municipality), that starts after the window's case ended
    closes it the day before. A re-application is then about the new case, and the old
    municipality's task (and its sight of the person's income) ends: a partner lives in the other
    household, and reapplication asks the BRP where an applicant lives. The events of the services
    may arrive in either order: while the window's case is not known to have ended, a case that
    started after it counts."""
    eigen = next((u for u in dossier.uitkeringen if u.uitkering_id == termijn.uitkering_id), None)
    na = None if eigen is None else eigen.tot or eigen.sinds
    later = [u.sinds - timedelta(days=1) for u in dossier.uitkeringen if na and u.sinds > na]
    return replace(termijn, geldig_tot=min([termijn.geldig_tot, *later]))


def lid(persoon: str, dossier: Dossier, op: date) -> Lid | None:
    """The person as a member on `op`: a case not ended before it, or an open window; else None."""
    lopende = [u for u in dossier.uitkeringen if lopend(u, op)]
    open_termijnen = [t for t in dossier.termijnen if open_op(t, op)]
    if not lopende and not open_termijnen:
        return None
    zaken = sorted(dossier.uitkeringen, key=lambda u: u.sinds)
    return Lid(
        persoon,
        (zaken[-1] if zaken else open_termijnen[0]).bsn,
        zaken[0].sinds if zaken else None,
        frozenset(u.gemeentecode for u in lopende) | {t.gemeentecode for t in open_termijnen},
        tuple((u.sinds, u.gemeentecode) for u in zaken) or ((date.min, open_termijnen[0].gemeentecode),),
    )


def inzage(dossier: Dossier, gemeentecode: str, op: date) -> list[tuple[date, date | None]]:
    """The periods a municipality may read a person's income for (AVG art. 5 lid 1 onder b): each of
    its own cases from its start (a partner's period from the first month settled with them) to its
    end, or to the end of the re-application window after it (None: still running). None at all unless
    one of its cases runs or one of its windows is open on `op`."""
    eigen = [u for u in dossier.uitkeringen if u.gemeentecode == gemeentecode]
    termijnen = {t.uitkering_id: t.geldig_tot for t in dossier.termijnen if t.gemeentecode == gemeentecode}
    if not any(lopend(u, op) for u in eigen) and not any(t >= op for t in termijnen.values()):
        return []
    perioden = [
        (u.zicht_vanaf, None if u.tot is None else max(u.tot, termijnen.get(u.uitkering_id, u.tot))) for u in eigen
    ]
    return [(van, tot) for van, tot in perioden if tot is None or van <= tot]


def binnen(perioden: list[tuple[date, date | None]], begin: date, einde: date) -> bool:
    """Whether the days from `begin` to `einde` touch one of the periods."""
    return any(van <= einde and (tot is None or begin <= tot) for van, tot in perioden)


def leden(dossiers: Mapping[str, Dossier], op: date) -> dict[str, Lid]:
    """Those persons who are members on `op`."""
    return {p: lid_ for p, d in dossiers.items() if (lid_ := lid(p, d, op)) is not None}


def populatie(dossiers: Iterable[Dossier], op: date, gemeenten: frozenset[str]) -> list[tuple[str, str]]:
    """Everyone in the population of `gemeenten` (a provider's contracted municipalities) on `op` as
    (BSN, municipality) ordered by BSN: with a case (or a window after it) that had begun by then, so
    a day long past names only who belonged then, not everyone whose case ended since. A person with
    cases or windows in several of them is named once, with the lowest code."""
    per_bsn: dict[str, str] = {}
    for dossier in dossiers:
        begonnen = {u.uitkering_id for u in dossier.uitkeringen if u.sinds <= op}
        for bsn, gemeentecode in [
            (u.bsn, u.gemeentecode) for u in dossier.uitkeringen if u.uitkering_id in begonnen and lopend(u, op)
        ] + [(t.bsn, t.gemeentecode) for t in dossier.termijnen if t.uitkering_id in begonnen and open_op(t, op)]:
            if gemeentecode not in gemeenten:
                continue
            per_bsn[bsn] = min(gemeentecode, per_bsn.get(bsn, gemeentecode))
    return sorted(per_bsn.items())


def einden(dossier: Dossier) -> list[date | None]:
    """The ends that count for retention (`schakel.primitives.bewaring`): every case's, also as
    partner, and every window's."""
    return [u.tot for u in dossier.uitkeringen] + [t.geldig_tot for t in dossier.termijnen]
