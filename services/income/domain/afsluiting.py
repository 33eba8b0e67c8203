"""A month closed by its provider (*maandafsluiting*): the provider states that its polis delivery
over a calendar month is complete for the persons it was asked to deliver for, its population as it
read it (`gelezen_op`: the population of that day, as far as income knew it at that moment).

Why it is needed: income establishes a month from the declarations that touch it. A month in which
nobody of a household earned anything has no declaration, so it was never established, and
decisions could never settle it: the advance of a person whose work ended kept expecting the old
wage, and the cut was never paid. The calendar cannot tell "no income" from "not yet filed or
delivered"; the provider can, for the persons in the population it delivered for. A declaration
filed after the closing still counts: it revises the month as any correction does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from income.domain.fouten import AfsluitingGeweigerd, NietGeleverd
from income.domain.populatie import Dossier, populatie, zoals_op
from schakel.primitives import Maand


@dataclass(frozen=True, slots=True)
class Afsluiting:
    """A closing as asked for, and how far it got: a national population takes minutes, so it is
    worked off in the background, a page of persons at a time, each page committed with its months."""

    id: str
    leverancier: str  # OIN
    maand: Maand
    gelezen_op: datetime
    gemeentecodes: frozenset[str]
    aangevraagd_op: datetime
    # of gemeentecodes: those the provider stated it had nothing to deliver for (nobody had income)
    zonder_aangiften: frozenset[str] = frozenset()
    personen: int = 0  # so far: of the population read, with a case in the month
    zonder_inkomen: int = 0  # so far: of whom the month was established without income
    na: str | None = field(default=None, repr=False)  # the BSN the next page starts after; forgotten once ended
    afgerond_op: datetime | None = None
    pogingen: int = 0  # failed attempts at its next page, in a row
    fout_sinds: datetime | None = None  # the first of those failures
    mislukt_op: datetime | None = None  # given up: a provider asks again

    @property
    def status(self) -> str:
        return "mislukt" if self.mislukt_op else "afgerond" if self.afgerond_op else "lopend"

    def zelfde(self, gevraagd: Afsluiting) -> bool:
        """Whether it closes the same as `gevraagd`, with the same statement (a provider's retry without an
        Idempotency-Key)."""
        return (self.maand, self.gelezen_op, self.gemeentecodes, self.zonder_aangiften) == (
            gevraagd.maand,
            gevraagd.gelezen_op,
            gevraagd.gemeentecodes,
            gevraagd.zonder_aangiften,
        )


def controleer(maand: Maand, gelezen_op: datetime, dag: date, vandaag: date, nu: datetime) -> None:
    """A month can be closed once it is over, for a population read after it and not in the future
    (`dag`: the Dutch calendar day of `gelezen_op`)."""
    if maand.laatste_dag >= vandaag:
        raise AfsluitingGeweigerd(
            "Een maand is pas af te sluiten als ze voorbij is.", code="maand-niet-voorbij", field="maand"
        )
    if gelezen_op > nu:
        raise AfsluitingGeweigerd("gelezenOp ligt in de toekomst.", code="gelezen-in-de-toekomst", field="gelezenOp")
    if dag <= maand.laatste_dag:
        # a population read during the month misses who joined later in it
        raise AfsluitingGeweigerd(
            "De populatie is in de maand gelezen: lees haar na het einde van de maand.",
            code="gelezen-in-de-maand",
            field="gelezenOp",
        )


# a week or four weeks that began up to 27 days before a month run into it, so they deliver it (a
# provider paying four-weekly has no period that begins in some months); a month or a quarter that began
# before it (28 days back or more) is an earlier month's delivery: a quarter does not deliver its later
# months, so that the check reads the periods of about a month only
VOORAF = timedelta(days=27)


def levert(begin: date, einde: date, maand: Maand) -> bool:
    """Whether a declaration over the period from `begin` to `einde` delivers the month."""
    return maand.eerste_dag - VOORAF <= begin <= maand.laatste_dag and einde >= maand.eerste_dag


def controleer_levering(gemeenten: frozenset[str], geleverd: frozenset[str], zonder_aangiften: frozenset[str]) -> None:
    """A provider closes a municipality's month once it delivered over it: a declaration for someone of
    that municipality's population (`geleverd`), or its statement that nobody there had income from the
    polis (`zonder_aangiften`: a small municipality may have none in a month). Otherwise a closing of all
    its municipalities, after delivering for some, would establish the others' months without income,
    and their real delivery would turn the bijstand paid into a claim."""
    if vreemd := zonder_aangiften - gemeenten:
        raise AfsluitingGeweigerd(
            f"Niet in deze afsluiting: {_noem(vreemd)}.", code="niet-in-afsluiting", field="gemeentenZonderAangiften"
        )
    if wel := zonder_aangiften & geleverd:
        raise AfsluitingGeweigerd(
            f"U leverde over deze maand wel aangiften voor {_noem(wel)}.",
            code="wel-geleverd",
            field="gemeentenZonderAangiften",
        )
    if not geleverd and not zonder_aangiften:
        raise NietGeleverd(
            "U leverde voor de gemeenten van deze afsluiting geen aangifte over deze maand: sluit een maand af "
            "nadat u haar leverde.",
            field="maand",
        )
    if ontbreekt := gemeenten - geleverd - zonder_aangiften:
        raise NietGeleverd(
            f"U leverde over deze maand niets voor {_noem(ontbreekt)}: lever eerst, of noem een gemeente waar "
            "niemand inkomen uit de polis had in gemeentenZonderAangiften.",
            field="gemeentecodes",
        )


def _noem(gemeenten: frozenset[str], hoogstens: int = 10) -> str:
    eerst = sorted(gemeenten)[:hoogstens]
    rest = f" en {len(gemeenten) - hoogstens} andere" if len(gemeenten) > hoogstens else ""
    return ", ".join(eerst) + rest


def gedekt(dossier: Dossier, maand: Maand, gelezen_op: datetime, dag: date, gemeenten: frozenset[str]) -> bool:
    """Whether the provider's delivery over the month covered the person: in the population of its
    municipalities on `dag` as income knew it at `gelezen_op` (domain.populatie.zoals_op: what it
    learned of only later, even a case backdated into the month, was not in it; an end recorded or
    moved since counts as it was then), with a case of those municipalities (also as partner), known
    by then, that ran in the month as it stands now. Another municipality's month is not this
    provider's to close."""
    liep = any(
        u.bekend.al_op(gelezen_op)
        and u.gemeentecode in gemeenten
        and u.sinds <= maand.laatste_dag
        and (u.tot is None or u.tot >= maand.eerste_dag)
        for u in dossier.uitkeringen
    )
    return liep and bool(populatie([zoals_op(dossier, gelezen_op)], dag, gemeenten))
