"""Reads the dated legal parameters from domain/parameters.yaml (a data file beside the rules that
use it), once per process."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from decisions.domain.parameters import Parameters, uit_tabel

BESTAND = Path(__file__).resolve().parents[1] / "domain" / "parameters.yaml"


@functools.cache
def laad(bestand: Path = BESTAND) -> Parameters:
    return uit_tabel(yaml.safe_load(bestand.read_text()))
