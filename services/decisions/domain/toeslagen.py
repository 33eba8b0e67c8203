"""The toeslagen signal: Schakel's estimate of a household's income for a calendar year as Toeslagen
counts it, from the settled months, and whether a settlement moved it enough to tell the person to
change their income estimate in Mijn toeslagen. Schakel calls no one: the signal is the product.

Huurtoeslag, zorgtoeslag and kindgebonden budget are paid in advance on the income the person
expects for the year: the toetsingsinkomen (Awir art. 8), the verzamelinkomen of the person and
their toeslagpartner. For someone on bijstand with a wage that is mostly the taxable wage plus the
gross bijstand. Schakel estimates it from what it has:
- per settled month the fiscal wage (loon voor de loonheffing) of each polis line of the applicant
  and the partner, for the days the line counts in the month (as its net is spread);
- the gross bijstand: the municipality's own wage declaration of the bijstand (kind `bijstand`,
  soort inkomstenverhouding 43, which counts nowhere as means) where the polis has it, else the granted bijstand, which is net: Schakel
  does not know the wage tax withheld from it, so such a month counts too low (and is said so);
- the rest of the year as the average of the last settled months (whole months; after the case's
  end only the wage).
It leaves out what it cannot know: months of the year before the case or not yet settled, income
that is not on the polis (own business, capital, alimony), deductions, and a toeslagpartner who is
not in the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from decisions.domain.inkomen import BIJSTAND
from decisions.domain.parameters import Parameters
from decisions.domain.verrekening import Verrekening
from schakel.primitives import Bedrag, Maand, afgerond, maandnaam

STAP = (
    "Uw huurtoeslag, zorgtoeslag en kindgebonden budget zijn gebaseerd op het inkomen dat u dit jaar verwacht. "
    "Past uw schatting bij Toeslagen niet meer, verander dan uw inkomen in Mijn toeslagen (inloggen met DigiD). "
    "Dan krijgt u het juiste voorschot en hoeft u later minder terug te betalen. Schakel geeft niets door aan de "
    "Belastingdienst: dat doet u zelf."
)


def fiscaal_deel(fiscaal_loon: int, dagen: int, dagen_tijdvak: int) -> int:
    """A pay period's fiscal wage for the days it counts in a month."""
    return afgerond(fiscaal_loon * dagen, dagen_tijdvak)


@dataclass(frozen=True, slots=True)
class Maandinkomen:
    """One settled month as Toeslagen counts it, in cents."""

    maand: Maand
    loon: int  # fiscal wage of the polis lines (the bijstand's own line apart)
    bijstand: int
    bijstand_netto: bool  # the granted (net) bijstand: not on the polis yet
    dagen: int  # days of the month the case covers
    partner: bool = False  # the month was settled with a partner (a couple's estimate)

    def volle_maand(self, bedrag: int) -> int:
        """An amount of a month the case covers in part, for the whole month (a month after the case's end,
        settled at nil, counts its wage as it is)."""
        return afgerond(bedrag * self.maand.dagen, self.dagen) if self.dagen else bedrag


def maandinkomen(v: Verrekening) -> Maandinkomen | None:
    """The month's income as Toeslagen counts it; None when a polis line's fiscal wage is not known."""
    bijdragen = v.inkomen.bijdragen + (v.partner.inkomen.bijdragen if v.partner is not None else ())
    return maandinkomen_van(
        v.maand, [(b.soort, b.fiscaal_loon) for b in bijdragen], v.bijstand, v.dagen, v.partner is not None
    )


def maandinkomen_van(
    maand: Maand, fiscaal: list[tuple[str, int | None]], bijstand: int, dagen: int, partner: bool
) -> Maandinkomen | None:
    """A settled month's income from its polis lines' kind and fiscal wage (the applicant's and the
    partner's), its granted bijstand and days: what a stored settlement gives without reading it whole."""
    if any(loon is None for _, loon in fiscaal):
        return None
    loon = sum(bedrag or 0 for soort, bedrag in fiscaal if soort != BIJSTAND)
    polis = [bedrag or 0 for soort, bedrag in fiscaal if soort == BIJSTAND]
    return Maandinkomen(maand, loon, sum(polis) if polis else bijstand, not polis and bijstand > 0, dagen, partner)


@dataclass(frozen=True, slots=True)
class Schatting:
    """The yearly income: the settled months of the year and an estimate for the months after them."""

    jaar: int
    maanden: tuple[Maandinkomen, ...]
    gemiddeld_over: int  # how many last settled months the rest is the average of
    rest: int  # the estimate for the months after the last settled one
    eind_maand: Maand | None  # the case's last month, when it ends in the year or before it

    @property
    def loon(self) -> int:
        return sum(m.loon for m in self.maanden)

    @property
    def bijstand(self) -> int:
        return sum(m.bijstand for m in self.maanden)

    @property
    def jaarinkomen(self) -> int:
        return self.loon + self.bijstand + self.rest

    @property
    def netto_maanden(self) -> int:
        return sum(m.bijstand_netto for m in self.maanden)


def schatting(jaar: int, verrekeningen: Iterable[Verrekening], maanden: int, einde: date | None) -> Schatting | None:
    """The estimate of the year from its settled months (None without any, or with a month whose
    fiscal wage Schakel did not keep): the rest of the year as the average of the last `maanden`,
    bijstand only up to the case's end."""
    return _schatting(jaar, {v.maand: maandinkomen(v) for v in verrekeningen if v.maand.jaar == jaar}, maanden, einde)


def _schatting(
    jaar: int, rijen: Mapping[Maand, Maandinkomen | None], maanden: int, einde: date | None
) -> Schatting | None:
    """`schatting` from the months' incomes (those of other years are left out)."""
    van_het_jaar = [r for maand, r in sorted(rijen.items()) if maand.jaar == jaar]
    gezien = [r for r in van_het_jaar if r is not None]
    if not gezien or len(gezien) < len(van_het_jaar):
        return None
    laatste = gezien[-maanden:]
    eind = Maand.van(einde) if einde is not None and einde.year <= jaar else None
    # the rest's months up to the end count bijstand (none when the case ended in an earlier year)
    met_bijstand = (12 if eind is None else eind.maand if eind.jaar == jaar else 0) - gezien[-1].maand.maand
    rest = afgerond(
        sum(r.volle_maand(r.loon) for r in laatste) * (12 - gezien[-1].maand.maand)
        + sum(r.volle_maand(r.bijstand) for r in laatste) * max(0, met_bijstand),
        len(laatste),
    )
    return Schatting(jaar, tuple(gezien), len(laatste), rest, eind)


def jaarschatting(
    jaar: int, verrekeningen: Iterable[Verrekening], einde: date | None, params: Parameters
) -> Schatting | None:
    """The estimate of a year by the policy valid at its start."""
    return schatting(jaar, verrekeningen, params.toeslagensignaal_op(date(jaar, 1, 1)).maanden, einde)


@dataclass(frozen=True, slots=True)
class Signaal:
    """A settled or revised month moved the year's estimate by more than the threshold."""

    voor: Schatting
    na: Schatting
    drempel: int
    aanleiding: tuple[Maand, ...]  # the months of the year settled for the first time or revised

    @property
    def verschil(self) -> int:
        return self.na.jaarinkomen - self.voor.jaarinkomen


def signalen(
    oud: Mapping[Maand, Maandinkomen | None],
    nieuw: Mapping[Maand, Maandinkomen | None],
    aanleiding: Iterable[Maand],
    einde: date | None,
    params: Parameters,
) -> list[Signaal]:
    """The years whose estimate the new settlements move by more than that year's threshold, from the
    months' incomes as stored (`oud`) and as settled now (`nieuw`: a stored month the rules no longer
    settle still stands until a caseworker decides, as the estimate the API shows counts it), and the
    months settled for the first time or revised (`aanleiding`); `oud` needs only the months of
    those years."""
    result, na_stand = [], {**oud, **nieuw}
    per_jaar: dict[int, list[Maand]] = {}
    for maand in aanleiding:
        per_jaar.setdefault(maand.jaar, []).append(maand)
    for jaar, maanden in sorted(per_jaar.items()):
        beleid = params.toeslagensignaal_op(date(jaar, 1, 1))
        voor, na = _schatting(jaar, oud, beleid.maanden, einde), _schatting(jaar, na_stand, beleid.maanden, einde)
        if voor is not None and na is not None and abs(na.jaarinkomen - voor.jaarinkomen) > beleid.drempel:
            result.append(Signaal(voor, na, beleid.drempel, tuple(maanden)))
    return result


def _reeks(van: Maand, tot: Maand) -> str:
    if van == tot:
        return maandnaam(van)
    return f"{maandnaam(van).split()[0]} {'en' if van.volgende() == tot else 'tot en met'} {maandnaam(tot)}"


def toelichting(s: Schatting, partner: bool) -> str:
    """How the estimate was made and what it leaves out, in plain Dutch."""
    eerste, laatste = s.maanden[0].maand, s.maanden[-1].maand
    wie = "het inkomen van u en uw partner samen" if partner else "uw inkomen"
    zinnen = [
        f"Schakel schat {wie} over {s.jaar} op {Bedrag(s.jaarinkomen)}: loon volgens de polis "
        f"(fiscaal loon) {Bedrag(s.loon)} en bijstand {Bedrag(s.bijstand)} in {_reeks(eerste, laatste)}"
    ]
    if laatste.maand < 12:
        na_einde = "; na het einde van de uitkering alleen het loon" if s.eind_maand is not None else ""
        zinnen[0] += (
            f", en {Bedrag(s.rest)} voor de rest van het jaar, het gemiddelde van de laatste {s.gemiddeld_over} "
            f"verrekende maand(en){na_einde}"
        )
    zinnen[0] += "."
    if s.netto_maanden:
        zinnen.append(
            f"De bijstand van {s.netto_maanden} maand(en) telt netto mee, omdat de aangifte van de gemeente met de "
            "bruto bijstand (nog) niet in de polis staat; voor de toeslagen telt de bruto bijstand (op de jaaropgaaf "
            "van de gemeente), die hoger is. De schatting is daardoor te laag."
        )
    if eerste.maand > 1:
        wiens = "Het inkomen van u en uw partner" if partner else "Uw inkomen"
        zinnen.append(
            f"{wiens} in {_reeks(Maand(s.jaar, 1), Maand(s.jaar, eerste.maand - 1))} kent Schakel niet: tel het er "
            "zelf bij."
        )
    zinnen.append(
        "Niet meegeteld is inkomen dat niet in de polis staat (zoals uit een eigen bedrijf, vermogen of "
        "partneralimentatie), aftrekposten, en het inkomen van een toeslagpartner die niet in deze uitkering staat."
    )
    return " ".join(zinnen)


def uitleg(s: Signaal, partner: bool) -> str:
    """The signal in plain Dutch: before and after, why, how it was estimated, and the step to take."""
    richting = "hoger" if s.verschil > 0 else "lager"
    maanden = ", ".join(maandnaam(m) for m in s.aanleiding)
    return (
        f"Door de verrekening van {maanden} is het verwachte inkomen over {s.na.jaar} veranderd van "
        f"{Bedrag(s.voor.jaarinkomen)} naar {Bedrag(s.na.jaarinkomen)}: {Bedrag(abs(s.verschil))} {richting}. "
        f"{toelichting(s.na, partner)} {STAP}"
    )
