"""How long registration keeps a person's participation facts (AVG art. 5 lid 1 onder e). Unlike a
benefit, these facts are the person's way back (Simpel Switchen): a sleeping beschut werk advice,
a Wajong right that can revive, a WIA guarantee, a valid dagbesteding indication. So they are kept
while the person's status runs or any fallback holds, whatever happens to their bijstand, and
forgotten a number of months after the last of it ended (schakel.primitives.bewaring)."""

from __future__ import annotations

from datetime import date

from registration.domain.deelname import Feit, vouw
from schakel.primitives.bewaring import AFGELOPEN


def einde(feiten: list[Feit]) -> date | None:
    """The last day the facts give the person anything: the last fact's date, or the end of the
    last fallback after it; None while a status runs or a fallback holds without an end."""
    laatst = max(f.datum for f in feiten)
    toestand = vouw(feiten, laatst)
    tots = [o["tot"] for o in toestand.terugvalopties]
    if toestand.status not in AFGELOPEN or None in tots:
        return None
    return max([laatst, *(t for t in tots if t is not None)])
