from pydantic import Field
from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DECISIONS_")

    port: int = 8082
    # propose ending the benefit after this many consecutive months with income above the norm
    uitstroom_na_maanden: int = Field(3, ge=1, le=24)
