"""Income offsetting (verrekening) per calendar month, art. 31-32 Participatiewet:

    bijstand = max(0, norm − (counted net income − vrijlating))

of which 5% is reserved as holiday allowance (paid out in June); the rest is payable, and the
difference with what was already paid (the advance) is a back-payment or a recovery. Months are
settled in order from the case's first month, so the vrijlating clock never counts a month twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from decisions.domain.norm import Norm, norm
from decisions.domain.parameters import Parameters
from decisions.domain.situatie import Situatie, geldend
from decisions.domain.vrijlating import Klok, Vrijlating, bepaal
from schakel.primitives import Bedrag, Maand, afgerond

MAANDNAMEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True, slots=True)
class Bijdrage:
    """One employer's period that counts in the month (from the income service)."""

    loonheffingennummer: str
    inkomstenverhouding: int
    tijdvak_begin: date
    tijdvak_einde: date
    netto: int


@dataclass(frozen=True, slots=True)
class Inkomen:
    netto: int  # net work income of the month
    vakantiebijslag: int  # netted holiday allowance paid in the month
    bijdragen: tuple[Bijdrage, ...] = ()

    @property
    def totaal(self) -> int:
        return self.netto + self.vakantiebijslag

    @property
    def dienstverbanden(self) -> frozenset[str]:
        return frozenset(f"{b.loonheffingennummer}/{b.inkomstenverhouding}" for b in self.bijdragen if b.netto)


@dataclass(frozen=True, slots=True)
class Verrekening:
    maand: Maand
    norm: Norm
    dagen: int  # days of the month the case covers
    norm_bedrag: int  # the norm for those days
    inkomen: Inkomen
    vrijlating: Vrijlating | None
    bijstand: int  # granted
    vakantietoeslag: int  # reserved
    te_betalen: int
    betaald: int

    @property
    def verschil(self) -> int:
        """Positive: back-payment (nabetaling); negative: recovery (terugvordering)."""
        return self.te_betalen - self.betaald

    @property
    def gekort_inkomen(self) -> int:
        return self.inkomen.totaal - (self.vrijlating.bedrag if self.vrijlating else 0)


def verreken(
    startdatum: date,
    einddatum: date | None,
    geboortedatum: date,
    situaties: list[Situatie],
    inkomens: dict[Maand, Inkomen],
    betaald: dict[Maand, int],
    params: Parameters,
) -> list[Verrekening]:
    """Every month of the case with a known income, in order."""
    klok = Klok()
    result = []
    for maand in sorted(inkomens):
        eerste = max(maand.eerste_dag, startdatum)
        laatste = min(maand.laatste_dag, einddatum) if einddatum else maand.laatste_dag
        if eerste > laatste:
            continue  # outside the case
        situatie = geldend(situaties, eerste)
        inkomen = inkomens[maand]
        vrijlating, klok = bepaal(maand, inkomen.totaal, geboortedatum, situatie, klok, inkomen.dienstverbanden, params)
        n = norm(situatie, geboortedatum, maand, params)
        dagen = (laatste - eerste).days + 1
        norm_bedrag = afgerond(n.bedrag * dagen, maand.dagen)
        gekort = inkomen.totaal - (vrijlating.bedrag if vrijlating else 0)
        bijstand = max(0, norm_bedrag - gekort)
        vakantietoeslag = afgerond(bijstand * int(params.vakantietoeslag * 100), 10_000)
        result.append(
            Verrekening(
                maand,
                n,
                dagen,
                norm_bedrag,
                inkomen,
                vrijlating,
                bijstand,
                vakantietoeslag,
                bijstand - vakantietoeslag,
                betaald.get(maand, 0),
            )
        )
    return result


def maandnaam(maand: Maand) -> str:
    return f"{MAANDNAMEN[maand.maand - 1]} {maand.jaar}"


def uitleg(v: Verrekening) -> str:
    """The settlement in plain Dutch, for the citizen."""
    zinnen = [f"Over {maandnaam(v.maand)} is uw bijstandsnorm {Bedrag(v.norm.bedrag)} ({v.norm.omschrijving})."]
    if v.dagen < v.maand.dagen:
        zinnen.append(
            f"U had {v.dagen} van de {v.maand.dagen} dagen recht op bijstand, dus de norm is {Bedrag(v.norm_bedrag)}."
        )
    if v.inkomen.bijdragen:
        delen = "; ".join(
            f"{Bedrag(b.netto)} bij werkgever {b.loonheffingennummer} (tijdvak "
            f"{b.tijdvak_begin:%d-%m-%Y} tot en met {b.tijdvak_einde:%d-%m-%Y})"
            for b in v.inkomen.bijdragen
        )
        zinnen.append(f"U verdiende netto {Bedrag(v.inkomen.netto)}: {delen}.")
    else:
        zinnen.append(f"U verdiende netto {Bedrag(v.inkomen.netto)}.")
    if v.inkomen.vakantiebijslag:
        zinnen.append(f"U kreeg {Bedrag(v.inkomen.vakantiebijslag)} netto vakantiegeld van uw werkgever.")
    if v.vrijlating:
        w = v.vrijlating
        plafond = f", maximaal {Bedrag(w.plafond)}" if w.plafond is not None else ""
        duur = f", maand {w.maand_nummer} van {w.maanden}" if w.maanden else ""
        procent = str(w.percentage).replace(".", ",")
        zinnen.append(f"Daarvan mag u {Bedrag(w.bedrag)} houden (vrijlating {w.grond}: {procent}%{plafond}{duur}).")
    zinnen.append(
        f"We tellen {Bedrag(v.gekort_inkomen)} als inkomen. Uw bijstand is {Bedrag(v.bijstand)}; "
        f"daarvan reserveren we {Bedrag(v.vakantietoeslag)} vakantietoeslag, die u in juni krijgt. "
        f"Over deze maand krijgt u {Bedrag(v.te_betalen)}."
    )
    if v.verschil > 0:
        zinnen.append(f"U kreeg al {Bedrag(v.betaald)}; wij betalen u nog {Bedrag(v.verschil)} bij.")
    elif v.verschil < 0:
        zinnen.append(f"U kreeg al {Bedrag(v.betaald)}; dat is {Bedrag(-v.verschil)} te veel, dat vorderen wij terug.")
    else:
        zinnen.append(f"U kreeg al {Bedrag(v.betaald)}; dat klopt precies.")
    return " ".join(zinnen)
