"""The toeslagen signal (domain/toeslagen.py): after a case's months are settled, a year whose
expected income moved by more than the threshold is announced as `toeslageninkomen.gewijzigd`, in
the same unit of work as the settlements; and the current estimate per year for the person and the
municipality."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from decisions.domain import toeslagen as t
from decisions.domain.uitkering import Uitkering
from decisions.domain.verrekening import Verrekening
from decisions.service.ports import Opgeslagen, Ports, UnitOfWork
from decisions.service.toegang import inzage, vanaf_maand
from decisions.service.webhooks import bericht
from schakel.caller import Caller
from schakel.events import Event
from schakel.events import models as m
from schakel.primitives import Maand


def schatting_van(s: t.Schatting) -> m.Inkomensschatting:
    return m.Inkomensschatting(
        vanMaand=str(s.maanden[0].maand),
        totMaand=str(s.maanden[-1].maand),
        fiscaalLoon=s.loon,
        bijstand=s.bijstand,
        bijstandNettoMaanden=s.netto_maanden,
        restVanHetJaar=s.rest,
        jaarinkomen=s.jaarinkomen,
    )


def _met_partner(verrekeningen: Iterable[Verrekening]) -> bool:
    return any(v.partner is not None for v in verrekeningen)


def signaleer(
    ports: Ports,
    uow: UnitOfWork,
    uitkering: Uitkering,
    opgeslagen: Mapping[Maand, Opgeslagen],
    nieuw: list[Verrekening],
    aanleiding: list[Maand],
) -> list[Event]:
    """The signals for the years the new settlements move from the stored months' incomes,
    `aanleiding` the months settled for the first time or revised (the events to publish with them):
    only the months of their years are looked at, a stored one's income read from its stored form.
    Whether the estimate is a couple's: a month of that year, as the settlements stand now, had a
    partner."""
    jaren = {maand.jaar for maand in aanleiding}
    vorige = {maand: o.maandinkomen for maand, o in opgeslagen.items() if maand.jaar in jaren}
    nu = {v.maand: t.maandinkomen(v) for v in nieuw if v.maand.jaar in jaren}
    return [
        bericht(
            uow,
            m.ToeslageninkomenGewijzigd,
            uitkering,
            ports.pseudonym(uitkering.bsn),
            jaar=s.na.jaar,
            verrekendeMaanden=[str(maand) for maand in s.aanleiding],
            voor=schatting_van(s.voor),
            na=schatting_van(s.na),
            verschil=s.verschil,
            drempel=s.drempel,
            uitleg=t.uitleg(s, any(maand.partner for maand in s.na.maanden)),
            stap=t.STAP,
        )
        for s in t.signalen(vorige, nu, aanleiding, uitkering.einddatum, ports.parameters)
    ]


async def lees(ports: Ports, caller: Caller, uitkering_id: str) -> list[tuple[t.Schatting, str]]:
    """The estimate of each year the case has settled months in, with how it was made; its partner's
    from the months settled with them in the household only (those before were another household's
    income: the explanation asks them to add their and their partner's income of those months). A
    month is settled with the household of its first day (of the case's), so one they joined later in
    is not theirs."""
    async with ports.uow() as uow:
        uitkering, vanaf = await inzage(ports, uow, caller, uitkering_id)
        verrekeningen = [
            v.verrekening
            for v in (await uow.verrekeningen.van(uitkering_id)).values()
            if vanaf_maand(v.verrekening.maand, vanaf, uitkering.startdatum)
        ]
    partner, result = _met_partner(verrekeningen), []
    for jaar in sorted({v.maand.jaar for v in verrekeningen}):
        s = t.jaarschatting(jaar, verrekeningen, uitkering.einddatum, ports.parameters)
        if s is not None:
            result.append((s, t.toelichting(s, partner)))
    return result
