"""The grounds of an earnings exemption (vrijlating) as a citizen reads them: the law's letter of
art. 31 lid 2 Participatiewet (or art. 34a's regime) is what the events carry; a letter alone tells
a reader nothing. Said of no one in particular: the same words serve the person and their partner."""

from __future__ import annotations

NAMEN: dict[str, str] = {
    "n": "vrijlating voor wie aan het werk gaat (artikel 31 lid 2 onder n)",
    "r": "vrijlating voor een alleenstaande ouder met een kind jonger dan 12 (artikel 31 lid 2 onder r)",
    "y": "vrijlating voor wie medisch minder uren kan werken (artikel 31 lid 2 onder y)",
    "z": "vrijlating bij werk met loonkostensubsidie (artikel 31 lid 2 onder z)",
    "aa": "vrijlating bij blijvend werk met loonkostensubsidie (artikel 31 lid 2 onder aa)",
    "werk": "vrijlating op inkomen uit werk (artikel 34a)",
    "medisch": "vrijlating voor wie medisch minder uren kan werken (artikel 34a)",
    "aow": "vrijlating bij de AOW-leeftijd (artikel 34a)",
}


def naam(grond: str) -> str:
    """The ground in words; an unknown one as the law's letter, rather than nothing."""
    return NAMEN.get(grond, f"vrijlating onder {grond}")
