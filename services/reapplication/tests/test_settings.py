"""Where reapplication may send a BSN and a municipality's token: income over https, or inside the
cluster; plain http to anywhere else is refused outside development."""

from types import SimpleNamespace

import pytest

from reapplication.settings import Settings

PRODUCTION = SimpleNamespace(environment="production", development_secrets=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://schakel-income:8081/api/v1",
        "http://schakel-income.schakel.svc:8081/api/v1",
        "http://schakel-income.schakel.svc.cluster.local:8081/api/v1",
        "https://income.schakel.example.nl/api/v1",
    ],
)
def test_income_inside_the_cluster_or_over_https_is_accepted(url):
    Settings(income_url=url).refuse_development_secrets(PRODUCTION)


def test_income_over_plain_http_elsewhere_is_refused_outside_development():
    settings = Settings(income_url="http://income.example.nl/api/v1")
    with pytest.raises(ValueError, match="REAPPLICATION_INCOME_URL"):
        settings.refuse_development_secrets(PRODUCTION)
    settings.refuse_development_secrets(SimpleNamespace(environment="development", development_secrets=True))
