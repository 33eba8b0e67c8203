"""Value types every Schakel service needs. Standard library only, so domain code may use them."""

from schakel.primitives.geld import Bedrag, afgerond, soorten
from schakel.primitives.periode import (
    Maand,
    dagnaam,
    geldig_op,
    leeftijd,
    maandnaam,
    plus_maanden,
    verrekend_vanaf,
)

__all__ = [
    "Bedrag",
    "Maand",
    "afgerond",
    "soorten",
    "geldig_op",
    "leeftijd",
    "plus_maanden",
    "verrekend_vanaf",
    "maandnaam",
    "dagnaam",
]
