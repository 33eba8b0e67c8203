"""When a flow needs an operator: the rules the console applies to what it reads."""

from __future__ import annotations

from enum import Enum

HEX = frozenset("0123456789abcdef")


class Status(str, Enum):
    bij = "bij"  # nothing waits
    verwerkt = "verwerkt"  # records wait and are being worked on
    stilstaand = "stilstaand"  # records wait and nothing takes them


ERNST = (Status.bij, Status.verwerkt, Status.stilstaand)  # a consumer group is as bad as its worst instance


def consumer_status(
    achterstand: int, niet_gereed: str | None, wachttijd: float | None, stil_na: float, sinds_commit: float | None
) -> tuple[Status, str | None]:
    """A consumer group with records waiting is stalled when its service is not ready (down, or a
    task keeps failing) or when its oldest fetched record has waited longer than `stil_na` seconds
    and it committed nothing for as long (`sinds_commit`, None: not since it started): one that
    catches up on old records commits batch after batch. The second value says why."""
    if achterstand == 0:
        return Status.bij, None
    if niet_gereed is not None:
        return Status.stilstaand, niet_gereed
    if wachttijd is not None and wachttijd > stil_na and (sinds_commit is None or sinds_commit > stil_na):
        return Status.stilstaand, f"het oudste record wacht al {wachttijd:.0f} s"
    return Status.verwerkt, None


def trace_id(traceparent: str | None) -> str | None:
    """The trace id of a W3C `traceparent` header; None for a missing or malformed one."""
    parts = (traceparent or "").split("-")
    if len(parts) != 4 or len(parts[1]) != 32 or not set(parts[1]) <= HEX or parts[1] == "0" * 32:
        return None
    return parts[1]


def gereedheid(instanties: list[tuple[str, str | None]]) -> str | None:
    """A service is ready when each of its instances (address, why not ready or None) is; else why
    not: one instance's reason as it is, of several how many and the first one's address and reason."""
    if not instanties:
        return "geen instantie gevonden"
    niet = [(adres, reden) for adres, reden in instanties if reden is not None]
    if not niet:
        return None
    if len(instanties) == 1:
        return niet[0][1]
    adres, reden = niet[0]
    return f"{len(niet)} van {len(instanties)} instanties niet gereed ({adres}: {reden})"
