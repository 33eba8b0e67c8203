from pydantic_settings import SettingsConfigDict

from schakel.runtime import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRATION_")

    port: int = 8084
