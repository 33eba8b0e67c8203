"""A cursor carries a read's position in a URL unreadably, for the party it was sealed for, for a day."""

from datetime import UTC, datetime, timedelta

import pytest

from schakel.api import Problem
from schakel.api.cursor import GELDIG, Cursors

NU = datetime(2026, 11, 30, 10, tzinfo=UTC)
POSITIE = {"peildatum": "2026-11-30", "na": "999993653"}


def test_a_cursor_opens_to_its_position_for_its_party_within_a_day():
    cursors = Cursors(b"secret", "populatie")
    cursor = cursors.seal("oin-a", POSITIE, NU)
    assert "999993653" not in cursor and "2026" not in cursor
    assert cursors.open("oin-a", cursor, NU + timedelta(seconds=GELDIG), "vanaf") == POSITIE


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
        cursors.open(*bedorven(cursors.seal("oin-a", POSITIE, NU)), "vanaf")
    assert (refused.value.status, refused.value.code) == (422, "ongeldige-cursor")
    assert [p.name for p in refused.value.invalid_params] == ["vanaf"]
