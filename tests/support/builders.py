"""Small builders for test data."""

from __future__ import annotations

import random

from schakel.primitives.bsn import met_controlecijfer

_rng = random.Random()
# every BSN handed out in this process: a test's persons are distinct (2.100 random ones share
# one in about 40 runs, and a second declaration for a person counts as a repeat)
_UITGEGEVEN: set[str] = set()
# the test persons of the BRP stand-in (tests.support.stack): BSN -> municipality of residence
INGESCHREVEN: dict[str, str] = {}


def bsn(woont_in: str | None = "GM0363") -> str:
    """A random BSN that passes the elfproef (never a real person's on purpose: test data only), a
    test person the BRP stand-in registers in `woont_in` (None: a person the BRP does not know); never
    the same one twice in a process."""
    while True:
        nummer = met_controlecijfer(str(_rng.randint(10_000_000, 99_999_999)))
        if nummer and nummer not in _UITGEGEVEN:
            _UITGEGEVEN.add(nummer)
            if woont_in:
                INGESCHREVEN[nummer] = woont_in
            return nummer


def uitkering(bsn_: str | None = None, **overrides) -> dict:
    return {
        "bsn": bsn_ or bsn(),
        "geboortedatum": "1990-05-01",
        "startdatum": "2026-01-01",
        "huishouden": "alleenstaand",
        **overrides,
    }


UWV = "urn:nld:oin:00000001003214345000:systeem:doelgroepregister"


def registratie(bsn_: str, event_type: str, gemeentecode: str = "GM0363", **data):
    """A doelgroepregister mutation as UWV publishes it on Kafka, naming the municipality `bsn()`
    registers its person in by default (registration refuses another)."""
    from schakel.events import Event
    from tests.support.stack import pseudonym

    return Event(
        type=f"nl.banenafspraak.doelgroepregistratie.{event_type}",
        source=UWV,
        key=pseudonym(bsn_),
        data={"bsn": bsn_, "gemeentecode": gemeentecode, **data},
    )
