"""An ended case's window reuses the situation on its end: a change of it afterwards (a partner's birth
date typed wrong, corrected with `_wijzig` on the situation's own date, as the contract says) is
announced with the end again, so a re-application reuses the corrected situation."""

from datetime import date

from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.service import uitkeringen
from decisions.tests.fakes import ports
from decisions.tests.test_service import AMSTERDAM, BEEINDIGD, BSN, GEBOREN, PARTNER, START, VANDAAG, inkomens


def gehuwd(partner_geboren: date) -> Situatie:
    return Situatie(START, Huishouden.gehuwd, partner=Partner(PARTNER, partner_geboren))


async def beeindigd_paar():
    """A couple's case (the partner born 1 January 1991), January settled, ended on 28 February."""
    p, uow = ports(VANDAAG)
    p.brp.personen[PARTNER] = "GM0363"
    zaak = await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, gehuwd(date(1991, 1, 1)))
    uitkering_id = zaak.uitkering.uitkering_id
    await inkomens(p, ("2026-01", 50000))
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 2, 28), Reden.werk)
    return p, uow, uitkering_id


async def test_a_partner_s_birth_date_corrected_on_an_ended_case_is_what_the_window_reuses():
    p, uow, uitkering_id = await beeindigd_paar()
    voor = len(uow.published)

    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, gehuwd(date(1992, 2, 2)))

    [einde] = [e for e in uow.published[voor:] if e.type == BEEINDIGD]
    assert (einde.data["einddatum"], einde.data["vorigeEinddatum"]) == ("2026-02-28", "2026-02-28")
    assert einde.data["hergebruik"]["situatie"]["partner"]["geboortedatum"] == "1992-02-02"
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, gehuwd(date(1992, 2, 2)))
    assert len([e for e in uow.published[voor:] if e.type == BEEINDIGD]) == 1, "the same situation again: nothing"


async def test_the_same_situation_from_another_day_before_the_end_announces_no_end_again():
    """What the window reuses is the situation's content: the same household recorded again from a later
    day before the end changes none of it, so no `uitkering.beeindigd` follows (webhooks hear no end twice)."""
    p, uow, uitkering_id = await beeindigd_paar()
    voor = len(uow.published)

    zelfde = Situatie(date(2026, 2, 1), Huishouden.gehuwd, partner=Partner(PARTNER, date(1991, 1, 1)))
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, zelfde)

    assert [e for e in uow.published[voor:] if e.type == BEEINDIGD] == []
