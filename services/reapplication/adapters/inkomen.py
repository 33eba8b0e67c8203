"""The polis, asked of the income service when someone re-applies."""

from __future__ import annotations

from reapplication.domain.inkomen import Bijdrage, LaatsteInkomen, maandinkomen
from schakel.bron import Bron
from schakel.caller import Caller
from schakel.primitives import Maand

ONBEREIKBAAR = "Het inkomen (de polis) is nu niet op te vragen; probeer het later opnieuw."


class IncomeApi:
    """The Polis port: income's `POST /maandinkomens/_zoek` (the BSN in the body), asked with the
    caller's own token. Income then answers exactly what the municipality itself may see (its running
    benefit or open re-application window, doelbinding "eigen-dossier") and records the question as
    the municipality's in its processing log; a person it does not see for the caller is a 404."""

    def __init__(self, bron: Bron) -> None:
        self._bron = bron

    async def maanden(self, caller: Caller, bsn: str, van: Maand, tot: Maand) -> list[LaatsteInkomen] | None:
        assert caller.token, "asked on behalf of an authenticated caller"
        antwoord = await self._bron.post(
            "/maandinkomens/_zoek",
            {"bsn": bsn, "vanMaand": str(van), "totMaand": str(tot)},
            {"Authorization": f"Bearer {caller.token}"},
            none_if_404=True,
        )
        if antwoord is None:
            return None
        return [
            maandinkomen(
                m["maand"],
                m["nettoInkomen"],
                [Bijdrage(b["nettoInkomen"], b["eindeInkomstenverhouding"] is not None) for b in m["bijdragen"]],
            )
            for m in antwoord["maanden"]
        ]
