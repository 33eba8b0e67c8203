"""A couple's household (Participatiewet art. 4, 11): the partners decisions names with a case are in
income's population for their period in it (doelbinding: only then, only for that), so that their
polis income is kept, established per month and announced like the applicant's."""

from dataclasses import replace
from datetime import date

import pytest

from income.domain.fouten import MaandBuitenUitkering
from income.entrypoints import consumers
from income.service import aangiften, inzage, populatie
from income.tests.fakes import ports
from income.tests.test_service import LEVERANCIER, UITKERING, aangifte
from schakel.caller import Caller, Rol
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import received

VANDAAG = date(2029, 6, 15)
BSN, PARTNER = "999993653", "999990019"
ZAAK = {"uitkeringId": UITKERING, "bsn": BSN, "gemeentecode": "GM0363"}
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")


async def personen(p) -> list[str]:
    return [bsn for bsn, _ in (await populatie.leden(p, LEVERANCIER, None, 1, 10)).personen]


def periode(tot: date | None = None) -> events.Partnerperiode:
    return events.Partnerperiode(bsn=PARTNER, vanaf=date(2029, 1, 1), tot=tot)


def geopend(*partners: events.Partnerperiode) -> events.UitkeringGeopend:
    return events.UitkeringGeopend(
        **ZAAK, geboortedatum=date(1990, 5, 1), startdatum=date(2029, 1, 1), partners=list(partners)
    )


def gewijzigd(ingangsdatum: date, huishouden: str, *partners: events.Partnerperiode) -> events.UitkeringGewijzigd:
    return events.UitkeringGewijzigd(
        **ZAAK,
        ingangsdatum=ingangsdatum,
        huishouden=huishouden,
        kostendelers=0,
        medischUrenbeperkt=False,
        loonkostensubsidie=False,
        partners=list(partners),
    )


def genummerd(data, volgnummer: int | None = None):
    """As decisions sends it, under the applicant's key, with its sequence number."""
    return replace(received(f"p-{BSN}", data), sequence=volgnummer)


async def test_the_partner_is_in_the_population_for_their_period_in_the_case():
    p, uow = ports(VANDAAG)
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    await consumers.on_uitkering_geopend(joined).handle(None, [genummerd(geopend(periode()))])
    assert await personen(p) == [PARTNER, BSN]  # by BSN

    # the partner's wage becomes their monthly income, of its kind, announced under their own key
    _, antwoord = await aangiften.lever(p, LEVERANCIER, "l-1", [aangifte(PARTNER, Maand(2029, 5))], "v-1")
    assert antwoord["aantallen"]["geaccepteerd"] == 1
    [event] = uow.published
    assert (event.key, event.data["bsn"], event.data["huidige"]["arbeidsinkomen"]) == (f"p-{PARTNER}", PARTNER, 130000)
    # the case's municipality reads the partner's months of the case
    maanden = await inzage.zoek(p, AMSTERDAM, PARTNER, Maand(2029, 1), Maand(2029, 6))
    assert [str(v.maand) for v, _ in maanden] == ["2029-05"]

    # the household changes: the partner left at the end of May; then the case ends
    weg = periode(date(2029, 5, 31))
    alleen = gewijzigd(date(2029, 6, 1), "alleenstaand", weg)
    await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(alleen))
    assert await personen(p) == [BSN], "the partner left the population"

    ouder = alleen.model_copy(update={"partners": None})  # an event from before 2.1.0 changes nothing
    await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(ouder))
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 5, 31)
    beeindigd = events.UitkeringBeeindigd(**ZAAK, einddatum=date(2029, 4, 30), reden="werk")
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(beeindigd))  # from before 2.6.0
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 4, 30), "no longer than the case"
    beeindigd = beeindigd.model_copy(update={"partners": [periode(date(2029, 4, 30))]})  # the household in full
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(beeindigd, 6))
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 4, 30)

    # the end corrected to a later day: the partner's period is as decisions states it in full again
    gecorrigeerd = beeindigd.model_copy(
        update={"einddatum": date(2029, 5, 31), "vorigeEinddatum": date(2029, 4, 30), "partners": [weg]}
    )
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(gecorrigeerd, 7))
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 5, 31)
    assert uow.populatie.uitkeringen[UITKERING].tot == date(2029, 5, 31)

    # the first end replayed from the dead-letter topic (a lower number) undoes nothing
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(beeindigd, 6))
    ouder = gewijzigd(date(2029, 3, 1), "gehuwd", periode(date(2029, 2, 28)))  # and an older household, replayed
    await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(ouder, 5))
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 5, 31)
    assert uow.populatie.uitkeringen[UITKERING].tot == date(2029, 5, 31)


async def test_an_opening_or_a_window_replayed_after_a_newer_one_undoes_nothing():
    p, uow = ports(VANDAAG)
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    await consumers.on_uitkering_geopend(joined).handle(None, [genummerd(geopend(periode()), 1)])
    await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(gewijzigd(date(2029, 3, 1), "alleenstaand"), 2))
    await consumers.on_uitkering_geopend(joined).handle(None, [genummerd(geopend(periode()), 1)])
    assert uow.populatie.partners[UITKERING] == [], "the partner who left does not come back"

    def termijn(geldig_tot: date, volgnummer: int):
        return genummerd(
            events.HeraanvraagtermijnGeopend(**ZAAK, einddatum=date(2029, 4, 30), geldigTot=geldig_tot), volgnummer
        )

    await consumers.on_termijn_geopend(joined)(None, termijn(date(2030, 4, 30), 3))
    await consumers.on_termijn_geopend(joined)(None, termijn(date(2030, 5, 31), 4))  # the end corrected
    await consumers.on_termijn_geopend(joined)(None, termijn(date(2030, 4, 30), 3))  # the first, replayed
    assert uow.populatie.termijnen[UITKERING].geldig_tot == date(2030, 5, 31)


async def test_an_end_from_before_2_6_0_neither_undoes_a_correction_nor_lets_a_partner_outlast_the_case():
    p, uow = ports(VANDAAG)
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    await consumers.on_uitkering_geopend(joined).handle(None, [genummerd(geopend(periode()), 1)])
    oud = events.UitkeringBeeindigd(**ZAAK, einddatum=date(2029, 4, 30), reden="werk")  # no household stated
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(oud, 3))
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 4, 30)

    # a household change from before the end, replayed: its partner's period runs on, the case does not
    await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(gewijzigd(date(2029, 3, 1), "gehuwd", periode()), 2))
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 4, 30)

    # corrected since (2.6.0): the old end replayed once more leaves the correction
    update = {
        "einddatum": date(2029, 5, 31),
        "vorigeEinddatum": date(2029, 4, 30),
        "partners": [periode(date(2029, 5, 31))],
    }
    gecorrigeerd = oud.model_copy(update=update)
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(gecorrigeerd, 5))
    await consumers.on_uitkering_beeindigd(joined)(None, genummerd(oud, 3))
    assert uow.populatie.uitkeringen[UITKERING].tot == date(2029, 5, 31)
    assert uow.populatie.partners[UITKERING][0].tot == date(2029, 5, 31)


async def test_the_municipality_reads_a_partner_who_joined_within_a_month_from_the_next():
    """Decisions settles March with the household of 1 March: the partner who joined on 16 March is
    settled from April, and their March income is not the case municipality's to read or override."""
    p, _ = ports(VANDAAG)
    joined = lambda conn: p  # noqa: E731 - the fakes have no connection to join
    await consumers.on_uitkering_geopend(joined).handle(None, [genummerd(geopend(), 1)])
    erbij = events.Partnerperiode(bsn=PARTNER, vanaf=date(2029, 3, 16))
    await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(gewijzigd(date(2029, 3, 16), "gehuwd", erbij), 2))
    for maand in (Maand(2029, 3), Maand(2029, 4)):
        await aangiften.lever(p, LEVERANCIER, f"l-{maand}", [aangifte(PARTNER, maand)], f"v-{maand}")

    maanden = await inzage.zoek(p, AMSTERDAM, PARTNER, Maand(2029, 1), Maand(2029, 6))
    assert [str(v.maand) for v, _ in maanden] == ["2029-04"]
    with pytest.raises(MaandBuitenUitkering):
        await inzage.overschrijf(p, AMSTERDAM, PARTNER, Maand(2029, 3), 0, "geen loon in maart")
    laatste = await inzage.laatste(p, AMSTERDAM, PARTNER)
    assert laatste is not None and str(laatste.maand) == "2029-04"


async def test_a_partner_a_correction_took_out_of_the_household_is_forgotten_after_their_months(tmp_path):
    """No case, partner's period or window holds them any more, so their polis and months stayed for
    ever; now each row goes `retentie_maanden` after its month (daily), and their outbox numbering
    with the last of them, while the applicant's running case keeps the applicant's."""
    import sqlalchemy as sa

    from income.adapters.repository import UnitOfWork
    from schakel.clock import FixedClock
    from schakel.messaging.tables import outbox_sequences
    from tests.support.opslag import gemigreerd

    for fake in (True, False):
        p, db = ports(VANDAAG)[0], None
        if not fake:
            db, service = await gemigreerd(tmp_path / "sql", "income")
            p = replace(p, uow=lambda service=service: UnitOfWork(service))
        joined = lambda conn, p=p: p  # noqa: E731 - the fakes have no connection to join
        await consumers.on_uitkering_geopend(joined).handle(None, [genummerd(geopend(periode()), 1)])
        maand = Maand(2029, 5)
        await aangiften.lever(p, LEVERANCIER, "l-1", [aangifte(BSN, maand), aangifte(PARTNER, maand)], "v")
        # single from the start after all: the partner was never in the household
        await consumers.on_uitkering_gewijzigd(joined)(None, genummerd(gewijzigd(date(2029, 1, 1), "alleenstaand"), 2))

        assert await populatie.opschonen(replace(p, clock=FixedClock(date(2031, 1, 1))), 12) == 0, "the case runs"
        # mid-May 2030: the line's period began over 12 months ago, but it goes with its month
        assert await populatie.vergeet_los(replace(p, clock=FixedClock(date(2030, 5, 15))), 12) == 0
        assert await populatie.vergeet_los(replace(p, clock=FixedClock(date(2030, 6, 1))), 12) == 2, fake
        async with p.uow() as uow:
            assert not await uow.maandinkomens.van([p.pseudonym(PARTNER)])
            assert await uow.maandinkomens.van([p.pseudonym(BSN)]), "the running case keeps the applicant's"
            assert not (await uow.polisregels.actueel({p.pseudonym(PARTNER): PARTNER}))[p.pseudonym(PARTNER)]
        if db is not None:
            async with db.transaction() as conn:
                sleutels = set((await conn.execute(sa.select(outbox_sequences.c.key))).scalars())
            assert p.pseudonym(BSN) in sleutels and p.pseudonym(PARTNER) not in sleutels
            await db.dispose()
