"""`GET /programmacijfers` of the decisions service: the shared operation (schakel.api.programmacijfers)
over this service's figures (service.programmacijfers)."""

from decisions.domain.programmacijfers import GROEPEN
from decisions.service import programmacijfers
from schakel.api import programmacijfers as cijfers

VOORBEELD = cijfers.voorbeeld(
    ("uitgestroomdNaarWerk", 45.0, 45, None),
    ("terugInBijstandBinnen12Maanden", 0.222, 45, None),
    ("terugInBijstandBinnen36Maanden", None, None, "nog-niet-meetbaar"),
    ("maandenTijdigVerrekend", 0.866, 410, None),
)

router = cijfers.router(
    programmacijfers.lees,
    "terugval in de bijstand binnen 12 en binnen 36 maanden na uitstroom naar werk (van wie in de periode "
    "uitstroomde, zodra die 12 of 36 maanden voor ieder van hen voorbij zijn; een jongere uitstroom kan nog "
    "terugkeren), en het aandeel maanden dat binnen het eigen doel "
    "van de gemeente is verrekend (de eerste verrekening van een maand in de periode; zoals GET /tijdigheid).",
    VOORBEELD,
    GROEPEN,
)
