from pydantic import Field
from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INCOME_")

    port: int = 8081
    # polis data is kept this long after a person's last case or re-application window ended
    retentie_maanden: int = Field(12, ge=0, le=120)
    opschonen_interval_seconden: float = Field(3600, gt=0)
    # why a Kafka delivery's declarations were refused is kept this long for its provider
    afwijzingen_bewaren_dagen: int = Field(30, ge=1, le=3650)
    # per data provider's OIN the municipalities it is contracted for (JSON); a provider not named sees no one
    leveranciers: dict[str, list[str]] = {}
