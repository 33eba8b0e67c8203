"""A polis wage declaration (loonaangifte) for one income relationship and one pay period, its
validation and its indicative net (the Inlichtingenbureau's OIB formula).

Field names follow the polis XSD in the comments: LnLbPh, IngLbPh, BijdrZvw and so on.
All amounts are integer euro cents.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TypedDict

from schakel.primitives import afgerond
from schakel.primitives.bsn import elfproef
from schakel.primitives.periode import dag_van

POLIS_SINDS = date(2006, 1, 1)  # the polisadministratie started in 2006
LOONHEFFINGENNUMMER = re.compile(r"[0-9]{9}L[0-9]{2}")


class Tijdvaksoort(str, Enum):
    maand = "maand"
    vier_weken = "vier-weken"
    week = "week"
    kwartaal = "kwartaal"


@dataclass(frozen=True, slots=True)
class Aangifte:
    bsn: str
    loonheffingennummer: str  # LhNr: employer's fiscal number + L + 2 digits
    inkomstenverhouding: int  # NumIV
    aanvang_inkomstenverhouding: date  # DatAanv
    tijdvak_begin: date
    tijdvak_einde: date
    fiscaal_loon: int  # LnLbPh
    ingehouden_loonheffing: int  # IngLbPh
    ingehouden_bijdrage_zvw: int  # BijdrZvw
    einde_inkomstenverhouding: date | None = None  # DatEind
    soort_inkomstenverhouding: str | None = None  # SrtIV, e.g. "15" regular wage
    sv_loon: int = 0  # LnSV
    loon_bijzondere_beloningen: int = 0  # LnTabBB: holiday allowance, bonus
    waarde_prive_gebruik_auto: int = 0  # WrdPrGebrAut
    premie_wga_werknemer: int = 0  # employee's WGA/WHK premium share
    vakantiebijslag_betaald: int = 0  # VakBsl
    vakantiebijslag_opgebouwd: int = 0  # OpgRchtVakBsl
    verloonde_uren: int = 0  # AantVerlU
    loonheffingskorting: bool = False  # IndLhKort
    # when the provider made this version: it orders the versions of a period, and is no content
    # (outside `inhoud` and its fingerprint: the same content made again is a repeat)
    aangemaakt_op: datetime | None = None

    @property
    def sleutel(self) -> tuple[str, int, date]:
        """A record is the latest full state of (employer, income relationship, period)."""
        return self.loonheffingennummer, self.inkomstenverhouding, self.tijdvak_begin

    def gemaakt_voor(self, huidig: Aangifte) -> bool:
        """Whether the provider made this version before `huidig`, so it must not replace it. A moment
        on one side only, or on neither, orders nothing: the later arrival replaces, as before providers
        sent it. Made at the same moment, it replaces too: a provider's correction within the second."""
        if self.aangemaakt_op is None or huidig.aangemaakt_op is None:
            return False
        return self.aangemaakt_op < huidig.aangemaakt_op

    @property
    def is_nihil(self) -> bool:
        """A nil correction: every amount zero, which withdraws the period's income."""
        return all(getattr(self, f) == 0 for f in BEDRAGEN)

    def inhoud(self) -> Inhoud:
        """The stored content (JSON-ready; the BSN is kept apart, pseudonymised)."""
        einde = self.einde_inkomstenverhouding
        return Inhoud(
            loonheffingennummer=self.loonheffingennummer,
            inkomstenverhouding=self.inkomstenverhouding,
            aanvang_inkomstenverhouding=self.aanvang_inkomstenverhouding.isoformat(),
            tijdvak_begin=self.tijdvak_begin.isoformat(),
            tijdvak_einde=self.tijdvak_einde.isoformat(),
            fiscaal_loon=self.fiscaal_loon,
            ingehouden_loonheffing=self.ingehouden_loonheffing,
            ingehouden_bijdrage_zvw=self.ingehouden_bijdrage_zvw,
            einde_inkomstenverhouding=None if einde is None else einde.isoformat(),
            soort_inkomstenverhouding=self.soort_inkomstenverhouding,
            sv_loon=self.sv_loon,
            loon_bijzondere_beloningen=self.loon_bijzondere_beloningen,
            waarde_prive_gebruik_auto=self.waarde_prive_gebruik_auto,
            premie_wga_werknemer=self.premie_wga_werknemer,
            vakantiebijslag_betaald=self.vakantiebijslag_betaald,
            vakantiebijslag_opgebouwd=self.vakantiebijslag_opgebouwd,
            verloonde_uren=self.verloonde_uren,
            loonheffingskorting=self.loonheffingskorting,
        )

    @classmethod
    def uit_inhoud(cls, bsn: str, inhoud: Inhoud, aangemaakt_op: datetime | None = None) -> Aangifte:
        einde = inhoud["einde_inkomstenverhouding"]
        return cls(
            bsn,
            inhoud["loonheffingennummer"],
            inhoud["inkomstenverhouding"],
            date.fromisoformat(inhoud["aanvang_inkomstenverhouding"]),
            date.fromisoformat(inhoud["tijdvak_begin"]),
            date.fromisoformat(inhoud["tijdvak_einde"]),
            inhoud["fiscaal_loon"],
            inhoud["ingehouden_loonheffing"],
            inhoud["ingehouden_bijdrage_zvw"],
            None if einde is None else date.fromisoformat(einde),
            inhoud["soort_inkomstenverhouding"],
            inhoud["sv_loon"],
            inhoud["loon_bijzondere_beloningen"],
            inhoud["waarde_prive_gebruik_auto"],
            inhoud["premie_wga_werknemer"],
            inhoud["vakantiebijslag_betaald"],
            inhoud["vakantiebijslag_opgebouwd"],
            inhoud["verloonde_uren"],
            inhoud["loonheffingskorting"],
            aangemaakt_op,
        )


class Inhoud(TypedDict):
    """A declaration as stored: its fields under their own names, dates as ISO text, without the BSN."""

    loonheffingennummer: str
    inkomstenverhouding: int
    aanvang_inkomstenverhouding: str
    tijdvak_begin: str
    tijdvak_einde: str
    fiscaal_loon: int
    ingehouden_loonheffing: int
    ingehouden_bijdrage_zvw: int
    einde_inkomstenverhouding: str | None
    soort_inkomstenverhouding: str | None
    sv_loon: int
    loon_bijzondere_beloningen: int
    waarde_prive_gebruik_auto: int
    premie_wga_werknemer: int
    vakantiebijslag_betaald: int
    vakantiebijslag_opgebouwd: int
    verloonde_uren: int
    loonheffingskorting: bool


BEDRAGEN = (
    "fiscaal_loon",
    "ingehouden_loonheffing",
    "ingehouden_bijdrage_zvw",
    "sv_loon",
    "loon_bijzondere_beloningen",
    "waarde_prive_gebruik_auto",
    "premie_wga_werknemer",
    "vakantiebijslag_betaald",
    "vakantiebijslag_opgebouwd",
)


def vingerafdruk(inhoud: Inhoud) -> str:
    """Equal content, equal fingerprint: a repeat is recognised and changes nothing."""
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Fout:
    """One broken rule: the field (contract name) and why, never the value."""

    veld: str
    code: str
    reden: str


def tijdvaksoort(begin: date, einde: date) -> Tijdvaksoort | None:
    """The kind of pay period, or None when begin..einde is not a period the polis knows."""
    dagen = (einde - begin).days + 1
    laatste_van_maand = (einde + timedelta(days=1)).day == 1
    if begin.day == 1 and laatste_van_maand and (begin.year, begin.month) == (einde.year, einde.month):
        return Tijdvaksoort.maand
    if dagen == 28:
        return Tijdvaksoort.vier_weken
    if dagen == 7:
        return Tijdvaksoort.week
    if (
        begin.day == 1
        and begin.month % 3 == 1
        and laatste_van_maand
        and begin.year == einde.year
        and einde.month == begin.month + 2
    ):
        return Tijdvaksoort.kwartaal
    return None


def fouten(a: Aangifte, vandaag: date) -> list[Fout]:
    """The domain rules a well-typed declaration must also meet (types are checked at the edge)."""
    result = []
    if not LOONHEFFINGENNUMMER.fullmatch(a.loonheffingennummer):
        result.append(
            Fout(
                "loonheffingennummer",
                "formaat",
                "een loonheffingennummer is 9 cijfers, de letter L en 2 cijfers, bijv. 123456782L01",
            )
        )
    elif not elfproef(a.loonheffingennummer[:9]):
        result.append(
            Fout(
                "loonheffingennummer",
                "elfproef",
                "het fiscaal nummer in het loonheffingennummer voldoet niet aan de elfproef",
            )
        )
    if a.tijdvak_begin > a.tijdvak_einde:
        result.append(Fout("tijdvakEinde", "volgorde", "het tijdvak eindigt vóór het begint"))
    elif tijdvaksoort(a.tijdvak_begin, a.tijdvak_einde) is None:
        result.append(
            Fout("tijdvakEinde", "tijdvaklengte", "een tijdvak is een kalendermaand, 4 weken, een week of een kwartaal")
        )
    if a.tijdvak_begin < POLIS_SINDS:
        result.append(Fout("tijdvakBegin", "te-vroeg", "de polisadministratie begint op 2006-01-01"))
    if a.tijdvak_begin > vandaag:
        result.append(
            Fout("tijdvakBegin", "toekomst", "over een tijdvak dat nog niet begonnen is, wordt niet aangegeven")
        )
    elif a.tijdvak_einde >= vandaag:
        # an employer files after the period (DOMAIN.md): one not over yet is a date typed wrong, and it
        # would establish months not over yet, to be settled as if their income were known
        result.append(Fout("tijdvakEinde", "niet-voorbij", "over een tijdvak wordt aangegeven als het voorbij is"))
    if a.aangemaakt_op is not None and dag_van(a.aangemaakt_op) > vandaag:
        # no version is made after today: one that says so (a year typed wrong) would make every later
        # correction of its period "verouderd", and the period would keep it for good
        result.append(Fout("aangemaaktOp", "toekomst", "een versie van de aangifte kan niet na vandaag gemaakt zijn"))
    if a.aanvang_inkomstenverhouding > a.tijdvak_einde:
        result.append(
            Fout(
                "aanvangInkomstenverhouding", "na-tijdvak", "de inkomstenverhouding begint na het einde van het tijdvak"
            )
        )
    if a.einde_inkomstenverhouding is not None and a.einde_inkomstenverhouding < a.aanvang_inkomstenverhouding:
        result.append(Fout("eindeInkomstenverhouding", "volgorde", "de inkomstenverhouding eindigt vóór zij begint"))
    if a.verloonde_uren < 0:
        result.append(Fout("verloondeUren", "negatief", "het aantal verloonde uren is niet negatief"))
    return result


@dataclass(frozen=True, slots=True)
class Netto:
    """Indicative net of one period: fiscal wage − private car use − wage tax − Zvw − WGA share,
    split into the netted holiday allowance and the rest (work income)."""

    fiscaal_loon: int
    waarde_prive_gebruik_auto: int
    ingehouden_loonheffing: int
    ingehouden_bijdrage_zvw: int
    premie_wga_werknemer: int
    vakantiebijslag_betaald: int
    totaal: int
    vakantiebijslag: int

    @property
    def loon(self) -> int:
        return self.totaal - self.vakantiebijslag


def netto(a: Aangifte) -> Netto:
    totaal = (
        a.fiscaal_loon
        - a.waarde_prive_gebruik_auto
        - a.ingehouden_loonheffing
        - a.ingehouden_bijdrage_zvw
        - a.premie_wga_werknemer
    )
    # the polis holds no separate tax on the holiday allowance: net it at the period's net/gross ratio;
    # a payment nets to no less than nil (a period netting below nil keeps that with the wage)
    bruto_vb = max(0, min(a.vakantiebijslag_betaald, a.fiscaal_loon))
    vakantiebijslag = afgerond(max(0, totaal) * bruto_vb, a.fiscaal_loon) if a.fiscaal_loon > 0 else 0
    return Netto(
        a.fiscaal_loon,
        a.waarde_prive_gebruik_auto,
        a.ingehouden_loonheffing,
        a.ingehouden_bijdrage_zvw,
        a.premie_wga_werknemer,
        a.vakantiebijslag_betaald,
        totaal,
        vakantiebijslag,
    )
