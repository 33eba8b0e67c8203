from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_")

    host: str = "127.0.0.1"
    port: int = 8085
    # the services whose metrics, readiness and (decisions) subscriptions the console reads: name -> base
    # URL, or a list of them; every address a URL's host name has is an instance, read on its own (on
    # Kubernetes a headless Service's name has one per pod)
    diensten: dict[str, list[str]] = {
        "income": ["http://127.0.0.1:8081"],
        "decisions": ["http://127.0.0.1:8082"],
        "reapplication": ["http://127.0.0.1:8083"],
        "registration": ["http://127.0.0.1:8084"],
    }
    # the trace UI an event's trace id links to (Zipkin under `make run`); empty: no links
    trace_url: str = "http://127.0.0.1:9411/zipkin/traces/{traceId}"
    # a consumer with records waiting whose oldest fetched one is older than this counts as stalled
    stil_seconden: float = Field(60.0, gt=0)

    @field_validator("diensten", mode="before")
    @classmethod
    def _een_of_meer(cls, diensten: object) -> object:
        """A service at one base URL may name it as a string."""
        if isinstance(diensten, dict):
            return {naam: [urls] if isinstance(urls, str) else urls for naam, urls in diensten.items()}
        return diensten
