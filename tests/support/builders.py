"""Small builders for test data."""

from __future__ import annotations

import random

_rng = random.Random()


def bsn() -> str:
    """A random BSN that passes the elfproef (never a real person's on purpose: test data only)."""
    while True:
        digits = [_rng.randint(0, 9) for _ in range(8)]
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
        if last <= 9 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def uitkering(bsn_: str | None = None, **overrides) -> dict:
    return {
        "bsn": bsn_ or bsn(),
        "geboortedatum": "1990-05-01",
        "startdatum": "2026-01-01",
        "huishouden": "alleenstaand",
        **overrides,
    }


UWV = "urn:nld:oin:00000001003214345000:systeem:doelgroepregister"


def registratie(bsn_: str, event_type: str, gemeentecode: str = "GM0599", **data):
    """A doelgroepregister mutation as UWV publishes it on Kafka."""
    from schakel.events import Event
    from tests.support.stack import pseudonym

    return Event(
        type=f"nl.banenafspraak.doelgroepregistratie.{event_type}",
        source=UWV,
        key=pseudonym(bsn_),
        data={"bsn": bsn_, "gemeentecode": gemeentecode, **data},
    )
