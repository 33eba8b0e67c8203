from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INCOME_")

    port: int = 8081
