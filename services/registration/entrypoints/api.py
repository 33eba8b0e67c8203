"""HTTP routes of the registration service (paths relative to /api/v1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field, StrictBool

from schakel.api import Idempotent, Principal, Rol, requires
from schakel.api.problems import OngeldigeParameter, standard
from schakel.api.types import BsnVeld, Datum, Geheel, GemeentecodeVeld, Model, Zoekvraag

from registration.domain.deelname import Feit, Soort, Toestand
from registration.service import deelname

router = APIRouter(tags=["deelnamestatussen"])
capaciteit_router = APIRouter(tags=["capaciteit"])
Grond = Literal["wajong", "wsw", "wiw-id", "participatiewet", "vso-pro", "alleen-met-voorziening"]
Tekst = Annotated[str, Field(min_length=1, max_length=200)]


class Mutatie(Model):
    bsn: BsnVeld
    datum: Datum = Field(description="De ingangsdatum: feiten gelden op volgorde van deze datum, niet van aankomst.")
    gemeentecode: GemeentecodeVeld | None = Field(
        None, description="Woongemeente (UWV geeft haar altijd mee); bij verhuisd: de nieuwe gemeente.")


class AdviesAangevraagd(Mutatie):
    soort: Literal["advies-aangevraagd"]
    aanvrager: Literal["gemeente", "burger"]
    nieuweFeiten: StrictBool = Field(False, description="De burger noemt nieuwe feiten (telt bij een herhaald verzoek).")


class AdviesUitgebracht(Mutatie):
    soort: Literal["advies-uitgebracht"]
    uitkomst: Literal["positief", "negatief"]
    redenen: list[Tekst] = Field(default_factory=list, max_length=20)


class RegistratieGestart(Mutatie):
    soort: Literal["doelgroepregistratie-gestart"]
    grond: Grond


class Einde(Mutatie):
    soort: Literal["doelgroepregistratie-beeindigd", "beschut-werk-vastgesteld", "beschutte-plek-beeindigd",
                   "banenafspraakbaan-beeindigd", "dagbesteding-beeindigd"]


class PlekGestart(Mutatie):
    soort: Literal["beschutte-plek-gestart"]
    werkgever: Tekst
    urenPerWeek: Geheel(1, 40, "Uren per week.")
    vorm: Literal["regulier", "detachering", "anders"] = Field(description="Bij een reguliere werkgever, via "
                                                                         "detachering of anders (bijv. SW-bedrijf).")


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


MutatieInvoer = Annotated[Union[AdviesAangevraagd, AdviesUitgebracht, RegistratieGestart, Einde, PlekGestart,
                                BaanGestart, DagbestedingGestart, Driehoeksverklaring, Verhuisd],
                          Field(discriminator="soort")]


class Advies(Model):
    stand: Literal["geen", "aangevraagd", "positief", "negatief", "slapend"]
    datum: Datum | None
    herleefdOp: Datum | None = Field(description="Herleefd met een driehoeksverklaring.")
    herhaalverzoek: bool = Field(description="Herhaald verzoek van de burger binnen 12 maanden zonder nieuwe feiten: "
                                             "mag zonder nieuwe beoordeling worden afgewezen.")


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
    status: str = Field(description="Vandaag: beschut-werk, banenafspraakbaan, doelgroepregister, "
                                    "beschut-werk-wachtlijst, dagbesteding, advies-aangevraagd, advies-negatief, "
                                    "advies-slapend of geen.")
    advies: Advies
    beschutWerk: BeschutWerk
    banenafspraakbaan: Lopend | None
    dagbesteding: Lopend | None
    doelgroepregistraties: list[Doelgroepregistratie] = Field(description="De gedateerde geschiedenis.")
    terugvalopties: list[Terugvaloptie]
    geschiedenis: list[Gebeurtenis] = Field(description="Alle feiten op volgorde van ingangsdatum.")


def _weergave(t: Toestand, feiten: list[Feit]) -> dict:
    return Deelnamestatus(
        gemeentecode=t.gemeentecode, status=t.status,
        advies=Advies(stand=t.advies, datum=t.advies_datum, herleefdOp=t.herleefd_op, herhaalverzoek=t.herhaalverzoek),
        beschutWerk=BeschutWerk(vastgesteldOp=t.beschut_vastgesteld, plek=Plek(**t.plek) if t.plek else None,
                                wachtlijstSinds=t.wachtlijst_sinds),
        banenafspraakbaan=Lopend(**t.baan) if t.baan else None,
        dagbesteding=Lopend(**t.dagbesteding) if t.dagbesteding else None,
        doelgroepregistraties=[Doelgroepregistratie(grond=g, startdatum=s, einddatum=e) for g, s, e in t.registraties],
        terugvalopties=[Terugvaloptie(**o) for o in t.terugvalopties],
        geschiedenis=[Gebeurtenis(soort=f.soort, datum=f.datum) for f in sorted(feiten, key=lambda f: (f.datum, f.volgnummer))],
    ).model_dump(mode="json")


@router.post("/mutaties", status_code=201, response_model=Deelnamestatus, operation_id="meldMutatie",
             dependencies=[Idempotent],
             summary="Meld een gedateerd feit: UWV (advies, doelgroepregister, verhuizing) of de woongemeente "
                     "(beschut werk, plek, banenafspraakbaan, dagbesteding, driehoeksverklaring, verhuizing).",
             responses={404: {"description": "De persoon woont volgens Schakel in een andere gemeente."},
                        422: {"description": "Deze overgang kan niet op de tijdlijn van de persoon."}})
async def meld(body: MutatieInvoer, request: Request,
               principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.uwv))]) -> dict:
    gemeentecode = body.gemeentecode or principal.gemeente
    if gemeentecode is None:
        raise standard(400, "UWV geeft de woongemeente mee.", invalid_params=[
            OngeldigeParameter(name="gemeentecode", code="missing", reason="UWV geeft de woongemeente mee")])
    gegevens = body.model_dump(mode="json", exclude={"bsn", "datum", "gemeentecode", "soort"})
    toestand = await deelname.meld(request.app.state.service, principal, body.bsn,
                                   Feit(Soort(body.soort), body.datum, gemeentecode, gegevens))
    return _weergave(toestand, [])


@router.post("/deelnamestatussen/_zoek", response_model=Deelnamestatus, operation_id="zoekDeelnamestatus",
             summary="De deelnamestatus van een persoon, de terugvalopties en de geschiedenis (BSN in de body).",
             responses={404: {"description": "Geen deelnamestatus bekend die u mag zien."}})
async def zoek(body: Zoekvraag, request: Request,
               principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.uwv))]) -> dict:
    return _weergave(*await deelname.status(request.app.state.service, principal, body.bsn))


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
    gemiddeldeDagenTotPlaatsing: int | None = Field(description="Van positief advies (of herleving) tot plek, "
                                                                "voor plaatsingen in het jaar.")
    maximaleDagenTotPlaatsing: int | None


Jaar = Annotated[int, Path(ge=2015, le=2100, description="Het kalenderjaar.")]


@capaciteit_router.put("/taakstellingen/{jaar}", response_model=Taakstelling, operation_id="zetTaakstelling",
                       summary="Het minimum aantal beschut-werkplekken van een gemeente in een jaar (de gemeente zelf, "
                               "of de beheerder namens het ministerie).")
async def zet_taakstelling(jaar: Jaar, body: TaakstellingInvoer, request: Request,
                           principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.operator))]) -> dict:
    await deelname.zet_taakstelling(request.app.state.service, principal, body.gemeentecode, jaar, body.aantal)
    return {"gemeentecode": body.gemeentecode, "jaar": jaar, "aantal": body.aantal}


@capaciteit_router.get("/capaciteit", response_model=Capaciteit, operation_id="leesCapaciteit",
                       summary="Beschut werk in de eigen gemeente: minimum, gerealiseerd, wachtlijst en doorlooptijd.")
async def lees_capaciteit(request: Request, principal: Annotated[Principal, Depends(requires(Rol.municipality))],
                          jaar: Annotated[int | None, Query(ge=2015, le=2100, description="Standaard dit jaar.")] = None
                          ) -> dict:
    return await deelname.capaciteit(request.app.state.service, principal, jaar or date.today().year)
