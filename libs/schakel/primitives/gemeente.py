"""Gemeentecode: `GM` followed by the 4-digit CBS municipality number, e.g. GM0363 (Amsterdam)."""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERN = r"^GM[0-9]{4}$"


class InvalidGemeentecode(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Gemeentecode:
    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not re.fullmatch(PATTERN, self.value):
            raise InvalidGemeentecode("een gemeentecode is GM gevolgd door 4 cijfers, bijv. GM0363")

    def __str__(self) -> str:
        return self.value
