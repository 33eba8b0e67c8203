"""Request and response bodies of the decisions API (the JSON the contract shows), and how the
service's answers become them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool

from decisions.domain.fouten import Geweigerd
from decisions.domain.inkomen import Oordeel
from decisions.domain.proefberekening import Uitkomst
from decisions.domain.situatie import Betaalmodel, Huishouden, Partner, Regime, Situatie
from decisions.domain.tussenrekening import Boeking as Boekingsregel
from decisions.domain.uitkering import Reden
from decisions.domain.verrekening import TeBeoordelen as Wachtend
from decisions.service import ports
from decisions.service.einde import klok_van, situatie_van
from decisions.service.uitkeringen import Weergave
from decisions.service.verrekeningen import inhoud, vrijlating_van
from schakel.api.types import (
    BerekendeMaand,
    BsnVeld,
    Datum,
    Geheel,
    GemeentecodeVeld,
    MaandVeld,
    Model,
    PartnerBsnVeld,
    RedenVeld,
)
from schakel.events import load_contract
from schakel.events.models import HeropeningGeweigerd

# the events about a municipality's cases; a grant not reopened is about a re-application: reapplication shows it
EventType = Literal[tuple(sorted(load_contract().sends("decisions") - {HeropeningGeweigerd.TYPE}))]
NIET_MEEGENOMEN = (
    "Toeslagen (huurtoeslag, zorgtoeslag, kindgebonden budget), heffingskortingen, de "
    "bijzondere bijstand, de individuele inkomenstoeslag en het eigen inkomen van een partner zijn niet "
    "meegenomen. We gaan ervan uit "
    "dat u bijstand krijgt als de baan begint en nog geen vrijlating heeft gebruikt."
)


class PartnerGronden(Model):
    geboortedatum: Datum = Field(
        description="Geboortedatum van de partner (norm bij AOW-leeftijd, leeftijd voor vrijlating n)."
    )
    medischUrenbeperkt: StrictBool = Field(False, description="De partner is medisch urenbeperkt (vrijlating y).")
    loonkostensubsidie: StrictBool = Field(False, description="De partner werkt met loonkostensubsidie (z en aa).")
    meerUrenNietMogelijk: StrictBool = Field(
        False, description="Voor de partner zijn meer uren niet mogelijk (vrijlating aa, na z)."
    )

    def partner(self, bsn: str | None) -> Partner:
        return Partner(
            bsn, self.geboortedatum, self.medischUrenbeperkt, self.loonkostensubsidie, self.meerUrenNietMogelijk
        )


class PartnerVelden(PartnerGronden):
    """De partner van een gehuwde of samenwonende aanvrager: het inkomen van beiden telt (art. 4, 11), elk met
    een eigen vrijlating. De BRP moet de partner in uw gemeente inschrijven, net als de aanvrager."""

    # a request records the partner's own data (their health, their subsidy): it is about them too
    bsn: BsnVeld


class PartnerInHuishouden(PartnerVelden):
    """De partner van een gehuwde of samenwonende aanvrager: het inkomen van beiden telt (art. 4, 11), elk met
    een eigen vrijlating."""

    # as part of the case (shown, or repeated in a change): about the household, not about the partner
    # (schakel.logboek)
    bsn: PartnerBsnVeld


class Basisvelden(Model):
    huishouden: Huishouden = Field(description="alleenstaand, alleenstaande-ouder of gehuwd (ook samenwonend).")
    partnerGeboortedatum: Datum | None = Field(
        None,
        deprecated=True,
        description="Vervangen door partner.geboortedatum (verdwijnt in een volgende versie); gegeven moet het "
        "daaraan gelijk zijn.",
    )
    jongsteKindGeboortedatum: Datum | None = Field(None, description="Bij een alleenstaande ouder (vrijlating r).")
    kostendelers: Geheel(0, 20, "Medebewoners van 27 jaar of ouder die de kosten delen (kostendelersnorm).") = 0
    medischUrenbeperkt: StrictBool = Field(False, description="Medisch urenbeperkt (vrijlating y).")
    loonkostensubsidie: StrictBool = Field(False, description="Werkt met loonkostensubsidie (vrijlating z en aa).")
    meerUrenNietMogelijk: StrictBool = Field(
        False, description="De gemeente oordeelt dat meer uren niet mogelijk zijn (vrijlating aa, na z)."
    )
    vrijlatingsregime: Regime = Field(
        Regime.per_datum,
        description="per-datum: het recht van de maand; in-balans: "
        "de gemeente past de vrijlating van 2027 al in "
        "2026 toe.",
    )
    betaalmodel: Betaalmodel = Field(
        Betaalmodel.voorschot, description="voorschot en vereffening, of stabiel-inkomen via een tussenrekening."
    )
    jongerennorm: (
        Geheel(
            1,
            500_000,
            "De bijstandsnorm per maand in eurocenten, met vakantietoeslag, van een huishouden met een jongere van 18 "
            "tot en met 20 jaar en een partner of kind (Participatiewet art. 20; met medebewoners art. 22a lid 3): het "
            "bedrag uit de normenbrief die op de ingangsdatum geldt, voor het hele huishouden. Schakel heeft die "
            "tabel nog niet. Gebruikt in de maanden waarvoor Schakel geen norm heeft (vanaf 21 jaar de norm uit de "
            "wet) en alleen onder dezelfde normenbrief: na 1 januari en 1 juli wacht een maand op een situatie met "
            "het nieuwe bedrag. Niet bij alleenstaand. Zonder wachten die maanden op de consulent (teBeoordelen).",
        )
        | None
    ) = None

    partner: PartnerGronden | None = None

    def situatie(self, ingangsdatum) -> Situatie:
        p = self.partner
        # read as stored: the attribute warns its reader that it is deprecated, on every request with a partner
        if p is not None and self.__dict__["partnerGeboortedatum"] not in (None, p.geboortedatum):
            raise Geweigerd(
                "partner-geboortedatum-wijkt-af", "partnerGeboortedatum", "gelijk aan partner.geboortedatum"
            )
        return Situatie(
            ingangsdatum,
            self.huishouden,
            None if p is None else p.partner(getattr(p, "bsn", None)),
            self.jongsteKindGeboortedatum,
            self.kostendelers,
            self.medischUrenbeperkt,
            self.loonkostensubsidie,
            self.meerUrenNietMogelijk,
            self.vrijlatingsregime,
            self.betaalmodel,
            self.jongerennorm,
        )


class SituatieVelden(Basisvelden):
    partner: PartnerVelden | None = Field(None, description="Bij gehuwd of samenwonend: de partner.")


class UitkeringOpenen(SituatieVelden):
    bsn: BsnVeld
    geboortedatum: Datum = Field(description="Geboortedatum van de aanvrager.")
    startdatum: Datum = Field(
        description="Eerste dag van het recht op bijstand (uiterlijk het einde van de zesde maand na deze)."
    )


class SituatieWeergave(SituatieVelden):
    ingangsdatum: Datum
    partner: PartnerInHuishouden | None = Field(None, description="Bij gehuwd of samenwonend: de partner.")


class InkomstenverhoudingSleutel(Model):
    loonheffingennummer: Annotated[str, Field(pattern=r"^[0-9]{9}L[0-9]{2}$")]
    inkomstenverhouding: Geheel(0, 10**9, "Het nummer van de inkomstenverhouding (NumIV).")


class TeBeoordelen(Model):
    maand: MaandVeld
    wie: Literal["aanvrager", "partner"]
    reden: str = Field(
        description="Waarom de maand wacht: voor de gemeente wat de consulent moet vastleggen, voor de burger in "
        "gewone woorden."
    )
    inkomstenverhoudingen: list[InkomstenverhoudingSleutel] = Field(
        description="De inkomstenverhoudingen waarvan de soort inkomen onbekend is (leeg: iets anders)."
    )


class InkomstensoortOordeel(InkomstenverhoudingSleutel):
    # a judgement of the partner's own employment is about them too
    bsn: BsnVeld | None = Field(
        None,
        description="Van wie de inkomstenverhouding is: de aanvrager (zonder bsn) of een partner in de uitkering. "
        "Een werkgever nummert inkomstenverhoudingen per werknemer: een oordeel geldt alleen voor die van deze persoon.",
    )
    soort: Literal["arbeid", "overig"] = Field(
        description="arbeid: inkomen uit werk (vrijlating mogelijk); overig: uitkering, pensioen (geen vrijlating)."
    )
    reden: Annotated[RedenVeld, Field(description="Waarom, voor het dossier.")]

    def oordeel(self) -> Oordeel:
        return Oordeel(self.loonheffingennummer, self.inkomstenverhouding, self.soort, self.reden)


class InkomstensoortWeergave(InkomstensoortOordeel):
    # shown as part of the case: a read of it is the household's, not about the partner (schakel.logboek)
    bsn: PartnerBsnVeld | None = Field(
        None, description="Van wie de inkomstenverhouding is: de aanvrager (zonder bsn) of een partner in de uitkering."
    )


class Wijziging(SituatieVelden):
    ingangsdatum: Datum = Field(description="Vanaf deze dag geldt de nieuwe situatie (binnen de looptijd).")

    # a change names the whole situation, the partner too: as a member of the household, unless it records
    # other data of theirs (uitkeringen.wijzig notes them then), so a former partner does not read a
    # correction of the other's months in their own view
    partner: PartnerInHuishouden | None = Field(None, description="Bij gehuwd of samenwonend: de partner.")


class Einddatum(Model):
    einddatum: Datum = Field(
        description="Laatste dag van het recht op bijstand (uiterlijk het einde van de zesde maand na deze)."
    )


class Geboortedatum(Model):
    geboortedatum: Datum = Field(description="De juiste geboortedatum van de aanvrager.")


class Beeindiging(Einddatum):
    reden: Reden = Field(description="werk, verhuizing of overig.")


class Doelgroepregistratie(Model):
    grond: str | None = Field(description="Grond van de registratie in het doelgroepregister.")
    sinds: Datum


class Beeindigingsvoorstel(Model):
    vanMaand: MaandVeld
    totMaand: MaandVeld
    voorgesteldOp: datetime
    afgewezenOp: datetime | None = Field(
        None,
        description="Wanneer de gemeente het voorstel afwees en de uitkering liet lopen; deze reeks maanden boven de "
        "norm wordt dan niet opnieuw voorgesteld, een nieuwe reeks wel.",
    )
    reden: str | None = Field(None, description="Waarom de gemeente het voorstel afwees (een burger leest het niet).")


class VoorstelAfwijzing(Model):
    vanMaand: MaandVeld = Field(
        description="De eerste maand van het voorstel dat u afwijst (`beeindigingsvoorstel.vanMaand`): een later "
        "voorstel, dat u nog niet zag, wordt zo nooit afgewezen."
    )
    reden: Annotated[RedenVeld, Field(description="Waarom de uitkering doorloopt.")]


class UitkeringWeergave(Model):
    uitkeringId: str
    bsn: BsnVeld
    gemeentecode: GemeentecodeVeld
    geboortedatum: Datum
    startdatum: Datum
    status: Literal["lopend", "beeindigd"]
    einddatum: Datum | None = None
    beeindigingsreden: Reden | None = None
    doelgroepregistratie: Doelgroepregistratie | None = Field(
        None, description="Staat de persoon in het doelgroepregister banenafspraak (volgens de registration-service)?"
    )
    situaties: list[SituatieWeergave] = Field(description="De huishoudsituatie, elk vanaf een ingangsdatum.")
    beeindigingsvoorstel: Beeindigingsvoorstel | None = Field(
        None, description="Het inkomen lag maanden op rij boven de norm: de gemeente beslist of de uitkering stopt."
    )
    teBeoordelen: list[TeBeoordelen] = Field(
        description="Maanden die Schakel niet zelf verrekent (bijv. inkomen van onbekende soort): een consulent beslist."
    )
    inkomstensoorten: list[InkomstensoortWeergave] = Field(
        description="Wat een consulent vastlegde over inkomstenverhoudingen van onbekende soort."
    )


class Betaling(Model):
    maand: MaandVeld
    bedrag: Geheel(0, 10**9, "Betaald (voorschot) over de maand, in eurocenten; vervangt een eerder bedrag.")


class NormUitleg(Model):
    bedrag: int
    omschrijving: str
    kostendelers: int
    dagen: int = Field(description="Dagen van de maand met recht op bijstand.")
    dagenMaand: int
    bedragNaarRato: int


class InkomenBijdrage(Model):
    loonheffingennummer: str
    inkomstenverhouding: int
    tijdvakBegin: Datum
    tijdvakEinde: Datum
    nettoInkomen: int
    inkomstensoort: Literal["arbeid", "overig", "onbekend", "bijstand"] | None = Field(
        None,
        description="arbeid (vrijlating mogelijk), overig (uitkering, pensioen) of bijstand (de bijstand zelf op de "
        "polis: telt niet als inkomen).",
    )


class InkomenUitleg(Model):
    nettoInkomen: int
    vakantiebijslag: int
    bijdragen: list[InkomenBijdrage]
    arbeidsinkomen: int | None = Field(None, description="Inkomen uit werk, vakantiebijslag inbegrepen: vrijlating.")
    overigInkomen: int | None = Field(None, description="Uitkering (WW, ZW, WIA) of pensioen: telt geheel.")
    bron: Literal["polis", "overschrijving"] = Field(
        description="Polis, of een overschrijving: de gemeente stelde nettoInkomen vast (bijv. van een loonstrook), "
        "in plaats van de polis. De bijdragen zijn dan die van de polis en tellen niet op tot nettoInkomen."
    )


class VrijlatingUitleg(Model):
    grond: str = Field(description="n, r, y, z of aa (art. 31 lid 2); werk, medisch of aow (art. 34a, in balans).")
    percentage: str
    plafond: int | None
    bedrag: int
    maandNummer: int = Field(
        description="De hoeveelste maand van de grond in deze uitkering: voor r en werk kalendermaanden sinds de "
        "eerste (aaneengesloten), voor de andere de maanden waarin hij is toegepast."
    )
    maanden: int | None = Field(description="Hoeveel maanden hij ten hoogste geldt (null: onbeperkt).")


class PartnerUitleg(Model):
    inkomen: InkomenUitleg
    vrijlating: VrijlatingUitleg | None


class VerrekeningWeergave(Model):
    maand: MaandVeld
    versie: int = Field(description="1 = eerste vaststelling; hoger = herzien (bijv. na een polis­correctie).")
    norm: NormUitleg
    inkomen: InkomenUitleg = Field(description="Het inkomen van de aanvrager.")
    vrijlating: VrijlatingUitleg | None = Field(
        description="De vrijlating van de aanvrager. Null zonder inkomen uit werk, zonder grond (de uitleg zegt "
        "waarom), of als hij niets verandert: geen bijstand met of zonder vrijlating (zo'n maand telt niet mee "
        "voor de vrijlatingsmaanden)."
    )
    partner: PartnerUitleg | None = Field(
        None, description="Bij gehuwd of samenwonend: het inkomen en de eigen vrijlating van de partner."
    )
    getoetstInkomen: int = Field(
        ge=0,
        description="Inkomen van het huishouden min de vrijlatingen: wat van de norm afgaat, nooit minder dan 0.",
    )
    bijstand: int
    vakantietoeslag: int = Field(description="5% van de bijstand, gereserveerd en in juni uitbetaald.")
    teBetalen: int
    betaald: int
    verschil: int = Field(
        description="Positief: nabetaling; negatief: terugvordering. Bij tussenrekening: min het voorschot en min "
        "wat van het betaalde vaste bedrag na een herziening niet meer wordt toegekend."
    )
    verrekendMetVorderingen: int = Field(
        description="Wat van de nabetaling over deze maand een openstaande vordering heeft afgelost in plaats van "
        "te worden uitbetaald (zie de vorderingen)."
    )
    uitleg: str = Field(description="De verrekening in gewone taal, voor de inwoner.")
    tussenrekening: bool = Field(
        False,
        description="true: de maand wordt als stabiel inkomen betaald. teBetalen gaat naar de tussenrekening, net "
        "als het loon, en de inwoner krijgt daaruit elke maand het vaste bedrag; verschil is dan min een voorschot "
        "dat daarbovenop is betaald en min het deel van het betaalde vaste bedrag dat de maand na een herziening "
        "terug in de tijd niet meer toekent (beide terug te vorderen), nooit een nabetaling.",
    )
    vastgesteldOp: datetime


class BetalingWeergave(Betaling):
    verrekening: VerrekeningWeergave | None = Field(
        description="De verrekening van de maand; null zolang het inkomen van die maand niet bekend is."
    )


class Gebeurtenis(Model):
    type: str = Field(description="Het CloudEvents-type, bijv. nl.participatiewet.verrekening.herzien.")
    tijdstip: datetime
    maand: MaandVeld | None = Field(description="Bij een verrekening: de maand.")
    eventId: str


class Klokstand(Model):
    grond: str
    maandenGebruikt: int


class Geschiedenis(Model):
    vrijlatingsklok: list[Klokstand] = Field(
        description="Per vrijlatingsgrond de maanden die deze uitkering gebruikte (van de aanvrager); voor r en werk "
        "de kalendermaanden sinds de eerste (aaneengesloten)."
    )
    partnerVrijlatingsklok: list[Klokstand] = Field(description="Hetzelfde voor de partner, met een eigen klok.")
    gebeurtenissen: list[Gebeurtenis]


class Boeking(Model):
    maand: MaandVeld
    loonOntvangen: int = Field(
        description="Netto loon dat de werkgevers van het huishouden (van de inwoner en een partner) op de "
        "tussenrekening stortten: alleen inkomen uit werk (een uitkering of pensioen betaalt de uitvoerder aan de "
        "inwoner), ook van een partner die een latere wijziging niet meer tot het huishouden van de maand rekent."
    )
    bijstand: int = Field(description="De bijstand van de maand (na reservering vakantietoeslag).")
    uitbetaald: int = Field(
        description="Het vaste bedrag dat de inwoner kreeg, zoals het betaald is: een wijziging terug in de tijd "
        "verandert het niet."
    )
    teruggevorderd: int = Field(
        description="Van het vaste bedrag: wat de maand na een herziening niet meer toekent (bijvoorbeeld een "
        "kostendeler, een partner of een einddatum terug in de tijd). Dat is een vordering op de inwoner en "
        "komt terug op de tussenrekening.",
    )
    saldo: int = Field(
        description="Saldo na de maand (loonOntvangen + bijstand − uitbetaald + teruggevorderd, opgeteld): "
        "positief nog van de inwoner, negatief voorgeschoten."
    )


class Tussenrekening(Model):
    saldo: int
    maanden: list[Boeking]
    teBeoordelen: list[TeBeoordelen] = Field(
        description="Maanden op stabiel inkomen die op een consulent wachten: ze staan nog niet op de rekening en "
        "tellen niet mee in het saldo tot ze verrekend zijn."
    )


class AbonnementInvoer(Model):
    url: Annotated[
        str,
        Field(
            min_length=10,
            max_length=2000,
            pattern=r"^https?://[!-~]+$",
            description="Callback-URL: https naar een host met alleen openbare adressen en een toegestane poort "
            "(standaard 443; http naar localhost alleen als de ontwikkelomgeving dat toestaat), zonder gebruikersnaam of "
            "wachtwoord: de handtekening (Webhook-Signature) bewijst de afzender.",
        ),
    ]
    eventTypes: Annotated[list[EventType], Field(min_length=1, description="Welke events van de eigen uitkeringen.")]


class Abonnement(Model):
    abonnementId: str
    gemeentecode: str = Field(description="De gemeente van het abonnement.", pattern=r"^GM[0-9]{4}$")
    url: str
    eventTypes: list[str]
    aangemaaktOp: datetime
    status: Literal["actief", "onderbroken", "gepauzeerd", "gestopt"] = Field(
        description="Onderbroken na te veel mislukte afleveringen op rij: afleveringen wachten (zonder pogingen "
        "te verbruiken) tot onderbrokenTot; dan beslist één proefaflevering. Gepauzeerd door de gemeente, de "
        "beheerder of beide (POST …/_pauzeer): afleveringen wachten, zonder pogingen te verbruiken, zolang een "
        "pauze staat (ook als het circuit ook onderbroken is). Gestopt: er gaat niets meer naartoe (zie "
        "stopreden); wat nog wachtte, is vervallen."
    )
    onderbrokenTot: datetime | None
    opeenvolgendeFouten: int = Field(description="Mislukte afleveringen op rij.")
    gestoptOp: datetime | None = Field(
        None, description="Alleen bij een gestopt abonnement: wanneer (ontbreekt bij een abonnement gestopt vóór 0.20)."
    )
    stopreden: Literal["ontvanger-weg", "beeindigd"] | None = Field(
        None,
        description="Alleen bij een gestopt abonnement: ontvanger-weg (de ontvanger antwoordde 410 Gone: hij is er "
        "niet meer, volgens Standard Webhooks) of beeindigd (de gemeente beëindigde het); ontbreekt bij een "
        "abonnement gestopt vóór 0.20.",
    )
    gepauzeerdOp: datetime | None = Field(
        None, description="Alleen bij een gepauzeerd abonnement: sinds wanneer (de eerste pauze die nog staat)."
    )
    gepauzeerdDoor: list[Literal["gemeente", "beheerder"]] | None = Field(
        None,
        description="Alleen bij een gepauzeerd abonnement: wiens pauze staat, van de gemeente, de beheerder of "
        "beide. Ieder heft alleen de eigen pauze op; het abonnement blijft gepauzeerd zolang er een staat.",
    )
    gepauzeerdDoorGemeenteOp: datetime | None = Field(
        None, description="Alleen als de pauze van de gemeente staat: sinds wanneer (haar eerste keer)."
    )
    gepauzeerdDoorBeheerderOp: datetime | None = Field(
        None, description="Alleen als de pauze van de beheerder staat: sinds wanneer (de eerste keer)."
    )


class NieuwAbonnement(Abonnement):
    geheim: str = Field(
        description="Ondertekeningssleutel (whsec_…); alleen nu zichtbaar. Elke aflevering draagt "
        "webhook-id, webhook-timestamp en webhook-signature (Standard Webhooks: v1,"
        "base64 HMAC-SHA256 over '<id>.<timestamp>.<body>')."
    )


class Poging(Model):
    nummer: int
    tijdstip: datetime
    statuscode: int | None
    fout: str | None = Field(
        description="Zonder statuscode: wat er misging, bijvoorbeeld 'time-out', 'verbinding "
        "mislukt', 'adres niet toegestaan' (een naam die niet te vinden is, of een adres dat niet openbaar is) "
        "of 'sleutel-onleesbaar' (het geheim is niet te ontsleutelen: de beheerder herstelt de sleutel)."
    )
    duurMs: int | None = Field(description="Leeg als er niets verstuurd is (een geweigerd adres).")


class Aflevering(Model):
    eventId: str
    eventType: str
    status: Literal["wachtend", "afgeleverd", "mislukt", "vervallen"] = Field(
        description="Vervallen: het abonnement stopte terwijl ze nog wachtte; ze gaat niet meer."
    )
    aangemaaktOp: datetime
    volgendePogingOp: datetime | None
    pogingen: list[Poging]


class Opnieuw(Model):
    aantal: int = Field(
        description="Opgegeven afleveringen die weer wachten: ze gaan in hun oorspronkelijke volgorde, vóór de "
        "latere, elk met nieuwe pogingen."
    )


class Baan(Model):
    nettoLoon: Geheel(1, 10**8, "Netto loon per maand (of per 4 weken), in eurocenten.")
    startmaand: MaandVeld
    vierWekelijks: StrictBool = Field(False, description="Het loon wordt per 4 weken betaald.")


class Proefvraag(Basisvelden):
    partner: PartnerGronden | None = Field(
        None,
        description="Bij gehuwd of samenwonend: de partner (zonder BSN; het inkomen van de partner telt niet mee).",
    )
    geboortedatum: Datum
    baan: Baan


class Proefmaand(Model):
    maand: BerekendeMaand
    inkomen: int = Field(description="Netto loon dat in deze maand telt.")
    vrijlating: VrijlatingUitleg | None
    bijstand: int = Field(description="Bijstand inclusief de gereserveerde vakantietoeslag.")
    totaalNetto: int = Field(description="Netto loon plus bijstand.")
    zonderWerk: int = Field(description="De bijstand zonder deze baan (de norm).")
    erbij: int = Field(description="Wat de baan netto oplevert ten opzichte van zonder werk.")


class Proefberekening(Model):
    maanden: list[Proefmaand]
    vrijlatingTot: BerekendeMaand | None = Field(description="De laatste maand met vrijlating in deze 12 maanden.")
    nietMeegenomen: str


def uitkering(view: Weergave) -> dict:
    u, status = view.uitkering, view.deelnamestatus
    registratie = (
        Doelgroepregistratie(grond=status.grond, sinds=status.ingangsdatum)
        if status is not None and status.grond is not None
        else None
    )
    return UitkeringWeergave(
        uitkeringId=u.uitkering_id,
        bsn=u.bsn,
        gemeentecode=u.gemeentecode,
        geboortedatum=u.geboortedatum,
        startdatum=u.startdatum,
        status=u.status.value,
        einddatum=u.einddatum,
        beeindigingsreden=u.reden,
        doelgroepregistratie=registratie,
        situaties=[
            SituatieWeergave(
                ingangsdatum=x.ingangsdatum,
                **situatie_van(x).model_dump(exclude_none=True, exclude={"jongerennormVanaf"}),
            )
            for x in view.situaties
        ],
        teBeoordelen=[te_beoordelen(t) for t in view.te_beoordelen],
        inkomstensoorten=[
            InkomstensoortWeergave(
                loonheffingennummer=o.loonheffingennummer,
                inkomstenverhouding=o.inkomstenverhouding,
                bsn=bsn,
                soort=o.soort,
                reden=o.reden,
            )
            for bsn, o in view.oordelen
        ],
        beeindigingsvoorstel=None
        if view.beeindigingsvoorstel is None
        else Beeindigingsvoorstel(
            vanMaand=view.beeindigingsvoorstel.van_maand,
            totMaand=view.beeindigingsvoorstel.tot_maand,
            voorgesteldOp=view.beeindigingsvoorstel.voorgesteld_op,
            afgewezenOp=view.beeindigingsvoorstel.afgewezen_op,
            reden=view.beeindigingsvoorstel.reden,
        ),
    ).model_dump(mode="json")


def verrekening(v: ports.Vastgesteld) -> dict:
    return inhoud(v.verrekening, v.verrekend, v.verrekend_eerder, v.beweging, v.voor_partner) | {
        "versie": v.versie,
        "vastgesteldOp": v.vastgesteld_op,
    }


def geschiedenis(klok: dict[str, int], partner: dict[str, int], gebeurtenissen: list[ports.Gebeurtenis]) -> dict:
    return {
        "vrijlatingsklok": [k.model_dump() for k in klok_van(klok)],
        "partnerVrijlatingsklok": [k.model_dump() for k in klok_van(partner)],
        "gebeurtenissen": [
            {"type": g.type, "tijdstip": g.tijdstip, "maand": g.maand, "eventId": g.event_id} for g in gebeurtenissen
        ],
    }


def te_beoordelen(t: Wachtend) -> TeBeoordelen:
    return TeBeoordelen(
        maand=str(t.maand),
        wie=t.wie,
        reden=t.reden,
        inkomstenverhoudingen=[
            InkomstenverhoudingSleutel(
                loonheffingennummer=b.loonheffingennummer, inkomstenverhouding=b.inkomstenverhouding
            )
            for b in t.bijdragen
        ],
    )


def tussenrekening(boek: list[Boekingsregel], wachtend: list[Wachtend]) -> dict:
    return {
        "saldo": boek[-1].saldo if boek else 0,
        "maanden": [
            {
                "maand": str(b.maand),
                "loonOntvangen": b.loon,
                "bijstand": b.bijstand,
                "uitbetaald": b.vast_bedrag,
                "teruggevorderd": b.teruggevorderd,
                "saldo": b.saldo,
            }
            for b in boek
        ],
        "teBeoordelen": [te_beoordelen(t).model_dump() for t in wachtend],
    }


def abonnement(a: ports.Abonnement, onderbroken: bool) -> dict:
    status = "gestopt" if not a.actief else "gepauzeerd" if a.gepauzeerd else "onderbroken" if onderbroken else "actief"
    weergave = {
        "abonnementId": a.abonnement_id,
        "gemeentecode": a.gemeentecode,
        "url": a.url,
        "eventTypes": a.event_types,
        "aangemaaktOp": a.aangemaakt_op,
        "status": status,
        "onderbrokenTot": a.circuit.onderbroken_tot if onderbroken else None,
        "opeenvolgendeFouten": a.circuit.opeenvolgende_fouten,
    }
    if not a.actief:
        return weergave | {"gestoptOp": a.gestopt_op, "stopreden": a.stopreden and a.stopreden.value}
    if a.gepauzeerd:
        p = a.gepauzeerd
        return weergave | {
            "gepauzeerdOp": p.sinds(),
            "gepauzeerdDoor": p.door(),
            "gepauzeerdDoorGemeenteOp": p.gemeente,
            "gepauzeerdDoorBeheerderOp": p.beheerder,
        }
    return weergave


def aflevering(a: ports.Aflevering, pogingen: list[tuple[int, datetime, ports.Poging]]) -> dict:
    return {
        "eventId": a.event_id,
        "eventType": a.event_type,
        "status": a.status,
        "aangemaaktOp": a.aangemaakt_op,
        "volgendePogingOp": a.volgende_poging_op if a.status == "wachtend" else None,
        "pogingen": [
            {"nummer": n, "tijdstip": t, "statuscode": p.statuscode, "fout": p.fout, "duurMs": p.duur_ms}
            for n, t, p in pogingen
        ],
    }


def proefberekening(uitkomst: Uitkomst) -> dict:
    return {
        "maanden": [
            {
                "maand": str(m.verrekening.maand),
                "inkomen": m.inkomen,
                "vrijlating": None if (w := vrijlating_van(m.verrekening.vrijlating)) is None else w.model_dump(),
                "bijstand": m.verrekening.bijstand,
                "totaalNetto": m.totaal_netto,
                "zonderWerk": m.zonder_werk,
                "erbij": m.erbij,
            }
            for m in uitkomst.maanden
        ],
        "vrijlatingTot": None if uitkomst.vrijlating_tot is None else str(uitkomst.vrijlating_tot),
        "nietMeegenomen": NIET_MEEGENOMEN,
    }
