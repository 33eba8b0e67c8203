"""Which cases a caller may see: a municipality its own cases (and change them), a citizen their
own, as the applicant or as the partner in the case's household as it stands today (a couple's
bijstand is the household's, Participatiewet art. 4 and 11); any other case is "not found". A
partner sees the case from the day they joined the household, and its months from the first settled
with them (a month settles with the household of its first day): before it the case was another
household's (a former partner's situation, health or income is not theirs to know). The person of
a case looked at is a subject of the processing, and so are the partners whose income its household's
case shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from decisions.domain.fouten import Onbekend
from decisions.domain.situatie import Situatie, partnerperioden
from decisions.domain.uitkering import Uitkering
from decisions.service.ports import Ports, UnitOfWork, Vastgesteld
from schakel import logboek
from schakel.caller import Caller, Rol
from schakel.primitives import Maand, verrekend_vanaf


def mag_zien(caller: Caller, uitkering: Uitkering) -> bool:
    if caller.rol is Rol.burger:
        return uitkering.bsn == caller.bsn
    return uitkering.gemeentecode == caller.gemeente


async def partner_sinds(ports: Ports, uow: UnitOfWork, caller: Caller, uitkering: Uitkering) -> date | None:
    """The day a citizen joined the case's household, when they are its partner today (on an ended
    case: at its end; on one that has yet to start: at its start); else None. A former partner is not,
    nor one a change names from a later day."""
    if caller.rol is not Rol.burger or caller.bsn is None:
        return None
    situaties = (await uow.situaties.van_alle([uitkering.uitkering_id]))[uitkering.uitkering_id]
    periode = partner_periode(uitkering, situaties, caller.bsn, ports.clock.today())
    return None if periode is None else periode[0]


def partner_periode(
    uitkering: Uitkering, situaties: list[Situatie], bsn: str, vandaag: date
) -> tuple[date, date | None] | None:
    """`partner_sinds` of the citizen with this BSN, with the last day of their period today (None:
    open): a change recorded for a later day, naming someone else or no one, is after it."""
    dag = max(uitkering.startdatum, min(vandaag, uitkering.einddatum or date.max))
    perioden = [(van, tot) for b, van, tot in partnerperioden(situaties, uitkering.einddatum) if b == bsn]
    nu = next((i for i, (van, tot) in enumerate(perioden) if van <= dag <= (tot or dag)), None)
    if nu is None:
        return None
    tot = perioden[nu][1]
    # one who left and came back with no month settled without them between (back within the month) has
    # belonged to the household since the period before, unless someone else was its partner meanwhile
    while nu and _aaneen(perioden[nu - 1], perioden[nu], uitkering.startdatum, situaties):
        nu -= 1
    return perioden[nu][0], tot


def _aaneen(
    eerder: tuple[date, date | None], later: tuple[date, date | None], startdatum: date, situaties: list[Situatie]
) -> bool:
    tot = eerder[1]
    assert tot is not None, "a period before another has ended"
    volgende_maand = Maand.van(tot).volgende().eerste_dag
    # a partner named between the two is someone else (with a BSN or, stored long ago, without one)
    tussen = any(s.partner is not None and tot < s.ingangsdatum < later[0] for s in situaties)
    return verrekend_vanaf(later[0], startdatum) <= volgende_maand and not tussen


def vanaf_maand(maand: Maand, vanaf: date | None, startdatum: date) -> bool:
    """Whether a month is within sight of a caller whose sight begins `vanaf` (None: all of it). A
    month is settled with the household of its first day (or of the case's start), so a partner who
    joined later in a month sees the months from the next: that one was another household's."""
    return vanaf is None or max(maand.eerste_dag, startdatum) >= vanaf


def in_zicht(
    vastgesteld: Mapping[Maand, Vastgesteld], vanaf: date | None, startdatum: date
) -> dict[Maand, Vastgesteld]:
    """The settlements within sight of a caller whose sight begins `vanaf` (None: all of them). What a
    back-payment paid off stays whole (it is the household's money), but a claim's source month before
    their sight is not named; a partner reads the explanations told to them."""
    if vanaf is None:
        return dict(vastgesteld)
    zicht = {}
    for maand, v in vastgesteld.items():
        if vanaf_maand(maand, vanaf, startdatum):
            later = {m: b for m, b in v.verrekend.items() if vanaf_maand(m, vanaf, startdatum)}
            eerder = v.verrekend_eerder + sum(v.verrekend.values()) - sum(later.values())
            zicht[maand] = replace(v, verrekend=later, verrekend_eerder=eerder, voor_partner=True)
    return zicht


async def inzage(ports: Ports, uow: UnitOfWork, caller: Caller, uitkering_id: str) -> tuple[Uitkering, date | None]:
    """The case the caller may see, and the day their sight of it begins (None: all of it)."""
    uitkering = await uow.uitkeringen.get(uitkering_id)
    vanaf = (
        None if uitkering is None or mag_zien(caller, uitkering) else await partner_sinds(ports, uow, caller, uitkering)
    )
    if uitkering is not None:  # a look refused is on the person's record too (the answer stays the same)
        logboek.noteer_bsn(uitkering.bsn)
    # another's case is "not found": its existence is not theirs to know
    if uitkering is None or not (mag_zien(caller, uitkering) or vanaf is not None):
        raise Onbekend("Deze uitkering bestaat niet of hoort niet bij uw gemeente.")
    # the case is the household's (Participatiewet art. 4): what is read of it (settlements, the account,
    # judgements) holds its partners' income too; a partner sees only their own period, not a former partner's
    if vanaf is None:
        partners = {s.partner.bsn for s in await uow.situaties.van(uitkering_id) if s.partner and s.partner.bsn}
    else:
        assert caller.bsn is not None, "a partner's sight is of the citizen asking"
        partners = {caller.bsn}
    for bsn in sorted(partners):
        logboek.noteer_gezinslid(bsn)
    return uitkering, vanaf


async def eigen(ports: Ports, uow: UnitOfWork, caller: Caller, uitkering_id: str) -> Uitkering:
    return (await inzage(ports, uow, caller, uitkering_id))[0]


async def vergrendeld(ports: Ports, uow: UnitOfWork, caller: Caller, uitkering_id: str) -> Uitkering:
    """`eigen`, for a change: the case is held first, so a change of it alongside (another caseworker,
    a settlement on another instance) is read and built on, not overwritten."""
    await uow.uitkeringen.vergrendel([uitkering_id])
    return await eigen(ports, uow, caller, uitkering_id)


async def van_burger(ports: Ports, uow: UnitOfWork, caller: Caller) -> list[tuple[Uitkering, date | None]]:
    """The cases a citizen may see, as the applicant or as the partner today, each with the day their
    sight of it begins (None: all of it)."""
    assert caller.bsn, "a citizen's own"
    result = []
    for u in await uow.uitkeringen.van_huishoudens({ports.pseudonym(caller.bsn)}):
        vanaf = None if u.bsn == caller.bsn else await partner_sinds(ports, uow, caller, u)
        if u.bsn == caller.bsn or vanaf is not None:
            result.append((u, vanaf))
    return result
