"""What others must hear of a new fact: municipalities and decisions a change of the status
(or of its fallbacks or registration), UWV the day a doelgroepregister registration must end
because beschut werk was established or a dormant advice revived (Besluit SUWI art. 3.2 lid 3), and
UWV a banenafspraak job of someone not in the doelgroepregister (it counts only with a
registration, Wfsv art. 38b lid 1; the college passes its data on the target group to UWV, art. 38d
lid 3, and UWV assesses, Besluit SUWI art. 3.5)."""

from __future__ import annotations

from datetime import date, timedelta

from registration.domain.deelname import Feit, Soort, Toestand


def status_veranderd(voor: Toestand, na: Toestand) -> bool:
    return (na.status, na.gemeentecode, na.terugvalopties, na.registratie) != (
        voor.status,
        voor.gemeentecode,
        voor.terugvalopties,
        voor.registratie,
    )


def registratie_eindigt_op(feit: Feit, geheel: Toestand) -> date | None:
    """The day UWV must end the registration, when this fact asks for it: the day after."""
    if feit.soort in (Soort.beschut_werk_vastgesteld, Soort.driehoeksverklaring) and (
        geheel.registratie_einde_verzocht == feit.datum + timedelta(days=1)
    ):
        return geheel.registratie_einde_verzocht
    return None


def registratie_gevraagd(feit: Feit, op_ingangsdatum: Toestand) -> bool:
    """Whether UWV must hear of a banenafspraak job that starts without a registration (pending)."""
    return feit.soort is Soort.baan_gestart and not op_ingangsdatum.baan_telt_mee
