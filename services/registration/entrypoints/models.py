"""Request and response bodies of the registration API (the JSON the contract shows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool

from registration.domain.capaciteit import Capaciteit as Overzicht
from registration.domain.deelname import Feit, Soort, Toestand, tijdlijn
from registration.domain.melding import Intrekking
from registration.domain.uitleg import registratie_uitleg, status_uitleg
from schakel.api.types import BsnVeld, Datum, Geheel, GemeentecodeVeld, Model
from schakel.caller import Rol

Grond = Literal["wajong", "wsw", "wiw-id", "participatiewet", "vso-pro", "alleen-met-voorziening"]
Tekst = Annotated[str, Field(min_length=1, max_length=200)]


class Mutatie(Model):
    bsn: BsnVeld
    datum: Datum = Field(description="De ingangsdatum: feiten gelden op volgorde van deze datum, niet van aankomst.")
    gemeentecode: GemeentecodeVeld | None = Field(
        None, description="Woongemeente (UWV geeft haar altijd mee); bij verhuisd: de nieuwe gemeente."
    )


class AdviesAangevraagd(Mutatie):
    soort: Literal["advies-aangevraagd"]
    aanvrager: Literal["gemeente", "burger"]
    nieuweFeiten: StrictBool = Field(
        False, description="De burger noemt nieuwe feiten (telt bij een herhaald verzoek)."
    )


class AdviesUitgebracht(Mutatie):
    soort: Literal["advies-uitgebracht"]
    uitkomst: Literal["positief", "negatief"]
    redenen: list[Tekst] = Field(default_factory=list, max_length=20)


class RegistratieGestart(Mutatie):
    soort: Literal["doelgroepregistratie-gestart"]
    grond: Grond = Field(
        description="De grond van de registratie. Een registratie als schoolverlater (vso-pro: voortgezet "
        "speciaal onderwijs of praktijkonderwijs, op grond van schoolgegevens) is geen indicatie van UWV: een "
        "positief advies beschut werk blijft wakker zolang beschut werk niet is vastgesteld of herleefd, de gemeente kan beschut "
        "werk vaststellen en de registratie eindigt dan de dag erna. Elke andere grond, en een schoolregistratie "
        "nadat beschut werk geldt, laat een positief advies slapen."
    )


class Einde(Mutatie):
    soort: Literal[
        "doelgroepregistratie-beeindigd",
        "beschut-werk-vastgesteld",
        "beschutte-plek-beeindigd",
        "banenafspraakbaan-beeindigd",
        "dagbesteding-beeindigd",
    ]


class PlekGestart(Mutatie):
    soort: Literal["beschutte-plek-gestart"]
    werkgever: Tekst
    urenPerWeek: Geheel(1, 40, "Uren per week.")
    vorm: Literal["regulier", "detachering", "anders"] = Field(
        description="Bij een reguliere werkgever, via detachering of anders (bijv. SW-bedrijf)."
    )


class BaanGestart(Mutatie):
    soort: Literal["banenafspraakbaan-gestart"]
    werkgever: Tekst


class DagbestedingGestart(Mutatie):
    soort: Literal["dagbesteding-gestart"]
    indicatie: Literal["wmo", "wlz"]
    geldigTot: Datum | None = Field(
        None, description="De laatste dag waarop de indicatie geldt (Wmo-beschikking); leeg: zonder einddatum."
    )


class AnderAanbodGedaan(Mutatie):
    soort: Literal["ander-aanbod"]
    omschrijving: Tekst = Field(
        description="Wat de gemeente aanbiedt in plaats van een beschutte plek, boven het aantal uit de ministeriële "
        "regeling (Participatiewet art. 10b)."
    )


class UwvWaarborg(Mutatie):
    soort: Literal["wajong-recht-gestart", "wia-recht-beeindigd", "wia-werkhervatting"] = Field(
        description="Een Wajong-recht gaat in; of het recht op een WIA-uitkering (WGA of IVA) eindigt: het herleeft "
        "bij arbeidsongeschiktheid uit dezelfde oorzaak binnen vijf jaar (Wet WIA art. 50 en 57). wia-werkhervatting "
        "wordt alleen vastgelegd en geeft geen terugvaloptie: 'vijf jaar geen herbeoordeling na werkhervatting' is "
        "nooit wet geworden (in 2021 ingetrokken)."
    )


class WajongBeeindigd(Mutatie):
    soort: Literal["wajong-recht-beeindigd"]
    aowDatum: Datum = Field(
        description="De dag waarop de persoon de AOW-leeftijd bereikt: tot dan kan het recht herleven (Wet "
        "vereenvoudiging Wajong)."
    )


class Ondertekening(Model):
    naam: Tekst
    datum: Datum


class Driehoeksverklaring(Mutatie):
    soort: Literal["driehoeksverklaring"]
    werkgever: Ondertekening
    gemeente: Ondertekening
    client: Ondertekening


class Verhuisd(Mutatie):
    soort: Literal["verhuisd"]
    gemeentecode: GemeentecodeVeld = Field(description="De nieuwe woongemeente.")


MutatieInvoer = Annotated[
    AdviesAangevraagd
    | AdviesUitgebracht
    | RegistratieGestart
    | Einde
    | PlekGestart
    | BaanGestart
    | DagbestedingGestart
    | AnderAanbodGedaan
    | UwvWaarborg
    | WajongBeeindigd
    | Driehoeksverklaring
    | Verhuisd,
    Field(discriminator="soort"),
]


class Advies(Model):
    stand: Literal["geen", "aangevraagd", "positief", "negatief", "slapend"]
    datum: Datum | None
    herleefdOp: Datum | None = Field(description="Herleefd met een driehoeksverklaring.")
    herhaalverzoek: bool = Field(
        description="Herhaald verzoek van de burger binnen 12 maanden zonder nieuwe feiten: "
        "mag zonder nieuwe beoordeling worden afgewezen."
    )


class Plek(Model):
    werkgever: str | None = Field(description="null voor UWV, evenals urenPerWeek en vorm: zijn taak vraagt die niet.")
    urenPerWeek: int | None
    vorm: str | None
    sinds: Datum


class AnderAanbod(Model):
    omschrijving: str
    datum: Datum


class BeschutWerk(Model):
    vastgesteldOp: Datum | None
    plek: Plek | None
    wachtlijstSinds: Datum | None = Field(description="Sinds wanneer de gemeente een plek moet aanbieden.")
    anderAanbod: AnderAanbod | None = Field(description="Het andere aanbod terwijl de persoon wacht.")


class Doelgroepregistratie(Model):
    grond: str
    startdatum: Datum
    einddatum: Datum | None = None
    uitleg: str = Field(description="Voor de burger, in gewone taal: de registratie en waarom zij eindigde.")


class Lopend(Model):
    sinds: Datum
    werkgever: str | None = None
    indicatie: str | None = None
    geldigTot: Datum | None = Field(None, description="Dagbesteding: de laatste dag van de indicatie (leeg: geen).")


class Banenafspraakbaan(Lopend):
    teltMee: bool = Field(
        description="Telt mee voor de banenafspraak: alleen met een registratie in het doelgroepregister (Wfsv art. "
        "38b lid 1). Zonder registratie staat de baan in afwachting en hoort UWV ervan (Besluit SUWI art. 3.5)."
    )


class Wajong(Model):
    sinds: Datum | None
    beeindigd: Datum | None
    herleefbaarTot: Datum | None = Field(description="Tot wanneer het beëindigde recht kan herleven.")


class Terugvaloptie(Model):
    soort: Literal["beschut-werk", "dagbesteding", "wajong", "wia"]
    uitleg: str = Field(description="Voor de burger, in gewone taal.")
    toelichting: str = Field(description="Voor de klantmanager: de regel en haar bron.")
    tot: Datum | None = Field(description="De laatste dag waarop dit geldt (leeg: zonder einddatum).")


class Gebeurtenis(Model):
    soort: Soort
    datum: Datum


class IngetrokkenFeit(Model):
    soort: Soort
    datum: Datum = Field(description="De ingangsdatum die het feit noemde.")
    gemeentecode: GemeentecodeVeld = Field(
        description="De gemeente die het feit noemde: bij een intrekking door een gemeente de gemeente die het "
        "meldde en introk, ook als de persoon daar niet meer woont."
    )
    ingetrokkenOp: datetime
    ingetrokkenDoor: Literal["uwv", "gemeente"]


class Deelnamestatus(Model):
    gemeentecode: GemeentecodeVeld
    status: str = Field(
        description="Vandaag: beschut-werk, banenafspraakbaan (zie teltMee), doelgroepregister, "
        "beschut-werk-wachtlijst, dagbesteding, advies-aangevraagd, advies-negatief, "
        "advies-slapend of geen."
    )
    uitleg: str = Field(description="Voor de burger, in gewone taal: wat de status betekent en waar die uit volgt.")
    advies: Advies
    beschutWerk: BeschutWerk
    banenafspraakbaan: Banenafspraakbaan | None
    dagbesteding: Lopend | None
    wajong: Wajong | None
    wiaWerkhervatting: Datum | None = Field(description="Vastgelegd, zonder terugvaloptie (zie wia-werkhervatting).")
    wiaRechtBeeindigd: Datum | None = Field(description="Het WIA-recht eindigde: herleefbaar tot vijf jaar daarna.")
    doelgroepregistraties: list[Doelgroepregistratie] = Field(description="De gedateerde geschiedenis.")
    terugvalopties: list[Terugvaloptie]
    geschiedenis: list[Gebeurtenis] = Field(description="Alle feiten op volgorde van ingangsdatum.")
    ingetrokken: list[IngetrokkenFeit] = Field(
        description="Feiten die ten onrechte gemeld waren en zijn ingetrokken (POST /mutaties/_intrekken), op "
        "volgorde van intrekking: ze tellen niet meer mee. Een organisatie ziet alleen wat zij zelf introk, de "
        "burger alles. Wat ze zeiden is niet bewaard; dit blijft tot en met dezelfde dag de bewaartermijn na de "
        "intrekking, of tot de persoon vergeten wordt."
    )


class TaakstellingInvoer(Model):
    gemeentecode: GemeentecodeVeld
    aantal: Geheel(0, 100_000, "Minimum aantal beschut-werkplekken in het jaar.")


class Taakstelling(TaakstellingInvoer):
    jaar: int


class Wachtende(Model):
    bsn: BsnVeld
    sinds: Datum
    dagen: int
    plicht: Literal["plaatsing", "ander-aanbod"] = Field(
        description="plaatsing: binnen het aantal uit de ministeriële regeling moet de gemeente een plek aanbieden; "
        "ander-aanbod: daarboven een ander aanbod (Participatiewet art. 10b)."
    )
    anderAanbod: AnderAanbod | None


class Capaciteit(Model):
    gemeentecode: GemeentecodeVeld
    jaar: int
    taakstelling: int | None = Field(description="Het minimum aantal plekken (null: niet vastgesteld).")
    gerealiseerd: int = Field(
        description="Personen met een beschutte plek in het jaar terwijl zij bij deze gemeente hoorden: na een "
        "verhuizing telt de plek tot de verhuisdatum voor de oude gemeente en vanaf die datum voor de nieuwe."
    )
    plekEquivalenten: float = Field(
        description="Plekken van 31 uur per week (de eenheid van de ministeriële regeling) uit de uren per week, "
        "gemiddeld over het jaar tot vandaag."
    )
    bezettePlekken: float = Field(
        description="Plekken van 31 uur die vandaag bezet zijn; tot de taakstelling geldt de plaatsingsplicht."
    )
    wachtlijst: list[Wachtende]
    gemiddeldeDagenTotPlaatsing: int | None = Field(
        description="Van positief advies (of herleving) tot plek, voor plaatsingen door deze gemeente in het jaar."
    )
    maximaleDagenTotPlaatsing: int | None


def weergave(
    t: Toestand, feiten: list[Feit], ingetrokken: list[Intrekking], gemeentecode: str | None, vandaag: date
) -> dict:
    """`gemeentecode`: the municipality to name when no fact does (every one withdrawn)."""
    return Deelnamestatus(
        # before the first fact takes effect (all dated ahead), the person belongs to its municipality
        gemeentecode=t.gemeentecode or (tijdlijn(feiten)[0].gemeentecode if feiten else gemeentecode),
        status=t.status,
        uitleg=status_uitleg(t),
        advies=Advies(stand=t.advies, datum=t.advies_datum, herleefdOp=t.herleefd_op, herhaalverzoek=t.herhaalverzoek),
        beschutWerk=BeschutWerk(
            vastgesteldOp=t.beschut_vastgesteld,
            plek=Plek(**t.plek) if t.plek else None,
            wachtlijstSinds=t.wachtlijst_sinds,
            anderAanbod=AnderAanbod(**t.ander_aanbod) if t.ander_aanbod else None,
        ),
        banenafspraakbaan=Banenafspraakbaan(**t.baan, teltMee=t.baan_telt_mee) if t.baan else None,
        dagbesteding=Lopend(**t.dagbesteding) if t.dagbesteding else None,
        wajong=Wajong(**t.wajong) if t.wajong else None,
        wiaWerkhervatting=t.wia_hervat,
        wiaRechtBeeindigd=t.wia_beeindigd,
        doelgroepregistraties=[
            Doelgroepregistratie(
                grond=r.grond, startdatum=r.start, einddatum=r.einde, uitleg=registratie_uitleg(r, vandaag)
            )
            for r in t.registraties
        ],
        terugvalopties=[Terugvaloptie(**o) for o in t.terugvalopties],
        geschiedenis=[
            Gebeurtenis(soort=f.soort, datum=f.datum) for f in sorted(feiten, key=lambda f: (f.datum, f.volgnummer))
        ],
        ingetrokken=[
            IngetrokkenFeit(
                soort=i.soort,
                datum=i.datum,
                gemeentecode=i.gemeentecode,
                ingetrokkenOp=i.op,
                ingetrokkenDoor="uwv" if i.door is Rol.uwv else "gemeente",
            )
            for i in ingetrokken
        ],
    ).model_dump(mode="json")


def capaciteit(c: Overzicht) -> dict:
    return Capaciteit(
        gemeentecode=c.gemeentecode,
        jaar=c.jaar,
        taakstelling=c.taakstelling,
        gerealiseerd=c.gerealiseerd,
        plekEquivalenten=c.plekequivalenten,
        bezettePlekken=c.bezet,
        wachtlijst=[
            Wachtende(
                bsn=w.bsn,
                sinds=w.sinds,
                dagen=w.dagen,
                plicht=w.plicht,
                anderAanbod=AnderAanbod(**w.ander_aanbod) if w.ander_aanbod else None,
            )
            for w in c.wachtlijst
        ],
        gemiddeldeDagenTotPlaatsing=c.gemiddelde_dagen_tot_plaatsing,
        maximaleDagenTotPlaatsing=c.maximale_dagen_tot_plaatsing,
    ).model_dump(mode="json")
