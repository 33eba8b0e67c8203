"""The data of every event Schakel's services exchange, as typed models: one per event type, the
shared parts (the person and the case, the household situation, what a re-application reuses, an
employer's contribution to a month, a settlement) defined once. Producers build them, consumers
parse them (`from_event`), and `make contracts` writes each one's JSON Schema to contracts/events/.

The class docstrings and field descriptions are the contract's (Dutch) documentation. Amounts are
integer euro cents. The contract's schemas stay the gate on both ends (the outbox and the
consumer validate against them, the elfproef included); these models give the data its types."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from schakel import logboek
from schakel.events.envelope import Event, InvalidEvent
from schakel.primitives.periode import DATUM_PATTERN, MAAND_PATTERN

_BSN = Field(pattern=r"^[0-9]{9}$", description="Burgerservicenummer (elfproef).", json_schema_extra={"format": "bsn"})
# an event about a person makes them a subject of its processing; a partner it names, a member of the
# household it is about
Bsn = Annotated[str, _BSN, AfterValidator(logboek.noteer_bsn)]
PartnerBsn = Annotated[str, _BSN, AfterValidator(logboek.noteer_gezinslid)]
Gemeentecode = Annotated[str, Field(pattern=r"^GM[0-9]{4}$")]
Uuid = Annotated[str, Field(json_schema_extra={"format": "uuid"})]
Datum = Annotated[date, Field(json_schema_extra={"pattern": DATUM_PATTERN})]
Maand = Annotated[str, Field(pattern=MAAND_PATTERN)]
Loonheffingennummer = Annotated[str, Field(pattern=r"^[0-9]{9}L[0-9]{2}$")]
Inkomstenverhouding = Annotated[int, Field(ge=0)]
Huishouden = Literal["alleenstaand", "alleenstaande-ouder", "gehuwd"]
Inkomstensoort = Literal["arbeid", "overig", "onbekend", "bijstand"]
DoelgroepregisterGrond = Literal["wajong", "wsw", "wiw-id", "participatiewet", "vso-pro", "alleen-met-voorziening"]


def _is_none(value: object) -> bool:
    return value is None


def _not_null(schema: JsonDict) -> None:
    # an optional property is left out, never null: the schema says so instead of `anyOf [X, null]`
    branches = schema.pop("anyOf")
    for branch in branches if isinstance(branches, list) else ():
        if isinstance(branch, dict) and branch != {"type": "null"}:
            schema.update(branch)
    schema.pop("default")


def Weglaatbaar(description: str) -> Any:  # noqa: N802 - reads as a field type
    """An optional property (its default None written out): absent from the data when None, never null."""
    return Field(description=description, exclude_if=_is_none, json_schema_extra=_not_null)


class Deel(BaseModel):
    """A part of an event's data: unknown properties are refused, nothing changes after building."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EventData(Deel):
    """The data of one event type; a subclass names its type, its schema and its message title."""

    TYPE: ClassVar[str]  # the CloudEvents type
    SCHEMA: ClassVar[str]  # the schema's name: contracts/events/<SCHEMA>.schema.json
    TITLE: ClassVar[str]
    SUMMARY: ClassVar[str | None] = None
    KEY: ClassVar[str] = "persoonPseudoniem"  # the record key's schema in asyncapi.yaml

    @classmethod
    def from_event(cls, event: Event) -> Self:
        if event.type != cls.TYPE:
            raise InvalidEvent(f"expected {cls.TYPE}, got {event.type}")
        return cls.model_validate(event.data)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class _InOrder(GenerateJsonSchema):
    def sort(self, value: JsonSchemaValue, parent_key: str | None = None) -> JsonSchemaValue:
        return value  # keywords in the order they are written (type first), fields in the model's order


def json_schema(model: type[BaseModel], schema: str) -> dict[str, Any]:
    """The model's JSON Schema as contracts/events/ holds it: self-contained (shared parts written
    out where they are used, so an integrator reads one file), no generated titles."""
    generated = model.model_json_schema(schema_generator=_InOrder)
    parts = generated.pop("$defs", {})

    def inline(node: Any, properties: bool = False) -> Any:
        if isinstance(node, list):
            return [inline(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            node = {**parts[node["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: inline(v, k == "properties") for k, v in node.items() if properties or k != "title"}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:schakel:events:{schema}:1",
        "title": schema,
        "description": " ".join(generated.pop("description").split()),  # the docstring as one line
        **inline(generated),
    }


# --- the person, the case --------------------------------------------------------------------


class Persoonsbericht(EventData):
    bsn: Bsn
    gemeentecode: Annotated[Gemeentecode, Field(description="Gemeentecode van de woongemeente.")]


class Uitkeringsbericht(EventData):
    uitkeringId: Annotated[Uuid, Field(description="De uitkering in de decisions-service.")]
    bsn: Bsn
    gemeentecode: Annotated[Gemeentecode, Field(description="Gemeentecode van de woongemeente.")]


# --- the household situation and what a re-application reuses ---------------------------------


class Partner(Deel):
    """De partner van een gehuwde of samenwonende aanvrager, met eigen vrijlatingsgronden."""

    bsn: PartnerBsn
    geboortedatum: Datum
    medischUrenbeperkt: bool
    loonkostensubsidie: bool
    meerUrenNietMogelijk: bool


class Situatie(Deel):
    huishouden: Huishouden
    partnerGeboortedatum: Datum | None
    partner: Annotated[
        Partner | None,
        Weglaatbaar("Bij gehuwd of samenwonend: de partner. Ontbreekt bij berichten van voor versie 2.1.0."),
    ] = None
    jongsteKindGeboortedatum: Datum | None
    kostendelers: Annotated[int, Field(ge=0)]
    medischUrenbeperkt: bool
    loonkostensubsidie: bool
    meerUrenNietMogelijk: bool
    vrijlatingsregime: Literal["per-datum", "in-balans"]
    betaalmodel: Literal["voorschot", "stabiel-inkomen"]
    jongerennorm: Annotated[
        int | None,
        Weglaatbaar(
            "De norm in eurocenten die de consulent voor een huishouden met een jongere (18 tot en met 20 jaar) en "
            "een partner of kind uit de normenbrief vastlegde (geldt onder de normenbrief van zijn ingangsdatum). "
            "Ontbreekt zonder, en bij berichten van voor versie 2.12.0."
        ),
    ] = None
    jongerennormVanaf: Annotated[
        Datum | None,
        Weglaatbaar(
            "Bij een hergebruikte situatie met jongerennorm: de ingangsdatum van de situatie waarin de consulent haar "
            "vastlegde. De heropende uitkering neemt haar alleen over onder dezelfde normenbrief (anders wachten "
            "haar maanden op de consulent). Ontbreekt zonder: dan geldt de normenbrief van de startdatum."
        ),
    ] = None


class Klokstand(Deel):
    grond: str
    maandenGebruikt: Annotated[
        int,
        Field(
            ge=1,
            description="De maanden van de grond die deze uitkering gebruikte; voor r en werk de kalendermaanden "
            "sinds de eerste (aaneengesloten, sinds versie 2.9.0).",
        ),
    ]


class Hergebruik(Deel):
    geboortedatum: Datum
    situatie: Situatie
    vrijlatingsklok: list[Klokstand]


# --- decisions: cases --------------------------------------------------------------------------


class Partnerperiode(Deel):
    """Een partner die tot het huishouden van de uitkering hoort, van een dag tot een dag (leeg: lopend)."""

    bsn: PartnerBsn
    vanaf: Datum
    tot: Annotated[
        Datum | None, Weglaatbaar("Laatste dag; ontbreekt zolang het partnerschap in de uitkering loopt.")
    ] = None


PARTNERS = (
    "Alle partners van de uitkering met hun periode (de volledige stand, niet een wijziging): hun inkomen telt "
    "mee voor het huishouden, dus de income-service houdt hun polisgegevens voor die perioden bij. Ontbreekt bij "
    "berichten van voor versie 2.1.0."
)


class UitkeringGeopend(Uitkeringsbericht):
    """Een bijstandsuitkering (Participatiewet) is geopend."""

    TYPE = "nl.participatiewet.uitkering.geopend"
    SCHEMA = "uitkering-geopend"
    TITLE = "Uitkering geopend"

    geboortedatum: Annotated[Datum, Field(description="Geboortedatum van de aanvrager.")]
    startdatum: Annotated[Datum, Field(description="Eerste dag van het recht op bijstand.")]
    heraanvraagId: Annotated[Uuid | None, Weglaatbaar("Bij een heropening: de toegekende heraanvraag.")] = None
    besluitdatum: Annotated[
        Datum | None,
        Weglaatbaar(
            "Datum van het besluit (Algemene wet bestuursrecht), voor de beslistermijn na een WW-overdracht. "
            "Ontbreekt bij berichten van voor versie 1.2.0: dan geldt de dag (Nederlandse tijd) van het bericht."
        ),
    ] = None
    partners: Annotated[list[Partnerperiode] | None, Weglaatbaar(PARTNERS)] = None


class UitkeringGewijzigd(Uitkeringsbericht):
    """De huishoudsituatie of de vrijlatingsgronden van een bijstandsuitkering zijn gewijzigd per een ingangsdatum."""

    TYPE = "nl.participatiewet.uitkering.gewijzigd"
    SCHEMA = "uitkering-gewijzigd"
    TITLE = "Uitkering gewijzigd"

    ingangsdatum: Datum
    huishouden: Huishouden
    kostendelers: Annotated[int, Field(ge=0)]
    medischUrenbeperkt: bool
    loonkostensubsidie: bool
    partners: Annotated[list[Partnerperiode] | None, Weglaatbaar(PARTNERS)] = None


class UitkeringBeeindigd(Uitkeringsbericht):
    """Een bijstandsuitkering is beëindigd; de heraanvraagtermijn begint. Een gecorrigeerde einddatum wordt
    opnieuw gemeld, met de einddatum die hij vervangt."""

    TYPE = "nl.participatiewet.uitkering.beeindigd"
    SCHEMA = "uitkering-beeindigd"
    TITLE = "Uitkering beëindigd"

    einddatum: Annotated[Datum, Field(description="Laatste dag van het recht op bijstand.")]
    reden: Annotated[Literal["werk", "verhuizing", "overig"], Field(description="Reden van beëindiging.")]
    hergebruik: Annotated[
        Hergebruik | None,
        Weglaatbaar(
            "Wat een heraanvraag binnen de termijn mag hergebruiken (art. 43a): de situatie op de einddatum en "
            "de vrijlatingsklok."
        ),
    ] = None
    vorigeEinddatum: Annotated[
        Datum | None,
        Weglaatbaar(
            "Bij een gecorrigeerde einddatum: de einddatum die dit bericht vervangt. Het laatste bericht per "
            "uitkeringId geldt (sinds versie 2.6.0). Gelijk aan einddatum: hetzelfde einde opnieuw, omdat maanden "
            "die na de beëindiging zijn verrekend de vrijlatingsklok in hergebruik veranderden (sinds versie "
            "2.9.0; bij een einddatum in de toekomst ook maanden vóór die datum), of (sinds versie 2.13.0) omdat de "
            "gemeente de geboortedatum of de situatie op de einddatum herstelde: neem het hele hergebruik over."
        ),
    ] = None
    partners: Annotated[list[Partnerperiode] | None, Weglaatbaar(PARTNERS)] = None


class Maandtoets(Deel):
    maand: Maand
    getoetstInkomen: int
    norm: int


class BeeindigingVoorgesteld(Uitkeringsbericht):
    """Het getoetste inkomen (na vrijlating) lag een instelbaar aantal kalendermaanden op rij boven de norm: een
    voorstel om de uitkering te beëindigen. De gemeente beslist; niets stopt vanzelf."""

    TYPE = "nl.participatiewet.uitkering.beeindiging-voorgesteld"
    SCHEMA = "beeindiging-voorgesteld"
    TITLE = "Beëindiging voorgesteld"
    SUMMARY = "Het inkomen lag een aantal maanden op rij boven de norm; de gemeente beslist."

    maanden: Annotated[list[Maandtoets], Field(min_length=1)]
    uitleg: str


class BeeindigingsvoorstelAfgewezen(Uitkeringsbericht):
    """De gemeente wees het voorstel om de uitkering te beëindigen af en laat haar lopen (sinds versie 2.14.0).
    Deze reeks maanden boven de norm wordt niet opnieuw voorgesteld, ook niet als zij langer wordt; een nieuwe
    reeks, na een maand op of onder de norm, wel. De reden staat bij de uitkering (alleen voor de gemeente)."""

    TYPE = "nl.participatiewet.uitkering.beeindigingsvoorstel-afgewezen"
    SCHEMA = "beeindigingsvoorstel-afgewezen"
    TITLE = "Beëindigingsvoorstel afgewezen"
    SUMMARY = "De gemeente laat de uitkering lopen; deze reeks maanden wordt niet opnieuw voorgesteld."

    vanMaand: Annotated[Maand, Field(description="De eerste maand van de voorgestelde reeks.")]
    totMaand: Annotated[Maand, Field(description="De laatste maand van de reeks toen zij werd voorgesteld.")]
    uitleg: Annotated[str, Field(description="Voor de inwoner: wat dit betekent.")]


# --- decisions: settlements --------------------------------------------------------------------


class Norm(Deel):
    bedrag: int
    omschrijving: str
    kostendelers: Annotated[int, Field(ge=1)]
    dagen: Annotated[
        int,
        Field(
            ge=0,
            description="De dagen van de maand waarover recht op bijstand bestond. 0 voor een maand na de einddatum "
            "die al betaald of verrekend was toen de uitkering (terug in de tijd) werd beëindigd: die maand wordt "
            "op nihil herzien (bedrag en bedragNaarRato 0) en wat ervoor betaald is wordt teruggevorderd (sinds "
            "versie 2.4.0).",
        ),
    ]
    dagenMaand: Annotated[int, Field(ge=28)]
    bedragNaarRato: int


class Bijdrage(Deel):  # an employer's period that counts in the month
    loonheffingennummer: Loonheffingennummer
    inkomstenverhouding: Inkomstenverhouding
    tijdvakBegin: Datum
    tijdvakEinde: Datum
    nettoInkomen: int
    inkomstensoort: Annotated[
        Inkomstensoort | None,
        Weglaatbaar(
            "arbeid (vrijlating mogelijk), overig (uitkering, pensioen), onbekend (een consulent beslist) of bijstand "
            "(de bijstand zelf: telt niet als inkomen)."
        ),
    ] = None


class Inkomen(Deel):
    nettoInkomen: int
    vakantiebijslag: int
    bijdragen: list[Bijdrage]
    arbeidsinkomen: Annotated[
        int | None, Weglaatbaar("Netto inkomen uit arbeid, vakantiebijslag inbegrepen: alleen hierover vrijlating.")
    ] = None
    overigInkomen: Annotated[
        int | None, Weglaatbaar("Netto overig inkomen (uitkeringen zoals WW, ZW, WIA; pensioen): geen vrijlating.")
    ] = None
    bron: Annotated[
        Literal["polis", "overschrijving"] | None,
        Weglaatbaar(
            "Polis, of een overschrijving: de gemeente stelde nettoInkomen vast (bijv. van een loonstrook), in "
            "plaats van de polis. De bijdragen zijn dan die van de polis en tellen niet op tot nettoInkomen "
            "(sinds versie 2.10.0)."
        ),
    ] = None


class Vrijlating(Deel):
    grond: Literal["n", "r", "y", "z", "aa", "werk", "medisch", "aow"]
    percentage: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?$")]
    plafond: int | None
    bedrag: int
    maandNummer: Annotated[
        int,
        Field(
            ge=1,
            description="De hoeveelste maand van de grond in deze uitkering: voor r en werk kalendermaanden sinds "
            "de eerste (aaneengesloten, sinds versie 2.9.0), voor de andere de maanden waarin hij is toegepast.",
        ),
    ]
    maanden: int | None


class Partnerdeel(Deel):
    """Het inkomen van de partner in de maand en de eigen vrijlating van de partner."""

    inkomen: Inkomen
    vrijlating: Vrijlating | None


class Verrekening(Deel):  # a month's settlement, as the events and the API show it
    maand: Maand
    norm: Norm
    inkomen: Inkomen
    vrijlating: Annotated[
        Vrijlating | None,
        Field(
            description="De vrijlating van de aanvrager. Null zonder inkomen uit werk, zonder grond (de uitleg zegt "
            "waarom), of als hij niets verandert: geen bijstand met of zonder vrijlating (sinds versie 2.9.0; zo'n "
            "maand telt niet mee voor de vrijlatingsmaanden)."
        ),
    ]
    partner: Annotated[
        Partnerdeel | None,
        Weglaatbaar(
            "Bij gehuwd of samenwonend: het inkomen en de vrijlating van de partner (inkomen en vrijlating "
            "hierboven zijn van de aanvrager)."
        ),
    ] = None
    getoetstInkomen: Annotated[
        int,
        Field(
            description="Het inkomen van het huishouden min de vrijlatingen, nooit minder dan 0 (sinds versie 2.9.0): "
            "de bijstand is nooit meer dan de norm.",
        ),
    ]
    bijstand: int
    vakantietoeslag: int
    teBetalen: int
    betaald: int
    verschil: Annotated[
        int,
        Field(
            description="teBetalen − betaald: positief nabetaling, negatief terugvordering; bij tussenrekening "
            "(sinds versie 2.9.0) − betaald, en (sinds versie 2.10.3) min wat van het betaalde vaste bedrag een "
            "herziening terug in de tijd niet meer toekent."
        ),
    ]
    verrekendMetVorderingen: Annotated[
        int,
        Field(
            ge=0,
            description="Wat van de nabetaling over deze maand (tot nu toe) een openstaande terugvordering "
            "heeft afgelost in plaats van te worden uitbetaald (zie vordering.gewijzigd, boekingen van soort "
            "nabetaling). 0 bij berichten van voor versie 2.2.0.",
        ),
    ] = 0
    uitleg: Annotated[str, Field(description="De verrekening in gewone taal, voor de inwoner.")]
    tussenrekening: Annotated[
        bool | None,
        Weglaatbaar(
            "true: de maand wordt als stabiel inkomen betaald (Surplus). teBetalen gaat dan naar de tussenrekening "
            "van de gemeente, net als het loon, en de inwoner krijgt daaruit elke maand het vaste bedrag; verschil "
            "is dan min een voorschot dat daarbovenop is betaald en min wat van het betaalde vaste bedrag een "
            "herziening niet meer toekent (een kostendeler, een partner of een einde terug in de tijd; beide terug "
            "te vorderen), nooit een nabetaling. "
            "Afwezig bij betaling met voorschot (sinds versie 2.9.0)."
        ),
    ] = None


class VerrekeningVastgesteld(Verrekening, Uitkeringsbericht):
    """De verrekening van een maand van een bijstandsuitkering is voor het eerst vastgesteld: norm, getoetst inkomen
    per werkgever, vrijlating, bijstand, gereserveerde vakantietoeslag, te betalen, al betaald en het verschil, met
    uitleg. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.verrekening.vastgesteld"
    SCHEMA = "verrekening-vastgesteld"
    TITLE = "Verrekening vastgesteld"


class VerrekeningHerzien(Verrekening, Uitkeringsbericht):
    """Een al vastgestelde maand is herzien (bijv. na een polis­correctie of een nieuw vastgelegde betaling).
    `herziening` is het verschil met het eerder te betalen bedrag: alleen dat verschil wordt nog betaald of
    teruggevorderd. Sinds versie 2.10.0 ook bij gelijke bedragen (`herziening` 0 en een gelijk voorschot) als
    alleen veranderde wat de maand uitlegt (de bron of de bijdragen van het inkomen, een vrijlatingsmaand), zodat
    de uitleg in de API en in de berichten dezelfde is."""

    TYPE = "nl.participatiewet.verrekening.herzien"
    SCHEMA = "verrekening-herzien"
    TITLE = "Verrekening herzien"

    vorigTeBetalen: int
    herziening: Annotated[int, Field(description="teBetalen − vorigTeBetalen.")]


class Wachtmaand(Deel):
    """Een maand die op een consulent wacht, en waarom."""

    maand: Maand
    wie: Annotated[Literal["aanvrager", "partner"], Field(description="Van wie het inkomen is.")]
    soort: Annotated[
        Literal["inkomstensoort", "partner", "norm", "bedragen"],
        Field(
            description="inkomstensoort: van een inkomstenverhouding is onbekend of het loon is of een uitkering of "
            "pensioen (leg het oordeel vast); partner: de partner heeft geen BSN in de uitkering, zijn inkomen is "
            "onbekend; norm: een jongere onder de 21 met een partner of kind, de gemeente legt de norm uit de wet "
            "vast (jongerennorm); bedragen: Schakel kent de bedragen van de bijstand over de maand nog niet."
        ),
    ]
    reden: Annotated[str, Field(description="Wat de consulent moet vastleggen.")]


class VerrekeningTeBeoordelen(Uitkeringsbericht):
    """Sinds versie 2.13.0. Maanden van de uitkering die Schakel niet zelf kan verrekenen, wachten vanaf nu op een
    consulent (één bericht per keer dat er maanden bij komen, met alleen die maanden). Zodra de consulent vastlegt
    wat ontbreekt, volgt verrekening.vastgesteld of verrekening.herzien (of de maand valt niet meer binnen de
    uitkering, bijv. na een eerdere einddatum, en verdwijnt zonder bericht). Wat wacht staat in `GET /werkvoorraad`
    van de decisions-service."""

    TYPE = "nl.participatiewet.verrekening.te-beoordelen"
    SCHEMA = "verrekening-te-beoordelen"
    TITLE = "Verrekening te beoordelen"
    SUMMARY = "Maanden van de uitkering wachten op een consulent."

    maanden: Annotated[list[Wachtmaand], Field(min_length=1)]
    uitleg: Annotated[str, Field(description="Voor de inwoner, in gewone taal: welke maanden wachten en waarom.")]


class VoorschotVoorgesteld(Uitkeringsbericht):
    """Aan het begin van een maand stelt Schakel het voorschot voor die maand voor, volgens het voorschotbeleid van
    de gemeente (een percentage van de verwachte bijstand: de norm min het gemiddelde getoetste inkomen van de laatst
    verrekende maanden, na reservering van de vakantietoeslag). De backoffice betaalt het en legt de betaling vast;
    de verrekening volgt als de polis binnen is. Eén voorstel per uitkering en maand. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.voorschot.voorgesteld"
    SCHEMA = "voorschot-voorgesteld"
    TITLE = "Voorschot voorgesteld"

    maand: Maand
    bedrag: Annotated[int, Field(ge=0)]
    verwacht: Annotated[int, Field(ge=0, description="De verwachte te betalen bijstand van de maand.")]
    polisVerwachtOp: Datum
    verrekeningVerwachtOp: Datum
    uitleg: str


class Vakantietoeslagmaand(Deel):
    maand: Maand
    gereserveerd: Annotated[
        int | None,
        Field(
            description="De vakantietoeslag die de maand opbouwt; null zolang de norm niet vaststaat (een consulent "
            "stelt haar vast, of de maand ligt vóór de wettelijke tabellen)."
        ),
    ]
    verrekend: Annotated[bool, Field(description="Of de maand is verrekend: dan telt wat de verrekening reserveert.")]
    voorlopig: Annotated[
        bool,
        Field(
            description="true: nog niet verrekend terwijl de polis erover nog niet verwacht is (dan telt de bijstand "
            "die het voorschot verwacht), of de norm staat nog niet vast. Een onverrekende maand waarvan de polis "
            "verwacht was zonder inkomen, telt met de hele norm en is niet voorlopig."
        ),
    ]


class Vakantietoeslag(Deel):  # one payout of holiday allowance, as the event and the API show it
    vanMaand: Maand
    totMaand: Maand
    bedrag: Annotated[int, Field(ge=0, description="De som van de maanden.")]
    uitbetalenUiterlijk: Annotated[
        Datum,
        Field(
            description="30 juni na de maanden juni tot en met mei, of, als de uitkering eerder eindigt, uiterlijk "
            "drie maanden na de einddatum."
        ),
    ]
    einddatum: Annotated[
        Datum | None, Field(description="De einddatum van de uitkering als deze uitbetaling daarom volgt.")
    ]
    voorlopig: Annotated[
        bool,
        Field(
            description="true als een maand nog voorlopig is (zie maanden): het bedrag kan nog veranderen "
            "(GET /uitkeringen/{uitkeringId}/vakantietoeslag toont het actuele)."
        ),
    ]
    maanden: list[Vakantietoeslagmaand]
    uitleg: Annotated[str, Field(description="De opbouw in gewone taal, voor de inwoner.")]


class VakantietoeslagVastgesteld(Vakantietoeslag, Uitkeringsbericht):
    """Aan het begin van de maand waarin een uitbetaling van vakantietoeslag uiterlijk moet gebeuren, stelt Schakel
    het bedrag vast: 5% van de bijstand van de maanden juni tot en met mei (uit te betalen in juni), of, als de
    uitkering eerder eindigt, van de maanden sinds juni tot het einde (uiterlijk drie maanden na de einddatum). De
    backoffice betaalt het uit. Eén bericht per uitkering en uitbetaling. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.vakantietoeslag.vastgesteld"
    SCHEMA = "vakantietoeslag-vastgesteld"
    TITLE = "Vakantietoeslag vastgesteld"


class Vakantietoeslagwijziging(Deel):
    maand: Maand
    vorigGereserveerd: Annotated[
        int | None,
        Field(
            description="Wat de maand eerder reserveerde; null als zij er toen niet bij hoorde of haar norm nog "
            "niet vaststond."
        ),
    ]
    gereserveerd: Annotated[
        int | None, Field(description="Wat de maand nu reserveert; null als zij niet meer in de uitkering valt.")
    ]
    reden: Annotated[
        Literal["verrekend", "herzien", "zonder-inkomen", "norm", "einde", "verwacht", "vervallen", "erbij"],
        Field(
            description="verrekend: de maand is nu verrekend; herzien: haar verrekening is herzien; zonder-inkomen: "
            "haar polis kwam zonder inkomen, dus telt de hele norm in plaats van de verwachte bijstand; norm: de "
            "norm van een maand zonder inkomen is vastgesteld of veranderd (een andere situatie, nieuwe wettelijke "
            "bedragen); einde: de einddatum verschoof binnen deze maand, zodat zij een ander aantal dagen telt; "
            "verwacht: de nog voorlopige bijstand is veranderd (alleen vermeld naast een definitieve "
            "wijziging); vervallen: de maand valt niet meer in de uitkering (een eerdere einddatum); erbij: de maand "
            "valt er nu ook in."
        ),
    ]


class VakantietoeslagHerzien(Vakantietoeslag, Uitkeringsbericht):
    """Een uitbetaling van vakantietoeslag die al was vastgesteld (`vakantietoeslag.vastgesteld`, of een eerdere
    herziening) heeft een ander bedrag doordat wat een maand definitief reserveert veranderde: een maand is verrekend
    of opnieuw verrekend, de polis van een maand kwam zonder inkomen, of de einddatum verschoof. Het bedrag zoals het
    nu is, het eerder vastgestelde, en per maand wat veranderde en waarom. Een uitbetaling waarvan geen maand meer in
    de uitkering valt, heeft bedrag 0 en geen maanden. Alleen voorlopige maanden die veranderen leiden niet tot een
    bericht. De backoffice betaalt het verschil bij, of handelt het teveel betaalde af. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.vakantietoeslag.herzien"
    SCHEMA = "vakantietoeslag-herzien"
    TITLE = "Vakantietoeslag herzien"

    vorigBedrag: Annotated[int, Field(ge=0, description="Het bedrag zoals het eerder was vastgesteld of herzien.")]
    wijzigingen: Annotated[
        list[Vakantietoeslagwijziging],
        Field(
            description="De maanden waarvan wat zij reserveren veranderde (leeg bij een uitbetaling die werd "
            "vastgesteld voordat Schakel de maanden bewaarde)."
        ),
    ]


# --- decisions: the toeslagen signal -----------------------------------------------------------


class Inkomensschatting(Deel):
    """Het geschatte jaarinkomen zoals Toeslagen het telt (toetsingsinkomen, Awir art. 8), in eurocenten."""

    vanMaand: Annotated[Maand, Field(description="De eerste verrekende maand van het jaar.")]
    totMaand: Annotated[Maand, Field(description="De laatste verrekende maand van het jaar.")]
    fiscaalLoon: Annotated[
        int, Field(description="Het fiscale loon volgens de polis in de verrekende maanden (aanvrager en partner).")
    ]
    bijstand: Annotated[
        int,
        Field(
            description="De bijstand in die maanden: bruto uit de aangifte van de gemeente in de polis, anders de "
            "toegekende (netto) bijstand."
        ),
    ]
    bijstandNettoMaanden: Annotated[
        int, Field(ge=0, description="In zoveel maanden telt de bijstand netto: de schatting is dan te laag.")
    ]
    restVanHetJaar: Annotated[
        int, Field(description="De schatting voor de maanden na totMaand: het gemiddelde van de laatste maanden.")
    ]
    jaarinkomen: Annotated[int, Field(description="fiscaalLoon + bijstand + restVanHetJaar.")]


class ToeslageninkomenGewijzigd(Uitkeringsbericht):
    """Een vastgestelde of herziene verrekening verandert het verwachte jaarinkomen van het huishouden met meer dan
    de drempel. Huurtoeslag, zorgtoeslag en kindgebonden budget zijn gebaseerd op dat inkomen: de persoon past de
    inkomensschatting zelf aan in Mijn toeslagen (`stap`). Schakel schat het uit het fiscale loon in de polis en de
    bijstand van de verrekende maanden, en de rest van het jaar als het gemiddelde van de laatste maanden; `uitleg`
    zegt wat de schatting niet weet. Schakel geeft niets door aan de Belastingdienst. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.toeslageninkomen.gewijzigd"
    SCHEMA = "toeslageninkomen-gewijzigd"
    TITLE = "Toeslageninkomen gewijzigd"

    jaar: Annotated[int, Field(ge=1900, le=2100)]
    verrekendeMaanden: Annotated[
        list[Maand],
        Field(min_length=1, description="De maanden die (opnieuw) zijn verrekend en het inkomen veranderden."),
    ]
    voor: Annotated[Inkomensschatting, Field(description="De schatting volgens de verrekeningen hiervoor.")]
    na: Annotated[Inkomensschatting, Field(description="De schatting nu.")]
    verschil: Annotated[int, Field(description="na.jaarinkomen − voor.jaarinkomen.")]
    drempel: Annotated[int, Field(ge=0, description="Een verschil groter dan dit (beleid, gedateerd) wordt gemeld.")]
    uitleg: Annotated[str, Field(description="Voor de inwoner: wat er veranderde, hoe geschat, wat niet meetelt.")]
    stap: Annotated[str, Field(description="Wat de inwoner bij Toeslagen doet.")]


# --- decisions: claims ---------------------------------------------------------------------------


class Vorderingsboeking(Deel):
    """Eén wijziging van een vordering."""

    soort: Annotated[
        Literal["ontstaan", "herzien", "nabetaling", "inhouding", "kwijtschelding", "terugbetaling", "teruggave"],
        Field(
            description="ontstaan of herzien: de verrekening van de bronmaand (bedrag: de wijziging van wat wordt "
            "teruggevorderd); nabetaling: verrekend met een nabetaling over `maand`; inhouding: ingehouden op de "
            "bijstand over `maand`; kwijtschelding: niet teruggevorderd, onder de grens van de gemeente (negatief, "
            "sinds versie 2.9.0: vervallen met een herziening die de vordering verlaagt; sinds 2.10.1 ook: toch "
            "teruggevorderd, met een herziening die de vordering op of boven de grens brengt); terugbetaling (sinds "
            "2.12.0): buiten de bijstand om terugbetaald (een betalingsregeling), ontvangen in `maand`, zoals de "
            "gemeente het boekte (negatief, sinds 2.14.1: die terugbetaling bleef niet staan, de bank boekte haar "
            "terug in `maand` of zij was ten onrechte geboekt; zelfde kenmerk); teruggave (sinds 2.14.0): een herziening van `maand` in het voordeel van de persoon "
            "verlaagde de vordering onder wat al was afgelost, en dat deel gaat met de nabetaling over `maand` terug "
            "naar de persoon (eerst verrekend met andere open vorderingen); het telt negatief in `afgelost`."
        ),
    ]
    bedrag: int
    maand: Annotated[Maand, Field(description="De maand waar de wijziging vandaan komt.")]
    kenmerk: Annotated[
        Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")] | None,
        Weglaatbaar(
            "Alleen bij terugbetaling (sinds versie 2.13.0): het kenmerk van de betaling zoals de gemeente het boekte "
            "(bijv. het transactienummer van de bank), om haar in de eigen administratie terug te vinden."
        ),
    ] = None


class Vordering(Deel):  # a claim, as the events and the API show it
    maand: Annotated[Maand, Field(description="De bronmaand: de maand waarover te veel bijstand is betaald.")]
    bedrag: Annotated[
        int,
        Field(
            description="Wat over de bronmaand te veel is betaald (na herzieningen; sinds versie 2.14.1 ook een "
            "teruggave uit een terugbetaling die daarna is teruggedraaid: die ging naar de persoon zonder dat er "
            "was betaald)."
        ),
    ]
    afgelost: Annotated[
        int,
        Field(
            ge=0,
            description="Verrekend met nabetalingen, ingehouden op de bijstand en buiten de bijstand terugbetaald, "
            "min wat daarvan na een herziening aan de persoon is teruggegeven.",
        ),
    ]
    kwijtgescholden: Annotated[int, Field(ge=0, description="Niet teruggevorderd (buiten invordering).")]
    open: Annotated[int, Field(ge=0, description="Wat nog openstaat: bedrag − afgelost − kwijtgescholden.")]
    status: Literal["open", "afgelost", "buiten-invordering", "vervallen"]
    boekingen: Annotated[list[Vorderingsboeking], Field(description="Wat de vordering (nu) veranderde.")]
    invordering: Annotated[
        Literal["inhouding", "betalingsregeling"] | None,
        Weglaatbaar(
            "Hoe wat openstaat wordt teruggevorderd: inhouding op de lopende bijstand (na verrekening met "
            "nabetalingen), of, nu de uitkering is beëindigd, een betalingsregeling die de gemeente met de persoon "
            "afspreekt. Ontbreekt als niets openstaat, en bij berichten van voor versie 2.2.0."
        ),
    ] = None
    uitleg: Annotated[
        str, Field(description="In gewone taal: wat de persoon verschuldigd is, waarom, en hoe het wordt verrekend.")
    ]


class VorderingOntstaan(Vordering, Uitkeringsbericht):
    """Over een maand is te veel bijstand betaald (de verrekening geeft een negatief verschil): dat wordt een
    vordering (Participatiewet art. 58) met die maand als bron. Zij wordt eerst verrekend met latere nabetalingen
    en dan in termijnen ingehouden op de lopende bijstand, nooit onder de beslagvrije voet (Rv art. 475dc); onder
    de grens van de gemeente wordt zij niet teruggevorderd. Eén vordering per uitkering en bronmaand: een
    herziening wijzigt haar. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.vordering.ontstaan"
    SCHEMA = "vordering-ontstaan"
    TITLE = "Vordering ontstaan"


class VorderingGewijzigd(Vordering, Uitkeringsbericht):
    """Een vordering is veranderd: herzien na een nieuwe verrekening van de bronmaand (een herziening in het
    voordeel van de persoon verlaagt eerst de vordering), verrekend met een nabetaling, ingehouden op de bijstand
    van een maand (de backoffice houdt dat bedrag in op de betaling), of niet teruggevorderd. `boekingen` noemt
    wat nu veranderde; zonder boekingen veranderde de invordering: de uitkering is beëindigd terwijl de vordering
    openstaat, de gemeente spreekt een betalingsregeling af. Bedragen in eurocenten."""

    TYPE = "nl.participatiewet.vordering.gewijzigd"
    SCHEMA = "vordering-gewijzigd"
    TITLE = "Vordering gewijzigd"


# --- reapplication -----------------------------------------------------------------------------


class HeraanvraagtermijnGeopend(Uitkeringsbericht):
    """Na het einde van een bijstandsuitkering is een heraanvraagtermijn geopend (art. 43a Participatiewet): tot en
    met geldigTot kan de gemeente een heraanvraag vereenvoudigd behandelen."""

    TYPE = "nl.participatiewet.heraanvraagtermijn.geopend"
    SCHEMA = "heraanvraagtermijn-geopend"
    TITLE = "Heraanvraagtermijn geopend"

    einddatum: Annotated[Datum, Field(description="Laatste dag van de beëindigde uitkering.")]
    geldigTot: Annotated[
        date,
        Field(
            description="Laatste dag van de heraanvraagtermijn: tot 36 maanden na de einddatum, dus ook na 2100.",
            json_schema_extra={"pattern": r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"},
        ),
    ]


class HeraanvraagToegekend(Persoonsbericht):
    """Een heraanvraag binnen de termijn is toegekend (automatisch of door een consulent): heropen de bijstand per
    de startdatum met de hergebruikte situatie."""

    TYPE = "nl.participatiewet.heraanvraag.toegekend"
    SCHEMA = "heraanvraag-toegekend"
    TITLE = "Heraanvraag toegekend"

    heraanvraagId: Uuid
    startdatum: Datum
    geboortedatum: Datum
    situatie: Situatie
    vrijlatingsklok: Annotated[
        list[Klokstand],
        Field(
            description="De maanden per vrijlatingsgrond die de persoon al gebruikte: de heropende bijstand telt verder "
            "(Participatiewet art. 31 lid 2 onder n, r, z: ten hoogste zoveel maanden voor de persoon, niet per "
            "uitkering). Ontbreekt: geen."
        ),
    ] = []


class HeropeningGeweigerd(Persoonsbericht):
    """De decisions-service heeft een toegekende heraanvraag niet heropend: voor de persoon loopt al een uitkering
    (in welke gemeente ook), of een regel weigerde haar gegevens. Er is niets vastgelegd; de heraanvraag telt niet
    meer als onderweg."""

    TYPE = "nl.participatiewet.heropening.geweigerd"
    SCHEMA = "heropening-geweigerd"
    TITLE = "Heropening geweigerd"

    heraanvraagId: Uuid
    reden: Annotated[
        str,
        Field(
            pattern="^[a-z][a-z-]{0,39}$",
            description="Waarom, als code: uitkering-loopt (voor de persoon loopt al een uitkering, of een eerdere "
            "loopt door tot op of na de startdatum), of de code van de regel die de gegevens weigerde (zoals "
            "partner-ontbreekt, te-jong, startdatum-te-ver-vooruit, geboortedatum-na-ingangsdatum, "
            "geboortedatum-kind).",
        ),
    ]
    uitleg: Annotated[str, Field(max_length=500, description="De weigering in woorden, zonder persoonsgegevens.")]


class OverdrachtOpgepakt(Persoonsbericht):
    """De woongemeente heeft een Max-WW-overdracht van UWV opgepakt: `opgepaktOp` is de datum van haar vroegste
    stap (contact, re-integratie, aanvraag). Verandert die (een stap met een eerdere datum, of een herstelde
    datum), dan volgt dit bericht opnieuw: per `overdrachtId` geldt het laatste (hoogste `sequence`). Het zegt
    alleen wanneer de overdracht werd opgepakt, ook na `bijstand.besloten`, en verandert de uitkomst niet."""

    TYPE = "nl.participatiewet.overdracht.opgepakt"
    SCHEMA = "overdracht-opgepakt"
    TITLE = "Overdracht opgepakt"

    overdrachtId: Uuid
    stap: Literal["contact-gelegd", "re-integratie-gestart", "aanvraag-voorbereid"]
    opgepaktOp: Datum


class BijstandBesloten(Persoonsbericht):
    """De uitkomst van een Max-WW-overdracht: bijstand toegekend (de uitkering geopend), werk gevonden of geen
    bijstand nodig; `voorEindeWw` zegt of dat op tijd was (zonder inkomensgat). Sinds versie 2.13.0 kan de
    gemeente werk gevonden of geen bijstand nodig herstellen (de datum of de andere uitkomst): dan volgt het
    bericht opnieuw voor dezelfde overdrachtId, en het laatste vervangt het vorige."""

    TYPE = "nl.participatiewet.bijstand.besloten"
    SCHEMA = "bijstand-besloten"
    TITLE = "Bijstand besloten"

    overdrachtId: Uuid
    uitkomst: Literal["bijstand-toegekend", "werk-gevonden", "geen-bijstand-nodig"]
    datum: Annotated[
        Datum, Field(description="Het besluit, of wanneer het werk begon of bleek dat bijstand niet nodig is.")
    ]
    ingangsdatum: Annotated[Datum | None, Field(description="Bij bijstand-toegekend: de eerste dag van de bijstand.")]
    voorEindeWw: Annotated[bool, Field(description="Op tijd: vóór het einde van de WW (bijstand vanaf de dag erna).")]


# --- income ------------------------------------------------------------------------------------


class Bedragen(Deel):
    nettoInkomen: Annotated[
        int, Field(description="Netto inkomen in de maand (arbeid en overig, zonder vakantiebijslag), in eurocenten.")
    ]
    vakantiebijslag: Annotated[int, Field(description="Netto vakantiebijslag betaald in de maand, in eurocenten.")]
    arbeidsinkomen: Annotated[
        int | None,
        Weglaatbaar(
            "Deel van nettoInkomen plus vakantiebijslag dat inkomen uit arbeid is. Ontbreekt bij berichten van voor "
            "versie 2.1.0: toen gold alles als arbeid."
        ),
    ] = None
    overigInkomen: Annotated[
        int | None, Weglaatbaar("Deel dat overig inkomen is: uitkeringen (WW, ZW, WIA en dergelijke), pensioenen.")
    ] = None
    onbekendInkomen: Annotated[
        int | None,
        Weglaatbaar("Deel waarvan de soort inkomstenverhouding onbekend is: een consulent beslist of het arbeid is."),
    ] = None


class Berekening(Deel):
    """De invoer van de indicatieve nettoberekening van het hele tijdvak (eurocenten)."""

    fiscaalLoon: int
    waardePriveGebruikAuto: int
    ingehoudenLoonheffing: int
    ingehoudenBijdrageZvw: int
    premieWgaWerknemer: int
    vakantiebijslagBetaald: int
    nettoTijdvak: int
    nettoVakantiebijslagTijdvak: int


class Maandbijdrage(Deel):
    loonheffingennummer: Loonheffingennummer
    inkomstenverhouding: Inkomstenverhouding
    eindeInkomstenverhouding: Annotated[
        Datum | None, Field(description="Einde van de inkomstenverhouding, als de werkgever dat aangaf.")
    ]
    tijdvakBegin: Datum
    tijdvakEinde: Datum
    soortInkomstenverhouding: Annotated[
        str | None, Weglaatbaar("De code soort inkomstenverhouding van de aangifte (bijv. 15 loon, 33 WW).")
    ] = None
    inkomstensoort: Annotated[
        Inkomstensoort | None,
        Weglaatbaar(
            "arbeid, overig, onbekend of bijstand (de bijstand zelf, telt niet in het maandinkomen), uit de gedateerde "
            "tabel soort inkomstenverhouding. Ontbreekt bij berichten van voor versie 2.1.0."
        ),
    ] = None
    versie: Annotated[
        int, Field(ge=1, description="Versie van de aangifte over dit tijdvak; hoger dan 1 is een correctie.")
    ]
    dagen: Annotated[int, Field(ge=0, description="Dagen van het tijdvak die in deze maand tellen.")]
    dagenTijdvak: Annotated[int, Field(ge=1)]
    nettoInkomen: Annotated[
        int, Field(description="Deel van het netto loon van het tijdvak in deze maand, in eurocenten.")
    ]
    vakantiebijslag: Annotated[
        int, Field(description="Deel van de netto vakantiebijslag in deze maand, in eurocenten.")
    ]
    berekening: Berekening


class MaandinkomenVastgesteld(EventData):
    """Het netto inkomen van een persoon in een kalendermaand is voor het eerst vastgesteld (vorige is null) of
    gewijzigd, door een polisaangifte, een correctie of een overschrijving door de gemeente, of zonder inkomen
    (bedragen 0, geen bijdragen) doordat de leverancier zijn levering over de maand compleet verklaarde
    (`POST /maandafsluitingen`). Een correctie die het bedrag van een maand niet verandert, levert alleen een
    bericht op als de bron of de bijdragen (meer dan hun versie) veranderen, met vorige gelijk aan huidige: een
    overschrijving van hetzelfde bedrag en haar intrekking, of een nieuwere polis onder een overschrijving (sinds
    versie 2.10.0)."""

    TYPE = "nl.participatiewet.maandinkomen.vastgesteld"
    SCHEMA = "maandinkomen-vastgesteld"
    TITLE = "Maandinkomen vastgesteld"

    bsn: Bsn
    maand: Annotated[Maand, Field(description="Kalendermaand JJJJ-MM.")]
    vorige: Annotated[Bedragen | None, Field(description="Het eerder vastgestelde bedrag, of null.")]
    huidige: Bedragen
    bron: Annotated[
        Literal["polis", "overschrijving"],
        Field(description="Polis, of een overschrijving door de gemeente (bijv. van een loonstrook)."),
    ]
    bijdragen: Annotated[
        list[Maandbijdrage],
        Field(
            description="De tijdvakken per werkgever die aan deze maand bijdragen, met hun versie en nettoberekening."
        ),
    ]


# --- registration, and UWV's doelgroepregister -------------------------------------------------


class DoelgroepregistratieGestart(Persoonsbericht):
    """UWV heeft een persoon in het doelgroepregister banenafspraak opgenomen."""

    TYPE = "nl.banenafspraak.doelgroepregistratie.gestart"
    KEY = "uwvSleutel"  # UWV does not hold the pseudonym key
    SCHEMA = "doelgroepregistratie-gestart"
    TITLE = "Doelgroepregistratie gestart"

    grond: Annotated[
        DoelgroepregisterGrond,
        Field(
            description="Grond van de registratie. Een registratie als schoolverlater (vso-pro, op grond van "
            "schoolgegevens) laat een positief advies beschut werk wakker zolang beschut werk niet is vastgesteld of herleefd; elke "
            "andere grond laat het slapen."
        ),
    ]
    startdatum: Annotated[Datum, Field(description="Ingangsdatum van de registratie.")]


class DoelgroepregistratieBeeindigd(Persoonsbericht):
    """UWV heeft een registratie in het doelgroepregister beëindigd."""

    TYPE = "nl.banenafspraak.doelgroepregistratie.beeindigd"
    KEY = "uwvSleutel"
    SCHEMA = "doelgroepregistratie-beeindigd"
    TITLE = "Doelgroepregistratie beëindigd"

    einddatum: Annotated[Datum, Field(description="Laatste dag van de registratie.")]


class DoelgroepregistratieIngetrokken(DoelgroepregistratieGestart):
    """UWV trekt een registratie in het doelgroepregister in die ten onrechte was opgenomen: zij telt niet,
    alsof zij nooit kwam. Grond, startdatum en gemeente zijn die van de opname (`doelgroepregistratie.gestart`).
    Schakel weigert haar (dead-letter) als een later feit erop rust, of als de opname zo niet bekend is; dezelfde
    intrekking nogmaals (een nieuw id) verandert niets."""

    TYPE = "nl.banenafspraak.doelgroepregistratie.ingetrokken"
    SCHEMA = "doelgroepregistratie-ingetrokken"
    TITLE = "Doelgroepregistratie ingetrokken"


class DoelgroepregistratieBeeindigingIngetrokken(DoelgroepregistratieBeeindigd):
    """UWV trekt een beëindiging van een registratie in het doelgroepregister in die ten onrechte was gedaan:
    de registratie loopt door (was zij beëindigd omdat beschut werk geldt, dan vraagt Schakel UWV opnieuw haar
    te beëindigen, met `beschut-werk.vastgesteld`). Einddatum en gemeente zijn die van de beëindiging
    (`doelgroepregistratie.beeindigd`). Schakel weigert haar (dead-letter) als een later feit erop rust, of als
    de beëindiging zo niet bekend is; dezelfde intrekking nogmaals (een nieuw id) verandert niets."""

    TYPE = "nl.banenafspraak.doelgroepregistratie.beeindiging-ingetrokken"
    SCHEMA = "doelgroepregistratie-beeindiging-ingetrokken"
    TITLE = "Beëindiging doelgroepregistratie ingetrokken"


Terugvaloptie = Literal["beschut-werk", "dagbesteding", "wajong", "wia"]


class DeelnamestatusGewijzigd(Persoonsbericht):
    """De deelnamestatus van een persoon is gewijzigd (beschut werk, doelgroepregister, banenafspraakbaan,
    dagbesteding, advies), of wat iemand kan terugvallen. De registration-service vouwt gedateerde feiten op
    volgorde van ingangsdatum. Het bericht geeft de status op de dag dat het verzonden wordt: een feit dat
    vooruit gemeld is, wordt op zijn ingangsdatum aangekondigd (met die datum als `ingangsdatum`); een
    terugvaloptie die afloopt, op de dag na haar laatste dag (niet meer als die langer geleden was dan
    registration iemand bewaart: die persoon wordt vergeten). Een ten onrechte gemeld feit dat is
    ingetrokken: de status zonder dat feit, met zijn datum als `ingangsdatum` (`geen` als het het laatste
    feit van de persoon was)."""

    TYPE = "nl.participatiewet.deelnamestatus.gewijzigd"
    SCHEMA = "deelnamestatus-gewijzigd"
    TITLE = "Deelnamestatus gewijzigd"

    status: Annotated[
        Literal[
            "geen",
            "advies-aangevraagd",
            "advies-negatief",
            "advies-slapend",
            "beschut-werk-wachtlijst",
            "beschut-werk",
            "banenafspraakbaan",
            "doelgroepregister",
            "dagbesteding",
        ],
        Field(description="De status vandaag."),
    ]
    doelgroepregisterGrond: Annotated[
        DoelgroepregisterGrond | None,
        Field(description="De grond van de lopende registratie in het doelgroepregister, of null."),
    ]
    ingangsdatum: Annotated[Datum, Field(description="De ingangsdatum van het feit dat de status veranderde.")]
    terugvalopties: Annotated[list[Terugvaloptie], Field(description="Waar de persoon op kan terugvallen.")]


class BeschutWerkVastgesteld(Persoonsbericht):
    """De gemeente heeft beschut werk vastgesteld, of een slapend advies herleefde met een driehoeksverklaring, voor
    iemand met een registratie in het doelgroepregister. Die registratie eindigt de dag erna (iemand staat niet in
    beide); UWV beëindigt haar in het register. Ook verstuurd wanneer de registratie Schakel na de vaststelling
    bereikt; een later gemeld feit dat de einddatum verschuift, geeft een nieuw bericht met de nieuwe dag."""

    TYPE = "nl.participatiewet.beschut-werk.vastgesteld"
    SCHEMA = "beschut-werk-vastgesteld"
    TITLE = "Beschut werk vastgesteld"

    vastgesteldOp: Datum
    doelgroepregistratieEindigtOp: Datum


class BanenafspraakbaanZonderRegistratie(Persoonsbericht):
    """De gemeente meldt een banenafspraakbaan van iemand die op de startdatum niet in het doelgroepregister staat.
    Zo'n baan telt alleen mee met een registratie (Wfsv art. 38b lid 1, het register van art. 38d); of iemand tot
    de doelgroep hoort beoordeelt UWV (Besluit SUWI art. 3.5). De baan staat in afwachting; UWV beoordeelt of
    registreert."""

    TYPE = "nl.participatiewet.banenafspraakbaan.zonder-registratie"
    SCHEMA = "banenafspraakbaan-zonder-registratie"
    TITLE = "Banenafspraakbaan zonder registratie"

    startdatum: Annotated[Datum, Field(description="De startdatum van de baan.")]


class BanenafspraakbaanIngetrokken(BanenafspraakbaanZonderRegistratie):
    """De gemeente trekt een banenafspraakbaan in die zij ten onrechte meldde, en waarover UWV
    `banenafspraakbaan.zonder-registratie` kreeg: er was geen baan met die startdatum, dus ook niets om voor deze
    baan te beoordelen. Een registratie die UWV intussen opnam, blijft staan (het register is van UWV)."""

    TYPE = "nl.participatiewet.banenafspraakbaan.ingetrokken"
    SCHEMA = "banenafspraakbaan-ingetrokken"
    TITLE = "Banenafspraakbaan ingetrokken"


# every event type the services exchange among themselves (the ingest event is income's: its
# declaration is the one of `POST /leveringen`)
EVENTS: tuple[type[EventData], ...] = (
    UitkeringGeopend,
    UitkeringGewijzigd,
    UitkeringBeeindigd,
    BeeindigingVoorgesteld,
    BeeindigingsvoorstelAfgewezen,
    VerrekeningVastgesteld,
    VerrekeningHerzien,
    VerrekeningTeBeoordelen,
    VoorschotVoorgesteld,
    VakantietoeslagVastgesteld,
    VakantietoeslagHerzien,
    ToeslageninkomenGewijzigd,
    VorderingOntstaan,
    VorderingGewijzigd,
    HeraanvraagtermijnGeopend,
    HeraanvraagToegekend,
    HeropeningGeweigerd,
    MaandinkomenVastgesteld,
    DoelgroepregistratieGestart,
    DoelgroepregistratieBeeindigd,
    DoelgroepregistratieIngetrokken,
    DoelgroepregistratieBeeindigingIngetrokken,
    DeelnamestatusGewijzigd,
    BeschutWerkVastgesteld,
    BanenafspraakbaanZonderRegistratie,
    BanenafspraakbaanIngetrokken,
    OverdrachtOpgepakt,
    BijstandBesloten,
)
