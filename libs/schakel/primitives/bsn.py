"""Burgerservicenummer: 9 digits that pass the elfproef (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 = 0 mod 11)."""

from __future__ import annotations


def why_invalid(value: str) -> str | None:
    """Why a value is not a BSN (in words that never repeat it), or None."""
    if not isinstance(value, str) or len(value) != 9 or not value.isascii() or not value.isdigit():
        return "een BSN bestaat uit precies 9 cijfers"
    if value == "000000000":
        return "000000000 is geen BSN"
    if not elfproef(value):
        return "het BSN voldoet niet aan de elfproef"
    return None


def elfproef(digits: str) -> bool:
    """The 9-digit eleven test shared by BSN, RSIN and the fiscal number in a loonheffingennummer."""
    d = [int(c) for c in digits]
    return (sum(w * x for w, x in zip(range(9, 1, -1), d[:8], strict=True)) - d[8]) % 11 == 0
