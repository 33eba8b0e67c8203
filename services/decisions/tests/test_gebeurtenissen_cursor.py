"""The change feed's cursor (the route, on the in-memory ports): a follower reads on from where its last
page stood, also across a quiet spell longer than a cursor lives."""

from datetime import date, timedelta
from urllib.parse import parse_qs

from fastapi import Response

from decisions.domain.situatie import Huishouden, Situatie
from decisions.entrypoints.gebeurtenissen import lees_gebeurtenissen
from decisions.service import uitkeringen
from decisions.tests.fakes import ports
from decisions.tests.test_service import AMSTERDAM, GEBOREN, START
from schakel.api.cursor import Cursors
from schakel.events import models as events
from tests.support.builders import bsn

VANDAAG = date(2026, 11, 2)


async def lees(p, cursors, vanaf: str | None) -> tuple[list[dict], str | None]:
    response = Response()
    pagina = await lees_gebeurtenissen(p, cursors, AMSTERDAM, response, None, vanaf, 100)
    link = response.headers.get("Link")
    return pagina, None if link is None else parse_qs(link.removeprefix("<?").split(">")[0])["vanaf"][0]


async def test_an_empty_page_renews_the_cursor_so_a_quiet_feed_is_followed_past_a_day():
    p, _ = ports(VANDAAG)
    cursors = Cursors(b"sleutel" * 5, "decisions")
    alleen = Situatie(START, Huishouden.alleenstaand)
    await uitkeringen.open_uitkering(p, AMSTERDAM, bsn(), GEBOREN, START, alleen)
    [geopend], cursor = await lees(p, cursors, None)
    assert geopend["type"] == events.UitkeringGeopend.TYPE and cursor is not None

    for _ in range(3):  # nothing new for three days, polled twice a day
        p.clock.advance(timedelta(hours=12))
        pagina, cursor = await lees(p, cursors, cursor)
        assert pagina == [] and cursor is not None, "an empty page names where to read on, sealed anew"
        p.clock.advance(timedelta(hours=12))
        pagina, cursor = await lees(p, cursors, cursor)
        assert pagina == [] and cursor is not None

    tweede = await uitkeringen.open_uitkering(p, AMSTERDAM, bsn(), GEBOREN, START, alleen)
    [nieuw], _ = await lees(p, cursors, cursor)
    assert nieuw["uitkeringId"] == tweede.uitkering.uitkering_id
