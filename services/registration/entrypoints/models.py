"""Request and response bodies of the registration API (the JSON the contract shows)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from registration.domain.capaciteit import Capaciteit as Overzicht
from registration.domain.deelname import Feit, Soort, Toestand
from schakel.api.types import BsnVeld, Datum, Geheel, GemeentecodeVeld, Model

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
    grond: Grond


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
    werkgever: str
    urenPerWeek: int
    vorm: str
    sinds: Datum


class BeschutWerk(Model):
    vastgesteldOp: Datum | None
    plek: Plek | None
    wachtlijstSinds: Datum | None = Field(description="Sinds wanneer de gemeente een plek moet aanbieden.")


class Doelgroepregistratie(Model):
    grond: str
    startdatum: Datum
    einddatum: Datum | None = None


class Lopend(Model):
    sinds: Datum
    werkgever: str | None = None
    indicatie: str | None = None


class Terugvaloptie(Model):
    soort: Literal["beschut-werk", "dagbesteding"]
    uitleg: str


class Gebeurtenis(Model):
    soort: Soort
    datum: Datum


class Deelnamestatus(Model):
    gemeentecode: GemeentecodeVeld
    status: str = Field(
        description="Vandaag: beschut-werk, banenafspraakbaan, doelgroepregister, "
        "beschut-werk-wachtlijst, dagbesteding, advies-aangevraagd, advies-negatief, "
        "advies-slapend of geen."
    )
    advies: Advies
    beschutWerk: BeschutWerk
    banenafspraakbaan: Lopend | None
    dagbesteding: Lopend | None
    doelgroepregistraties: list[Doelgroepregistratie] = Field(description="De gedateerde geschiedenis.")
    terugvalopties: list[Terugvaloptie]
    geschiedenis: list[Gebeurtenis] = Field(description="Alle feiten op volgorde van ingangsdatum.")


class TaakstellingInvoer(Model):
    gemeentecode: GemeentecodeVeld
    aantal: Geheel(0, 100_000, "Minimum aantal beschut-werkplekken in het jaar.")


class Taakstelling(TaakstellingInvoer):
    jaar: int


class Wachtende(Model):
    bsn: BsnVeld
    sinds: Datum
    dagen: int


class Capaciteit(Model):
    gemeentecode: GemeentecodeVeld
    jaar: int
    taakstelling: int | None = Field(description="Het minimum aantal plekken (null: niet vastgesteld).")
    gerealiseerd: int = Field(description="Personen met een beschutte plek in het jaar.")
    wachtlijst: list[Wachtende]
    gemiddeldeDagenTotPlaatsing: int | None = Field(
        description="Van positief advies (of herleving) tot plek, voor plaatsingen in het jaar."
    )
    maximaleDagenTotPlaatsing: int | None


def weergave(t: Toestand, feiten: list[Feit]) -> dict:
    return Deelnamestatus(
        gemeentecode=t.gemeentecode,
        status=t.status,
        advies=Advies(stand=t.advies, datum=t.advies_datum, herleefdOp=t.herleefd_op, herhaalverzoek=t.herhaalverzoek),
        beschutWerk=BeschutWerk(
            vastgesteldOp=t.beschut_vastgesteld,
            plek=Plek(**t.plek) if t.plek else None,
            wachtlijstSinds=t.wachtlijst_sinds,
        ),
        banenafspraakbaan=Lopend(**t.baan) if t.baan else None,
        dagbesteding=Lopend(**t.dagbesteding) if t.dagbesteding else None,
        doelgroepregistraties=[Doelgroepregistratie(grond=g, startdatum=s, einddatum=e) for g, s, e in t.registraties],
        terugvalopties=[Terugvaloptie(**o) for o in t.terugvalopties],
        geschiedenis=[
            Gebeurtenis(soort=f.soort, datum=f.datum) for f in sorted(feiten, key=lambda f: (f.datum, f.volgnummer))
        ],
    ).model_dump(mode="json")


def capaciteit(c: Overzicht) -> dict:
    return Capaciteit(
        gemeentecode=c.gemeentecode,
        jaar=c.jaar,
        taakstelling=c.taakstelling,
        gerealiseerd=c.gerealiseerd,
        wachtlijst=[Wachtende(bsn=w.bsn, sinds=w.sinds, dagen=w.dagen) for w in c.wachtlijst],
        gemiddeldeDagenTotPlaatsing=c.gemiddelde_dagen_tot_plaatsing,
        maximaleDagenTotPlaatsing=c.maximale_dagen_tot_plaatsing,
    ).model_dump(mode="json")
