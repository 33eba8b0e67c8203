"""Pydantic field types for the primitives, with Dutch problem messages that never echo input."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from schakel.primitives import bsn as _bsn


def _valid_bsn(value: str) -> str:
    reason = _bsn.why_invalid(value)
    if reason:
        raise ValueError(reason)
    return value


def _iso_date(value: object) -> object:
    # pydantic's lax mode would read "0" or 1700000000 as a Unix time; the contract says JJJJ-MM-DD
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        return value
    raise ValueError("een datum heeft de vorm JJJJ-MM-DD")


def _whole(value: object) -> object:
    # JSON Schema counts 1586.0 as an integer; a fraction of a cent or a string stays refused
    return int(value) if isinstance(value, float) and value.is_integer() else value


def Geheel(ge: int, le: int, description: str):  # noqa: N802 - reads as a type
    """A whole number (e.g. euro cents) within bounds: never a string, never a fraction."""
    return Annotated[int, Field(strict=True, ge=ge, le=le, description=description), BeforeValidator(_whole)]


Centen = Geheel(-10**12, 10**12, "Bedrag in eurocenten.")
Datum = Annotated[date, BeforeValidator(_iso_date)]
# `format: bsn` tells integrators (and test generators) that the elfproef applies too
BsnVeld = Annotated[str, Field(description="Burgerservicenummer (9 cijfers, elfproef).",
                               examples=["999993653"], pattern=r"^[0-9]{9}$",
                               json_schema_extra={"format": "bsn"}), AfterValidator(_valid_bsn)]
GemeentecodeVeld = Annotated[str, Field(description="Gemeentecode: GM gevolgd door 4 cijfers.",
                                        examples=["GM0363"], pattern=r"^GM[0-9]{4}$")]

# years from 1900, as Maand accepts them
MaandVeld = Annotated[str, Field(pattern=r"^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$", examples=["2026-01"],
                                 description="Kalendermaand JJJJ-MM.")]


class Model(BaseModel):
    """Request and response bodies: unknown properties are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Zoekvraag(Model):
    """A lookup by BSN: the BSN goes in the body, never in the URL."""

    bsn: BsnVeld
