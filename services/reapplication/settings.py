from urllib.parse import urlsplit

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from schakel.runtime import PlatformSettings, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REAPPLICATION_")

    port: int = 8083
    # the income service's API, asked whether the job ended when someone re-applies (in a cluster
    # its Service, reachable only from reapplication by network policy)
    income_url: str = "http://127.0.0.1:8081/api/v1"
    # Participatiewet art. 43a (from 2026): re-application within 12 months of the end
    termijn_maanden: int = Field(12, ge=1, le=36)
    # retention (service.bewaring): months after a person's last window, re-application or
    # handover ended, and how often it is enforced (in one instance: schakel.runtime.periodic)
    retentie_maanden: int = Field(12, ge=0, le=120)
    opschonen_interval_seconden: float = Field(3600, gt=0)

    def refuse_development_secrets(self, platform: PlatformSettings) -> None:
        super().refuse_development_secrets(platform)
        # a BSN and the municipality's token travel to income: over https, or to a Service inside the
        # cluster (a host without a dot, or *.svc[.cluster.local]) that the network policy guards
        url = urlsplit(self.income_url)
        host = url.hostname or ""
        in_cluster = "." not in host or host.endswith((".svc", ".svc.cluster.local"))
        if platform.environment != "development" and url.scheme != "https" and not in_cluster:
            raise ValueError(
                "outside development income is asked over https or inside the cluster (REAPPLICATION_INCOME_URL)"
            )
