"""Recovery without a debt spiral (terugvordering, Participatiewet art. 58 lid 2 onder d and art. 60
lid 3): a month whose advance was more than its settlement becomes a claim with its source month. A
claim is first netted against later back-payments (nabetalingen), oldest claim first, and then
against the running benefit, but a month's income never goes below the beslagvrije voet (the
protected amount, Rv art. 475dc as the Wet vereenvoudiging beslagvrije voet made it: a dated
percentage of the applicable norm, or of the income when that is lower). Instalments and a municipality's waiver threshold are its policy, applied on top of these
limits.

A claim is the fold of its bookings (`Boeking`), each tied to the month it came from: the claim arose
or changed with a change of its source month's settled difference (`ontstaan`, `herzien`), was paid
off by a back-payment (`nabetaling`), withheld from a month's benefit (`inhouding`) or paid back
under a payment arrangement (`terugbetaling`), or was left uncollected under the threshold
(`kwijtschelding`). A revision in the person's favour lowers the claim of its own month first (what
was paid off beyond the lower claim goes back to the person: `teruggave`), then the other open
claims, and only the rest is paid out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from itertools import groupby

from decisions.domain.fouten import Geweigerd, KenmerkGebruikt
from decisions.domain.parameters import Parameters
from decisions.domain.verrekening import Beweging
from schakel.primitives import Bedrag, Maand, afgerond, maandnaam


@dataclass(frozen=True, slots=True)
class Vordering:
    bron: Maand  # the month whose settlement paid too much
    open: int  # what is still owed, in cents


@dataclass(frozen=True, slots=True)
class Aflossing:
    bron: Maand
    bedrag: int


MAXIMALE_VERHOGING = 200_000  # € 2.000,00 a month: above any rent or premium the law has in mind


class Verhogingsgrond(StrEnum):
    """Why the law raises a person's beslagvrije voet (Rv art. 475da): housing costs above what the norm
    and the huurtoeslag cover, or the health insurance premium the zorgtoeslag does not cover; or
    another cost the caseworker judges the law to protect, named in the reason."""

    woonkosten = "woonkosten"
    zorgpremie = "zorgpremie"
    overig = "overig"


@dataclass(frozen=True, slots=True)
class Verhoging:
    """A caseworker's raise of a case's beslagvrije voet from `geldig_vanaf`, per ground; a later version
    of the same ground replaces it (0 ends it). The law needs facts Schakel does not hold (rent, premium,
    toeslagen), so it is a judgement with its reason, not a computation."""

    geldig_vanaf: date
    grond: Verhogingsgrond
    bedrag: int  # per month, in cents
    reden: str

    def __post_init__(self) -> None:
        if not 0 <= self.bedrag <= MAXIMALE_VERHOGING:
            raise Geweigerd("verhoging-buiten-bereik", "bedrag", f"moet tussen 0 en {MAXIMALE_VERHOGING} liggen")
        if not self.reden.strip():
            raise Geweigerd("reden-ontbreekt", "reden", "een verhoging van de beslagvrije voet heeft een reden")

    def toets(self, vandaag: date) -> None:
        """A raise counts for instalments still to come: what was withheld before stays booked."""
        if self.geldig_vanaf < vandaag:
            raise Geweigerd(
                "verhoging-terugwerkend",
                "geldigVanaf",
                "een verhoging geldt vanaf vandaag of later; wat al is ingehouden, blijft geboekt",
            )


def verhoging_op(verhogingen: Iterable[Verhoging], dag: date) -> int:
    """The raise in force on `dag`: per ground the latest version from before it, summed."""
    laatste: dict[Verhogingsgrond, Verhoging] = {}
    for v in sorted((v for v in verhogingen if v.geldig_vanaf <= dag), key=lambda v: v.geldig_vanaf):
        laatste[v.grond] = v
    return sum(v.bedrag for v in laatste.values())


def beslagvrije_voet(norm: int, inkomen: int, dag: date, params: Parameters, verhoging: int = 0) -> int:
    """The part of the month's income (bijstand included, holiday allowance included) no recovery takes:
    the law's percentage of the norm, or of a lower income (art. 475dc), plus the caseworker's raise
    (art. 475da); never more than the income itself."""
    procent = params.beslagvrije_voet_op(dag)
    return min(inkomen, afgerond(min(norm, inkomen) * int(procent * 100), 10_000) + verhoging)


def ruimte(norm: int, inkomen: int, dag: date, params: Parameters, verhoging: int = 0) -> int:
    """What a month's running benefit may give up towards claims: the income above the beslagvrije voet."""
    return max(0, inkomen - beslagvrije_voet(norm, inkomen, dag, params, verhoging))


def los_af(vorderingen: list[Vordering], bedrag: int) -> tuple[list[Vordering], list[Aflossing], int]:
    """Pays off the open claims with `bedrag`, oldest first; returns the claims after it, what was paid
    off on which, and what is left of `bedrag` (for the person)."""
    over, na, afgelost = bedrag, [], []
    for v in sorted(vorderingen, key=lambda v: v.bron):
        deel = min(over, v.open)
        if deel:
            afgelost.append(Aflossing(v.bron, deel))
            over -= deel
        na.append(replace(v, open=v.open - deel))
    return [v for v in na if v.open], afgelost, over


def inhouding(vorderingen: list[Vordering], te_betalen: int, maximum: int) -> int:
    """What the running benefit of a month withholds: the open claims, at most the room above the
    beslagvrije voet, at most the municipality's instalment (`maximum`), never more than is payable."""
    return max(0, min(sum(v.open for v in vorderingen), te_betalen, maximum))


@dataclass(frozen=True, slots=True)
class Vorderingsbeleid:
    """A municipality's policy from `geldig_vanaf`: the most a month's benefit withholds (None: all the
    room above the beslagvrije voet), and the threshold under which a claim is not recovered."""

    geldig_vanaf: date
    maximale_termijn: int | None = None
    drempel: int = 0

    def __post_init__(self) -> None:
        if self.maximale_termijn is not None and self.maximale_termijn < 100:
            raise Geweigerd("beleid-buiten-bereik", "maximaleTermijn", "moet minstens 100 (€ 1,00) zijn")
        if not 0 <= self.drempel <= 100_000:
            raise Geweigerd("beleid-buiten-bereik", "kwijtscheldingsdrempel", "moet tussen 0 en 100000 liggen")


STANDAARD = Vorderingsbeleid(date(2000, 1, 1))


def geldend(beleid: Iterable[Vorderingsbeleid], dag: date) -> Vorderingsbeleid:
    """The version in force on `dag`; the default (no cap but the law's, nothing waived) before any."""
    return max((b for b in beleid if b.geldig_vanaf <= dag), key=lambda b: b.geldig_vanaf, default=STANDAARD)


class Soort(StrEnum):
    ontstaan = "ontstaan"  # the source month's settlement paid too much
    herzien = "herzien"  # a revision of the source month changed the amount claimed (signed)
    nabetaling = "nabetaling"  # paid off with a back-payment of `maand`
    inhouding = "inhouding"  # withheld from the benefit of `maand`
    kwijtschelding = "kwijtschelding"  # not recovered: under the municipality's threshold
    # paid back outside the benefit (a payment arrangement), received in `maand`; negative: that repayment
    # did not hold (the bank reversed it), from `maand` on, under the same reference
    terugbetaling = "terugbetaling"
    teruggave = "teruggave"  # paid off beyond the claim a revision of `maand` lowered: back to the person


# the kinds that add to what is open; the others take off it (`Terugvordering.open`, and the store's sum of it)
BIJ_OPEN = (Soort.ontstaan, Soort.herzien, Soort.teruggave)


@dataclass(frozen=True, slots=True)
class Boeking:
    bron: Maand  # the claim's source month
    soort: Soort
    bedrag: int  # ontstaan, herzien: the change of the amount claimed; else the amount taken off the claim
    maand: Maand  # the month it came from
    kenmerk: str | None = None  # a repayment's reference from the municipality (its bank's, say)


@dataclass(frozen=True, slots=True)
class Terugvordering:
    """One claim as its bookings make it."""

    bron: Maand
    boekingen: tuple[Boeking, ...]

    def _som(self, *soorten: Soort) -> int:
        return sum(b.bedrag for b in self.boekingen if b.soort in soorten)

    def _betaald(self) -> int:
        return self._som(Soort.nabetaling, Soort.inhouding, Soort.terugbetaling) - self._som(Soort.teruggave)

    def _tekort(self) -> int:
        """A refund paid for by a repayment the bank reversed since (`gestorneerd`) went to the person out of
        money never received: the most a reversal left paid off below nothing (a refund is at most what was
        paid off, so only a reversal goes below). What is paid later pays it off, as it pays off the rest of
        the claim: it stays in the amount, where it would lower it (a claim 'vervallen' while paid, judged
        against the threshold by what is left of it)."""
        betaald = tekort = 0
        for b in self.boekingen:
            if b.soort in (Soort.nabetaling, Soort.inhouding, Soort.terugbetaling, Soort.teruggave):
                betaald += -b.bedrag if b.soort is Soort.teruggave else b.bedrag
                tekort = max(tekort, -betaald)
        return tekort

    @property
    def bedrag(self) -> int:
        # that refund is paid too much over the source month as the rest is, so it counts here, where
        # `afgelost` would go below nothing (the contract's is never negative, and the threshold judges this)
        return self._som(Soort.ontstaan, Soort.herzien) + self._tekort()

    @property
    def afgelost(self) -> int:
        return self._betaald() + self._tekort()

    @property
    def kwijtgescholden(self) -> int:
        return self._som(Soort.kwijtschelding)

    @property
    def open(self) -> int:
        # bedrag - afgelost - kwijtgescholden, where a refund owed after a reversal (`_tekort`) is in both
        return self._som(Soort.ontstaan, Soort.herzien) - self._betaald() - self.kwijtgescholden

    @property
    def status(self) -> str:
        if self.open:
            return "open"
        if self.kwijtgescholden:
            return "buiten-invordering"
        return "afgelost" if self.bedrag else "vervallen"


def vorderingen(boekingen: Iterable[Boeking]) -> list[Terugvordering]:
    """The claims the bookings make, by source month (bookings in the order they were made)."""
    gesorteerd = sorted(boekingen, key=lambda b: b.bron)  # stable: keeps each claim's order
    return [Terugvordering(bron, tuple(rij)) for bron, rij in groupby(gesorteerd, key=lambda b: b.bron)]


def terugbetaald(
    claims: Iterable[Terugvordering], bron: Maand, bedrag: int, maand: Maand, kenmerk: str, nu: Maand
) -> Boeking | None:
    """A repayment the municipality received outside the benefit in `maand` (under the payment arrangement
    it made, or at once), on the claim of `bron`: at most what is open. Booked, a later back-payment is no
    longer netted against what was paid back already, and a revision in the person's favour pays the
    difference out. None when the payment with this `kenmerk` is booked already, as asked (reported
    again); another booking under the same reference is refused: a reference shared by several bookings
    could credit one payment twice (a payment over two claims is booked in parts, each its own reference)."""
    claims = list(claims)
    eerder = next((b for t in claims for b in t.boekingen if b.kenmerk == kenmerk), None)
    if eerder is not None:
        if (eerder.bron, eerder.bedrag, eerder.maand) != (bron, bedrag, maand):
            raise KenmerkGebruikt(
                "kenmerk-al-gebruikt", "kenmerk", f"al geboekt voor een andere terugbetaling ({maandnaam(eerder.bron)})"
            )
        return None
    claim = next((t for t in claims if t.bron == bron and t.open > 0), None)
    if claim is None:
        raise Geweigerd("geen-openstaande-vordering", "vordering", f"over {maandnaam(bron)} staat geen vordering open")
    if bedrag > claim.open:
        raise Geweigerd("terugbetaling-te-hoog", "bedrag", f"er staat {Bedrag(claim.open)} open")
    if not bron <= maand <= nu:
        raise Geweigerd("maand-buiten-bereik", "ontvangenIn", f"niet vóór {maandnaam(bron)} en niet na {maandnaam(nu)}")
    return Boeking(bron, Soort.terugbetaling, bedrag, maand, kenmerk)


def gestorneerd(
    claims: Iterable[Terugvordering], kenmerk: str, maand: Maand, nu: Maand, drempel: int = 0
) -> list[Boeking]:
    """The repayment booked under `kenmerk` did not hold: the bank reversed it in `maand` (a direct debit
    can be reversed for eight weeks, a payment sent back) or it was booked in error. Its amount is open
    again from then on, as if never paid; what the payment had moved since (a refund, a claim paid off)
    stays booked and is recovered with the rest. The claim is judged against the threshold as after any
    change (`_drempel`): under it, what is open again is not recovered either, as it would not have been
    had it never been paid. Nothing when it is reversed already (reported again)."""
    claims = list(claims)
    geboekt = [b for t in claims for b in t.boekingen if b.kenmerk == kenmerk]
    if not geboekt:
        raise Geweigerd("onbekende-terugbetaling", "kenmerk", "er is geen terugbetaling met dit kenmerk geboekt")
    if len(geboekt) > 1:
        if geboekt[1].maand != maand:  # as a repayment reported again with other details
            raise KenmerkGebruikt(
                "kenmerk-al-gebruikt", "kenmerk", f"al teruggedraaid in {maandnaam(geboekt[1].maand)}"
            )
        return []
    [b] = geboekt
    if not b.maand <= maand <= nu:
        raise Geweigerd(
            "maand-buiten-bereik", "gestorneerdIn", f"niet vóór {maandnaam(b.maand)} en niet na {maandnaam(nu)}"
        )
    storno = Boeking(b.bron, Soort.terugbetaling, -b.bedrag, maand, kenmerk)
    [claim] = [t for t in claims if t.bron == b.bron]
    na = Terugvordering(b.bron, (*claim.boekingen, storno))
    # a refund the repayment paid for counts in the claim now: raised to the threshold or over it by that,
    # what was not recovered while it was under is recovered after all, as after a revision raising it
    return [storno, *_drempel(na, drempel, hoger=na.bedrag > claim.bedrag)]


def openstaand(claims: Iterable[Terugvordering]) -> list[Vordering]:
    return [Vordering(t.bron, t.open) for t in claims if t.open]


def verwerk(
    alle: list[Boeking], wijzigingen: Iterable[tuple[Maand, int, int]], drempel: int, teruggave: bool = True
) -> tuple[list[Boeking], dict[Maand, int]]:
    """The bookings for one run's changes of months' settled differences (month, as booked, now; positive:
    back-payment, negative: paid too much), on the claims `alle` makes, and per month what of it is still
    paid out to the person. First each month's own claim: more owed raises it (not recovered while it
    stays under `drempel`), less owed lowers it. Then what is left of each back-payment pays off the other
    open claims, oldest first. So a month's own revision cancels its claim before another month's
    back-payment in the same run could pay it off. `teruggave` off (not every instance reads that booking
    yet): a claim is lowered by no more than is open or not recovered, the money the same."""
    boekingen: list[Boeking] = []
    over = {}
    for maand, oud, nieuw in sorted(wijzigingen):
        eigen, over[maand] = _eigen(vorderingen(alle + boekingen), maand, nieuw - oud, drempel, teruggave)
        boekingen += eigen
    uit = {}
    for maand, bedrag in over.items():
        _, afgelost, uit[maand] = los_af(openstaand(vorderingen(alle + boekingen)), bedrag)
        boekingen += [Boeking(a.bron, Soort.nabetaling, a.bedrag, maand) for a in afgelost]
    return boekingen, uit


def bewegingen(nieuw: Iterable[Boeking], uit: Mapping[Maand, int]) -> dict[Maand, Beweging]:
    """Per month of a run (`verwerk`'s payouts, what is paid out): what its bookings moved, for its
    settlement's text, and what of its back-payment paid off other months' claims."""
    per_maand = {maand: Beweging(bij=bedrag) for maand, bedrag in uit.items()}
    for b in nieuw:
        w = per_maand.get(b.maand)
        if w is None:
            continue
        if b.soort in (Soort.ontstaan, Soort.herzien) and b.bron == b.maand:
            w = replace(w, vordering=w.vordering + b.bedrag, ontstaan=b.soort is Soort.ontstaan)
        elif b.soort is Soort.kwijtschelding and b.bron == b.maand:
            w = replace(w, kwijt=w.kwijt + b.bedrag)
        elif b.soort is Soort.teruggave:
            w = replace(w, terug=w.terug + b.bedrag)
        elif b.soort is Soort.nabetaling:
            w = replace(w, afgelost=w.afgelost + b.bedrag)
        per_maand[b.maand] = w
    return per_maand


def _eigen(
    claims: list[Terugvordering], maand: Maand, delta: int, drempel: int, teruggave: bool
) -> tuple[list[Boeking], int]:
    """A change of `maand`'s difference on its own claim, and what is left of a back-payment (what was paid
    off beyond the lower claim is part of it: the month paid too much by less than the person paid back)."""
    eigen = next((t for t in claims if t.bron == maand), None)
    if delta < 0:
        boekingen, rest = [Boeking(maand, Soort.herzien if eigen else Soort.ontstaan, -delta, maand)], 0
    elif eigen is None:
        return [], delta
    else:
        # the open part first, then a part not recovered: that was never owed after all, so it is not paid out;
        # then what was paid off already, which goes back to the person with the rest of the back-payment
        open_ = min(delta, eigen.open)
        kwijt = min(delta - open_, eigen.kwijtgescholden)
        terug = min(delta - open_ - kwijt, eigen.afgelost) if teruggave else 0
        lager = open_ + kwijt + terug
        # the refund right after the lowering it is part of: its text ("Daarvan ...") speaks of that lowering,
        # not of the waived part that falls away with it
        boekingen = [Boeking(maand, Soort.herzien, -lager, maand)] if lager else []
        boekingen += [Boeking(maand, Soort.teruggave, terug, maand)] if terug else []
        boekingen += [Boeking(maand, Soort.kwijtschelding, -kwijt, maand)] if kwijt else []
        rest = delta - open_ - kwijt
    na = Terugvordering(maand, (eigen.boekingen if eigen else ()) + tuple(boekingen))
    return boekingen + _drempel(na, drempel, hoger=delta < 0), rest


def _drempel(t: Terugvordering, drempel: int, hoger: bool) -> list[Boeking]:
    """The threshold judges the claim by the amount it comes to, however it got there: under it, what is
    open is not recovered. Raised to it or over it, what was not recovered while it was under is
    recovered after all (as a claim of that amount from the start would be); a revision in the
    person's favour never does that (also not under a threshold the municipality lowered since)."""
    if t.bedrag < drempel:
        return [Boeking(t.bron, Soort.kwijtschelding, t.open, t.bron)] if t.open > 0 else []
    if hoger and t.kwijtgescholden:
        return [Boeking(t.bron, Soort.kwijtschelding, -t.kwijtgescholden, t.bron)]
    return []


def termijn(
    norm: int, inkomen: int, dag: date, params: Parameters, beleid: Vorderingsbeleid, verhoging: int = 0
) -> int:
    """The most a month with this norm and (expected) income withholds: the room above the beslagvrije voet
    (with the case's raise), at most the policy's instalment; `inhouding` caps it by what the month pays."""
    maximum = ruimte(norm, inkomen, dag, params, verhoging)
    if beleid.maximale_termijn is not None:
        maximum = min(maximum, beleid.maximale_termijn)
    return maximum


def houd_in(claims: list[Terugvordering], maand: Maand, bedrag: int) -> list[Boeking]:
    """The bookings of withholding `bedrag` from the benefit of `maand`: the oldest claims first."""
    _, afgelost, _ = los_af(openstaand(claims), bedrag)
    return [Boeking(a.bron, Soort.inhouding, a.bedrag, maand) for a in afgelost]


def verrekend_met(boekingen: Iterable[Boeking], maand: Maand) -> dict[Maand, int]:
    """What of the back-payments over `maand` paid off claims instead of being paid out, per claim's
    source month."""
    verrekend: dict[Maand, int] = {}
    for b in boekingen:
        if b.soort is Soort.nabetaling and b.maand == maand:
            verrekend[b.bron] = verrekend.get(b.bron, 0) + b.bedrag
    return dict(sorted(verrekend.items()))


def nabetaling_uitleg(maand: Maand, verrekend: Mapping[Maand, int], eerder: int = 0) -> str:
    """The sentence a month's settlement stored before its movements were kept adds when its back-payment
    paid off claims (see `verrekend_met`): what happened, so it stays true after later revisions of the
    month. What paid off claims from before the reader's sight (`eerder`: a partner's, before they
    joined) is counted, their months not named, nor those claims called the reader's."""
    namen = [maandnaam(bron) for bron in verrekend]
    waarheen = [f"wat u nog terug moest betalen over {_opsomming(namen)}"] if namen else []
    if eerder:
        waarheen.append("vorderingen van het huishouden van vóór uw komst")
    wiens, verwijzing = "die" if eerder else "uw", " (zie uw vorderingen)" if namen else ""
    return (
        f"Van de nabetaling over {maandnaam(maand)} ging {Bedrag(sum(verrekend.values()) + eerder)} naar "
        f"{' en naar '.join(waarheen)}: dat deel is niet aan u overgemaakt, het loste (een deel van) {wiens} "
        f"vorderingen af{verwijzing}."
    )


def _opsomming(namen: list[str]) -> str:
    return namen[0] if len(namen) == 1 else ", ".join(namen[:-1]) + f" en {namen[-1]}"


def _zin(b: Boeking, hoger: bool) -> str:
    """One booking in plain Dutch; `hoger`: the claim rose in the same run."""
    naam = maandnaam(b.maand)
    match b.soort:
        case Soort.ontstaan:
            return (
                f"Over {naam} kreeg u {Bedrag(b.bedrag)} te veel bijstand: meer dan de verrekening van die maand u "
                f"toekent (de uitleg bij de verrekening zegt waarom)."
            )
        case Soort.herzien if b.bedrag > 0:
            return f"Na een nieuwe verrekening van {naam} kreeg u daarover nog {Bedrag(b.bedrag)} meer te veel."
        case Soort.herzien:
            return (
                f"Na een nieuwe verrekening van {naam} is de vordering {Bedrag(-b.bedrag)} lager; wat u daarna "
                f"nog tegoed heeft, betalen wij u na."
            )
        case Soort.nabetaling:
            return f"Wij verrekenden {Bedrag(b.bedrag)} met wat wij u over {naam} nabetalen."
        case Soort.inhouding:
            return f"Wij hielden {Bedrag(b.bedrag)} in op uw bijstand over {naam}."
        case Soort.terugbetaling if b.bedrag < 0:
            return (
                f"Een terugbetaling van {Bedrag(-b.bedrag)} is in {naam} teruggedraaid (de bank boekte haar "
                f"terug, of zij was ten onrechte geboekt): dat bedrag staat weer open."
            )
        case Soort.terugbetaling:  # read by a partner too, who may not be the one who paid
            return f"In {naam} is {Bedrag(b.bedrag)} terugbetaald."
        case Soort.teruggave:
            return (
                f"Daarvan was {Bedrag(b.bedrag)} al terugbetaald: dat gaat terug met de nabetaling over {naam}; wat "
                f"daarvan met andere openstaande vorderingen is verrekend en wat is uitbetaald, staat in de "
                f"verrekening over {naam}."
            )
        case Soort.kwijtschelding if b.bedrag < 0 and hoger:
            return (
                f"De vordering komt daarmee op of boven de grens van uw gemeente: ook de {Bedrag(-b.bedrag)} die "
                f"wij eerst niet terugvorderden, vorderen wij nu terug."
            )
        case Soort.kwijtschelding if b.bedrag < 0:
            return f"Het deel dat wij niet terugvorderden, {Bedrag(-b.bedrag)}, vervalt met de lagere vordering."
    return f"Wij vorderen {Bedrag(b.bedrag)} niet terug: het bedrag is lager dan de grens van uw gemeente."


def invordering(t: Terugvordering, lopend: bool) -> str | None:
    """How what is open will be recovered: withheld from the running benefit paid by advance, or by a
    payment arrangement the municipality makes (the case ended, or it pays stable income)."""
    if not t.open:
        return None
    return "inhouding" if lopend else "betalingsregeling"


def uitleg(
    t: Terugvordering,
    nieuw: Iterable[Boeking],
    beleid: Vorderingsbeleid,
    procent: str,
    verwacht: int | None,
    lopend: bool,
    verhoging: int = 0,
    stabiel: bool = False,
    geen_betaling: bool = False,
    norm_onbekend: bool = False,
) -> str:
    """The claim in plain Dutch: what is owed, why, what just changed and how the rest will be settled.
    `procent` is the beslagvrije voet's percentage, `verwacht` the expected monthly instalment, `lopend`
    whether the case still runs (else the municipality arranges the repayment), `verhoging` the
    caseworker's raise of the beslagvrije voet, `stabiel` whether the month pays stable income, `geen_betaling`
    whether the month is expected to pay no bijstand (nothing to withhold from), `norm_onbekend` whether its
    norm waits for a caseworker (its bijstand cannot be estimated yet)."""
    zinnen = [
        f"Dit gaat over de bijstand van {maandnaam(t.bron)}. Wat u te veel kreeg, vordert de gemeente terug "
        f"(Participatiewet artikel 58)."
    ]
    nieuw = list(nieuw)
    hoger = False
    for b in nieuw:
        # a waiver that lapses follows what changed the claim: a revision raising or lowering it, or a
        # reversal (a refund its repayment had paid for counts in it then: it raises the claim)
        if b.soort is Soort.herzien or (b.soort is Soort.terugbetaling and b.bedrag < 0):
            hoger = b.bedrag > 0 if b.soort is Soort.herzien else True
        zinnen.append(_zin(b, hoger))
    # the whole, then only the parts there are (a part of nothing says nothing)
    delen = [f"is {Bedrag(t.afgelost)} al terugbetaald"] if t.afgelost else []
    delen += [f"vorderen wij {Bedrag(t.kwijtgescholden)} niet terug"] if t.kwijtgescholden else []
    daarvan = f" Daarvan {' en '.join(delen)}." if delen else ""
    zinnen.append(
        f"In totaal kreeg u over {maandnaam(t.bron)} {Bedrag(t.bedrag)} te veel.{daarvan} Er staat nog "
        f"{Bedrag(t.open)} open."
    )
    plus = f", plus {Bedrag(verhoging)} die uw consulent erbij telde voor uw kosten" if verhoging else ""
    # the norm includes the holiday allowance (art. 475dc lid 2), so what is reserved from the bijstand for
    # it counts as kept: said, as that month's payment itself is less by it
    voet = (
        f"de beslagvrije voet ({procent}% van uw bijstandsnorm met vakantietoeslag, of van uw inkomen als dat lager "
        f"is{plus}; de vakantietoeslag die wij voor u opzij zetten, telt daarin mee)"
    )
    if t.open and lopend and stabiel:
        zinnen.append(
            "U krijgt stabiel inkomen: op het vaste bedrag van de tussenrekening houden wij niets in. De gemeente "
            "spreekt met u af hoe u het terugbetaalt (een betalingsregeling) en laat u daarbij altijd de beslagvrije "
            "voet over: het deel van uw inkomen dat u nodig heeft om van te leven."
        )
    elif t.open and not lopend:
        zinnen.append(
            "Uw bijstand is gestopt, dus wij kunnen niets meer inhouden. De gemeente spreekt met u af hoe u het "
            "terugbetaalt (een betalingsregeling) en laat u daarbij altijd de beslagvrije voet over: het deel van "
            "uw inkomen dat u nodig heeft om van te leven. U krijgt daarover bericht van de gemeente."
        )
    elif t.open and norm_onbekend:
        zinnen.append(
            f"Wij verrekenen dit eerst met bedragen die wij u later nabetalen. Op uw bijstand houden wij nu niets "
            f"in: een consulent stelt uw bijstandsnorm vast, dus wij weten nog niet hoeveel bijstand u deze maand "
            f"krijgt. Tot dan houden wij niets in. Daarna houden wij nooit zoveel in dat u minder overhoudt dan "
            f"{voet}. U hoeft zelf niets te doen."
        )
    elif t.open and verwacht == 0 and geen_betaling:
        zinnen.append(
            f"Wij verrekenen dit eerst met bedragen die wij u later nabetalen. Op uw bijstand houden wij nu niets "
            f"in: wij verwachten u deze maand geen bijstand te betalen. Krijgt u weer bijstand, dan houden wij een "
            f"deel in, maar nooit zoveel dat u minder overhoudt dan {voet}. U hoeft zelf niets te doen."
        )
    elif t.open and verwacht == 0:
        zinnen.append(
            f"Wij verrekenen dit eerst met bedragen die wij u later nabetalen. Op uw bijstand houden wij nu niets "
            f"in: u zou dan minder overhouden dan {voet}. Stijgt uw inkomen, dan houden wij een deel in. "
            f"U hoeft zelf niets te doen."
        )
    elif t.open:
        termijn_zin = "" if verwacht is None else f" (naar verwachting {Bedrag(verwacht)} per maand)"
        maximum = "" if beleid.maximale_termijn is None else f", en nooit meer dan {Bedrag(beleid.maximale_termijn)}"
        zinnen.append(
            f"Wij verrekenen dit eerst met bedragen die wij u later nabetalen. Daarna houden wij elke maand een deel "
            f"in op uw bijstand{termijn_zin}: nooit zoveel dat u minder overhoudt dan {voet}{maximum}. "
            f"U hoeft zelf niets te doen."
        )
    return " ".join(zinnen)
