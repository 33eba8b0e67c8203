"""One truthful, dated participation status per person (Simpel Switchen track 3).

The status is a fold over dated facts (feiten) from UWV and the municipality, in order of their
effective date, so facts that arrive out of order still give the right status. A fact whose
transition makes no sense on that timeline is refused and not kept.

- A positive beschut werk advice obliges the municipality to offer a place: until the person is
  placed, they are on its waiting list.
- Establishing beschut werk (vaststelling) ends a doelgroepregister registration the day after
  (Besluit SUWI art. 3.2 lid 3); a person cannot be in both (Wfsv art. 38b lid 1 and 6 leave out whom
  the college found fit only for sheltered work, Participatiewet art. 10b lid 1). A place that starts
  while a registration runs ends it the same way.
- Moving from beschut werk to a banenafspraak job puts the advice to sleep; a triangle statement
  (employer, municipality, client) revives it without a new UWV advice: back on the waiting list,
  and out of the doelgroepregister again the day after.
- UWV's indication for the banenafspraak (a doelgroepregister registration) puts a positive advice to
  sleep (letter of 27 December 2018, Besluit advisering beschut werk as changed in 2023), also after
  beschut werk was established; a banenafspraak job does the same. Registration then job and job
  then registration fold to the same state. A school leaver's registration (`vso-pro`) is no
  indication: it follows from the school the person left, without UWV's assessment, so the advice
  stays and establishing beschut werk ends the registration as usual. Once beschut werk holds
  (established, or the advice revived), a school registration puts the advice to sleep as an
  indication does, as before registration 0.7.4.
- A banenafspraak job counts for the banenafspraak only while the person is in the
  doelgroepregister (Wet financiering sociale verzekeringen art. 38b lid 1, the target group, and
  art. 38d, UWV's registration of arbeidsbeperkten). The register is UWV's to keep (art. 38d lid 1;
  the assessment whether someone can earn the minimum wage: Besluit SUWI art. 3.5) and may follow
  the job, while the college must pass its data on the target group to UWV (art. 38d lid 3). So a job
  without a registration is taken as pending, not refused, and UWV is told (domain.gevolgen).
- A positive advice obliges the municipality to offer a place (Participatiewet art. 10b lid 1) until
  it has realised the number set by ministerial regulation (lid 4; a higher number by council
  ordinance, lid 5): lid 6 lifts the obligation then, and an `ander-aanbod` fact records the
  alternative offer.
- A Wmo dagbesteding is the municipality of residence's (Wmo 2015 art. 2.3.5): after a move it runs
  on until the new municipality reports its own, which ends it the day before, and its indication
  is a fallback only while the person lives in the municipality that reported it; a Wlz one holds
  wherever one lives.
- A dagbesteding indication stays visible as a fallback, while it is valid, after the person moved
  on to work; so do UWV's guarantees: a Wajong right that can revive and an ended WIA right that can
  revive within five years (domain.terugval).
- UWV's records are historical: its fact from before the person came to the municipality they live
  in names the one they lived in then. Dated before the first fact, it is that municipality's day up
  to the next fact naming another; once a municipality reported for the person (or a move was), only
  a move moves them.
- UWV's end of a registration while Schakel asks it to end one (beschut werk) answers that request:
  a registration that began after the request runs on; the next end ends it.
- A citizen's repeat advice request within 12 months of an advice, without new facts, may be
  refused without a new assessment (flagged, not refused: the municipality or UWV decides).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import NamedTuple, TypedDict

from registration.domain.fouten import RegistrationError
from registration.domain.terugval import Optie, opties, wajong_herleefbaar_tot
from schakel.errors import Refused
from schakel.primitives import plus_maanden

HERHAAL_TERMIJN_MAANDEN = 12  # Besluit advisering beschut werk
GEEN_INDICATIE = "vso-pro"  # the register's ground a school leaver gets from school data, not UWV's assessment


class Soort(str, enum.Enum):
    advies_aangevraagd = "advies-aangevraagd"
    advies_uitgebracht = "advies-uitgebracht"
    doelgroepregistratie_gestart = "doelgroepregistratie-gestart"
    doelgroepregistratie_beeindigd = "doelgroepregistratie-beeindigd"
    beschut_werk_vastgesteld = "beschut-werk-vastgesteld"
    beschutte_plek_gestart = "beschutte-plek-gestart"
    beschutte_plek_beeindigd = "beschutte-plek-beeindigd"
    baan_gestart = "banenafspraakbaan-gestart"
    baan_beeindigd = "banenafspraakbaan-beeindigd"
    dagbesteding_gestart = "dagbesteding-gestart"
    dagbesteding_beeindigd = "dagbesteding-beeindigd"
    driehoeksverklaring = "driehoeksverklaring"
    ander_aanbod = "ander-aanbod"
    wajong_gestart = "wajong-recht-gestart"
    wajong_beeindigd = "wajong-recht-beeindigd"
    wia_werkhervatting = "wia-werkhervatting"  # recorded only: the guarantee it stood for was withdrawn
    wia_beeindigd = "wia-recht-beeindigd"
    verhuisd = "verhuisd"


# the kinds only UWV reports: its records are historical, so each names the municipality the person
# lived in on its date, which may be one they lived in before the municipalities reporting for them now
UWV_SOORTEN = frozenset(
    {
        Soort.advies_aangevraagd,
        Soort.advies_uitgebracht,
        Soort.doelgroepregistratie_gestart,
        Soort.doelgroepregistratie_beeindigd,
        Soort.wajong_gestart,
        Soort.wajong_beeindigd,
        Soort.wia_werkhervatting,
        Soort.wia_beeindigd,
    }
)


class Gegevens(TypedDict, total=False):
    """What a fact says beyond its kind and date (the contract's names); each kind uses some."""

    aanvrager: str  # advies-aangevraagd: gemeente or burger
    nieuweFeiten: bool
    uitkomst: str  # advies-uitgebracht: positief or negatief
    grond: str  # doelgroepregistratie-gestart
    werkgever: str  # beschutte-plek-gestart, banenafspraakbaan-gestart
    urenPerWeek: int
    vorm: str
    indicatie: str  # dagbesteding-gestart: wmo or wlz
    geldigTot: str  # dagbesteding-gestart: the indication's last day (ISO date), absent: no end
    omschrijving: str  # ander-aanbod
    aowDatum: str  # wajong-recht-beeindigd: the day the person reaches AOW age (ISO date), as UWV knows it


class Plek(TypedDict):
    werkgever: str | None  # None: not for this reader (melding.gelezen_door)
    urenPerWeek: int | None
    vorm: str | None
    sinds: date


class AnderAanbod(TypedDict):
    omschrijving: str
    datum: date


class Baan(TypedDict):
    werkgever: str
    sinds: date


class Registratie(TypedDict):
    grond: str
    sinds: date


class Dagbesteding(TypedDict):
    indicatie: str
    sinds: date
    geldigTot: date | None


class VorigeDagbesteding(TypedDict):
    indicatie: str
    tot: date
    geldigTot: date | None


class Registratieperiode(NamedTuple):
    """A doelgroepregister registration as the register's history shows it."""

    grond: str
    start: date
    einde: date | None = None
    door: Soort | None = None  # the fact that ended it: UWV's end, or beschut werk (established, a place, revived)


class Wajong(TypedDict):
    sinds: date | None  # None: ended before Schakel knew the right
    beeindigd: date | None
    herleefbaarTot: date | None


@dataclass(frozen=True, slots=True)
class Feit:
    soort: Soort
    datum: date
    gemeentecode: str  # the municipality of residence it names (for a move: the new one)
    gegevens: Gegevens = field(default_factory=Gegevens, hash=False, compare=False)
    volgnummer: int = 0  # arrival order: breaks ties between facts of the same date
    bron: str = field(default="", compare=False)  # who reported it: an OIN, or "uwv" for UWV's register
    # as kept: UWV was asked on arrival to assess this job (domain.gevolgen.registratie_gevraagd); None: not
    # kept (stored before registration_0006)
    uwv_gevraagd: bool | None = field(default=None, compare=False)


class OvergangFout(RegistrationError, Refused):
    """A fact whose transition makes no sense on the person's timeline."""

    def __init__(self, code: str, reden: str) -> None:
        super().__init__(reden, code=code, field="soort")


@dataclass(frozen=True, slots=True)
class Toestand:
    advies: str = "geen"  # geen, aangevraagd, positief, negatief, slapend
    advies_datum: date | None = None
    herleefd_op: date | None = None
    herhaalverzoek: bool = False
    beschut_vastgesteld: date | None = None
    plek: Plek | None = None
    wachtlijst_sinds: date | None = None
    ander_aanbod: AnderAanbod | None = None  # offered instead of a place, beyond the ministerial number
    registratie: Registratie | None = None
    registratie_einde_verzocht: date | None = None  # the day the register must end it (UWV's task)
    baan: Baan | None = None
    dagbesteding: Dagbesteding | None = None
    dagbesteding_gemeente: str | None = None  # the municipality that reported the running one
    vorige_dagbesteding: VorigeDagbesteding | None = None  # the fallback
    wajong: Wajong | None = None
    wia_hervat: date | None = None  # the last WIA work resumption (recorded, no fallback: domain.terugval)
    wia_beeindigd: date | None = None  # the day UWV ended the WIA right (WGA or IVA)
    peildatum: date | None = None  # the day folded up to (None: the whole timeline)
    plaatsingen: tuple[tuple[date, date], ...] = ()  # (on the waiting list since, placed on)
    registraties: tuple[Registratieperiode, ...] = ()  # the register's history
    plekken: tuple[tuple[date, date | None, int], ...] = ()  # (start, end, hours a week) of every beschut place
    # (from, municipality): the first fact's; while only UWV's facts (historical) came, each naming another
    # municipality; then each move's
    woonperioden: tuple[tuple[date, str], ...] = ()
    woongemeente_gemeld: bool = False  # a municipality's fact or a move came: from then only a move moves them

    @property
    def gemeentecode(self) -> str | None:
        """The municipality the person belongs to: the first fact's, or the last move's."""
        return self.woonperioden[-1][1] if self.woonperioden else None

    def gemeente_op(self, dag: date) -> str | None:
        """The municipality the person belonged to on that day (None before the timeline began)."""
        return next((g for vanaf, g in reversed(self.woonperioden) if vanaf <= dag), None)

    def plekken_in(self, gemeentecode: str) -> list[tuple[date, date | None, int]]:
        """The beschut places, or their parts, while the person belonged to this municipality: a place
        counts for the municipality that had the person, and from a move on for the new one."""
        delen = []
        for i, (vanaf, gemeente) in enumerate(self.woonperioden):
            if gemeente != gemeentecode:
                continue
            tot = self.woonperioden[i + 1][0] - timedelta(days=1) if i + 1 < len(self.woonperioden) else None
            for start, eind, uren in self.plekken:
                begin, einde = max(start, vanaf), min((d for d in (eind, tot) if d is not None), default=None)
                if einde is None or begin <= einde:
                    delen.append((begin, einde, uren))
        return delen

    @property
    def baan_telt_mee(self) -> bool:
        """A banenafspraak job counts only with a registration (Wfsv art. 38b lid 1); else it is pending."""
        return self.baan is not None and self.registratie is not None

    def _registratie_eindigt(self, einddatum: date, door: Soort | None) -> tuple[Registratieperiode, ...]:
        *eerder, laatste = self.registraties
        return (*eerder, laatste._replace(einde=einddatum, door=door))

    @property
    def status(self) -> str:
        if self.plek:
            return "beschut-werk"
        if self.baan:
            return "banenafspraakbaan"
        if self.registratie:
            return "doelgroepregister"
        if self.wachtlijst_sinds:
            return "beschut-werk-wachtlijst"
        if self.dagbesteding:
            return "dagbesteding"
        if self.advies in ("aangevraagd", "negatief", "slapend"):
            return f"advies-{self.advies}"
        return "geen"

    @property
    def terugvalopties(self) -> list[Optie]:
        """What the person can fall back to, for the citizen and for the caseworker (domain.terugval)."""
        return opties(self)


def _volgorde(sinds: date, datum: date, wat: str) -> None:
    if datum < sinds:
        raise OvergangFout("datum-volgorde", f"{wat} eindigt vóór het begon")


def pas_toe(t: Toestand, f: Feit) -> Toestand:
    """The state after one fact; OvergangFout when the transition makes no sense."""
    g, d = f.gegevens, f.datum
    if not t.woonperioden or (
        not t.woongemeente_gemeld and f.soort is not Soort.verhuisd and f.gemeentecode != t.gemeentecode
    ):
        # UWV's records are historical: its fact from before the person came names where they lived then,
        # up to the next fact naming another municipality (no move was there to report, the person came
        # before that municipality's first fact); a municipality's fact or a move settles where they live
        t = replace(t, woonperioden=(*t.woonperioden, (d, f.gemeentecode)))
    if f.soort not in UWV_SOORTEN and not t.woongemeente_gemeld:
        t = replace(t, woongemeente_gemeld=True)
    match f.soort:
        case Soort.advies_aangevraagd:
            herhaal = (
                g.get("aanvrager") == "burger"
                and not g.get("nieuweFeiten")
                and t.advies_datum is not None
                and d < plus_maanden(t.advies_datum, HERHAAL_TERMIJN_MAANDEN)
            )
            advies = "aangevraagd" if t.advies in ("geen", "negatief") else t.advies
            return replace(t, advies=advies, herhaalverzoek=herhaal)
        case Soort.advies_uitgebracht:
            positief = g["uitkomst"] == "positief"
            return replace(
                t,
                advies="positief" if positief else "negatief",
                advies_datum=d,
                herleefd_op=None,
                herhaalverzoek=False,
                wachtlijst_sinds=d if positief and not t.plek else None,
                ander_aanbod=None,
            )
        case Soort.beschut_werk_vastgesteld:
            if t.advies != "positief":
                raise OvergangFout(
                    "geen-positief-advies", "beschut werk vaststellen kan alleen met een positief advies"
                )
            return _uit_register(replace(t, beschut_vastgesteld=d), f)
        case Soort.beschutte_plek_gestart:
            if t.beschut_vastgesteld is None or t.advies != "positief":
                raise OvergangFout("beschut-niet-vastgesteld", "een beschutte plek vraagt een vastgesteld beschut werk")
            if t.plek:
                raise OvergangFout("al-geplaatst", "er loopt al een beschutte plek")
            wacht = t.wachtlijst_sinds or t.beschut_vastgesteld
            plek: Plek = {"werkgever": g["werkgever"], "urenPerWeek": g["urenPerWeek"], "vorm": g["vorm"], "sinds": d}
            # a registration that began after beschut werk was established (a later advice woke it) ends
            # too: a place and the register exclude each other as establishing does
            return _uit_register(
                replace(
                    t,
                    plek=plek,
                    wachtlijst_sinds=None,
                    ander_aanbod=None,
                    plaatsingen=t.plaatsingen + ((wacht, d),),
                    plekken=t.plekken + ((d, None, g["urenPerWeek"]),),
                ),
                f,
            )
        case Soort.beschutte_plek_beeindigd:
            if not t.plek:
                raise OvergangFout("geen-plek", "er loopt geen beschutte plek")
            _volgorde(t.plek["sinds"], d, "de beschutte plek")
            return replace(
                t,
                plek=None,
                wachtlijst_sinds=d + timedelta(days=1) if t.advies == "positief" else None,
                plekken=t.plekken[:-1] + ((t.plekken[-1][0], d, t.plekken[-1][2]),),
            )
        case Soort.baan_gestart:
            if t.baan:
                raise OvergangFout("al-baan", "er loopt al een banenafspraakbaan")
            if t.plek:
                raise OvergangFout("nog-geplaatst", "beëindig eerst de beschutte plek")
            return _slaap(replace(t, baan={"werkgever": g["werkgever"], "sinds": d}))
        case Soort.baan_beeindigd:
            if not t.baan:
                raise OvergangFout("geen-baan", "er loopt geen banenafspraakbaan")
            _volgorde(t.baan["sinds"], d, "de banenafspraakbaan")
            return replace(t, baan=None)
        case Soort.driehoeksverklaring:
            if t.advies == "positief" and _school_na_advies(t):
                # stored when a school leaver's registration still put the advice to sleep (before
                # registration 0.7.4; a new one is refused, melding.herleving_fout): the advice is awake
                # now, and the statement still ends the registration
                return _uit_register(t, f)
            if t.advies != "slapend":
                raise OvergangFout(
                    "geen-slapend-advies", "een driehoeksverklaring doet alleen een slapend advies herleven"
                )
            return _uit_register(replace(t, advies="positief", herleefd_op=d, wachtlijst_sinds=d, ander_aanbod=None), f)
        case Soort.ander_aanbod:
            if f.gemeentecode != t.gemeentecode:
                # made by the municipality the person had left by its date (reported before the move was):
                # its answer to its own obligation, nothing on the new municipality's timeline
                return t
            if not t.wachtlijst_sinds:
                raise OvergangFout("niet-wachtend", "een ander aanbod geldt voor wie op een beschutte plek wacht")
            return replace(t, ander_aanbod={"omschrijving": g["omschrijving"], "datum": d})
        case Soort.dagbesteding_gestart:
            if (lopend := t.dagbesteding) and _wmo_van_elders(t, lopend, f):
                # the new municipality's own decision takes over from the one the person left
                t = _eindig_dagbesteding(t, lopend, d - timedelta(days=1))
            if t.dagbesteding:
                raise OvergangFout("al-dagbesteding", "er loopt al dagbesteding")
            geldig_tot = date.fromisoformat(g["geldigTot"]) if g.get("geldigTot") else None
            if geldig_tot is not None:
                _volgorde(d, geldig_tot, "de indicatie")
            dagbesteding: Dagbesteding = {"indicatie": g["indicatie"], "sinds": d, "geldigTot": geldig_tot}
            return replace(t, dagbesteding=dagbesteding, dagbesteding_gemeente=f.gemeentecode)
        case Soort.dagbesteding_beeindigd:
            if not t.dagbesteding:
                raise OvergangFout("geen-dagbesteding", "er loopt geen dagbesteding")
            _volgorde(t.dagbesteding["sinds"], d, "de dagbesteding")
            return _eindig_dagbesteding(t, t.dagbesteding, d)
        case Soort.doelgroepregistratie_gestart:
            if t.registratie:
                raise OvergangFout("al-geregistreerd", "er loopt al een registratie in het doelgroepregister")
            t = replace(
                t,
                registratie={"grond": g["grond"], "sinds": d},
                registraties=t.registraties + (Registratieperiode(g["grond"], d),),
            )
            # the indication puts a positive advice to sleep: the letters' order (indication, then a job); a
            # school leaver's registration is no indication: the advice stays until beschut werk holds, so
            # the municipality can establish it (which ends the registration); after, it sleeps as before
            return _slaap(t) if g["grond"] != GEEN_INDICATIE or _beschut_geldt(t) else t
        case Soort.doelgroepregistratie_beeindigd:
            if t.registratie_einde_verzocht:
                # UWV ends the registration Schakel asked it to end (beschut werk), and nothing is asked any
                # more: the register's day stands; a registration begun after the request runs on (the
                # confirmation is not its end), and the one asked for keeps that day
                if t.registratie:
                    return replace(t, registratie_einde_verzocht=None)
                _volgorde(t.registraties[-1].start, d, "de registratie")
                eindigt = t._registratie_eindigt(d, t.registraties[-1].door)  # still for beschut werk
                return replace(t, registratie_einde_verzocht=None, registraties=eindigt)
            if not t.registratie:
                raise OvergangFout("niet-geregistreerd", "er loopt geen registratie in het doelgroepregister")
            _volgorde(t.registratie["sinds"], d, "de registratie")
            return replace(t, registratie=None, registraties=t._registratie_eindigt(d, f.soort))
        case Soort.wajong_gestart:
            if t.wajong and not t.wajong["beeindigd"]:
                raise OvergangFout("al-wajong", "er loopt al een Wajong-recht")
            return replace(t, wajong={"sinds": d, "beeindigd": None, "herleefbaarTot": None})
        case Soort.wajong_beeindigd:
            if t.wajong and t.wajong["beeindigd"]:
                raise OvergangFout("geen-wajong", "er loopt geen Wajong-recht")
            sinds = t.wajong["sinds"] if t.wajong else None
            if sinds:
                _volgorde(sinds, d, "het Wajong-recht")
            tot = wajong_herleefbaar_tot(d, date.fromisoformat(g["aowDatum"]))
            return replace(t, wajong={"sinds": sinds, "beeindigd": d, "herleefbaarTot": tot})
        case Soort.wia_werkhervatting:
            return replace(t, wia_hervat=d)
        case Soort.wia_beeindigd:
            return replace(t, wia_beeindigd=d)
        case Soort.verhuisd:
            # the status and any obligation to offer a place move with the person; an alternative offer
            # was the old municipality's answer to its own obligation, and the new one's stands
            if f.gemeentecode == t.gemeentecode:
                return t
            # an ended Wmo indication was the municipality's the person leaves: no fallback elsewhere, nor on return
            vorige = (
                t.vorige_dagbesteding if t.vorige_dagbesteding and t.vorige_dagbesteding["indicatie"] != "wmo" else None
            )
            return replace(
                t,
                ander_aanbod=None,
                vorige_dagbesteding=vorige,
                woonperioden=(*t.woonperioden, (d, f.gemeentecode)),
            )
    raise OvergangFout("onbekend", f"onbekend feit {f.soort}")


def _wmo_van_elders(t: Toestand, lopend: Dagbesteding, f: Feit) -> bool:
    """A running Wmo dagbesteding that another municipality than the reporter of `f` provided, begun
    before `f`: a Wmo provision is the municipality of residence's (Wmo 2015 art. 2.3.5); a Wlz
    indication holds wherever one lives."""
    return lopend["indicatie"] == "wmo" and t.dagbesteding_gemeente != f.gemeentecode and lopend["sinds"] < f.datum


def _eindig_dagbesteding(t: Toestand, lopend: Dagbesteding, tot: date) -> Toestand:
    """Ends the running dagbesteding; its indication is the fallback, except a Wmo one of a
    municipality the person no longer lives in."""
    vorige: VorigeDagbesteding = {"indicatie": lopend["indicatie"], "tot": tot, "geldigTot": lopend["geldigTot"]}
    geldt = lopend["indicatie"] != "wmo" or t.dagbesteding_gemeente == t.gemeentecode
    return replace(t, dagbesteding=None, dagbesteding_gemeente=None, vorige_dagbesteding=vorige if geldt else None)


def _slaap(t: Toestand) -> Toestand:
    """A positive advice sleeps once the person is indicated for or takes a banenafspraak job: no
    waiting list, until a triangle statement revives it."""
    if t.advies != "positief":
        return t
    return replace(t, advies="slapend", wachtlijst_sinds=None, ander_aanbod=None)


def _beschut_geldt(t: Toestand) -> bool:
    """Beschut werk holds: established (on which a place may start, also after a later advice), or the
    advice revived."""
    return t.beschut_vastgesteld is not None or t.herleefd_op is not None


def _school_na_advies(t: Toestand) -> bool:
    return any(grond == GEEN_INDICATIE and sinds >= (t.advies_datum or sinds) for grond, sinds, *_ in t.registraties)


def _uit_register(t: Toestand, f: Feit) -> Toestand:
    """Beschut werk (established, a place, or revived by `f`) and the doelgroepregister exclude each
    other: a running registration ends the day after."""
    if not t.registratie:
        return t
    einde = f.datum + timedelta(days=1)
    eindigt = t._registratie_eindigt(einde, f.soort)
    return replace(t, registratie=None, registratie_einde_verzocht=einde, registraties=eindigt)


def tijdlijn(feiten: list[Feit]) -> list[Feit]:
    return sorted(feiten, key=lambda f: (f.datum, f.volgnummer))


def vouw(feiten: list[Feit], tot: date | None = None) -> Toestand:
    """The state after every fact (up to and including `tot`), by effective date."""
    t = Toestand(peildatum=tot)
    for f in tijdlijn(feiten):
        if tot is None or f.datum <= tot:
            t = pas_toe(t, f)
    return t
