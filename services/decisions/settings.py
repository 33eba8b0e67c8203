from pydantic import Field
from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DECISIONS_")

    port: int = 8082
    # propose ending the benefit after this many consecutive months with income above the norm
    uitstroom_na_maanden: int = Field(3, ge=1, le=24)
    # webhooks: attempts, the first wait (doubling each time, at most an hour), timeout, polling
    webhook_max_pogingen: int = Field(10, ge=1, le=50)
    webhook_basis_seconden: float = Field(5.0, gt=0)
    webhook_timeout_seconden: float = Field(10.0, gt=0)
    webhook_interval_seconden: float = Field(0.5, gt=0)
