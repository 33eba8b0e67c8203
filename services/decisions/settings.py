from typing import Annotated

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings

DEV_WEBHOOK_SLEUTEL = "c2NoYWtlbC1kZXZlbG9wbWVudC13ZWJob29rLWtleSE="  # development only: in the repository


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DECISIONS_")

    port: int = 8082
    # propose ending the benefit after this many consecutive months with income above the norm
    uitstroom_na_maanden: int = Field(3, ge=1, le=24)
    # webhooks: attempts, the first wait (doubling each time, at most an hour), the deadline of a
    # whole delivery, polling, deliveries at once over all subscribers
    webhook_max_pogingen: int = Field(10, ge=1, le=50)
    webhook_basis_seconden: float = Field(5.0, gt=0)
    webhook_timeout_seconden: float = Field(10.0, gt=0)
    webhook_interval_seconden: float = Field(0.5, gt=0)
    webhook_gelijktijdig: int = Field(20, ge=1, le=200)
    # the circuit: pause a subscriber after this many failed deliveries in a row, first for this long
    webhook_circuit_drempel: int = Field(5, ge=1, le=100)
    webhook_circuit_basis_seconden: float = Field(60.0, gt=0)
    # plain http and loopback addresses for a receiver on this machine; development only
    webhook_lokaal_toestaan: bool = False
    # the ports a callback URL may name (JSON, e.g. [443]), as the network lets webhooks out (the
    # chart's NetworkPolicy reads this same setting); None: any port, as in development
    webhook_poorten: tuple[Annotated[int, Field(ge=1, le=65535)], ...] | None = Field(None, min_length=1)
    # repayments booked on claims (POST .../terugbetalingen): on once every instance runs 0.18 or later,
    # as an earlier one cannot read such a booking (it would fail the case's settlements and instalments)
    terugbetalingen: bool = False
    # a revision in the person's favour books what was paid off beyond the lower claim as a refund
    # (teruggave): on once every instance runs 0.20 or later, as an earlier one cannot read that booking
    teruggaven: bool = False
    # a repayment reversed under its reference (POST .../terugbetalingen/_storneer, a negative one): on once
    # every instance runs 0.21 or later, as an earlier one misreads it (its texts, a refund it had paid for)
    storneringen: bool = False
    # retention (service.bewaring): months after a person's last case ended, days of a finished
    # webhook delivery, and how often it is enforced (in one instance: schakel.runtime.periodic)
    retentie_maanden: int = Field(12, ge=0, le=120)
    afleveringen_bewaren_dagen: int = Field(30, ge=1, le=3650)
    opschonen_interval_seconden: float = Field(3600, gt=0)
    # how often running cases are checked for this month's advance to propose (once per case and month)
    voorschot_interval_seconden: float = Field(3600, gt=0)
    # how often the rules as deployed are compared with those every case was last settled under
    # (after a deploy with other rules or parameters, every case is settled whole once)
    regels_interval_seconden: float = Field(60, gt=0)
    # the keys (Fernet: 32 bytes, url-safe base64; comma-separated) of the webhook secrets at rest:
    # the first encrypts, every one decrypts, so a key is rotated by putting the new one first
    webhook_sleutel: SecretStr = SecretStr(DEV_WEBHOOK_SLEUTEL)

    @property
    def development_secrets(self) -> bool:
        return DEV_WEBHOOK_SLEUTEL in (k.strip() for k in self.webhook_sleutel.get_secret_value().split(","))
