"""The payment calendar of a case: per month the advance (voorschot) paid or proposed, when the polis
for the month is expected, when its settlement is expected, what was settled, and what the person
has to bridge until then. Plus a municipality's timeliness: the share of months settled within its
own target. Pure rules: no framework, no I/O.

The advance is policy (a municipality pays at least 95% of the expected bijstand, DOMAIN.md §3), set
per municipality with a date it applies from; the expected bijstand is the month's norm minus the
average counted income (after vrijlating) of the last settled months, less the holiday allowance
reserved from it.

When the polis arrives follows from the delivery rhythm: an employer files the wage declaration
for month M by the end of M+1, and the monthly delivery after that is on the policy's `leverdag`
of M+2. Income filed early arrives in M+1; the calendar names the latest regular date, so a month
may settle before it, never regularly after it. Working days are counted as the law counts them
(Algemene termijnenwet: no weekends, no public holidays).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from decisions.domain.fouten import Geweigerd
from decisions.domain.norm import NormOnbekend, norm
from decisions.domain.parameters import GeenParameters, Parameters
from decisions.domain.situatie import Situatie
from decisions.domain.situatie import geldend as situatie_op
from decisions.domain.uitkering import Uitkering
from decisions.domain.verrekening import Verrekening, reservering
from schakel.primitives import Bedrag, Maand, afgerond, maandnaam
from schakel.primitives.werkdagen import werkdagen_na

MINIMUM_PERCENTAGE = 95  # an advance is at least 95% of the expected bijstand (DOMAIN.md §3)


@dataclass(frozen=True, slots=True)
class Voorschotbeleid:
    """A municipality's policy from `geldig_vanaf`: the advance as a percentage of the expected
    bijstand over the last `maanden` settled months, the settlement target in working days after the
    polis arrives, and the day of the month the monthly polis delivery comes."""

    geldig_vanaf: date
    percentage: int = 100
    maanden: int = 3
    doel_werkdagen: int = 5
    leverdag: int = 15

    def __post_init__(self) -> None:
        for veld, waarde, laag, hoog in (
            ("percentage", self.percentage, MINIMUM_PERCENTAGE, 100),
            ("maanden", self.maanden, 1, 12),
            ("doelWerkdagen", self.doel_werkdagen, 1, 40),
            ("leverdag", self.leverdag, 1, 28),
        ):
            if not laag <= waarde <= hoog:
                raise Geweigerd("beleid-buiten-bereik", veld, f"moet tussen {laag} en {hoog} liggen")


STANDAARD = Voorschotbeleid(date(2000, 1, 1))


def geldend(beleid: Iterable[Voorschotbeleid], dag: date) -> Voorschotbeleid:
    """The version in force on `dag`; the default before the municipality set any."""
    eerdere = [b for b in beleid if b.geldig_vanaf <= dag]
    return max(eerdere, key=lambda b: b.geldig_vanaf) if eerdere else STANDAARD


def controleer_betaling(maand: Maand, vandaag: date) -> None:
    """An advance is paid around the start of its month, at the earliest at the end of the month before:
    a payment recorded for a later month is a typing error (and would become a claim when the case ends)."""
    if maand > Maand.van(vandaag).volgende():
        raise Geweigerd("maand-te-ver-vooruit", "maand", "een voorschot geldt voor deze of de volgende maand")


# a month's advance is at most its payable bijstand, which is at most the norm: twice the highest norm
# of the month is a wide margin (indexation, an advance paid twice); more is a typing error (euros
# sent as cents), which would become a claim on the person once the case ends
HOOGUIT_NORMEN = 2


def controleer_bedrag(maand: Maand, bedrag: int, params: Parameters) -> None:
    try:
        normen = params.normen_op(maand.eerste_dag)
    except GeenParameters:
        return  # a month before the tables: the settlement waits for them, there is nothing to compare
    if bedrag > (grens := HOOGUIT_NORMEN * max(normen.gehuwd, normen.gehuwd_aow)):
        raise Geweigerd(
            "bedrag-onaannemelijk",
            "bedrag",
            f"een voorschot over een maand is hooguit {Bedrag(grens)}: tweemaal de hoogste bijstandsnorm",
        )


def polis_verwacht(maand: Maand, beleid: Voorschotbeleid) -> date:
    """Filed by the end of M+1, delivered on the policy's delivery day of M+2."""
    return maand.volgende().volgende().eerste_dag.replace(day=beleid.leverdag)


def verrekening_verwacht(maand: Maand, beleid: Voorschotbeleid) -> date:
    return werkdagen_na(polis_verwacht(maand, beleid), beleid.doel_werkdagen)


@dataclass(frozen=True, slots=True)
class Verwachting:
    """What a month is expected to bring before its income is known, for the household in force on it:
    its norm, the average counted income (after vrijlating) and net income (before it) of the last
    settled months, as its household counts them (`in_huishouden`), and whether a departed partner's
    income was left out of them."""

    norm_bedrag: int
    inkomen: int  # counted against the norm, as a whole month's
    netto: int  # the household's net income before vrijlating, as a whole month's
    zonder_partner: bool = False

    @property
    def bijstand(self) -> int:
        return max(0, self.norm_bedrag - self.inkomen)

    def te_betalen(self, vakantietoeslag_procent: Decimal) -> int:
        """The payable bijstand expected, less the holiday allowance reserved from it."""
        return self.bijstand - reservering(self.bijstand, vakantietoeslag_procent)

    @property
    def totaal(self) -> int:
        """The household's income the beslagvrije voet is of (Rv art. 475dc): bijstand and net income."""
        return self.bijstand + self.netto


def partner_op(situaties: Sequence[Situatie], startdatum: date, maand: Maand) -> str | None:
    """Whose income counts beside the applicant's in `maand` (by BSN): the partner of the situation of
    its first day (or the case's start), as a month is settled with that household."""
    partner = situatie_op(list(situaties), max(maand.eerste_dag, startdatum)).partner
    return None if partner is None else partner.bsn


def in_huishouden(v: Verrekening, partner: str | None, toen: str | None) -> Verrekening:
    """A settled month as a household with `partner` counts its income: the partner's it was settled with
    (`toen`) only when that is the same person. A partner who left takes their income along; one who
    joined brings none the case knows of."""
    if v.partner is None or (partner is not None and partner == toen):
        return v
    return replace(v, partner=None)


def verwachting(
    maand: Maand,
    norm_bedrag: int,
    eerder: Iterable[Verrekening],
    beleid: Voorschotbeleid,
    situaties: Sequence[Situatie],
    startdatum: date,
) -> Verwachting:
    """`maand` as expected from the last settled months before it (the policy's number), each counted as
    the household of `maand` counts it: the norm of `maand` less their average counted income."""
    recent = sorted((v for v in eerder if v.maand < maand), key=lambda v: v.maand)[-beleid.maanden :]
    if not recent:
        return Verwachting(norm_bedrag, 0, 0)
    partner = partner_op(situaties, startdatum, maand)
    geteld = [in_huishouden(v, partner, partner_op(situaties, startdatum, v.maand)) for v in recent]
    zonder = any(
        v.partner is not None and n.partner is None and v.partner.inkomen.totaal
        for v, n in zip(recent, geteld, strict=True)
    )
    inkomen = afgerond(sum(_hele_maand(v) for v in geteld), len(geteld))
    netto = afgerond(sum(_hele_maand(v, _netto(v)) for v in geteld), len(geteld))
    return Verwachting(norm_bedrag, inkomen, netto, zonder)


def maandnorm(uitkering: Uitkering, situaties: Sequence[Situatie], maand: Maand, params: Parameters) -> int | None:
    """The norm for the days of `maand` the case runs, of the household of its first day (or the case's
    start); None when a caseworker must set it."""
    eerste = max(maand.eerste_dag, uitkering.startdatum)
    laatste = min(maand.laatste_dag, uitkering.einddatum) if uitkering.einddatum else maand.laatste_dag
    try:
        n = norm(situatie_op(list(situaties), eerste), uitkering.geboortedatum, maand, params)
    except (NormOnbekend, GeenParameters):
        return None
    return afgerond(n.bedrag * ((laatste - eerste).days + 1), maand.dagen)


def verwachting_van(
    uitkering: Uitkering,
    situaties: Sequence[Situatie],
    eerder: Iterable[Verrekening],
    beleid: Iterable[Voorschotbeleid],
    maand: Maand,
    params: Parameters,
) -> Verwachting | None:
    """`maand` of the case as expected under the policy in force on its first day; None when a caseworker
    must set its norm."""
    if (norm_bedrag := maandnorm(uitkering, situaties, maand, params)) is None:
        return None
    return verwachting(maand, norm_bedrag, eerder, geldend(beleid, maand.eerste_dag), situaties, uitkering.startdatum)


def _netto(v: Verrekening) -> int:
    return v.inkomen.totaal + (v.partner.inkomen.totaal if v.partner else 0)


def _hele_maand(v: Verrekening, bedrag: int | None = None) -> int:
    """A settled month's counted income (or another `bedrag` of its income) as a whole month's: one the
    case covered in part counted only its days (a case that began on the 16th, a job running on), unless
    its income's days were not known (lines from before their days were kept count whole)."""
    bedrag = v.gekort_inkomen if bedrag is None else bedrag
    inkomens = [v.inkomen] + ([v.partner.inkomen] if v.partner else [])
    per_dag = any(i.buiten or i.buiten_vakantiebijslag for i in inkomens) or any(
        b.verdiend is not None or b.buiten for i in inkomens for b in i.bijdragen
    )
    if not (per_dag and 0 < v.dagen < v.maand.dagen):
        return bedrag
    # a holiday allowance is paid once, whole, not by the day: its share of what counts is not scaled up
    totaal, vakantie = sum(i.totaal for i in inkomens), sum(i.vakantiebijslag for i in inkomens)
    eenmalig = afgerond(bedrag * vakantie, totaal) if totaal > 0 and vakantie > 0 else 0
    return afgerond((bedrag - eenmalig) * v.maand.dagen, v.dagen) + eenmalig


def voorschot(verwacht_bedrag: int, beleid: Voorschotbeleid) -> int:
    """The advance the policy proposes: its percentage of the expected payable bijstand."""
    return afgerond(verwacht_bedrag * beleid.percentage, 100)


@dataclass(frozen=True, slots=True)
class Kalendermaand:
    maand: Maand
    verwacht: int  # the payable bijstand the policy expects (before the month is settled)
    voorschot_betaald: int | None
    voorschot_voorgesteld: int | None
    polis_verwacht_op: date
    verrekening_verwacht_op: date
    verrekening: Verrekening | None
    verrekend_op: date | None
    stabiel: bool = False  # paid as stable income: the fixed amount from the intermediate account

    @property
    def te_overbruggen(self) -> int:
        """What the person lacks until the settlement: the (expected) payable bijstand not covered by
        the advance. Settled with a back-payment, it is that back-payment, bridged until it was settled.
        On stable income nothing: the account pays the same amount every month."""
        if self.stabiel:
            return 0
        voorschot = self.voorschot_betaald if self.voorschot_betaald is not None else self.voorschot_voorgesteld or 0
        nodig = self.verrekening.te_betalen if self.verrekening is not None else self.verwacht
        return max(0, nodig - voorschot)


def kalender(
    maanden: list[Maand],
    verwacht: Mapping[Maand, int],
    betaald: Mapping[Maand, int],
    voorgesteld: Mapping[Maand, int],
    verrekend: Mapping[Maand, tuple[Verrekening, date]],
    beleid: Iterable[Voorschotbeleid],
    stabiel: Collection[Maand] = (),
) -> list[Kalendermaand]:
    """The case's months in order; each month's dates under the policy in force on its first day."""
    versies = list(beleid)
    rijen = []
    for maand in maanden:
        b = geldend(versies, maand.eerste_dag)
        v, op = verrekend.get(maand, (None, None))
        rijen.append(
            Kalendermaand(
                maand,
                verwacht.get(maand, 0),
                betaald.get(maand),
                voorgesteld.get(maand),
                polis_verwacht(maand, b),
                verrekening_verwacht(maand, b),
                v,
                op,
                maand in stabiel,
            )
        )
    return rijen


@dataclass(frozen=True, slots=True)
class Tijdigheid:
    verrekend: int  # months first settled
    binnen_doel: int  # of which on or before their target date

    @property
    def aandeel_procent(self) -> int | None:
        return afgerond(100 * self.binnen_doel, self.verrekend) if self.verrekend else None

    def __add__(self, other: Tijdigheid) -> Tijdigheid:
        return Tijdigheid(self.verrekend + other.verrekend, self.binnen_doel + other.binnen_doel)


def tijdigheid(
    eerste_verrekeningen: Iterable[tuple[Maand, date, int]], beleid: Iterable[Voorschotbeleid]
) -> Tijdigheid:
    """How many months were first settled within the municipality's target (measured from the polis's
    expected arrival, the policy of the month's first day); each row counts the months (of its cases)
    first settled on one day."""
    versies = list(beleid)
    rijen = list(eerste_verrekeningen)
    binnen = sum(n for m, op, n in rijen if op <= verrekening_verwacht(m, geldend(versies, m.eerste_dag)))
    return Tijdigheid(sum(n for _, _, n in rijen), binnen)


def maanden_van(startdatum: date, einddatum: date | None, tot: Maand) -> list[Maand]:
    """The months of a case up to and including `tot` (or its end)."""
    laatste = min(tot, Maand.van(einddatum)) if einddatum else tot
    maand, rij = Maand.van(startdatum), []
    while maand <= laatste:
        rij.append(maand)
        maand = maand.volgende()
    return rij


def uitleg(
    maand: Maand, verwacht_bedrag: int, bedrag: int, beleid: Voorschotbeleid, zonder_partner: bool = False
) -> str:
    """The proposal in plain Dutch, for the person and the back office; `zonder_partner`: a partner's income
    of those months was left out, as they no longer belong to the household."""
    naam = maandnaam(maand)
    vertrokken = (
        "; het inkomen van een partner die niet meer tot uw huishouden hoort, telt daarin niet mee"
        if zonder_partner
        else ""
    )
    return (
        f"Voor {naam} is het voorschot {Bedrag(bedrag)}: {beleid.percentage}% van de verwachte bijstand van "
        f"{Bedrag(verwacht_bedrag)} (uw norm over {naam} min uw gemiddelde inkomen na vrijlating in de laatste "
        f"{beleid.maanden} verrekende maanden, na reservering van de vakantietoeslag{vertrokken}). Uw inkomen over "
        f"{naam} staat naar verwachting op {polis_verwacht(maand, beleid):%d-%m-%Y} in de polis; de gemeente "
        f"verrekent de maand dan uiterlijk op {verrekening_verwacht(maand, beleid):%d-%m-%Y}."
    )
