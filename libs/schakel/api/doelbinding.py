"""Which callers an operation that takes a BSN answers about a person (doelbinding), stated in the
contract as `x-doelbinding` so integrators can read it and the cross-municipality tests can try
it: `regel` is one of REGELS, `toelichting` says why in words (the legal task where there is one)."""

from __future__ import annotations

from typing import Any

REGELS = {
    # a municipality acts only for a person the BRP registers in it; anyone else is answered as an
    # unknown person (same status, same body, nothing stored)
    "woongemeente",
    # a municipality sees a person only through its own case or re-application window, and only
    # for their periods; anyone else is answered as an unknown person
    "eigen-dossier",
    # a citizen sees only their own data, the person their DigiD token names (AVG art. 15); another
    # person's case is answered as one that does not exist
    "betrokkene",
    # the law gives the caller this task for any person (UWV's notifications, a provider's
    # delivery for its contracted municipalities): not answered as an unknown person
    "wettelijke-taak",
}


def doelbinding(regel: str, toelichting: str) -> dict[str, Any]:
    """The `openapi_extra` part that states the operation's rule; merge it with the examples (`|`)."""
    assert regel in REGELS, regel
    return {"x-doelbinding": {"regel": regel, "toelichting": toelichting}}
