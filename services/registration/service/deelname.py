"""Takes in participation facts (UWV's register mutations over Kafka, UWV and municipalities over
the API), keeps only those that fit the person's timeline, and publishes what changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from statistics import mean

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Problem, Rol
from schakel.api.problems import OngeldigeParameter, standard
from schakel.events import Event
from schakel.messaging import PermanentError
from schakel.runtime import Service

from registration.adapters import repository
from registration.domain.deelname import Feit, OvergangFout, Soort, Toestand, vouw

GESTART = "nl.banenafspraak.doelgroepregistratie.gestart"
BEEINDIGD = "nl.banenafspraak.doelgroepregistratie.beeindigd"
DEELNAMESTATUS_GEWIJZIGD = "nl.participatiewet.deelnamestatus.gewijzigd"
BESCHUT_WERK_VASTGESTELD = "nl.participatiewet.beschut-werk.vastgesteld"

EERSTE_DATUM = date(2000, 1, 1)

# who may report what: UWV advises and keeps the register; the municipality does the rest
UWV_FEITEN = {Soort.advies_aangevraagd, Soort.advies_uitgebracht, Soort.doelgroepregistratie_gestart,
              Soort.doelgroepregistratie_beeindigd, Soort.verhuisd}
GEMEENTE_FEITEN = set(Soort) - UWV_FEITEN | {Soort.verhuisd}


async def neem_op(service: Service, conn: AsyncConnection, persoon: str, bsn: str, feit: Feit, bron: str) -> Toestand:
    """Adds the fact if the timeline with it still makes sense (else OvergangFout), and publishes changes."""
    feiten = await repository.van(conn, persoon)
    vandaag = date.today()
    voor = vouw(feiten, vandaag)
    # the whole timeline with the new fact (it arrived last); refuses it when it does not fit
    geheel = vouw(feiten + [replace(feit, volgnummer=max((f.volgnummer for f in feiten), default=0) + 1)])
    feiten.append(await repository.voeg_toe(conn, persoon, bsn, feit, bron))
    na = vouw(feiten, vandaag)
    events = []
    if (na.status, na.gemeentecode, na.terugvalopties, na.registratie) != (voor.status, voor.gemeentecode,
                                                                          voor.terugvalopties, voor.registratie):
        events.append(service.outbox.event(DEELNAMESTATUS_GEWIJZIGD, persoon, {
            "bsn": bsn, "gemeentecode": na.gemeentecode, "status": na.status,
            "doelgroepregisterGrond": na.registratie["grond"] if na.registratie else None,
            "ingangsdatum": feit.datum.isoformat(), "terugvalopties": [o["soort"] for o in na.terugvalopties]}))
    if feit.soort in (Soort.beschut_werk_vastgesteld, Soort.driehoeksverklaring) and (
            geheel.registratie_einde_verzocht == feit.datum + timedelta(days=1)):
        # UWV must end the doelgroepregister registration the day after
        events.append(service.outbox.event(BESCHUT_WERK_VASTGESTELD, persoon, {
            "bsn": bsn, "gemeentecode": feit.gemeentecode, "vastgesteldOp": feit.datum.isoformat(),
            "doelgroepregistratieEindigtOp": geheel.registratie_einde_verzocht.isoformat()}))
    if events:
        await service.outbox.add(conn, *events)
    return na if feit.datum <= vandaag else vouw(feiten, feit.datum)  # or the day a future fact takes effect


def on_register(service: Service):
    """UWV's doelgroepregister mutations from Kafka; one that does not fit goes to the dead-letter topic."""
    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = event.data
        if event.type == GESTART:
            feit = Feit(Soort.doelgroepregistratie_gestart, date.fromisoformat(d["startdatum"]), d["gemeentecode"],
                        {"grond": d["grond"]})
        else:
            feit = Feit(Soort.doelgroepregistratie_beeindigd, date.fromisoformat(d["einddatum"]), d["gemeentecode"])
        try:
            await neem_op(service, conn, event.key, d["bsn"], feit, "uwv")
        except OvergangFout as fout:
            raise PermanentError(fout.reden) from fout
    return handle


async def meld(service: Service, principal: Principal, bsn: str, feit: Feit) -> Toestand:
    """A fact reported over the API by UWV or the person's municipality."""
    toegestaan = UWV_FEITEN if principal.rol is Rol.uwv else GEMEENTE_FEITEN
    if feit.soort not in toegestaan:
        raise standard(403, f"Uw organisatie meldt geen {feit.soort.value}.")
    if not EERSTE_DATUM <= feit.datum <= date.today() + timedelta(days=366):
        reden = "een feit geldt vanaf 2000 en hooguit een jaar vooruit"
        raise Problem(422, "datum-buiten-bereik", "Datum buiten bereik", reden,
                      [OngeldigeParameter(name="datum", code="datum-buiten-bereik", reason=reden)])
    persoon = service.pseudonym(bsn)
    async with service.transaction() as conn:
        if principal.rol is Rol.municipality:
            huidig = vouw(await repository.van(conn, persoon)).gemeentecode
            if huidig is not None and huidig != principal.gemeente:
                raise standard(404, "Deze persoon woont volgens Schakel niet in uw gemeente.")
        try:
            return await neem_op(service, conn, persoon, bsn, feit, principal.oin)
        except OvergangFout as fout:
            raise Problem(422, fout.code, "Overgang niet mogelijk", fout.reden,
                          [OngeldigeParameter(name="soort", code=fout.code, reason=fout.reden)]) from fout


async def status(service: Service, principal: Principal, bsn: str) -> tuple[Toestand, list[Feit]]:
    async with service.db.transaction() as conn:
        feiten = await repository.van(conn, service.pseudonym(bsn))
    toestand = vouw(feiten, date.today())
    # the person's municipality and UWV only; for anyone else the person is not known
    if not feiten or (principal.rol is Rol.municipality and toestand.gemeentecode != principal.gemeente):
        raise standard(404, "Van deze persoon is bij uw organisatie geen deelnamestatus bekend.")
    return toestand, feiten


async def zet_taakstelling(service: Service, principal: Principal, gemeentecode: str, jaar: int, aantal: int) -> None:
    if principal.rol is Rol.municipality and gemeentecode != principal.gemeente:
        raise standard(403, "Een gemeente stelt alleen haar eigen aantal vast.")
    async with service.db.transaction() as conn:
        await repository.zet_taakstelling(conn, gemeentecode, jaar, aantal, principal.oin)


async def capaciteit(service: Service, principal: Principal, jaar: int) -> dict:
    """Places realised in the year, the waiting list now, and the time from positive advice to a place."""
    vandaag = date.today()
    async with service.db.transaction() as conn:
        personen = await repository.personen_van(conn, principal.gemeente)
        taakstelling = await repository.taakstelling(conn, principal.gemeente, jaar)
    gerealiseerd, wachtlijst, doorlooptijden = 0, [], []
    for bsn, feiten in personen.values():
        geheel = vouw(feiten)
        if geheel.gemeentecode != principal.gemeente:
            continue  # moved away: the new municipality counts them
        gerealiseerd += geheel.geplaatst_in(jaar)
        nu = vouw(feiten, vandaag)
        if nu.wachtlijst_sinds:
            wachtlijst.append({"bsn": bsn, "sinds": nu.wachtlijst_sinds, "dagen": (vandaag - nu.wachtlijst_sinds).days})
        doorlooptijden += [(geplaatst - sinds).days for sinds, geplaatst in geheel.plaatsingen if geplaatst.year == jaar]
    return {"gemeentecode": principal.gemeente, "jaar": jaar, "taakstelling": taakstelling,
            "gerealiseerd": gerealiseerd, "wachtlijst": sorted(wachtlijst, key=lambda w: w["sinds"]),
            "gemiddeldeDagenTotPlaatsing": round(mean(doorlooptijden)) if doorlooptijden else None,
            "maximaleDagenTotPlaatsing": max(doorlooptijden, default=None)}
