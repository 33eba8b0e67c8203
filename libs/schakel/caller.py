"""Who is asking: the organisation (OIN), its role, for a municipality which one, and the person
acting. The API edge authenticates it from the token; the service layer decides with it what the
caller's legal task allows (doelbinding)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Rol(str, Enum):
    municipality = "municipality"
    uwv = "uwv"
    data_provider = "data-provider"
    operator = "operator"
    privacy_officer = "privacy-officer"  # the data protection officer: reads the processing log
    burger = "burger"  # the person themselves, signed in with DigiD: reads only their own data


@dataclass(frozen=True)
class Caller:
    oin: str
    rol: Rol
    gemeente: str | None = None
    sub: str | None = None  # the person acting, as the token names them (the processing log keeps it)
    bsn: str | None = None  # a citizen's own BSN (their token's subject); never kept as `sub`
    # the bearer token it came with: another Schakel service asked on its behalf judges the caller's
    # own rights (reapplication asks income); never printed
    token: str | None = field(default=None, repr=False, compare=False)
