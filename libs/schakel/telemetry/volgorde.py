"""Saying that a consumer skipped older state (schakel.primitives.volgorde): a log line with the
event type and the two numbers, never the person, and the metric."""

from __future__ import annotations

import logging

from schakel.telemetry import metrics

log = logging.getLogger("schakel.volgorde")


def superseded(event_type: str, incoming: int | None, applied: int | None, *, forgotten: bool = False) -> None:
    """`forgotten`: what the event is about was forgotten by retention after the sequence `applied`."""
    why = (
        "its subject was forgotten by retention (after sequence %s)"
        if forgotten
        else "newer state (sequence %s) applied already"
    )
    log.info(f"%s with sequence %s skipped: {why}", event_type, incoming, applied)
    metrics.EVENTS_SUPERSEDED.labels(event_type, "forgotten" if forgotten else "newer").inc()
