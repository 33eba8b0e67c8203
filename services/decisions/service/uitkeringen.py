"""Handlers for uitkeringen: each one transaction that changes state and writes its events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Problem
from schakel.api.problems import OngeldigeParameter
from schakel.events import Event
from schakel.messaging import PermanentError
from schakel.primitives import Maand
from schakel.runtime import Service

from decisions.adapters import repository
from decisions.domain.norm import NormOnbekend
from decisions.domain.parameters import GeenParameters, laad
from decisions.domain.proefberekening import bereken
from decisions.domain.situatie import Betaalmodel, Huishouden, Regime, Situatie, SituatieFout, controleer, geldend
from decisions.domain.uitkering import Reden, Uitkering, UitkeringFout
from decisions.service.toegang import eigen
from decisions.service.webhooks import publiceer
from decisions.service.verrekeningen import herbereken, vrijlatingsklok

GEOPEND = "nl.participatiewet.uitkering.geopend"
HERAANVRAAG_TOEGEKEND = "nl.participatiewet.heraanvraag.toegekend"
GEWIJZIGD = "nl.participatiewet.uitkering.gewijzigd"
BEEINDIGD = "nl.participatiewet.uitkering.beeindigd"
DEELNAMESTATUS_GEWIJZIGD = "nl.participatiewet.deelnamestatus.gewijzigd"


@dataclass(frozen=True)
class Weergave:
    """What the API shows of a case."""

    uitkering: Uitkering
    deelnamestatus: object | None
    situaties: list[Situatie]
    beeindigingsvoorstel: object | None


async def _weergave(conn: AsyncConnection, service: Service, uitkering: Uitkering) -> Weergave:
    return Weergave(uitkering, await repository.deelnamestatus(conn, service.pseudonym(uitkering.bsn)),
                    await repository.situaties_van(conn, uitkering.uitkering_id),
                    await repository.beeindigingsvoorstel(conn, uitkering.uitkering_id))


async def open_uitkering(service: Service, principal: Principal, bsn: str, geboortedatum: date, startdatum: date,
                         situatie: Situatie) -> Weergave:
    async with service.transaction() as conn:
        uitkering = await _open(service, conn, principal.gemeente, bsn, geboortedatum, startdatum, situatie)
        return await _weergave(conn, service, uitkering)


async def _open(service: Service, conn: AsyncConnection, gemeentecode: str, bsn: str, geboortedatum: date,
                startdatum: date, situatie: Situatie, heraanvraag_id: str | None = None) -> Uitkering:
    uitkering = _rule(lambda: Uitkering.open(str(uuid.uuid4()), bsn, gemeentecode, geboortedatum, startdatum))
    _rule(lambda: controleer(situatie))
    persoon = service.pseudonym(bsn)
    try:
        await repository.add(conn, uitkering, persoon)
    except repository.AlLopend:
        # moves are handled by ending the case in the old municipality, then opening here
        raise Problem(409, "uitkering-bestaat-al", "Er loopt al een uitkering",
                      "Voor dit BSN loopt al een uitkering; beëindig die eerst.") from None
    data = {"uitkeringId": uitkering.uitkering_id, "bsn": bsn, "gemeentecode": gemeentecode,
            "geboortedatum": geboortedatum.isoformat(), "startdatum": startdatum.isoformat()}
    await publiceer(service, conn, service.outbox.event(
        GEOPEND, persoon, data | ({"heraanvraagId": heraanvraag_id} if heraanvraag_id else {})))
    await repository.zet_situatie(conn, uitkering.uitkering_id, situatie)
    await herbereken(service, conn, uitkering)  # income may be known already (a reopened case)
    return uitkering


def on_heraanvraag_toegekend(service: Service):
    """A re-application granted by the reapplication service: the benefit reopens with the reused data."""
    async def handle(conn: AsyncConnection, event: Event) -> None:
        d, s = event.data, event.data["situatie"]
        opt = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
        situatie = Situatie(date.fromisoformat(d["startdatum"]), Huishouden(s["huishouden"]),
                            opt(s["partnerGeboortedatum"]), opt(s["jongsteKindGeboortedatum"]), s["kostendelers"],
                            s["medischUrenbeperkt"], s["loonkostensubsidie"], s["meerUrenNietMogelijk"],
                            Regime(s["vrijlatingsregime"]), Betaalmodel(s["betaalmodel"]))
        try:
            await _open(service, conn, d["gemeentecode"], d["bsn"], date.fromisoformat(d["geboortedatum"]),
                        date.fromisoformat(d["startdatum"]), situatie, d["heraanvraagId"])
        except Problem as problem:
            raise PermanentError(problem.detail or problem.title) from problem
    return handle


async def lees(service: Service, principal: Principal, uitkering_id: str) -> Weergave:
    async with service.db.transaction() as conn:
        return await _weergave(conn, service, await eigen(conn, principal, uitkering_id))


async def wijzig(service: Service, principal: Principal, uitkering_id: str, situatie: Situatie) -> Weergave:
    """A new household situation from its date on; the months from then are settled again."""
    async with service.transaction() as conn:
        uitkering = await eigen(conn, principal, uitkering_id)
        _rule(lambda: uitkering.controleer_wijziging(situatie.ingangsdatum))
        _rule(lambda: controleer(situatie))
        await repository.zet_situatie(conn, uitkering_id, situatie)
        await publiceer(service, conn, service.outbox.event(GEWIJZIGD, service.pseudonym(uitkering.bsn), {
            "uitkeringId": uitkering_id, "bsn": uitkering.bsn, "gemeentecode": uitkering.gemeentecode,
            "ingangsdatum": situatie.ingangsdatum.isoformat(), "huishouden": situatie.huishouden.value,
            "kostendelers": situatie.kostendelers, "medischUrenbeperkt": situatie.medisch_urenbeperkt,
            "loonkostensubsidie": situatie.loonkostensubsidie}))
        await herbereken(service, conn, uitkering)
        return await _weergave(conn, service, uitkering)


async def beeindig(service: Service, principal: Principal, uitkering_id: str, einddatum: date,
                   reden: Reden) -> Weergave:
    async with service.transaction() as conn:
        uitkering = await eigen(conn, principal, uitkering_id)
        beeindigd = _rule(lambda: uitkering.beeindig(einddatum, reden))
        await repository.save(conn, beeindigd)
        await herbereken(service, conn, beeindigd)  # the last month counts only up to the end date
        # what a re-application within the window may reuse (art. 43a)
        situatie = geldend(await repository.situaties_van(conn, uitkering_id), einddatum)
        klok = vrijlatingsklok((await repository.verrekeningen_van(conn, uitkering_id)).values())
        await publiceer(service, conn, service.outbox.event(BEEINDIGD, service.pseudonym(uitkering.bsn), {
            "uitkeringId": uitkering_id, "bsn": uitkering.bsn, "gemeentecode": uitkering.gemeentecode,
            "einddatum": einddatum.isoformat(), "reden": reden.value,
            "hergebruik": {"geboortedatum": uitkering.geboortedatum.isoformat(), "situatie": situatie_json(situatie),
                           "vrijlatingsklok": klok}}))
        return await _weergave(conn, service, beeindigd)


def situatie_json(x: Situatie) -> dict:
    """A situation in contract form (without its date)."""
    return {"huishouden": x.huishouden.value,
            "partnerGeboortedatum": x.partner_geboortedatum.isoformat() if x.partner_geboortedatum else None,
            "jongsteKindGeboortedatum": x.jongste_kind_geboortedatum.isoformat() if x.jongste_kind_geboortedatum else None,
            "kostendelers": x.kostendelers, "medischUrenbeperkt": x.medisch_urenbeperkt,
            "loonkostensubsidie": x.loonkostensubsidie, "meerUrenNietMogelijk": x.meer_uren_niet_mogelijk,
            "vrijlatingsregime": x.regime.value, "betaalmodel": x.betaalmodel.value}


async def on_deelnamestatus(service: Service, conn: AsyncConnection, event: Event) -> None:
    data = event.data
    await repository.zet_deelnamestatus(conn, event.key, data["status"], data["doelgroepregisterGrond"],
                                        date.fromisoformat(data["ingangsdatum"]))


def _rule(decide):
    try:
        return decide()
    except (UitkeringFout, SituatieFout) as fout:
        # 409: the case's state forbids it; 422: a legal rule refuses input of valid shape
        status = 409 if fout.code == "al-beeindigd" else 422
        raise Problem(status, fout.code, "Niet toegestaan", fout.reason,
                      invalid_params=[OngeldigeParameter(name=fout.field, code=fout.code, reason=fout.reason)]
                      if status == 422 else None) from fout


def proefberekening(geboortedatum: date, situatie: Situatie, netto: int, startmaand: Maand, vier_wekelijks: bool):
    """What-if months, with the rules of a real settlement; a situation without a norm is 422."""
    _rule(lambda: controleer(situatie))
    try:
        return bereken(geboortedatum, situatie, netto, startmaand, vier_wekelijks, laad())
    except (NormOnbekend, GeenParameters) as exc:
        raise Problem(422, "norm-onbekend", "Niet te berekenen", str(exc)) from exc
