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


def registratie_eindigt_op(feit: Feit, geheel: Toestand) -> tuple[date, date] | None:
    """When this fact asks UWV to end the registration: the day beschut werk holds from (established,
    or an advice revived) and the day the registration ends, the day after. A school leaver's
    registration that starts after beschut werk was established, or reaches Schakel after it, asks
    too."""
    einde = geheel.registratie_einde_verzocht
    if einde is None:
        return None
    if feit.soort in (Soort.beschut_werk_vastgesteld, Soort.driehoeksverklaring) and einde == feit.datum + timedelta(
        days=1
    ):
        return feit.datum, einde
    if feit.soort is Soort.doelgroepregistratie_gestart and (feit.gegevens["grond"], feit.datum, einde) in (
        geheel.registraties
    ):
        sinds = (d for d in (geheel.beschut_vastgesteld, geheel.herleefd_op) if d is not None and d < einde)
        return max(sinds, default=einde - timedelta(days=1)), einde
    return None


def registratie_gevraagd(feit: Feit, op_ingangsdatum: Toestand) -> bool:
    """Whether UWV must hear of a banenafspraak job that starts without a registration (pending)."""
    return feit.soort is Soort.baan_gestart and not op_ingangsdatum.baan_telt_mee
