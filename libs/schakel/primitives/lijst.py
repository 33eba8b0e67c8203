"""A list whose every value counts once (JSON Schema `uniqueItems`)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def uniek(values: list[T]) -> list[T]:
    """The list as given; a value given twice is an error (a pydantic validator's ValueError), never merged."""
    if len(set(values)) < len(values):
        raise ValueError("elke waarde één keer")
    return values
