"""Request and response bodies of the income API (the contract), and how a use case's answer
becomes one.

Annotations are evaluated here (no `from __future__ import annotations`): two models keep the
schema name of their first home through `__module__`, and their types must still resolve in this
module."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, create_model

from income.domain.afsluiting import Afsluiting
from income.domain.overschrijving import Overschrijving as Override
from income.domain.toerekening import Toerekening, verhoudingen_beeindigd
from income.entrypoints.aangifte import LEVERING_ID_TEKEN, AangifteInvoer, Regel, als_invoer
from income.service import aangiften
from income.service.maandinkomens import bedragen, bijdrage_json
from income.service.ports import Aangifteversie as Versie
from income.service.ports import Afwijzing as Afgewezen
from income.service.ports import Levering as Opgeslagen
from income.service.ports import Vastgelegd
from schakel.api.edge import MiB
from schakel.api.problems import OngeldigeParameter
from schakel.api.types import BsnVeld, Datum, Geheel, GemeentecodeVeld, MaandVeld, Model, Moment, RedenVeld
from schakel.primitives.periode import MOMENT_PATTERN
from schakel.telemetry.redaction import gemaskeerd_id

LeveringId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=f"^{LEVERING_ID_TEKEN}+$",
        description="Kenmerk van de levering, uniek per leverancier.",
    ),
]
MAX_AANGIFTEN = 50_000
# 50.000 declarations with every field filled take 30 MB as compact JSON (14 MB with only the
# required ones), 36 MB indented; 48 MiB leaves room for the largest amounts and whitespace
MAX_LEVERING = 48 * MiB


# --- population -------------------------------------------------------------------------------


class Lid(Model):
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld


class Populatie(Model):
    peildatum: Datum
    pagina: int
    paginaGrootte: int
    totaal: int = Field(
        description="Aantal personen in de populatie op de peildatum (bij `vanaf`: toen de eerste pagina werd gelezen)."
    )
    personen: list[Lid]
    volgende: str | None = Field(
        description="Cursor voor de pagina hierna: geef hem mee als `vanaf` (een dag geldig, alleen voor u); null "
        "op de laatste pagina."
    )


# --- deliveries -------------------------------------------------------------------------------


def _elk_object(schema: dict) -> None:
    # each object is judged on its own: one that breaks AangifteInvoer is answered "afgewezen"
    # in the result, while the rest of the delivery is processed
    schema["items"] = {"anyOf": [schema["items"], {"type": "object"}]}


class Levering(Model):
    leveringId: LeveringId
    aangiften: Annotated[
        list[Regel],
        Field(
            min_length=1,
            max_length=MAX_AANGIFTEN,
            json_schema_extra=_elk_object,
            description="Aangiften (AangifteInvoer). Een aangifte die de regels breekt, wordt per aangifte afgewezen; "
            "de andere worden verwerkt.",
        ),
    ]


class Uitkomst(Model):
    __module__ = "income.entrypoints.api"  # the contract names this schema after its first home
    volgnummer: int = Field(description="Positie van de aangifte in de levering, vanaf 0.")
    uitkomst: aangiften.Uitkomst
    fouten: list[OngeldigeParameter] | None = Field(None, description="Alleen bij afgewezen: welk veld, welke regel.")


class Aantallen(Model):
    geaccepteerd: int
    correctie: int
    herhaling: int
    verouderd: int = Field(0, description="Ouder dan de versie die income van het tijdvak heeft (`aangemaaktOp`).")
    buitenPopulatie: int
    afgewezen: int


class Leveringsresultaat(Model):
    leveringId: LeveringId
    aantallen: Aantallen
    resultaten: list[Uitkomst]


class Leveringsstatus(Model):
    leveringId: LeveringId
    kanaal: Literal["http", "kafka"]
    ontvangenOp: datetime
    bijgewerktOp: datetime
    aantallen: Aantallen
    afwijzingenAfgekapt: bool = Field(
        description="Waar: over Kafka zijn meer aangiften afgewezen dan `GET /leveringen/{leveringId}/afwijzingen` "
        "noemt (het noemt de eerste 1000); de rest staat met de reden op het dead-letter-topic, bij de beheerder. "
        "Onwaar zodra de bewaartermijn de lijst leegmaakte."
    )


class Afwijzing(Model):
    eventId: str | None = Field(
        description="De ce_id van het afgewezen bericht, als het te lezen was; elke reeks van negen of meer cijfers "
        "erin (ook met een punt of spatie tussen groepen, `9999.93.653`) staat gemaskeerd (`*********`): het kan "
        "een BSN zijn."
    )
    partitie: int | None = Field(description="Anders: de partitie van het bericht op het topic.")
    offset: int | None = Field(description="En zijn offset daarop.")
    reden: str = Field(description="Waarom: het veld en de regel (nooit een waarde).")
    afgewezenOp: datetime


def afwijzing(a: Afgewezen) -> dict:
    return {
        # masked when shown too: one kept before income 0.12, or by an instance of 0.11 beside it, was not
        "eventId": None if a.event_id is None else gemaskeerd_id(a.event_id),
        "partitie": a.partitie,
        "offset": a.positie,
        "reden": a.reden,
        "afgewezenOp": a.afgewezen_op,
    }


def leveringsstatus(levering: Opgeslagen) -> dict:
    return {
        "leveringId": levering.levering_id,
        "kanaal": levering.kanaal,
        "ontvangenOp": levering.ontvangen_op,
        "bijgewerktOp": levering.bijgewerkt_op,
        "aantallen": levering.aantallen,
        "afwijzingenAfgekapt": levering.afwijzingen_afgekapt,
    }


class MaandafsluitingInvoer(Model):
    maand: MaandVeld = Field(description="De kalendermaand waarover de levering compleet is; voorbij.")
    gelezenOp: Annotated[
        Moment,
        Field(
            description="Het moment (met tijdzone) waarop u begon de populatie te lezen waarvoor u leverde "
            "(`GET /populatie` zonder peildatum), na de maand. Wie income pas daarna kende, ook met een uitkering "
            "die terugwerkt tot in de maand, valt er niet onder.",
            json_schema_extra={"pattern": MOMENT_PATTERN},
        ),
    ]
    gemeentecodes: list[GemeentecodeVeld] | None = Field(
        None,
        min_length=1,
        max_length=400,
        description="Alleen de populatie van deze gemeenten (waarvoor u gecontracteerd bent); standaard allemaal.",
    )
    gemeentenZonderAangiften: list[GemeentecodeVeld] = Field(
        default_factory=list,
        max_length=400,
        description="Gemeenten van deze afsluiting waarvoor u over de maand niets leverde omdat niemand van hun "
        "populatie inkomen uit de polis had: dat verklaart u hiermee. Een andere gemeente sluit income pas af als u "
        "over de maand een aangifte leverde voor iemand van haar populatie (`niet-geleverd`): zo wordt de maand van "
        "wie nog geleverd moet worden niet zonder inkomen vastgesteld, wat bij de latere levering een vordering zou "
        "worden.",
    )


class Maandafsluiting(Model):
    maandafsluitingId: str = Field(description="Id van de afsluiting (ook in de Location van het antwoord).")
    maand: MaandVeld
    gelezenOp: datetime
    gemeentecodes: list[GemeentecodeVeld] = Field(description="De gemeenten waarvan de populatie wordt afgesloten.")
    gemeentenZonderAangiften: list[GemeentecodeVeld] = Field(
        description="Daarvan: waarvoor u verklaarde dat u niets leverde omdat niemand inkomen uit de polis had."
    )
    status: Literal["lopend", "afgerond", "mislukt"] = Field(
        description="`lopend`: income werkt de populatie nog af (de aantallen lopen op); `afgerond`: klaar; "
        "`mislukt`: income gaf het op na herhaalde fouten bij hetzelfde deel (de beheerder ziet de fout). Vraag "
        "dan opnieuw aan: wat al is vastgesteld blijft staan."
    )
    aangevraagdOp: datetime
    afgerondOp: datetime | None = Field(None, description="Wanneer de afsluiting klaar was; null zolang ze loopt.")
    personen: int = Field(description="Tot nu toe: personen in de gelezen populatie met een uitkering in de maand.")
    zonderInkomen: int = Field(
        description="Van hen: wier maand nu is vastgesteld zonder inkomen (er was nog niets over bekend)."
    )


def maandafsluiting(afsluiting: Afsluiting) -> dict:
    return {
        "maandafsluitingId": afsluiting.id,
        "maand": str(afsluiting.maand),
        "gelezenOp": afsluiting.gelezen_op,
        "gemeentecodes": sorted(afsluiting.gemeentecodes),
        "gemeentenZonderAangiften": sorted(afsluiting.zonder_aangiften),
        "status": afsluiting.status,
        "aangevraagdOp": afsluiting.aangevraagd_op,
        "afgerondOp": afsluiting.afgerond_op,
        "personen": afsluiting.personen,
        "zonderInkomen": afsluiting.zonder_inkomen,
    }


AangifteInvoerZonderBsn = create_model(
    "AangifteZonderBsn",
    __base__=Model,
    **{name: (f.annotation, f) for name, f in AangifteInvoer.model_fields.items() if name != "bsn"},
)


# --- monthly incomes --------------------------------------------------------------------------


class Berekening(Model):
    fiscaalLoon: int
    waardePriveGebruikAuto: int
    ingehoudenLoonheffing: int
    ingehoudenBijdrageZvw: int
    premieWgaWerknemer: int
    vakantiebijslagBetaald: int
    nettoTijdvak: int = Field(
        description="Indicatief netto van het hele tijdvak: fiscaal loon − privégebruik auto − "
        "loonheffing − bijdrage Zvw − premie WGA werknemer."
    )
    nettoVakantiebijslagTijdvak: int


class Bijdrage(Model):
    loonheffingennummer: str
    inkomstenverhouding: int
    eindeInkomstenverhouding: date | None
    tijdvakBegin: date
    tijdvakEinde: date
    soortInkomstenverhouding: str | None = Field(None, description="De code van de aangifte (bijv. 15 loon, 33 WW).")
    inkomstensoort: Literal["arbeid", "overig", "onbekend", "bijstand"] = Field(
        description="arbeid (vrijlating mogelijk), overig (uitkering, pensioen), onbekend (een consulent beslist) of "
        "bijstand (de bijstand zelf, code 43: telt niet als inkomen), uit de gedateerde tabel soort "
        "inkomstenverhouding."
    )
    versie: int = Field(description="Versie van de aangifte over dit tijdvak (1 = eerste, hoger = correctie).")
    dagen: int = Field(description="Dagen van het tijdvak die in deze maand tellen.")
    dagenTijdvak: int
    nettoInkomen: int = Field(description="Deel van het netto loon in deze maand, in centen.")
    vakantiebijslag: int
    berekening: Berekening


class Overschrijving(Model):
    nettoInkomen: int
    reden: str


class Maandinkomen(Model):
    maand: MaandVeld
    nettoInkomen: int = Field(description="Vastgesteld netto inkomen in de maand (arbeid en overig), in centen.")
    vakantiebijslag: int = Field(description="Netto vakantiebijslag betaald in de maand, in centen.")
    arbeidsinkomen: int = Field(description="Deel van netto inkomen plus vakantiebijslag dat uit arbeid komt.")
    overigInkomen: int = Field(description="Deel dat uitkering (WW, ZW, WIA en dergelijke) of pensioen is.")
    onbekendInkomen: int = Field(description="Deel van onbekende soort: een consulent beslist.")
    bron: Literal["polis", "overschrijving"]
    teBeoordelen: bool = Field(
        description="Na een overschrijving kwam een nieuwere polisversie binnen; niet automatisch toegepast."
    )
    polisNettoInkomen: int = Field(description="Wat de polis voor deze maand geeft.")
    overschrijving: Overschrijving | None
    bijdragen: list[Bijdrage]


class Maandinkomens(Model):
    bsn: BsnVeld
    maanden: list[Maandinkomen]


class LaatsteMaand(Model):
    maand: MaandVeld
    nettoInkomen: int = Field(description="Vastgesteld netto inkomen in de maand, in centen.")
    inkomstenverhoudingenBeeindigd: bool = Field(
        description="Elke inkomstenverhouding die in de maand betaalde, meldde haar einde."
    )


class LaatsteMaandinkomen(Model):
    bsn: BsnVeld
    laatsteMaand: LaatsteMaand | None = Field(
        description="De laatste maand met polisgegevens in uw perioden tot en met deze maand; null: nog geen."
    )


def laatste_maandinkomen(bsn: str, v: Vastgelegd | None) -> dict:
    maand = (
        None
        if v is None
        else {
            "maand": str(v.maand),
            "nettoInkomen": v.loon,
            "inkomstenverhoudingenBeeindigd": verhoudingen_beeindigd(v.bijdragen),
        }
    )
    return {"bsn": bsn, "laatsteMaand": maand}


class Zoekvraag(Model):
    __module__ = "income.entrypoints.api"  # as Uitkomst: its schema name in the contract
    bsn: BsnVeld
    vanMaand: MaandVeld
    totMaand: MaandVeld


class OverschrijvingInvoer(Model):
    bsn: BsnVeld
    maand: MaandVeld
    nettoInkomen: Geheel(0, 10**9, "Netto inkomen in eurocenten.")
    reden: Annotated[RedenVeld, Field(description="Bijv. 'loonstrook maart ontvangen'.")]


class Intrekking(Model):
    bsn: BsnVeld
    maand: MaandVeld


class Aangifteversie(AangifteInvoerZonderBsn):
    versie: int = Field(description="1 = eerste aangifte over dit tijdvak, hoger = correctie.")
    actueel: bool = Field(description="False: vervangen door een latere versie (bewaard voor de verantwoording).")
    leveringId: LeveringId
    ontvangenOp: datetime


class Aangifteversies(Model):
    bsn: BsnVeld
    aangiften: list[Aangifteversie]


class Beleid(Model):
    toerekening: Toerekening = Field(
        description="Naar rato van dagen (standaard) of naar de maand van het einde van het tijdvak. Een "
        "tijdvak volgt het beleid van de gemeente die de persoon op de eerste dag van het tijdvak onder zich "
        "had (de gemeente van de laatste uitkering die toen was begonnen): na een verhuizing wordt elk "
        "tijdvak één keer en in zijn geheel toegerekend, en verandert de uitkering van de nieuwe gemeente "
        "niets aan tijdvakken die vóór haar begin begonnen; alleen een maand die beide uitkeringen delen kan "
        "nog veranderen, door een tijdvak dat in de zorg van de nieuwe gemeente begon."
    )


def maandinkomen(v: Vastgelegd, o: Override | None) -> dict:
    return {
        "maand": str(v.maand),
        "nettoInkomen": v.loon,
        "vakantiebijslag": v.vakantiebijslag,
        **bedragen(v).model_dump(include={"arbeidsinkomen", "overigInkomen", "onbekendInkomen"}),
        "bron": v.bron,
        "teBeoordelen": v.te_beoordelen,
        "polisNettoInkomen": v.polis_loon,
        "overschrijving": {"nettoInkomen": o.loon, "reden": o.reden} if o else None,
        "bijdragen": [bijdrage_json(b) for b in v.bijdragen],
    }


def aangifteversie(v: Versie) -> dict:
    return {
        **als_invoer(v.inhoud),
        "aangemaaktOp": v.aangemaakt_op,
        "versie": v.versie,
        "actueel": v.actueel,
        "leveringId": v.levering_id,
        "ontvangenOp": v.ontvangen_op,
    }
