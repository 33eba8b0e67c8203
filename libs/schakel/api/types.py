"""Pydantic field types for the primitives, with Dutch problem messages that never echo input."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from schakel import logboek
from schakel.primitives import bsn as _bsn
from schakel.primitives.periode import DATUM_PATTERN, MAAND_PATTERN


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


def _iso_moment(value: object) -> object:
    # as for dates: a number, or a string of digits, would be read as a Unix time; the contract says date-time
    # (None goes on to the field's own type: refused, or allowed where the field may be null)
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]", value):
        return value
    raise ValueError("een moment heeft de vorm JJJJ-MM-DDTuu:mm:ss met een tijdzone")


# before a date-time field's own validation (AwareDatetime): only the contract's form is read
ALS_MOMENT = BeforeValidator(_iso_moment)


def _in_range(value: date) -> date:
    # years 1-9999 would reach date arithmetic (a term after 9999-12-31 raises); no case needs them
    if not DATUM_MIN <= value <= DATUM_MAX:
        raise ValueError(f"een datum ligt van {DATUM_MIN} tot en met {DATUM_MAX}")
    return value


def _whole(value: object) -> object:
    # JSON Schema counts 1586.0 as an integer; a fraction of a cent or a string stays refused
    return int(value) if isinstance(value, float) and value.is_integer() else value


def Geheel(ge: int, le: int, description: str) -> object:  # noqa: N802 - reads as a type
    """A whole number (e.g. euro cents) within bounds: never a string, never a fraction. For pydantic
    only: a call is no type to a type checker, so a type used in code is written out, as `Centen`."""
    return Annotated[int, Field(strict=True, ge=ge, le=le, description=description), BeforeValidator(_whole)]


Centen = Annotated[
    int, Field(strict=True, ge=-(10**12), le=10**12, description="Bedrag in eurocenten."), BeforeValidator(_whole)
]
DATUM_MIN, DATUM_MAX = date(1900, 1, 1), date(2100, 12, 31)
Datum = Annotated[
    date, BeforeValidator(_iso_date), AfterValidator(_in_range), Field(json_schema_extra={"pattern": DATUM_PATTERN})
]


def _moment_in_range(value: datetime) -> datetime:
    # as for dates; and an offset carries a moment at the calendar's edge past it (0001-01-01T00:00:00+14:00
    # lies in year 0 in UTC), where converting it, as every store does, raises
    if not DATUM_MIN <= value.date() <= DATUM_MAX:
        raise ValueError(f"ligt niet tussen {DATUM_MIN.year} en {DATUM_MAX.year}")
    return value.astimezone(UTC)


# a date-time with its offset, in the contract's form and within the years Schakel takes; in UTC, as stored
Moment = Annotated[AwareDatetime, ALS_MOMENT, AfterValidator(_moment_in_range)]


# a reason for the file, as written: not stripped (Python strips more than the contract's whitespace,
# U+0085 too, so a reason the schema allows was refused)
RedenVeld = Annotated[str, Field(min_length=3, max_length=500)]
# `format: bsn` tells integrators (and test generators) that the elfproef applies too
_BSN = Field(
    description="Burgerservicenummer (9 cijfers, elfproef).",
    examples=["999993653"],
    pattern=r"^[0-9]{9}$",
    json_schema_extra={"format": "bsn"},
)
# a BSN asked about or answered makes its person a subject of the processing; a partner's, as a
# member of the household the processing is about
BsnVeld = Annotated[str, _BSN, AfterValidator(_valid_bsn), AfterValidator(logboek.noteer_bsn)]
PartnerBsnVeld = Annotated[str, _BSN, AfterValidator(_valid_bsn), AfterValidator(logboek.noteer_gezinslid)]
GemeentecodeVeld = Annotated[
    str, Field(description="Gemeentecode: GM gevolgd door 4 cijfers.", examples=["GM0363"], pattern=r"^GM[0-9]{4}$")
]

MaandVeld = Annotated[
    str,
    Field(
        pattern=MAAND_PATTERN,
        examples=["2026-01"],
        description="Kalendermaand JJJJ-MM, van 1900-01 tot en met 2100-12.",
    ),
]

# a month the service computes (the end of a 12-month outlook) can lie past the bound of any input
BerekendeMaand = Annotated[
    str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples=["2026-01"], description="Kalendermaand JJJJ-MM.")
]


class Model(BaseModel):
    """Request and response bodies: unknown properties are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Zoekvraag(Model):
    """A lookup by BSN: the BSN goes in the body, never in the URL."""

    bsn: BsnVeld
