"""A cursor carries a read's position in a URL unreadably, for the party it was sealed for, for a day."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl

import pytest
from fastapi import Response

from schakel.api import Problem
from schakel.api.cursor import GELDIG, Cursors

NU = datetime(2026, 11, 30, 10, tzinfo=UTC)
POSITIE = {"peildatum": "2026-11-30", "na": "999993653"}


def test_a_cursor_opens_to_its_position_for_its_party_within_a_day():
    cursors = Cursors(b"secret", "populatie")
    cursor = cursors.seal("oin-a", POSITIE, NU)
    assert "999993653" not in cursor and "2026" not in cursor
    assert cursors.open("oin-a", cursor, NU + timedelta(seconds=GELDIG), "vanaf", dict) == POSITIE


@pytest.mark.parametrize(
    "bedorven",
    [
        lambda c: ("oin-b", c, NU),  # another party's
        lambda c: ("oin-a", c, NU + timedelta(seconds=GELDIG + 1)),  # lapsed
        lambda c: ("oin-a", c[:-6] + ("A" if c[-6] != "A" else "B") + c[-5:], NU),  # altered
        lambda c: ("oin-a", "niet-base64!", NU),
        lambda c: ("oin-a", Cursors(b"other secret", "populatie").seal("oin-a", POSITIE, NU), NU),
        lambda c: ("oin-a", Cursors(b"secret", "other purpose").seal("oin-a", POSITIE, NU), NU),
    ],
)
def test_another_party_s_a_lapsed_an_altered_or_a_foreign_cursor_is_refused_alike(bedorven):
    cursors = Cursors(b"secret", "populatie")
    with pytest.raises(Problem) as refused:
        cursors.open(*bedorven(cursors.seal("oin-a", POSITIE, NU)), "vanaf", dict)
    assert (refused.value.status, refused.value.code) == (422, "ongeldige-cursor")
    assert [p.name for p in refused.value.invalid_params] == ["vanaf"]


def test_a_cursor_of_another_layout_is_refused_as_a_forged_one_is():
    """A cursor an earlier release sealed (another position) is a 422 on its field, never a 500."""
    cursors = Cursors(b"secret", "populatie")
    ouder = cursors.seal("oin-a", {"na": "999993653"}, NU)
    for lees in (lambda p: p["peildatum"], lambda p: date.fromisoformat(p["na"]), lambda p: p["na"][20]):
        with pytest.raises(Problem) as refused:
            cursors.open("oin-a", ouder, NU, "vanaf", lees)
        assert (refused.value.status, refused.value.code) == (422, "ongeldige-cursor")


def test_a_page_names_the_next_in_its_link_only_when_more_follow():
    cursors, response = Cursors(b"secret", "lijst"), Response()
    assert cursors.page(response, "oin-a", [1, 2, 3], 3, NU, lambda n: {"na": n}) == [1, 2, 3]
    assert "link" not in response.headers
    assert cursors.page(response, "oin-a", [1, 2, 3, 4], 3, NU, lambda n: {"na": n}) == [1, 2, 3]
    link = response.headers["link"]
    assert link.startswith("<?vanaf=") and link.endswith('&paginaGrootte=3>; rel="next"')
    vanaf = dict(parse_qsl(link[2 : link.index(">")]))["vanaf"]
    assert cursors.open("oin-a", vanaf, NU, "vanaf", dict) == {"na": 3}
