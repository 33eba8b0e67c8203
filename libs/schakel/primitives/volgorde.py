"""Per person order across instances: every event Schakel's services send carries its place among
its source's events about the same person (the CloudEvents `sequence`, given by the outbox). A
consumer that keeps state from such events remembers the number it applied, and applies only newer
state: a record that arrives late (published again after a crash, or replayed from a dead-letter
topic) cannot overwrite what a later event already set."""

from __future__ import annotations


def is_newer(incoming: int | None, applied: int | None) -> bool:
    """Whether state from event number `incoming` replaces state from number `applied` (both of one
    source and person). An unnumbered event (an outside party's, or one sent before numbering began)
    is applied as before, and so is any event over unnumbered state; the same number again is not newer."""
    return incoming is None or applied is None or incoming > applied
