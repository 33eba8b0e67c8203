"""Reads the dated table of kinds of income from domain/inkomstensoorten.yaml, once per process."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from income.domain.inkomstensoort import Soorttabel, uit_tabel

BESTAND = Path(__file__).resolve().parents[1] / "domain" / "inkomstensoorten.yaml"


@functools.cache
def laad(bestand: Path = BESTAND) -> Soorttabel:
    return uit_tabel(yaml.safe_load(bestand.read_text()))
