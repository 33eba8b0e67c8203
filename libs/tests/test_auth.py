import time
from datetime import timedelta

import jwt
import pytest

from schakel.api import Authenticator, Principal, Problem, Rol

SECRET = "test-secret-of-sufficient-length-0000"
auth = Authenticator(audience="schakel", issuer="schakel-dev", secret=SECRET)
OIN = "00000001002220647000"


def signed(**claims) -> str:
    now = int(time.time())
    base = {"iss": "schakel-dev", "aud": "schakel", "iat": now, "exp": now + 600, "sub": "medewerker-17"}
    return jwt.encode({k: v for k, v in (base | claims).items() if v is not None}, SECRET)


async def test_issued_tokens_verify_to_their_principal():
    token = auth.issue(oin=OIN, rol=Rol.municipality, gemeente="GM0363", sub="medewerker-17")
    assert await auth.verify(token) == Principal(OIN, Rol.municipality, "GM0363", sub="medewerker-17")
    uwv = auth.issue(oin="00000001003214345000", rol=Rol.uwv, gemeente="GM0363")
    assert (await auth.verify(uwv)).gemeente is None, "only a municipality acts for a gemeente"
    claims = jwt.decode(token, SECRET, audience="schakel", algorithms=["HS256"])
    assert claims["sub"] == "medewerker-17" and claims["exp"] - claims["iat"] == 3600


@pytest.mark.parametrize(
    "claims",
    [
        {"oin": OIN, "role": "municipality"},  # no gemeente
        {"oin": OIN, "role": "municipality", "gemeente": "0363"},
        {"oin": "123", "role": "uwv"},
        {"oin": 1002220647000, "role": "uwv"},  # an OIN is a string: an integer loses its leading zeros
        {"oin": OIN, "role": "burger"},
        {"role": "uwv"},
        {"oin": OIN, "role": "uwv", "sub": None},  # nobody acting
        {"oin": OIN, "role": "uwv", "sub": " "},
        # the user of a citizen's own request: the citizen's own view of the log would read it as theirs
        {"oin": OIN, "role": "municipality", "gemeente": "GM0363", "sub": "betrokkene"},
        {"oin": OIN, "role": "privacy-officer", "sub": "betrokkene"},
        {"oin": OIN, "role": "uwv", "iat": None},  # age unknown
        {"oin": OIN, "role": "uwv", "exp": None},
        {"oin": OIN, "role": "uwv", "exp": int(time.time()) + 10 * 365 * 86400},  # lives ten years
        # issued in the future, by more than the leeway however long after collection the test runs
        {"oin": OIN, "role": "uwv", "iat": int(time.time()) + 3600, "exp": int(time.time()) + 4200},
    ],
)
async def test_tokens_with_bad_or_missing_claims_are_refused(claims):
    with pytest.raises(Problem) as caught:
        await auth.verify(signed(**claims))
    assert caught.value.status == 401


async def test_clocks_may_differ_by_a_minute():
    now = int(time.time())
    for claims in ({"nbf": now + 50}, {"iat": now + 50}, {"iat": now - 660, "exp": now - 50}):
        assert await auth.verify(signed(oin=OIN, role="uwv", **claims)) == Principal(OIN, Rol.uwv, sub="medewerker-17")
    with pytest.raises(Problem):
        await auth.verify(signed(oin=OIN, role="uwv", iat=now - 700, exp=now - 70))


async def test_a_token_may_live_at_most_the_maximum_age():
    strict = Authenticator(audience="schakel", issuer="schakel-dev", secret=SECRET, max_age=300)
    with pytest.raises(Problem) as caught:
        await strict.verify(strict.issue(oin=OIN, rol=Rol.uwv, ttl=timedelta(seconds=301)))
    assert "300 seconden" in caught.value.detail
    assert await strict.verify(strict.issue(oin=OIN, rol=Rol.uwv, ttl=timedelta(seconds=300)))


@pytest.mark.parametrize(
    "token",
    [
        auth.issue(oin=OIN, rol=Rol.uwv, ttl=timedelta(seconds=-61)),  # expired beyond the leeway
        Authenticator(audience="other", issuer="schakel-dev", secret=SECRET).issue(oin=OIN, rol=Rol.uwv),
        Authenticator(audience="schakel", issuer="schakel-dev", secret="another-secret-of-enough-length-00").issue(
            oin=OIN, rol=Rol.uwv
        ),
        "not-a-jwt",
    ],
)
async def test_expired_foreign_or_malformed_tokens_are_refused(token):
    with pytest.raises(Problem) as caught:
        await auth.verify(token)
    assert caught.value.status == 401 and caught.value.headers == {"WWW-Authenticate": "Bearer"}


def test_an_authenticator_needs_a_secret_or_a_jwks():
    with pytest.raises(ValueError):
        Authenticator(audience="schakel", issuer="schakel-dev")


def test_without_development_declared_the_development_secrets_are_refused(monkeypatch):
    from pydantic import ValidationError

    from schakel.runtime import PlatformSettings

    monkeypatch.delenv("SCHAKEL_ENVIRONMENT", raising=False)
    with pytest.raises(ValidationError, match="placeholder"):
        PlatformSettings()  # fails closed: production unless told otherwise
    monkeypatch.setenv("SCHAKEL_JWKS_URL", "https://idp.example/jwks")
    monkeypatch.setenv("SCHAKEL_JWT_SECRET", "")
    with pytest.raises(ValidationError, match="placeholder"):
        PlatformSettings()  # the pseudonym key is still the development one
    monkeypatch.setenv("SCHAKEL_PSEUDONYM_KEY", "a-real-key-from-the-vault-0123456789")
    with pytest.raises(ValidationError, match="over TLS"):
        PlatformSettings()  # a plaintext broker
    monkeypatch.setenv("SCHAKEL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("SCHAKEL_KAFKA_PASSWORD", "ontwikkeling-0123456789abcdef")  # as deploy/kafka_security makes
    with pytest.raises(ValidationError, match="development broker credentials"):
        PlatformSettings()
    monkeypatch.setenv("SCHAKEL_KAFKA_PASSWORD", "a-real-password-from-the-vault")
    with pytest.raises(ValidationError, match="BRP is asked over https"):
        PlatformSettings()  # the stand-in's plain http: a BSN would travel in clear
    monkeypatch.setenv("SCHAKEL_BRP_URL", "https://brp.example.nl/haalcentraal/api/brp")
    assert PlatformSettings().environment == "production"
    monkeypatch.setenv("SCHAKEL_JWKS_URL", "http://idp.example/jwks")
    with pytest.raises(ValidationError, match="https"):
        PlatformSettings()


def test_the_development_secrets_serve_only_a_loopback_address():
    from schakel.runtime import PlatformSettings, ServiceSettings

    development = PlatformSettings(environment="development")
    for host in ("127.0.0.1", "::1", "localhost"):
        ServiceSettings(host=host, port=1).refuse_development_secrets(development)
    for host in ("0.0.0.0", "10.1.2.3", "schakel.example.nl"):
        with pytest.raises(ValueError, match="non-loopback"):
            ServiceSettings(host=host, port=1).refuse_development_secrets(development)
    own = PlatformSettings(
        environment="development", jwt_secret="own-secret-0123456789", pseudonym_key="own-key-0123456789"
    )
    ServiceSettings(host="0.0.0.0", port=1).refuse_development_secrets(own)
