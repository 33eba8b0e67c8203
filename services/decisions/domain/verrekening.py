"""Income offsetting (verrekening) per calendar month, art. 31-32 Participatiewet:

    bijstand = max(0, norm − max(0, counted net income − vrijlating))

(a month negative on balance counts as nil: bijstand is never more than the norm), of which 5% is
reserved as holiday allowance (paid out in June); the rest is payable, and the difference with what
was already paid (the advance) is a back-payment or a recovery; on stable income the payable amount
goes into the intermediate account instead, and only an advance paid on top is owed back. Months are
settled in order, so the vrijlating clock never counts a month twice: from the case's first month, or
from a month on the clocks it started with (`Klokken`, kept with its settlement).

For a married or cohabiting household (art. 4, 11) bijstand is one household benefit: both
partners' income counts against the couple's norm, and each partner's work income gets their own
vrijlating, on their own grounds, age and clock. A month is settled once either partner's income
is known; the other's counts as none until the polis says otherwise (a later arrival revises the
month by the difference). A month once settled stays settled: when no income of the household is
known for it any more, it is settled with none. A month with income of an unknown kind, or a partner whose income
Schakel cannot know (no BSN), is not settled: it waits for a caseworker (`TeBeoordelen`).

A month after the case's end that was paid (an advance, or on stable income the fixed amount the
account paid before the case was ended back in time) or settled before the case was ended (back
to a date before it) is settled at nil (art. 54 lid 3: the decision is revised): no right, so what
was paid for it becomes a claim.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from decisions.domain.inkomen import (
    BIJSTAND,
    GEEN,
    OVERIG,
    Bijdrage,
    Inkomen,
    Oordeel,
    beoordeeld,
    binnen,
    open_vragen,
)
from decisions.domain.norm import Norm, NormOnbekend, kostendelersgetal, norm
from decisions.domain.parameters import GeenParameters, Parameters
from decisions.domain.situatie import Betaalmodel, Situatie, geldend
from decisions.domain.vrijlating import Klok, Klokken, Vrijlating, bepaal, geen_vrijlating, niet_toegepast, waarom_geen
from schakel.primitives import Bedrag, Maand, afgerond, maandnaam, vrijlatingsgronden


def geteld(inkomen: Inkomen, vrijlating: Vrijlating | None) -> int:
    """What of a person's income counts against the norm: all of it minus their vrijlating."""
    return inkomen.totaal - (vrijlating.bedrag if vrijlating else 0)


def getoetst(delen: Iterable[Deel]) -> int:
    """The household's counted income: each partner's income minus their own vrijlating, and never below
    nothing (a month's repayment to an employer does not lift bijstand above the norm)."""
    return max(0, sum(geteld(d.inkomen, d.vrijlating) for d in delen))


def reservering(bijstand: int, procent: Decimal) -> int:
    """The holiday allowance a month's `bijstand` reserves: `procent` of it (to a hundredth of a
    percent), to the cent. The settlement, the advance, the stable income and the payout all use it."""
    return afgerond(bijstand * int(procent * 100), 10_000)


@dataclass(frozen=True, slots=True)
class Deel:
    """A person's part of a household month: their income and their own vrijlating, or why they had none
    on income from work (see vrijlating.geen_vrijlating)."""

    inkomen: Inkomen
    vrijlating: Vrijlating | None
    geen_vrijlating: str | None = None


@dataclass(frozen=True, slots=True)
class Rekening:
    """A month on stable income as the intermediate account booked it: what it paid the person (the fixed
    amount, kept as it was paid whatever a later revision says the month was owed), of that what a revision
    made a claim (`terug`: the fixed amount above what the month now owes), and the work income paid into it
    by the applicant's employers and by a partner's (`partnerloon`: also of a partner the household no
    longer counts for the month, or one another partner replaced in it back in time: a revision does not
    take their wage out of the account); `partners`: that wage per partner (BSN) who was in the household
    of the month when it was settled (none known of a month booked before it was kept per person)."""

    vast: int
    terug: int
    loon: int
    partnerloon: int
    partners: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Verrekening:
    maand: Maand
    norm: Norm
    dagen: int  # days of the month the case covers
    norm_bedrag: int  # the norm for those days
    inkomen: Inkomen  # the applicant's (aanvrager)
    vrijlating: Vrijlating | None  # the applicant's
    bijstand: int  # granted
    vakantietoeslag: int  # reserved
    te_betalen: int
    betaald: int
    partner: Deel | None = None
    klokken: Klokken | None = None  # as the month's settlement started (None: stored before they were kept)
    geen_vrijlating: str | None = None  # why the applicant's work income had no vrijlating
    # paid as stable income (Surplus): the bijstand goes into the intermediate account, not to the person
    tussenrekening: bool = False
    # on stable income: what the account paid and received for the month (None: not booked by it yet)
    rekening: Rekening | None = None

    @property
    def verschil(self) -> int:
        """Positive: back-payment (nabetaling); negative: recovery (terugvordering). On stable income the
        bijstand goes into the intermediate account, which pays the fixed amount: an advance paid on top
        of that is owed back whole, and so is the fixed amount paid above what a revision says the month
        owes (`Rekening.terug`); the rest is the account's."""
        if self.tussenrekening:
            return -self.betaald - (self.rekening.terug if self.rekening is not None else 0)
        return self.te_betalen - self.betaald

    @property
    def recht(self) -> bool:
        """Whether the case ran in the month (one after its end is settled at nil)."""
        return self.dagen > 0

    @property
    def delen(self) -> tuple[Deel, ...]:
        """The applicant's part, and the partner's."""
        eigen = Deel(self.inkomen, self.vrijlating, self.geen_vrijlating)
        return (eigen,) if self.partner is None else (eigen, self.partner)

    @property
    def gekort_inkomen(self) -> int:
        return getoetst(self.delen)


@dataclass(frozen=True, slots=True)
class TeBeoordelen:
    """A month Schakel does not settle by itself: whose income (aanvrager or partner), why (`reden`, the
    caseworker's instruction) and which of `WACHTEN` it is (`soort`, for the citizen's sentence)."""

    maand: Maand
    wie: str  # aanvrager, partner
    reden: str
    soort: str
    bijdragen: tuple[Bijdrage, ...] = ()


@dataclass(frozen=True, slots=True)
class Resultaat:
    verrekeningen: list[Verrekening]
    te_beoordelen: list[TeBeoordelen] = field(default_factory=list)


# why a month waits, as a citizen reads it: said to the person whose income it is, and to the other
WACHTEN = {
    "inkomstensoort": (
        "Over {maand} kreeg u inkomen waarvan niet bekend is of het loon is of een uitkering of pensioen.",
        "Over {maand} kreeg uw partner inkomen waarvan niet bekend is of het loon is of een uitkering of pensioen.",
    ),
    # read only by the applicant: a partner without a BSN in the case has no way to log in as theirs
    "partner": (
        "Van uw partner heeft de gemeente geen burgerservicenummer (BSN), dus het inkomen van uw partner over "
        "{maand} is niet bekend.",
    )
    * 2,
    "norm": (
        "Bij een jongere onder de 21 met een partner of kind legt de gemeente de bijstandsnorm uit de wet zelf "
        "vast. Dat geldt voor uw bijstand over {maand}.",
    )
    * 2,
    "bedragen": ("De bedragen van de bijstand over {maand} zijn nog niet bekend in Schakel.",) * 2,
}


def voor_burger(t: TeBeoordelen, eigen: bool) -> str:
    """Why a month waits, in the citizen's words (`eigen`: read by the person whose income it is)."""
    return f"{_waarom(t, eigen)} {_wat_nu(meer=False)}"


def wachten_uitleg(wachtend: list[TeBeoordelen]) -> str:
    """Why these months wait, in one text as the applicant reads it."""
    waarom = dict.fromkeys(_waarom(t, t.wie == "aanvrager") for t in wachtend)
    return " ".join([*waarom, _wat_nu(meer=len({t.maand for t in wachtend}) > 1)])


def _waarom(t: TeBeoordelen, eigen: bool) -> str:
    return WACHTEN[t.soort][not eigen].format(maand=maandnaam(t.maand))


def _wat_nu(meer: bool) -> str:
    deze, die = ("deze maanden", "ze") if meer else ("deze maand", "die")
    return (
        f"Een medewerker van de gemeente bekijkt {deze}; daarna verrekenen wij {die}. U hoeft niets te doen: "
        "heeft de gemeente iets van u nodig, dan hoort u dat."
    )


def _onbekend(maand: Maand, wie: str, inkomen: Inkomen) -> list[TeBeoordelen]:
    if not inkomen.onbekend:
        return []
    bijdragen = open_vragen(inkomen)
    codes = ", ".join(
        f"{b.loonheffingennummer}/{b.inkomstenverhouding} (soort {b.soort_inkomstenverhouding or 'niet aangegeven'})"
        for b in bijdragen
    )
    reden = f"de soort inkomen is onbekend bij {codes}: leg vast of het arbeid of overig inkomen is"
    return [TeBeoordelen(maand, wie, reden, "inkomstensoort", bijdragen)]


def _vragen(maand: Maand, situatie: Situatie, inkomen: Inkomen, partnerinkomen: Inkomen) -> list[TeBeoordelen]:
    """What keeps a household's month from being settled by the rules alone."""
    vragen = _onbekend(maand, "aanvrager", inkomen)
    if situatie.partner is not None and situatie.partner.bsn is None:
        reden = "van de partner is geen BSN vastgelegd, dus hun inkomen is onbekend: leg de partner vast"
        vragen.append(TeBeoordelen(maand, "partner", reden, "partner"))
    return vragen + _onbekend(maand, "partner", partnerinkomen)


def _partnerdeel(
    maand: Maand, situatie: Situatie, inkomen: Inkomen, klokken: dict[str, Klok], params: Parameters
) -> Deel | None:
    """The partner's income and own vrijlating (own grounds, age and clock); advances their clock."""
    p = situatie.partner
    if p is None or p.bsn is None:
        return None
    eigen = situatie.voor_partner()
    vrijlating, klokken[p.bsn] = bepaal(
        maand, inkomen.arbeid, p.geboortedatum, eigen, klokken.get(p.bsn, Klok()), inkomen.dienstverbanden, params
    )
    return Deel(inkomen, vrijlating, _waarom_geen(maand, inkomen, vrijlating, p.geboortedatum, eigen, params))


def _waarom_geen(
    maand: Maand, inkomen: Inkomen, vrijlating: Vrijlating | None, geboren: date, situatie: Situatie, params: Parameters
) -> str | None:
    return waarom_geen(maand, geboren, situatie, params) if vrijlating is None and inkomen.arbeid > 0 else None


def _toegepast(norm_bedrag: int, personen: list[tuple[Deel, Klok, Klok]]) -> list[tuple[Deel, Klok]]:
    """Each person's part and clock after the month, from (part, clock before, clock after). The months of
    a vrijlating are those in which it was actually applied: one without which the bijstand is the same
    was not, unless the household's are needed together (then each was). Such a one is left out, with
    why, where that keeps one of its limited months (n, z, the first month of r); one without a limit, or
    running by the calendar, stays."""
    delen = [d for d, _, _ in personen]
    geteld_inkomen = sum(geteld(d.inkomen, d.vrijlating) for d in delen)
    if not any(d.vrijlating for d in delen) or 0 < geteld_inkomen < norm_bedrag:
        # bijstand above nil on income above nil: every vrijlating lowers it (the common month, decided at once)
        return [(d, na) for d, _, na in personen]
    bijstand = _bijstand(norm_bedrag, delen)

    def zonder(weg: set[int]) -> list[Deel]:
        return [replace(d, vrijlating=None) if i in weg else d for i, d in enumerate(delen)]

    weg = {i for i, d in enumerate(delen) if d.vrijlating and _bijstand(norm_bedrag, zonder({i})) == bijstand}
    if _bijstand(norm_bedrag, zonder(weg)) != bijstand:
        weg = set()
    reden = "negatief-inkomen" if bijstand else "boven-norm"
    result = []
    for i, (d, voor, na) in enumerate(personen):
        if i in weg and d.vrijlating and d.vrijlating.maanden is not None and (terug := niet_toegepast(voor, na)) != na:
            d, na = replace(d, vrijlating=None, geen_vrijlating=reden), terug
        result.append((d, na))
    return result


def zonder_toelichting(v: Verrekening) -> Verrekening:
    """The settlement without what only carries it on or explains it: the clocks it started with, why
    someone had no vrijlating, the norm's words. Two months alike in the rest are one settlement (nothing
    to announce; a month stored in older words gets the new ones quietly)."""
    p = None if v.partner is None else replace(v.partner, geen_vrijlating=None)
    # what the intermediate account booked is carried on (it changes only with what else changes): a
    # month stored before it was kept gets it quietly
    norm = replace(v.norm, omschrijving="")
    return replace(v, norm=norm, klokken=None, geen_vrijlating=None, partner=p, rekening=None)


def andere_reden(oud: Verrekening, nieuw: Verrekening) -> bool:
    """Whether a month says otherwise why someone had no vrijlating than it said (a month stored before
    the reasons were kept said none: it gets one quietly)."""
    paren = [(oud.geen_vrijlating, nieuw.geen_vrijlating)]
    if oud.partner is not None and nieuw.partner is not None:
        paren.append((oud.partner.geen_vrijlating, nieuw.partner.geen_vrijlating))
    return any(was is not None and was != nu for was, nu in paren)


def _bijstand(norm_bedrag: int, delen: Iterable[Deel]) -> int:
    return max(0, norm_bedrag - getoetst(delen))


def verreken(
    startdatum: date,
    einddatum: date | None,
    geboortedatum: date,
    situaties: list[Situatie],
    inkomens: Mapping[Maand, Inkomen],
    betaald: Mapping[Maand, int],
    params: Parameters,
    partnerinkomens: Mapping[str, Mapping[Maand, Inkomen]],
    oordelen: Mapping[tuple[str, int], Oordeel],
    startklok: Klok = Klok(),
    start: tuple[Maand, Klokken] | None = None,
    eerder: Collection[Maand] = (),
    partneroordelen: Mapping[str, Mapping[tuple[str, int], Oordeel]] = MappingProxyType({}),
    vast_betaald: Collection[Maand] = (),
) -> Resultaat:
    """Every month of the case with a known income of the applicant or their partner then (by BSN) or
    settled `eerder`, in order, and at nil every month after its end that was paid (an advance, or the fixed
    amount on stable income: `vast_betaald`) or settled before; the
    applicant's vrijlating clock goes on from `startklok` (months used in an earlier benefit). From a `start` (a
    month and the clocks its settlement started with), only the months from it on."""
    vanaf, klokken = start or (None, Klokken(startklok))
    klok, partnerklokken = klokken.aanvrager, dict(klokken.partners)
    result, vragen = [], []
    maanden = set(inkomens).union(*(set(m) for m in partnerinkomens.values()))
    # after the end: the months settled before, or paid (an advance of more than nothing, the fixed amount)
    vervallen = (
        set()
        if einddatum is None
        else {m for m in (*eerder, *vast_betaald, *(m for m, b in betaald.items() if b)) if m.eerste_dag > einddatum}
    )
    # a month settled before stays settled: with no income of the household known now (a partner who
    # turned out not to be one), it is settled with none rather than left with an income that is not theirs
    for maand in sorted(m for m in maanden | vervallen | set(eerder) if vanaf is None or m >= vanaf):
        nihil = maand in vervallen
        eerste = max(maand.eerste_dag, startdatum)
        laatste = min(maand.laatste_dag, einddatum) if einddatum else maand.laatste_dag
        if eerste > laatste and not nihil:
            continue  # outside the case
        situatie = geldend(situaties, eerste)
        partner = situatie.partner
        van_partner = partnerinkomens.get(partner.bsn, {}) if partner is not None and partner.bsn else {}
        if maand not in inkomens and maand not in van_partner and not nihil and maand not in eerder:
            continue  # income of someone not in the household this month
        inkomen, partnerinkomen = inkomens.get(maand, GEEN), van_partner.get(maand, GEEN)
        if not nihil and (eerste, laatste) != (maand.eerste_dag, maand.laatste_dag):
            # a month the case covers in part: income earned on its other days is no bijstand's
            inkomen, partnerinkomen = binnen(inkomen, eerste, laatste), binnen(partnerinkomen, eerste, laatste)
        # judged after the cut: it can bring back an unknown part a negative line outside had offset
        # each by the judgements of their own relationships (`oordelen` the applicant's, the partner's by BSN)
        eigen_oordelen = partneroordelen.get(partner.bsn, {}) if partner is not None and partner.bsn else {}
        inkomen, partnerinkomen = beoordeeld(inkomen, oordelen), beoordeeld(partnerinkomen, eigen_oordelen)
        klokken = Klokken(klok, tuple(sorted(partnerklokken.items())))
        if nihil:
            deel = None if partner is None or partner.bsn is None else Deel(partnerinkomen, None)
            result.append(_vervallen(maand, situatie, inkomen, deel, betaald.get(maand, 0), klokken))
            continue
        if maandvragen := _vragen(maand, situatie, inkomen, partnerinkomen):
            vragen += maandvragen
            continue
        try:
            vrijlating, volgende = bepaal(
                maand, inkomen.arbeid, geboortedatum, situatie, klok, inkomen.dienstverbanden, params
            )
            eigen = Deel(inkomen, vrijlating, _waarom_geen(maand, inkomen, vrijlating, geboortedatum, situatie, params))
            deel = _partnerdeel(maand, situatie, partnerinkomen, partnerklokken, params)
            klok = volgende
            n = norm(situatie, geboortedatum, maand, params)
        except (NormOnbekend, GeenParameters) as exc:
            # a norm the law leaves to a caseworker (whose vrijlating months count all the same: the
            # work income was there), or a month before the tables: the month waits, shown with its
            # reason, and the later months are settled
            soort = "norm" if isinstance(exc, NormOnbekend) else "bedragen"
            vragen.append(TeBeoordelen(maand, "aanvrager", str(exc), soort))
            continue
        dagen = (laatste - eerste).days + 1
        norm_bedrag = afgerond(n.bedrag * dagen, maand.dagen)
        personen = [(eigen, klokken.aanvrager, klok)]
        if deel is not None and partner is not None and partner.bsn is not None:
            personen.append((deel, dict(klokken.partners).get(partner.bsn, Klok()), partnerklokken[partner.bsn]))
        (eigen, klok), *partnerstand = _toegepast(norm_bedrag, personen)
        if deel is not None and partner is not None and partner.bsn is not None:
            [(deel, partnerklokken[partner.bsn])] = partnerstand
        bijstand = _bijstand(norm_bedrag, [eigen] + ([deel] if deel else []))
        vakantietoeslag = reservering(bijstand, params.vakantietoeslag)
        result.append(
            Verrekening(
                maand,
                n,
                dagen,
                norm_bedrag,
                inkomen,
                eigen.vrijlating,
                bijstand,
                vakantietoeslag,
                bijstand - vakantietoeslag,
                betaald.get(maand, 0),
                deel,
                klokken,
                eigen.geen_vrijlating,
                situatie.betaalmodel is Betaalmodel.stabiel_inkomen,
            )
        )
    return Resultaat(result, vragen)


def _vervallen(
    maand: Maand, situatie: Situatie, inkomen: Inkomen, partner: Deel | None, betaald: int, klokken: Klokken
) -> Verrekening:
    """A month after the case's end: no right, so no vrijlating, and every clock stands still; the
    household's income is kept as it was (the toeslagen estimate and the intermediate account count it)."""
    n = Norm(0, "geen recht op bijstand: de uitkering is beëindigd", kostendelersgetal(situatie))
    stabiel = situatie.betaalmodel is Betaalmodel.stabiel_inkomen  # the wage still went into the account
    return Verrekening(maand, n, 0, 0, inkomen, None, 0, 0, 0, betaald, partner, klokken, None, stabiel)


def _datum(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"  # as %d-%m-%Y, without strftime's cost per event


def _tijdvak(b: Bijdrage) -> str:
    tijdvak = f"tijdvak {_datum(b.tijdvak_begin)} tot en met {_datum(b.tijdvak_einde)}"
    if b.buiten:
        return (
            f"{tijdvak}; van de {Bedrag(b.netto + b.buiten)} is {Bedrag(b.buiten)} verdiend op dagen zonder "
            "bijstand en telt niet"
        )
    return tijdvak


def _inkomen_uitleg(
    maand: Maand, inkomen: Inkomen, vrijlating: Vrijlating | None, geen: str | None, wie: str, stel: bool
) -> list[str]:
    """Whose income it was, per employer or benefit agency, and the vrijlating on its work part (or why
    none). `wie` is "U" for the reader's own income, "Uw partner" for the other's (never a BSN)."""
    jij = wie == "U"
    zinnen = []
    telt = [b for b in inkomen.bijdragen if b.soort != BIJSTAND]
    if inkomen.overschreven:  # the polis's lines as it states them: the stated amount counts, not they
        telt = [replace(b, netto=b.netto + b.buiten, buiten=0) for b in telt]
    # the polis names a payer by its payroll-tax number only (the income event carries no name)
    delen = "; ".join(
        f"{Bedrag(b.netto)} uitkering of pensioen van de instantie met loonheffingennummer {b.loonheffingennummer} "
        f"({_tijdvak(b)})"
        if b.soort == OVERIG
        else f"{Bedrag(b.netto)} bij de werkgever met loonheffingennummer {b.loonheffingennummer} ({_tijdvak(b)})"
        for b in telt
    )
    if inkomen.overschreven:  # the lines are the polis's: they need not add up to what counts
        wiens = "uw netto inkomen" if jij else "het netto inkomen van uw partner"
        zinnen.append(
            f"Uw gemeente stelde {wiens} over deze maand vast op "
            f"{Bedrag(inkomen.netto + inkomen.buiten)}, bijvoorbeeld van een loonstrook: dat telt, in plaats van de polis."
        )
        if inkomen.buiten:
            zinnen.append(
                f"Deze uitkering loopt niet de hele maand: daarom telt {Bedrag(inkomen.netto)}, naar verhouding van "
                f"de dagen met deze uitkering; de rest hoort bij dagen zonder."
            )
        if telt:
            zinnen.append(f"Op de polis staat: {delen}.")
    elif telt:
        zinnen.append(f"{wie} {'verdiende' if not inkomen.overig else 'had'} netto {Bedrag(inkomen.netto)}: {delen}.")
    elif inkomen.netto or inkomen.bijdragen:
        zinnen.append(f"{wie} verdiende netto {Bedrag(inkomen.netto)}.")
    else:  # a month closed without income, or one whose income is not known (yet): both say no more
        zinnen.append(f"Over deze maand is geen inkomen van {'u' if jij else 'uw partner'} bekend.")
    if bijstand := sum(b.netto for b in inkomen.bijdragen if b.soort == BIJSTAND):
        zinnen.append(f"De bijstand zelf staat ook op de polis ({Bedrag(bijstand)} netto): die telt niet als inkomen.")
    buiten = inkomen.buiten_vakantiebijslag_totaal
    if buiten:
        zinnen.append(
            f"{wie} kreeg {Bedrag(inkomen.vakantiebijslag + buiten)} netto vakantiegeld, waarvan "
            f"{Bedrag(inkomen.vakantiebijslag)} telt: de rest hoort bij dagen zonder bijstand."
        )
    elif inkomen.vakantiebijslag:
        zinnen.append(f"{wie} kreeg {Bedrag(inkomen.vakantiebijslag)} netto vakantiegeld.")
    if inkomen.overig:
        zinnen.append(
            f"Over {Bedrag(inkomen.overig)} uitkering of pensioen geldt geen vrijlating: die is alleen voor "
            f"inkomen uit werk."
        )
    if vrijlating:
        w = vrijlating
        plafond = f", maximaal {Bedrag(w.plafond)}" if w.plafond is not None else ""
        duur = f", maand {w.maand_nummer} van {w.maanden}" if w.maanden else ""
        procent = str(w.percentage).replace(".", ",")
        houdt = "uw inkomen uit werk mag u" if jij else "het inkomen uit werk van uw partner mag uw partner"
        zinnen.append(
            f"Van {houdt} {Bedrag(w.bedrag)} houden: {procent}%{plafond}{duur}. Dit is de {vrijlatingsgronden.naam(w.grond)}."
        )
    elif geen is not None:
        zinnen.append(geen_vrijlating(geen, not jij, stel, maand))
    return zinnen


def _tussenrekening_uitleg(v: Verrekening, b: Beweging | None) -> list[str]:
    bijstand = (
        f"De {Bedrag(v.te_betalen)} bijstand over deze maand gaat naar de tussenrekening, net als het loon."
        if v.te_betalen
        else "Over deze maand is er geen bijstand; het loon gaat naar de tussenrekening."
    )
    # the fixed amount the month owes now (not known of a month the account has not booked)
    r = v.rekening
    vast = "" if r is None else f" van {Bedrag(r.vast - r.terug)}"
    zinnen = [
        f"U krijgt stabiel inkomen. {bijstand} Daaruit krijgt u het vaste bedrag{vast}: de norm min de "
        "vakantietoeslag die wij ervan reserveren. Wat er overblijft of tekortkomt, ziet u in het saldo van de "
        "tussenrekening."
    ]
    # the fixed amount paid above what the month owes now (a revision back in time): a claim, not the account's
    te_veel = (
        []
        if r is None or not r.terug
        else [
            f"U kreeg over deze maand het vaste bedrag van {Bedrag(r.vast)}, maar met deze verrekening is het vaste "
            f"bedrag {Bedrag(r.vast - r.terug)}: het verschil komt niet ten laste van de tussenrekening."
        ]
    )
    if b is None:  # stored before the movements were kept
        if r is not None and r.terug:
            zinnen += [*te_veel, f"Die {Bedrag(r.terug)} vorderen wij terug."]
        if v.betaald:
            zinnen.append(
                f"U kreeg over deze maand ook een voorschot van {Bedrag(v.betaald)}. Dat komt bovenop het vaste "
                "bedrag, dus vorderen wij het terug."
            )
        return zinnen
    if b.vorig is not None:  # the account's amount is not the person's: only the advance and its claim
        zinnen += _opnieuw(v, replace(b, vorig=v.te_betalen))
    zinnen += te_veel
    if v.betaald and b.vorig_betaald in (None, v.betaald):  # else the revision named it
        zinnen.append(f"U kreeg over deze maand ook een voorschot van {Bedrag(v.betaald)}, bovenop het vaste bedrag.")
    if v.betaald or b.vordering or b.bij or b.afgelost:
        zinnen.append(f"{_hoofdletter(_beweging(b, b.vorig is None))}.")
    return zinnen


@dataclass(frozen=True, slots=True)
class Beweging:
    """What settling a month moved, as the claims booked it (`vordering.bewegingen`): its own claim raised
    (+; `ontstaan`: from none) or lowered (−), what of it is not recovered (under the municipality's
    threshold), and the back-payment: paid out (`bij`), or paying off other months' claims (`afgelost`).
    `terug`: what of the lowered claim was paid off already (it goes back with the back-payment).
    `vorig`, `vorig_betaald`: what the version before settled as payable and recorded as the advance (None:
    the month's first settlement)."""

    vordering: int = 0
    kwijt: int = 0
    terug: int = 0
    bij: int = 0
    afgelost: int = 0
    vorig: int | None = None
    vorig_betaald: int | None = None
    ontstaan: bool = False


def uitleg(v: Verrekening, beweging: Beweging | None = None, voor_partner: bool = False) -> str:
    """The settlement in plain Dutch, for the citizen; for a couple, whose income is whose, told to the
    applicant or (`voor_partner`) to the partner reading it: their own income is theirs ("U"). `beweging`:
    what settling it moved (None: a settlement stored before they were kept, explained by its difference)."""
    if not v.recht:
        naam = maandnaam(v.maand)
        geen = f"Uw bijstand is beëindigd vóór {naam}: over deze maand heeft u geen recht op bijstand en krijgt u {Bedrag(0)}."
        if beweging is not None and v.tussenrekening and v.rekening is not None and v.rekening.vast:
            # the fixed amount the account paid for it is not owed any more: a claim, as an advance would be
            voorschot = f" en een voorschot van {Bedrag(v.betaald)}" if v.betaald else ""
            kreeg = f"Uit de tussenrekening kreeg u over deze maand al het vaste bedrag van {Bedrag(v.rekening.vast)}"
            return " ".join(
                [
                    geen,
                    *_opnieuw_vervallen(beweging),
                    f"{kreeg}{voorschot}; {_beweging(beweging, beweging.vorig is None)}.",
                ]
            )
        if beweging is not None:
            return " ".join([geen, *_verschil_uitleg(v, beweging)])
        terug = (
            f"U kreeg voor deze maand een voorschot van {Bedrag(v.betaald)}: dat vorderen wij terug, en ook een "
            f"nabetaling als u die over deze maand kreeg (zie de vordering over {naam})."
            if v.betaald
            else f"Kreeg u over deze maand een nabetaling, dan vorderen wij die terug (zie dan de vordering over {naam})."
        )
        return f"{geen} {terug}"
    zinnen = [f"Over {maandnaam(v.maand)} is uw bijstandsnorm {Bedrag(v.norm.bedrag)} ({v.norm.omschrijving})."]
    if v.dagen < v.maand.dagen:
        zinnen.append(
            f"U had {v.dagen} van de {v.maand.dagen} dagen recht op bijstand, dus de norm is {Bedrag(v.norm_bedrag)}."
        )
    p = v.partner
    aanvrager, partner = ("Uw partner", "U") if voor_partner else ("U", "Uw partner")
    if p is None:
        zinnen += _inkomen_uitleg(v.maand, v.inkomen, v.vrijlating, v.geen_vrijlating, aanvrager, False)
    else:
        zinnen.append("Het inkomen van u en uw partner telt samen.")
        zinnen += _inkomen_uitleg(v.maand, v.inkomen, v.vrijlating, v.geen_vrijlating, aanvrager, True)
        zinnen += _inkomen_uitleg(v.maand, p.inkomen, p.vrijlating, p.geen_vrijlating, partner, True)
    if sum(geteld(d.inkomen, d.vrijlating) for d in v.delen) < 0:
        zinnen.append(
            "Per saldo is het inkomen negatief, bijvoorbeeld door een terugbetaling aan een werkgever. Dat telt "
            f"als {Bedrag(0)}: de bijstand is nooit meer dan de norm."
        )
    reserveren = (
        f"; daarvan reserveren we {Bedrag(v.vakantietoeslag)} vakantietoeslag, die u in juni krijgt, of binnen "
        "drie maanden nadat uw bijstand stopt"
        if v.vakantietoeslag
        else ""
    )
    zinnen.append(f"We tellen {Bedrag(v.gekort_inkomen)} als inkomen. Uw bijstand is {Bedrag(v.bijstand)}{reserveren}.")
    if v.tussenrekening:
        return " ".join(zinnen + _tussenrekening_uitleg(v, beweging))
    zinnen.append(f"Over deze maand krijgt u {Bedrag(v.te_betalen)}.")
    return " ".join(zinnen + _verschil_uitleg(v, beweging))


def _verschil_uitleg(v: Verrekening, b: Beweging | None) -> list[str]:
    """What was paid, and what settling the month moved now, from the claims' bookings: a revision names
    only what changes (the back-payment or claim of a version before was made already)."""
    kreeg = f"U kreeg al {Bedrag(v.betaald)}" if v.betaald else "U kreeg over deze maand geen voorschot"
    if b is None:  # a settlement stored before the movements were kept: its difference, as it was said then
        if v.verschil > 0:
            return [f"{kreeg}; wij betalen u nog {Bedrag(v.verschil)} bij."]
        if v.verschil < 0:
            return [f"{kreeg}; dat is {Bedrag(-v.verschil)} te veel, dat vorderen wij terug."]
        return [f"{kreeg}; dat klopt precies."]
    if b.vorig is None:
        return [f"{kreeg}; {_beweging(b, True)}."]
    # a revision: first the month as a whole (paid, and the difference), then what changes now
    if v.verschil:
        verschil = f"dat is {Bedrag(abs(v.verschil))} {'te weinig' if v.verschil > 0 else 'te veel'}"
    else:
        verschil = "dat klopt precies"
    return [f"{kreeg}; {verschil}.", *_opnieuw(v, b), f"{_hoofdletter(_beweging(b, False))}."]


def _opnieuw_vervallen(b: Beweging) -> list[str]:
    """A month on stable income settled again after the case's end: only that it was (what it paid into
    the account before was not the person's)."""
    return [] if b.vorig is None else ["Wij hebben deze maand opnieuw verrekend."]


def _opnieuw(v: Verrekening, b: Beweging) -> list[str]:
    """A revision: what the month came to before, and the advance if it was recorded otherwise then."""
    eerder = (
        f": eerder was dat {Bedrag(b.vorig)}. Wat toen te veel of te weinig was, hebben wij toen al verrekend"
        if b.vorig is not None and b.vorig != v.te_betalen
        else ""
    )
    zinnen = [f"Wij hebben deze maand opnieuw verrekend{eerder}."]
    if b.vorig_betaald is not None and b.vorig_betaald != v.betaald:
        zinnen.append(
            f"Als voorschot kreeg u {Bedrag(v.betaald)}; eerder stond daarvoor {Bedrag(b.vorig_betaald)} vastgelegd."
        )
    return zinnen


def _beweging(b: Beweging, eerste: bool) -> str:
    """What settling moved, as one clause: the month's own claim, then what is paid on top."""
    nu = []
    if b.vordering > 0:
        te_veel = (
            f"u heeft {Bedrag(b.vordering)} te veel gekregen"
            if b.ontstaan
            else f"uw vordering over deze maand wordt {Bedrag(b.vordering)} hoger"
        )
        grens = "de vordering over deze maand blijft onder de grens van uw gemeente"
        if b.kwijt > b.vordering:  # what was to be recovered before is dropped with it
            terug = f"maar wij vorderen over deze maand niets meer terug, ook niet de {Bedrag(b.kwijt - b.vordering)} van eerder: {grens}"
        elif b.kwijt > 0:
            terug = f"maar wij vorderen {Bedrag(b.kwijt)} niet terug: {grens}"
        elif b.kwijt < 0:  # over the threshold now: what it left before is recovered too
            terug = (
                f"dat vorderen wij terug, en omdat de vordering over deze maand nu niet meer onder de grens van uw "
                f"gemeente blijft ook de {Bedrag(-b.kwijt)} die wij eerder niet terugvorderden"
            )
        else:
            terug = "dat vorderen wij terug"
        nu.append(f"{te_veel}, {terug}")
    elif b.vordering < 0:
        lager = f"uw vordering over deze maand wordt {Bedrag(-b.vordering)} lager"
        if b.terug:  # read by a partner too, who may not be the one who paid (or it was withheld, or netted)
            lager += f" ({Bedrag(b.terug)} daarvan was al terugbetaald: dat telt mee in wat u tegoed heeft)"
        if b.kwijt > 0:  # and under the threshold now
            lager += f"; daarmee blijft zij onder de grens van uw gemeente, dus de {Bedrag(b.kwijt)} die nog openstond vorderen wij niet terug"
        nu.append(lager)
    if b.afgelost:
        uitbetaald = f" en betalen wij u {Bedrag(b.bij)}" if b.bij else ""
        nu.append(
            f"u heeft nog {Bedrag(b.bij + b.afgelost)} tegoed: daarvan verrekenen wij {Bedrag(b.afgelost)} met "
            f"openstaande vorderingen over andere maanden (zie de vorderingen){uitbetaald}"
        )
    elif b.bij:
        nu.append(f"wij betalen u nog {Bedrag(b.bij)} bij")
    if not nu:
        nu.append("dat klopt precies" if eerste else "voor wat u krijgt, verandert er niets")
    return " en ".join(nu)


def _hoofdletter(zin: str) -> str:
    return zin[:1].upper() + zin[1:]
