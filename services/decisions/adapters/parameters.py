"""Reads the dated legal parameters from domain/parameters.yaml (a data file beside the rules that
use it), once per process; and the fingerprint of the rules as deployed."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import yaml

from decisions.domain.parameters import Parameters, uit_tabel

BESTAND = Path(__file__).resolve().parents[1] / "domain" / "parameters.yaml"


@functools.cache
def laad(bestand: Path = BESTAND) -> Parameters:
    return uit_tabel(yaml.safe_load(bestand.read_text()))


# domain modules that no settlement reads (a test holds that no other domain module imports them)
NIET_REGELS = frozenset({"webhook.py", "programmacijfers.py"})


def regelversie(domein: Path = BESTAND.parent) -> str:
    """A sha256 over the parameters and the rule modules, by file name. The code counts as well as
    the parameters: a corrected rule must reach months already settled, as a corrected parameter
    does; a changed comment costs one quiet resettlement (a month that comes out the same announces
    nothing). Modules no settlement reads (NIET_REGELS) are left out: a change to webhooks or the
    programme's figures settles nothing again."""
    digest = hashlib.sha256()
    regels = [b for b in domein.glob("*.py") if b.name not in NIET_REGELS]
    for bestand in sorted([domein / "parameters.yaml", *regels]):
        inhoud = bestand.read_bytes()
        for deel in (bestand.name.encode(), inhoud):  # each with its length: no two sets hash alike
            digest.update(len(deel).to_bytes(8, "big") + deel)
    return digest.hexdigest()
