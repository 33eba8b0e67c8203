"""Reads the dated legal parameters from domain/parameters.yaml (a data file beside the rules that
use it), once per process; and the fingerprint of the rules as deployed."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import yaml

import schakel.primitives
from decisions.domain.parameters import Parameters, uit_tabel

BESTAND = Path(__file__).resolve().parents[1] / "domain" / "parameters.yaml"
# the money, months, ages and grounds the rules compute with (a test holds that the rules read nothing
# else of the platform but its errors)
PRIMITIEVEN = Path(schakel.primitives.__file__).resolve().parent


@functools.cache
def laad(bestand: Path = BESTAND) -> Parameters:
    return uit_tabel(yaml.safe_load(bestand.read_text()))


# domain modules that no settlement reads (a test holds that no other domain module imports them)
NIET_REGELS = frozenset({"webhook.py", "programmacijfers.py"})


def regelversie(domein: Path = BESTAND.parent, primitieven: Path = PRIMITIEVEN) -> str:
    """A sha256 over the parameters, the rule modules and the primitives they compute with, by file
    name. The code counts as well as the parameters: a corrected rule (or rounding) must reach months
    already settled, as a corrected parameter does; a changed comment costs one quiet resettlement (a
    month that comes out the same announces nothing). Modules no settlement reads (NIET_REGELS) are
    left out: a change to webhooks or the programme's figures settles nothing again."""
    digest = hashlib.sha256()
    regels = [(b.name, b) for b in domein.glob("*.py") if b.name not in NIET_REGELS]
    primitief = [(f"primitives/{b.name}", b) for b in primitieven.glob("*.py")]
    for naam, bestand in sorted([("parameters.yaml", domein / "parameters.yaml"), *regels, *primitief]):
        for deel in (naam.encode(), bestand.read_bytes()):  # each with its length: no two sets hash alike
            digest.update(len(deel).to_bytes(8, "big") + deel)
    return digest.hexdigest()
