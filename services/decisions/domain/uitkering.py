"""A bijstand benefit case (Participatiewet). Pure rules: no framework, no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date

from decisions.domain.fouten import AlBeeindigd, EindeVastgezet, Geweigerd
from schakel.primitives import Maand, leeftijd, plus_maanden


class Status(str, enum.Enum):
    lopend = "lopend"
    beeindigd = "beeindigd"


class Reden(str, enum.Enum):
    werk = "werk"
    verhuizing = "verhuizing"
    overig = "overig"


# Participatiewet art. 11 jo. art. 13: bijstand is for adults (18+); younger people fall under
# their parents' maintenance obligation.
MINIMUM_LEEFTIJD = 18
# how far ahead a case may be decided to start or end: the Max-WW handover decides in the WW's last
# 3 to 6 months, to start the day after it ends; a date further out is a typing error, not a decision
VOORUIT_MAANDEN = 6


def uiterlijk(vandaag: date) -> date:
    """The last day a case decided today may start or end on: the last of the 6th month after this one."""
    return Maand.van(plus_maanden(vandaag, VOORUIT_MAANDEN)).laatste_dag


def _niet_te_ver(dag: date, vandaag: date, veld: str) -> None:
    if dag > (grens := uiterlijk(vandaag)):
        raise Geweigerd(
            f"{veld}-te-ver-vooruit",
            veld,
            f"de {veld} ligt hooguit {VOORUIT_MAANDEN} maanden vooruit: uiterlijk {grens.isoformat()}",
        )


@dataclass(frozen=True)
class Uitkering:
    uitkering_id: str
    bsn: str
    gemeentecode: str
    geboortedatum: date
    startdatum: date
    status: Status = Status.lopend
    einddatum: date | None = None
    reden: Reden | None = None
    # months of each vrijlating ground the person used in an earlier benefit: Participatiewet art. 31
    # lid 2 limits the months per person, not per benefit, so a reopened case counts on from there
    startklok: tuple[tuple[str, int], ...] = ()
    # the re-application it was reopened by: its start clock is the one the case before handed on
    heraanvraag_id: str | None = None

    @classmethod
    def open(
        cls,
        uitkering_id: str,
        bsn: str,
        gemeentecode: str,
        geboortedatum: date,
        startdatum: date,
        vandaag: date,
        startklok: tuple[tuple[str, int], ...] = (),
        heraanvraag_id: str | None = None,
    ) -> Uitkering:
        if leeftijd(geboortedatum, startdatum) < MINIMUM_LEEFTIJD:
            raise Geweigerd("te-jong", "startdatum", f"bijstand kan pas ingaan vanaf de {MINIMUM_LEEFTIJD}e verjaardag")
        _niet_te_ver(startdatum, vandaag, "startdatum")
        return cls(
            uitkering_id,
            bsn,
            gemeentecode,
            geboortedatum,
            startdatum,
            startklok=startklok,
            heraanvraag_id=heraanvraag_id,
        )

    def overlapt(self, startdatum: date) -> bool:
        """Whether a new case of the same person from `startdatum` would pay days this one pays."""
        return self.einddatum is None or self.einddatum >= startdatum

    def controleer_wijziging(self, ingangsdatum: date, vandaag: date) -> None:
        """A change takes effect within the case: not before it started, not after it ended, and as far
        ahead as a start or an end may be (a partner named from a day decades ahead would keep that
        person out of any other household's case, in any municipality, until this one ends)."""
        if ingangsdatum < self.startdatum or (self.einddatum is not None and ingangsdatum > self.einddatum):
            raise Geweigerd(
                "ingangsdatum-buiten-uitkering",
                "ingangsdatum",
                "de ingangsdatum ligt buiten de looptijd van de uitkering",
            )
        _niet_te_ver(ingangsdatum, vandaag, "ingangsdatum")

    def loopt_op(self, dag: date) -> bool:
        """Whether the benefit is still paid on `dag`: a case may be ended from a later date."""
        return self.einddatum is None or dag <= self.einddatum

    def loopt_in(self, maand: Maand) -> bool:
        """Whether the benefit runs on any day of `maand`."""
        return self.startdatum <= maand.laatste_dag and self.loopt_op(maand.eerste_dag)

    def beeindig(self, einddatum: date, reden: Reden, vandaag: date) -> Uitkering:
        if self.status is Status.beeindigd:
            raise AlBeeindigd("al-beeindigd", None, "deze uitkering is al beëindigd")
        self._controleer_einde(einddatum, vandaag)
        return replace(self, status=Status.beeindigd, einddatum=einddatum, reden=reden)

    def corrigeer_einde(self, einddatum: date, vandaag: date) -> Uitkering:
        """The end date of an ended case, corrected (a typing error, or work that began earlier): the
        same rules as ending it; the reason stays."""
        if self.status is not Status.beeindigd:
            raise EindeVastgezet("niet-beeindigd", None, "deze uitkering loopt nog: beëindig haar eerst")
        self._controleer_einde(einddatum, vandaag)
        return replace(self, einddatum=einddatum)

    def corrigeer_geboortedatum(self, geboortedatum: date) -> Uitkering:
        """The applicant's birth date, corrected (a typing error): the same rule as opening the case."""
        if leeftijd(geboortedatum, self.startdatum) < MINIMUM_LEEFTIJD:
            raise Geweigerd("te-jong", "geboortedatum", f"de aanvrager was bij de start nog geen {MINIMUM_LEEFTIJD}")
        return replace(self, geboortedatum=geboortedatum)

    def _controleer_einde(self, einddatum: date, vandaag: date) -> None:
        if einddatum < self.startdatum:
            raise Geweigerd(
                "einddatum-voor-startdatum", "einddatum", "de einddatum ligt vóór de startdatum van de uitkering"
            )
        _niet_te_ver(einddatum, vandaag, "einddatum")
