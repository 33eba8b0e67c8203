from pydantic import Field
from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRATION_")

    port: int = 8084
    # facts are forgotten this long after the last day they gave the person anything (domain.bewaring)
    retentie_maanden: int = Field(12, ge=0, le=120)
    opschonen_interval_seconden: float = Field(86400, gt=0)
    # how often the status a fact dated ahead brings is announced once its date has come
    aankondigen_interval_seconden: float = Field(3600, gt=0)
