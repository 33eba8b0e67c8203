"""What a municipality may see and do: a person's monthly incomes with provenance, overriding a
month, and its attribution policy. Only for persons with a benefit case of that municipality
that has not ended; anyone else is answered 404, so the answer does not reveal who is known."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal
from schakel.api.problems import standard
from schakel.primitives import Maand
from schakel.runtime import Service

from income.adapters import repository
from income.adapters.repository import Lid
from income.domain.overschrijving import Overschrijving, polis_versies
from income.domain.toerekening import Toerekening
from income.service.maandinkomens import herbereken, polis


async def _lid(service: Service, conn: AsyncConnection, principal: Principal, bsn: str) -> Lid:
    persoon = service.pseudonym(bsn)
    lid = (await repository.leden(conn, [persoon], date.today())).get(persoon)
    if lid is None or principal.gemeente not in lid.actieve_gemeenten:
        raise standard(404, "Geen lopende uitkering van uw gemeente voor deze persoon.")
    return lid


async def _maanden(conn: AsyncConnection, persoon: str, van: Maand, tot: Maand) -> list[dict]:
    overschrijvingen = await repository.overschrijvingen_van(conn, [persoon])
    result = []
    for r in await repository.maandinkomens_tussen(conn, persoon, van, tot):
        o = overschrijvingen.get((persoon, Maand.parse(r.maand)))
        result.append({"maand": r.maand, "nettoInkomen": r.loon, "vakantiebijslag": r.vakantiebijslag,
                       "bron": r.bron, "teBeoordelen": r.te_beoordelen, "polisNettoInkomen": r.polis_loon,
                       "overschrijving": {"nettoInkomen": o.loon, "reden": o.reden} if o else None,
                       "bijdragen": r.bijdragen})
    return result


async def zoek(service: Service, principal: Principal, bsn: str, van: Maand, tot: Maand) -> dict:
    async with service.db.transaction() as conn:
        lid = await _lid(service, conn, principal, bsn)
        return {"bsn": bsn, "maanden": await _maanden(conn, lid.persoon, van, tot)}


async def versies(service: Service, principal: Principal, bsn: str) -> list:
    """Every version of every declaration of the person, superseded ones included (audit)."""
    async with service.db.transaction() as conn:
        lid = await _lid(service, conn, principal, bsn)
        return await repository.versies(conn, lid.persoon)


async def overschrijf(service: Service, principal: Principal, bsn: str, maand: Maand, loon: int, reden: str) -> dict:
    async with service.transaction() as conn:
        lid = await _lid(service, conn, principal, bsn)
        huidig = await polis(conn, lid, maand)
        await repository.zet_overschrijving(conn, lid.persoon, Overschrijving(maand, loon, reden, polis_versies(huidig)),
                                            principal.gemeente, principal.oin)
        await herbereken(service, conn, {lid.persoon: {maand}}, {lid.persoon: lid})
        return (await _maanden(conn, lid.persoon, maand, maand))[0]


async def trek_in(service: Service, principal: Principal, bsn: str, maand: Maand) -> dict:
    async with service.transaction() as conn:
        lid = await _lid(service, conn, principal, bsn)
        if not await repository.verwijder_overschrijving(conn, lid.persoon, maand):
            raise standard(404, "Voor deze maand is geen overschrijving vastgelegd.")
        await herbereken(service, conn, {lid.persoon: {maand}}, {lid.persoon: lid})
        return (await _maanden(conn, lid.persoon, maand, maand))[0]


async def beleid(service: Service, principal: Principal) -> Toerekening:
    async with service.db.transaction() as conn:
        return (await repository.beleid(conn, [principal.gemeente])).get(principal.gemeente, Toerekening.naar_rato)


async def zet_beleid(service: Service, principal: Principal, toerekening: Toerekening) -> None:
    """Sets the policy; the municipality's persons are recomputed in the background (a large
    municipality has tens of thousands), their changed months announced as usual."""
    async with service.transaction() as conn:
        await repository.zet_beleid(conn, principal.gemeente, toerekening)
        await repository.plan_herberekening(conn, principal.gemeente)
