"""The wire form of a polis declaration, shared by the HTTP delivery and the ingest topic, so both
refuse the same records for the same reasons."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import Field, TypeAdapter, ValidationError, WrapValidator

from income.domain.polis import Aangifte, Fout
from schakel.api.problems import field_of, reason_of
from schakel.api.types import BsnVeld, Centen, Datum, Geheel, Model, Moment

LEVERING_ID_TEKEN = "[A-Za-z0-9._:-]"  # what a delivery id may hold (1 to 100 of them)


class AangifteInvoer(Model):
    """Eén aangifteregel uit de polisadministratie: één inkomstenverhouding, één tijdvak.
    Bedragen in eurocenten; de XSD-naam van de polis staat tussen haakjes."""

    bsn: BsnVeld
    loonheffingennummer: Annotated[
        str,
        Field(
            pattern=r"^[0-9]{9}L[0-9]{2}$",
            examples=["123456782L01"],
            description="Loonheffingennummer van de werkgever (LhNr): fiscaal nummer (elfproef), L, volgnummer.",
            json_schema_extra={"format": "loonheffingennummer"},
        ),
    ]
    inkomstenverhouding: Geheel(0, 2**31 - 1, "Nummer inkomstenverhouding (NumIV).")
    soortInkomstenverhouding: Annotated[
        str | None, Field(pattern=r"^[0-9]{2}$", description="Soort inkomstenverhouding (SrtIV), bijv. 15.")
    ] = None
    aanvangInkomstenverhouding: Annotated[Datum, Field(description="Datum aanvang inkomstenverhouding (DatAanv).")]
    eindeInkomstenverhouding: Annotated[
        Datum | None, Field(description="Datum einde inkomstenverhouding (DatEind).")
    ] = None
    tijdvakBegin: Annotated[Datum, Field(description="Eerste dag van het aangiftetijdvak.")]
    tijdvakEinde: Annotated[
        Datum,
        Field(
            description="Laatste dag van het tijdvak: maand, 4 weken, week of kwartaal. Vóór vandaag (de Nederlandse "
            "dag): over een tijdvak dat nog niet voorbij is, wordt niet aangegeven (`niet-voorbij`)."
        ),
    ]
    fiscaalLoon: Annotated[Centen, Field(description="Loon voor loonbelasting/volksverzekeringen (LnLbPh).")]
    ingehoudenLoonheffing: Annotated[Centen, Field(description="Ingehouden loonheffing (IngLbPh).")]
    ingehoudenBijdrageZvw: Annotated[Centen, Field(description="Ingehouden bijdrage Zvw (BijdrZvw).")]
    svLoon: Annotated[Centen, Field(description="Loon werknemersverzekeringen (LnSV).")] = 0
    loonBijzondereBeloningen: Annotated[Centen, Field(description="Loon tabel bijzondere beloningen (LnTabBB).")] = 0
    waardePriveGebruikAuto: Annotated[Centen, Field(description="Waarde privégebruik auto (WrdPrGebrAut).")] = 0
    premieWgaWerknemer: Annotated[Centen, Field(description="Werknemersdeel premie WGA/WHK.")] = 0
    vakantiebijslagBetaald: Annotated[Centen, Field(description="Uitbetaalde vakantiebijslag (VakBsl).")] = 0
    vakantiebijslagOpgebouwd: Annotated[Centen, Field(description="Opgebouwde vakantiebijslag (OpgRchtVakBsl).")] = 0
    verloondeUren: Geheel(0, 10_000, "Aantal verloonde uren (AantVerlU).") = 0
    loonheffingskortingToegepast: Annotated[
        bool, Field(strict=True, description="Loonheffingskorting toegepast (IndLhKort).")
    ] = False
    aangemaaktOp: Annotated[
        Moment | None,
        Field(
            description="Het moment (met tijdzone) waarop u deze versie van de aangifte maakte, bijv. het "
            "aanmaakmoment van de aangifte in de polisadministratie. Is de versie die income van dit tijdvak "
            "heeft later gemaakt, dan wordt deze niet verwerkt (uitkomst `verouderd`): een oudere versie die "
            "opnieuw binnenkomt, maakt een correctie niet ongedaan. Zonder dit moment (hier of bij de versie "
            "die income heeft) vervangt de laatst ontvangen versie de vorige; lever het daarom altijd mee. Niet "
            "na vandaag (de Nederlandse dag): zo'n aangifte wordt afgewezen (`toekomst`), want zij zou elke "
            "latere correctie van het tijdvak `verouderd` maken."
        ),
    ] = None

    def aangifte(self) -> Aangifte:
        return Aangifte(**{veld: getattr(self, naam) for naam, veld in VELDEN.items()})


class AangifteAangeleverd(AangifteInvoer):
    """Een gegevensleverancier levert één polisaangifte (één inkomstenverhouding, één tijdvak) aan: dezelfde velden
    en regels als een AangifteInvoer van POST /leveringen (income), plus het leveringId. Bedragen in eurocenten.
    Gegenereerd door `make contracts`."""

    # the ingest event (written by data providers, read by income alone), as schakel.events.models.EventData
    TYPE: ClassVar[str] = "nl.polis.aangifte.aangeleverd"
    SCHEMA: ClassVar[str] = "aangifte-aangeleverd"
    TITLE: ClassVar[str] = "Polisaangifte aangeleverd"
    SUMMARY: ClassVar[str | None] = None
    KEY: ClassVar[str] = "inkomstenverhoudingSleutel"  # providers do not hold the pseudonym key

    leveringId: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            pattern=f"^{LEVERING_ID_TEKEN}+$",
            description="Kenmerk van de levering, uniek per leverancier; de verwerkingsstatus staat onder "
            "GET /leveringen/{leveringId}.",
        ),
    ]


# contract name (camelCase) -> domain name (snake_case)
VELDEN = {name: re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in AangifteInvoer.model_fields} | {
    "loonheffingskortingToegepast": "loonheffingskorting"
}


def als_invoer(inhoud: dict) -> dict:
    """A stored declaration (domain names) in its contract form, without when it was made (kept apart)."""
    return {name: inhoud[VELDEN[name]] for name in AangifteInvoer.model_fields if name not in ("bsn", "aangemaaktOp")}


def _per_regel(value: Any, handler) -> Aangifte | list[Fout]:
    # one bad record must not refuse the whole delivery: keep its errors instead of raising
    if not isinstance(value, dict):
        return handler(value)  # not even an object: the request itself is malformed
    try:
        return handler(value).aangifte()
    except ValidationError as exc:
        return [Fout(field_of(e), e["type"], reason_of(e)) for e in exc.errors()]


Regel = Annotated[AangifteInvoer, WrapValidator(_per_regel)]
_adapter = TypeAdapter(Regel)


def lees(data: dict) -> Aangifte | list[Fout]:
    """An ingest event's data (the declaration plus its `leveringId`)."""
    return _adapter.validate_python({k: v for k, v in data.items() if k != "leveringId"})
