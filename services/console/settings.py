from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints, model_validator
from pydantic_settings import SettingsConfigDict

from schakel.runtime.settings import ListenerSettings, PlatformSettings

# a pod is read at its address, which its certificate would not name: inside the cluster, plain HTTP
HttpUrl = Annotated[str, StringConstraints(pattern=r"^http://[^/?#\s]+/?$")]


class Platform(PlatformSettings):
    """The platform's settings as the console reads them: it reads counts, readiness and dead letters'
    reasons, never a BSN, so it pseudonymises nothing and holds no pseudonym key (the chart gives it
    none); everything else is refused outside development as for the services."""

    pseudonymises: ClassVar[bool] = False


class Settings(ListenerSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_")

    port: int = 8085
    # the services the console reads: name -> the base URL of its API (decisions' subscriptions, the
    # programme's figures), as any client reaches it: on Kubernetes the Service, which picks a ready pod
    diensten: dict[str, str] = {
        "income": "http://127.0.0.1:8081",
        "decisions": "http://127.0.0.1:8082",
        "reapplication": "http://127.0.0.1:8083",
        "registration": "http://127.0.0.1:8084",
    }
    # where each service's instances are, whose metrics and readiness are read one by one: name -> base
    # URLs; every address a URL's host name has is an instance (on Kubernetes a headless Service's name
    # has one per pod; an IPv4 and an IPv6 address of one host are one instance). Left out: its `diensten` URL.
    instanties: dict[str, Annotated[list[HttpUrl], Field(min_length=1)]] = {}
    # the trace UI an event's trace id links to (Zipkin under `make run`); empty: no links
    trace_url: str = "http://127.0.0.1:9411/zipkin/traces/{traceId}"
    # a consumer with records waiting whose oldest fetched one is older than this counts as stalled
    stil_seconden: float = Field(60.0, gt=0)

    @model_validator(mode="after")
    def _van_de_diensten(self) -> "Settings":
        if onbekend := set(self.instanties) - set(self.diensten):
            raise ValueError(f"instanties van diensten die de console niet leest: {sorted(onbekend)}")
        return self

    def instanties_van(self) -> dict[str, list[str]]:
        return {naam: self.instanties.get(naam, [url]) for naam, url in self.diensten.items()}
