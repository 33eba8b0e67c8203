"""What others must hear of a new fact: municipalities and decisions a change of the status
(or of its fallbacks or registration), also on a day no fact brings (a fact dated ahead, a fallback
that ends), UWV the day a doelgroepregister registration must end
because beschut werk was established or a dormant advice revived (Besluit SUWI art. 3.2 lid 3), and
UWV a banenafspraak job of someone not in the doelgroepregister (it counts only with a
registration, Wfsv art. 38b lid 1; the college passes its data on the target group to UWV, art. 38d
lid 3, and UWV assesses, Besluit SUWI art. 3.5)."""

from __future__ import annotations

from datetime import date, timedelta

from registration.domain.deelname import Feit, Soort, Toestand, vouw


def status_veranderd(voor: Toestand, na: Toestand) -> bool:
    return (na.status, na.gemeentecode, na.terugvalopties, na.registratie) != (
        voor.status,
        voor.gemeentecode,
        voor.terugvalopties,
        voor.registratie,
    )


def verloopdagen(t: Toestand) -> set[date]:
    """The days the fallbacks of a state end on: the day after each one's last day (domain.terugval)."""
    return {o["tot"] + timedelta(days=1) for o in t.terugvalopties if o["tot"] is not None}


def volgende_aankondiging(feiten: list[Feit], vandaag: date) -> date | None:
    """The next day after today the status may change without a new fact: a fact dated ahead takes
    effect, or a fallback of today's ends (one a fact ahead brings is planned once that fact is announced)."""
    return min({f.datum for f in feiten if f.datum > vandaag} | verloopdagen(vouw(feiten, vandaag)), default=None)


def einde_gevraagd(voor: Toestand, feiten: list[Feit], geheel: Toestand) -> tuple[date, date] | None:
    """When a new fact (the whole timeline `voor` it and `geheel` with it, `feiten` with it) asks UWV to
    end the registration, or to end it on another day: the day beschut werk holds from and that end.
    Also for a fact that arrived out of order (an establishment reported late, a registration that
    reached Schakel after it)."""
    einde = geheel.registratie_einde_verzocht
    if einde is None or einde == voor.registratie_einde_verzocht:
        return None
    return _beschut_sinds(feiten, einde), einde


def _beschut_sinds(feiten: list[Feit], einde: date) -> date:
    """The day beschut werk holds from for a registration ending on `einde`: established, or the advice
    revived, by the day before."""
    op = vouw(feiten, einde - timedelta(days=1))
    return max(
        (d for d in (op.beschut_vastgesteld, op.herleefd_op) if d is not None), default=einde - timedelta(days=1)
    )


def registratie_gevraagd(feit: Feit, op_ingangsdatum: Toestand) -> bool:
    """Whether UWV must hear of a banenafspraak job that starts without a registration (pending)."""
    return feit.soort is Soort.baan_gestart and not op_ingangsdatum.baan_telt_mee
