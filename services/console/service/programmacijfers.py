"""The programme's figures as the console shows them: each service computes its own from its own
data (`GET /programmacijfers`, small groups already withheld there); the console only puts them
side by side per municipality, the country first (the operator's view), with the day each service
fixed the quarter's figures for this reader; a service that is away is named, one that refuses
the question is named with its reason."""

from __future__ import annotations

import asyncio

from console.service.ports import Ports, Weigering
from schakel.primitives.cijfers import Periode

# the services that answer GET /programmacijfers
DIENSTEN = ("decisions", "reapplication", "registration")


async def programmacijfers(ports: Ports, token: str, periode: Periode) -> dict:
    diensten = [d for d in DIENSTEN if d in ports.diensten]
    antwoorden = await asyncio.gather(
        *(ports.bronnen.programmacijfers(d, token, periode.van, periode.tot) for d in diensten)
    )
    eenheden: dict[str | None, list[dict]] = {}
    for dienst, antwoord in zip(diensten, antwoorden, strict=True):
        if not isinstance(antwoord, dict):
            continue
        for eenheid in antwoord.get("eenheden", []):
            eenheden.setdefault(eenheid["gemeentecode"], []).extend({"dienst": dienst} | c for c in eenheid["cijfers"])
    return {
        "van": periode.van.isoformat(),
        "tot": periode.tot.isoformat(),
        "eenheden": [{"gemeentecode": g, "cijfers": eenheden[g]} for g in sorted(eenheden, key=lambda g: g or "")],
        # a service of the version before (a rolling upgrade) says no day
        "vastgesteldOp": {
            d: a["vastgesteldOp"]
            for d, a in zip(diensten, antwoorden, strict=True)
            if isinstance(a, dict) and "vastgesteldOp" in a
        },
        "onbereikbaar": [d for d, a in zip(diensten, antwoorden, strict=True) if a is None],
        # a refusal is the service's answer, not its absence: the operator reads why
        "geweigerd": {
            d: f"{a.status}: {a.detail}" for d, a in zip(diensten, antwoorden, strict=True) if isinstance(a, Weigering)
        },
    }
