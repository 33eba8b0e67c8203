"""Value types every Schakel service needs. Standard library only, so domain code may use them."""

from schakel.primitives.bsn import Bsn, InvalidBsn
from schakel.primitives.geld import Bedrag, afgerond
from schakel.primitives.gemeente import Gemeentecode, InvalidGemeentecode
from schakel.primitives.periode import Maand, plus_maanden

__all__ = ["Bedrag", "afgerond", "Bsn", "Gemeentecode", "InvalidBsn", "InvalidGemeentecode", "Maand", "plus_maanden"]
