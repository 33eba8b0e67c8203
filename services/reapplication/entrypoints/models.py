"""Request and response bodies of the reapplication API (the contract), and how a domain value
becomes one."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool

from reapplication.domain.beslistermijn import beslistermijn
from reapplication.domain.heraanvraag import Aanvraag, Heraanvraag, voor_burger
from reapplication.domain.hergebruik import Situatie as DomeinSituatie
from reapplication.domain.overdracht import Overdracht, dekking, uitleg
from reapplication.domain.overdracht import Rapportage as OverdrachtTelling
from reapplication.domain.termijn import Heraanvraagtermijn
from reapplication.service.hergebruik import als_json, situatie_van_contract
from schakel.api.types import (
    BsnVeld,
    Datum,
    Geheel,
    GemeentecodeVeld,
    Model,
    Moment,
    PartnerBsnVeld,
    RedenVeld,
)
from schakel.events import models as events
from schakel.primitives.lijst import uniek
from schakel.primitives.periode import MOMENT_PATTERN


class Partner(Model):
    """De partner van een gehuwd of samenwonend huishouden: ook diens inkomen telt (art. 4, 11), met eigen
    vrijlatingsgronden."""

    bsn: PartnerBsnVeld
    geboortedatum: Datum
    medischUrenbeperkt: bool = False
    loonkostensubsidie: bool = False
    meerUrenNietMogelijk: bool = False


class SituatieInvoer(Model):
    huishouden: Literal["alleenstaand", "alleenstaande-ouder", "gehuwd"]
    partnerGeboortedatum: Datum | None
    jongsteKindGeboortedatum: Datum | None
    kostendelers: Geheel(0, 20, "Medebewoners van 27 jaar of ouder die de kosten delen (kostendelersnorm).")
    medischUrenbeperkt: bool
    loonkostensubsidie: bool
    meerUrenNietMogelijk: bool
    vrijlatingsregime: Literal["per-datum", "in-balans"]
    betaalmodel: Literal["voorschot", "stabiel-inkomen"]
    jongerennorm: (
        Geheel(
            1,
            500_000,
            "Bij een huishouden met een jongere (18 tot en met 20 jaar) en een partner of kind: de norm in eurocenten "
            "uit de normenbrief, zoals de decisions-service die in de situatie neemt (jongerennorm).",
        )
        | None
    ) = None


class Situatie(SituatieInvoer):
    jongerennormVanaf: Datum | None = Field(
        None, description="De ingangsdatum van de situatie waarin de consulent de jongerennorm vastlegde."
    )
    partner: Partner | None = Field(
        None,
        description="Bij gehuwd of samenwonend: de partner, zodat de heropende uitkering diens inkomen meetelt. "
        "Ontbreekt bij een termijn van voor deze versie; de consulent legt de partner dan vast in de uitkering.",
    )


class Klokstand(Model):
    grond: str
    maandenGebruikt: int


class Hergebruik(Model):
    geboortedatum: Datum
    situatie: Situatie = Field(description="De huishoudsituatie, medebewoners en gronden op de einddatum.")
    vrijlatingsklok: list[Klokstand] = Field(description="De al gebruikte maanden per vrijlatingsgrond.")


class Termijn(Model):
    uitkeringId: str = Field(description="De beëindigde uitkering waarop de termijn volgt.")
    einddatum: Datum = Field(description="Laatste dag van die uitkering.")
    geldigTot: date = Field(description="Tot en met deze dag kan een heraanvraag de bekende gegevens hergebruiken.")
    hergebruik: Hergebruik | None = Field(
        description="Wat de heraanvraag hergebruikt; alleen de wijzigingen worden nog gevraagd."
    )


class TermijnbeleidInvoer(Model):
    geldigVanaf: Datum = Field(description="Voor uitkeringen die op of na deze dag eindigen.")
    maanden: Geheel(1, 36, "Lengte van de heraanvraagtermijn in maanden.")


class Termijnbeleid(Model):
    standaardMaanden: int = Field(description="Zonder eigen beleid: 12 maanden (art. 43a Participatiewet).")
    regels: list[TermijnbeleidInvoer]


class Zoekresultaat(Model):
    openTermijn: Termijn | None = Field(description="De open heraanvraagtermijn in uw gemeente, of null.")


def zoekresultaat(termijn: Heraanvraagtermijn | None) -> dict[str, Any]:
    open_termijn = (
        Termijn(
            uitkeringId=termijn.uitkering_id,
            einddatum=termijn.einddatum,
            geldigTot=termijn.geldig_tot,
            hergebruik=als_json(termijn.hergebruik),
        )
        if termijn
        else None
    )
    return Zoekresultaat(openTermijn=open_termijn).model_dump(mode="json")


def termijnbeleid(standaard: int, regels: list[tuple[date, int]]) -> dict[str, Any]:
    return {
        "standaardMaanden": standaard,
        "regels": [{"geldigVanaf": vanaf, "maanden": maanden} for vanaf, maanden in regels],
    }


# --- Max-WW handover --------------------------------------------------------------------------


Reikwijdte = list[Literal["ww-einddatum", "ww-bedrag"]]  # as domain.overdracht.REIKWIJDTE orders them


class GrondslagWeergave(Model):
    soort: Literal["toestemming", "wettelijke-grondslag"] = Field(
        description="De toestemming van de persoon, of de wettelijke grondslag waarop UWV levert."
    )
    referentie: Annotated[str, Field(min_length=1, max_length=200, description="Kenmerk van toestemming of grondslag.")]
    # as stored: one stored before 0.7.2 may lack ww-einddatum or name a part twice
    reikwijdte: Reikwijdte = Field(
        description="Wat de toestemming of grondslag dekt: UWV levert niet meer (het WW-bedrag alleen als het erin staat)."
    )


class Grondslag(GrondslagWeergave):
    reikwijdte: Annotated[Reikwijdte, AfterValidator(dekking)] = Field(
        ["ww-einddatum"],
        max_length=2,
        json_schema_extra={"uniqueItems": True},
        description="Wat de toestemming of grondslag dekt, elk onderdeel één keer: UWV levert niet meer (het "
        "WW-bedrag alleen als het erin staat). Zonder ww-einddatum, dat elke overdracht noemt: 422 buiten-grondslag.",
    )


class WwBedrag(Model):
    soort: Literal["dagloon", "maandbedrag"]
    bedrag: Geheel(0, 10_000_000, "In eurocenten.")


class Overdrachtmelding(Model):
    bsn: BsnVeld
    wwEinddatum: Datum = Field(
        description="De dag waarop de WW haar maximale duur bereikt; melden uiterlijk 3 maanden vooraf (later telt als "
        "te laat)."
    )
    gemeentecode: GemeentecodeVeld = Field(description="De woongemeente.")
    grondslag: Grondslag
    wwBedrag: WwBedrag | None = Field(
        None, description="Het WW-dagloon of maandbedrag, alleen als de reikwijdte `ww-bedrag` noemt."
    )
    meldingstijdstip: Annotated[
        Moment | None,
        Field(
            description="Wanneer UWV deze melding deed (met tijdzone). Met dit moment past Schakel een melding "
            "niet toe die UWV eerder deed dan de laatst verwerkte (die na haar eigen correctie aankomt): het "
            "antwoord is dan `ongewijzigd` met `verouderd`. Zonder telt de laatst aangekomen melding. Niet na de "
            "aankomst van de melding (5 minuten speling voor de klok van UWV).",
            json_schema_extra={"pattern": MOMENT_PATTERN},
        ),
    ] = None


class Uitkomst(Model):
    uitkomst: Literal["werk-gevonden", "geen-bijstand-nodig"]
    datum: Datum = Field(description="Wanneer het werk begon, of wanneer bleek dat bijstand niet nodig is.")


StapNaam = Literal["contact-gelegd", "re-integratie-gestart", "aanvraag-voorbereid"]


class Stap(Model):
    stap: StapNaam
    datum: Datum


class Stapdatum(Model):
    datum: Datum = Field(description="De juiste datum van de stap (een tikfout hersteld).")


class OverdrachtWeergave(Model):
    overdrachtId: str
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld
    wwEinddatum: Datum
    grondslag: GrondslagWeergave
    stappen: list[Stap]
    besluitOp: Datum | None = Field(description="Wanneer de bijstand werd toegekend (het openen van de uitkering).")
    besluitOpTijd: bool = Field(description="Besluit vóór het einde van de WW, met ingang uiterlijk de dag erna.")
    wwBedrag: WwBedrag | None
    gemeldOp: Datum | None = Field(description="De eerste melding van UWV.")
    teLaatGemeld: bool = Field(description="Later dan 3 maanden vóór het einde van de WW gemeld.")
    uitkomst: Uitkomst | None = Field(description="Zonder bijstand afgerond: werk gevonden of geen bijstand nodig.")
    geslaagd: bool = Field(
        description="Op tijd besloten, of vóór het einde van de WW werk gevonden of geen bijstand nodig."
    )


class MijnOverdrachtWeergave(OverdrachtWeergave):
    uitleg: str = Field(
        description="Waar de overdracht staat, in woorden voor de burger: het besluit of de uitkomst, anders het "
        "einde van de WW en de stappen van de gemeente."
    )


class Meldingsresultaat(Model):
    uitkomst: Literal["nieuw", "bijgewerkt", "verhuisd", "ongewijzigd"] = Field(
        description="verhuisd: de nieuwe woongemeente neemt de overdracht over en begint opnieuw (zonder de "
        "stappen, het besluit of de uitkomst van de vorige gemeente; gemeld op de dag van deze melding)."
    )
    overdrachtId: str
    verouderd: bool = Field(
        description="De melding is niet toegepast: UWV deed haar (`meldingstijdstip`) eerder dan de melding die al verwerkt "
        "is. De uitkomst is dan `ongewijzigd`."
    )


class Overdrachtrapportage(Model):
    gemeentecode: GemeentecodeVeld
    overdrachten: int
    lopend: int = Field(description="WW nog niet beëindigd.")
    wwBeeindigd: int
    besluitOpTijd: int = Field(description="Van de beëindigde: met een besluit vóór het einde van de WW.")
    werkGevonden: int = Field(description="Van de beëindigde: werk gevonden vóór het einde van de WW (geslaagd).")
    geenBijstandNodig: int = Field(description="Van de beëindigde: geen bijstand nodig (geslaagd).")
    zonderBesluitOpTijd: int = Field(description="Van de beëindigde: geen van de drie (doel: nul).")
    teLaatGemeld: int = Field(description="Later dan 3 maanden vóór het einde van de WW door UWV gemeld.")


class Zoektermijngegevens(Model):
    """What the four-week search period (Participatiewet art. 41 lid 4) needs, for any application."""

    geboortedatum: Datum | None = Field(
        None, description="Een eerste aanvraag (zonder heraanvraagtermijn): de leeftijd bepaalt de zoektermijn."
    )
    partnerGeboortedatum: Datum | None = Field(
        None, description="Gehuwd of samenwonend: de zoektermijn geldt alleen als beiden jonger dan 27 zijn."
    )
    praktijkonderwijsOfVso: StrictBool = Field(
        False, description="Praktijkonderwijs of VSO in het afgelopen jaar (vrijstelling van de zoektermijn)."
    )
    medischUrenbeperkt: StrictBool = Field(False, description="Medisch urenbeperkt (vrijstelling van de zoektermijn).")
    zoektermijnOntheffing: RedenVeld | None = Field(
        None,
        description="De reden waarom de consulent de zoektermijn in dit geval laat vervallen (voor een melding vanaf "
        "2026, Participatiewet in balans).",
    )

    def aanvraag(self, meldingsdatum: date, startdatum: date, wijzigingen: tuple[str, ...] = ()) -> Aanvraag:
        return Aanvraag(
            meldingsdatum,
            startdatum,
            wijzigingen,
            self.praktijkonderwijsOfVso,
            self.geboortedatum,
            self.partnerGeboortedatum,
            self.medischUrenbeperkt,
            None,
            self.zoektermijnOntheffing,
        )


class OverdrachtAanvraag(Zoektermijngegevens):
    meldingsdatum: Datum = Field(description="Hooguit 4 weken vóór het einde van de WW, en niet na vandaag.")


def meldingsresultaat(uitkomst: str, o: Overdracht) -> dict[str, Any]:
    verouderd = uitkomst == "verouderd"
    return {
        "uitkomst": "ongewijzigd" if verouderd else uitkomst,
        "overdrachtId": o.overdracht_id,
        "verouderd": verouderd,
    }


def overdracht(o: Overdracht, bsn: str) -> dict[str, Any]:
    return {
        "overdrachtId": o.overdracht_id,
        "bsn": bsn,
        "gemeentecode": o.gemeentecode,
        "wwEinddatum": o.ww_einddatum,
        "grondslag": o.grondslag,
        "stappen": [{"stap": s, "datum": d} for s, d in o.stappen],
        "besluitOp": o.besluit_op,
        "besluitOpTijd": o.op_tijd,
        "wwBedrag": {"soort": o.ww_bedrag[0], "bedrag": o.ww_bedrag[1]} if o.ww_bedrag else None,
        "gemeldOp": o.gemeld_op,
        "teLaatGemeld": o.te_laat_gemeld,
        "uitkomst": {"uitkomst": o.uitkomst[0], "datum": o.uitkomst[1]} if o.uitkomst else None,
        "geslaagd": o.geslaagd,
    }


def mijn_overdracht(o: Overdracht, bsn: str, vandaag: date) -> dict[str, Any]:
    return overdracht(o, bsn) | {"uitleg": uitleg(o, vandaag)}


def rapportage(gemeentecode: str | None, r: OverdrachtTelling) -> dict[str, Any]:
    return {
        "gemeentecode": gemeentecode,
        "overdrachten": r.overdrachten,
        "wwBeeindigd": r.ww_beeindigd,
        "besluitOpTijd": r.besluit_op_tijd,
        "werkGevonden": r.werk_gevonden,
        "geenBijstandNodig": r.geen_bijstand_nodig,
        "zonderBesluitOpTijd": r.zonder_besluit_op_tijd,
        "teLaatGemeld": r.te_laat_gemeld,
        "lopend": r.lopend,
    }


# --- re-applications --------------------------------------------------------------------------


class HeraanvraagInvoer(Zoektermijngegevens):
    bsn: BsnVeld
    meldingsdatum: Datum = Field(description="De dag waarop de persoon zich meldde als aanvrager (niet na vandaag).")
    startdatum: Datum = Field(
        description="Gevraagde ingangsdatum: niet vóór de melding, tenzij een consulent het "
        "motiveert (hooguit 3 maanden), en hooguit 4 weken en een dag erna (een melding vóór het einde van "
        "WW of contract)."
    )
    wijzigingen: Annotated[
        list[Literal["huishouden", "medebewoners", "adres", "vermogen", "inkomen"]], AfterValidator(uniek)
    ] = Field(
        max_length=5,
        json_schema_extra={"uniqueItems": True},
        description="Alleen wat sinds het einde van de uitkering veranderde, elke soort één keer; leeg: niets veranderd.",
    )
    contractEinddatum: Datum | None = Field(
        None,
        description="Het einde van een tijdelijk contract: de melding mag in de laatste 4 weken ervan, zodat de "
        "zoektermijn afloopt als het inkomen stopt.",
    )


class Reden(Model):
    code: str
    uitleg: str


class RecentInkomen(Model):
    maand: str
    nettoInkomen: int
    inkomstenverhoudingenBeeindigd: bool


class HeraanvraagWeergave(Model):
    heraanvraagId: str
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld
    meldingsdatum: Datum
    startdatum: Datum
    wijzigingen: list[str]
    status: Literal["toegekend", "beoordelen", "afgewezen"]
    redenen: list[Reden] = Field(description="Waarom een consulent moet kijken (leeg bij automatische toekenning).")
    besluitReden: str | None = Field(
        description="De reden van het besluit: die van de consulent, of bij een automatische toekenning wat getoetst "
        "en hergebruikt is, in woorden voor de burger (de melding binnen de termijn, geen wijzigingen, wat de polis "
        "toonde: geen inkomen in de laatste maand of het einde bij elke werkgever; een voorbije zoektermijn, het huishouden, de vrijlatingsmaanden die doortellen, de "
        "ingangsdatum). Leeg zolang een consulent beoordeelt."
    )
    hergebruik: Hergebruik | None = Field(description="Het dossier: wat wordt hergebruikt.")
    recentInkomen: RecentInkomen | None = Field(description="De laatste polismaand bij het indienen.")
    vroegsteBehandeldatum: date = Field(description="Na de zoektermijn van 4 weken, als die geldt.")
    zoektermijnOntheffing: str | None = Field(description="De reden waarom de zoektermijn verviel.")
    beslistermijn: date = Field(description="Melding + 8 weken (Awb 4:13).")
    termijnVerstreken: bool
    dagenTotBeslistermijn: int = Field(description="Negatief: de termijn is verstreken.")
    beslisduurSeconden: float | None = Field(description="Van indienen tot besluit.")
    uitkeringId: str | None = Field(description="De heropende uitkering, zodra de decisions-service die bevestigt.")
    nietGeopend: Reden | None = Field(
        description="Waarom de decisions-service de toegekende heraanvraag niet heropende (uitkering-loopt: voor de "
        "persoon liep al een uitkering); leeg zolang de heropening onderweg is of gelukt.",
    )


class MijnHeraanvraag(Model):
    """Een heraanvraag zoals de burger haar leest: de status en in woorden waar zij staat."""

    heraanvraagId: str
    gemeentecode: GemeentecodeVeld
    meldingsdatum: Datum
    startdatum: Datum
    status: Literal["toegekend", "beoordelen", "afgewezen"]
    uitleg: str = Field(
        description="Bij een automatische toekenning wat getoetst en hergebruikt is; anders wat de gemeente besloot "
        "(de reden staat in haar brief: de woorden van de consulent zijn van de gemeente) of dat zij beoordeelt."
    )
    beslistermijn: date = Field(description="Melding + 8 weken (Awb 4:13).")
    uitkeringId: str | None = Field(description="De heropende uitkering, zodra de decisions-service die bevestigt.")


def mijn_heraanvraag(h: Heraanvraag, vandaag: date) -> dict[str, Any]:
    tot = beslistermijn(h.aanvraag.meldingsdatum, h.status, vandaag).tot
    return {
        "heraanvraagId": h.heraanvraag_id,
        "gemeentecode": h.gemeentecode,
        "meldingsdatum": h.aanvraag.meldingsdatum,
        "startdatum": h.aanvraag.startdatum,
        "status": h.status,
        "uitleg": voor_burger(h, tot, vandaag),
        "beslistermijn": tot,
        "uitkeringId": h.uitkering_id,
    }


def mijn_zoekresultaat(termijn: Heraanvraagtermijn | None) -> dict[str, Any]:
    """The window as its person reads it: the reused situation without the partner's own data (their
    BSN, birth date, health and subsidy), which may be a former partner's."""
    gevonden = zoekresultaat(termijn)
    if gevonden["openTermijn"] and gevonden["openTermijn"]["hergebruik"]:
        situatie = gevonden["openTermijn"]["hergebruik"]["situatie"]
        situatie.pop("partner", None)
        situatie["partnerGeboortedatum"] = None
    return gevonden


class Besluit(Model):
    besluit: Literal["toekennen", "afwijzen"]
    reden: RedenVeld
    zoektermijnOntheffing: RedenVeld | None = Field(
        None, description="Nodig om toe te kennen terwijl de zoektermijn loopt: de reden om haar te laten vervallen."
    )
    situatie: SituatieInvoer | None = Field(
        None,
        description="Nodig om een eerste aanvraag (zonder heraanvraagtermijn, ook vanuit een overdracht) toe te kennen: "
        "de situatie die de consulent vaststelde; de data komen uit de aanvraag. Met een termijn vervangt zij de "
        "hergebruikte situatie (het huishouden veranderde); nodig als de BRP de partner van de vorige uitkering "
        "niet in uw gemeente inschrijft (partner-elders). De hergebruikte partner blijft zolang het huishouden "
        "gehuwd is met dezelfde partner (zelfde geboortedatum) die in uw gemeente woont; een nieuwe partner legt "
        "de consulent vast in de uitkering (daar toetst de BRP of de partner in uw gemeente woont).",
    )

    def situatie_domein(self) -> DomeinSituatie | None:
        if self.situatie is None:
            return None
        return situatie_van_contract(events.Situatie.model_validate(self.situatie.model_dump()))


def heraanvraag(h: Heraanvraag, vandaag: date) -> dict[str, Any]:
    termijn, a, inkomen = beslistermijn(h.aanvraag.meldingsdatum, h.status, vandaag), h.aanvraag, h.recent_inkomen
    return {
        "heraanvraagId": h.heraanvraag_id,
        "bsn": h.bsn,
        "gemeentecode": h.gemeentecode,
        "meldingsdatum": a.meldingsdatum,
        "startdatum": a.startdatum,
        "wijzigingen": list(a.wijzigingen),
        "status": h.status,
        "redenen": [{"code": r.code, "uitleg": r.uitleg} for r in h.redenen],
        "besluitReden": h.besluit_reden,
        "hergebruik": als_json(h.hergebruik),
        "recentInkomen": {
            "maand": inkomen.maand,
            "nettoInkomen": inkomen.netto,
            "inkomstenverhoudingenBeeindigd": inkomen.relaties_beeindigd,
        }
        if inkomen
        else None,
        "vroegsteBehandeldatum": h.vroegste_behandeldatum,
        "zoektermijnOntheffing": a.ontheffing,
        "beslistermijn": termijn.tot,
        "termijnVerstreken": termijn.verstreken,
        "dagenTotBeslistermijn": termijn.dagen_over,
        "beslisduurSeconden": (h.besloten_op - h.ingediend_op).total_seconds() if h.besloten_op else None,
        "uitkeringId": h.uitkering_id,
        "nietGeopend": {"code": h.niet_geopend.code, "uitleg": h.niet_geopend.uitleg} if h.niet_geopend else None,
    }
