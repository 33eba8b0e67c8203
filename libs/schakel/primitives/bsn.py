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


GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def elfproef(digits: str) -> bool:
    """The 9-digit eleven test shared by BSN, RSIN and the fiscal number in a loonheffingennummer."""
    # one pass over the digits: every declaration takes it three times, for its BSN and its employer
    return sum(map(int.__mul__, GEWICHTEN, map(int, digits))) % 11 == 0


def met_controlecijfer(eerste_acht: str) -> str | None:
    """The nine digits that pass the elfproef and begin with these eight, or None where no ninth digit
    does (the weighted sum leaves 10). How test and demonstration data make BSNs nobody has on purpose."""
    cijfer = sum(map(int.__mul__, GEWICHTEN[:8], map(int, eerste_acht))) % 11
    return f"{eerste_acht}{cijfer}" if cijfer <= 9 else None
