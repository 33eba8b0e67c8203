"""The polis, asked of the income service when someone re-applies."""

from __future__ import annotations

import logging
import re

from reapplication.domain.inkomen import ONBEKEND, LaatsteInkomen, Polis
from schakel.bron import Bron
from schakel.caller import Caller
from schakel.errors import Unavailable

log = logging.getLogger(__name__)
MAAND = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
ONBEREIKBAAR = "Het inkomen (de polis) is nu niet op te vragen; probeer het later opnieuw."


class IncomeApi:
    """The Inkomen port: income's `POST /maandinkomens/_laatste` (the BSN in the body), asked with the
    caller's own token. Income then answers exactly what the municipality itself may see (its running
    benefit or open re-application window, doelbinding "eigen-dossier"), only the latest month and
    whether its employments ended, and records the question as the municipality's, for the
    re-application, in its processing log; a person it does not see for the caller is a 404."""

    def __init__(self, bron: Bron) -> None:
        self._bron = bron

    async def laatste(self, caller: Caller, bsn: str) -> Polis:
        assert caller.token, "asked on behalf of an authenticated caller"
        return await self._bron.post(
            "/maandinkomens/_laatste",
            {"bsn": bsn},
            {"Authorization": f"Bearer {caller.token}"},
            none_if_404=True,
            lees=_polis,
        )


def _polis(antwoord: object) -> Polis:
    if antwoord is None:
        return ONBEKEND
    m = antwoord.get("laatsteMaand", ...) if isinstance(antwoord, dict) else ...
    if m is None:
        return Polis(True)  # known, no month with polis data
    if (
        isinstance(m, dict)
        and isinstance(maand := m.get("maand"), str)
        and MAAND.fullmatch(maand)
        and type(netto := m.get("nettoInkomen")) is int  # JSON true is no amount
        and isinstance(beeindigd := m.get("inkomstenverhoudingenBeeindigd"), bool)
    ):
        return Polis(True, LaatsteInkomen(maand, netto, beeindigd))
    log.warning("income answered in another shape")  # as good as no answer: never a guess
    raise Unavailable(ONBEREIKBAAR)
