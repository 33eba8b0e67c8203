from datetime import timedelta

import jwt
import pytest

from schakel.api import Authenticator, Principal, Problem, Rol

SECRET = "test-secret-of-sufficient-length-0000"
auth = Authenticator(audience="schakel", issuer="schakel-dev", secret=SECRET)


def test_issued_tokens_verify_to_their_principal():
    token = auth.issue(oin="00000001002220647000", rol=Rol.municipality, gemeente="GM0363")
    assert auth.verify(token) == Principal("00000001002220647000", Rol.municipality, "GM0363")
    uwv = auth.issue(oin="00000001003214345000", rol=Rol.uwv, gemeente="GM0363")
    assert auth.verify(uwv).gemeente is None, "only a municipality acts for a gemeente"


@pytest.mark.parametrize(
    "claims",
    [
        {"oin": "00000001002220647000", "role": "municipality"},  # no gemeente
        {"oin": "00000001002220647000", "role": "municipality", "gemeente": "0363"},
        {"oin": "123", "role": "uwv"},
        {"oin": "00000001002220647000", "role": "burger"},
        {"role": "uwv"},
    ],
)
def test_tokens_with_bad_claims_are_refused(claims):
    token = jwt.encode({"iss": "schakel-dev", "aud": "schakel", "exp": 4102444800, **claims}, SECRET)
    with pytest.raises(Problem) as caught:
        auth.verify(token)
    assert caught.value.status == 401


@pytest.mark.parametrize(
    "token",
    [
        auth.issue(oin="00000001002220647000", rol=Rol.uwv, ttl=timedelta(seconds=-1)),  # expired
        Authenticator(audience="other", issuer="schakel-dev", secret=SECRET).issue(
            oin="00000001002220647000", rol=Rol.uwv
        ),
        Authenticator(audience="schakel", issuer="schakel-dev", secret="another-secret-of-enough-length-00").issue(
            oin="00000001002220647000", rol=Rol.uwv
        ),
        jwt.encode(
            {"iss": "schakel-dev", "aud": "schakel", "oin": "00000001002220647000", "role": "uwv"}, SECRET
        ),  # no exp
        "not-a-jwt",
    ],
)
def test_expired_foreign_or_malformed_tokens_are_refused(token):
    with pytest.raises(Problem) as caught:
        auth.verify(token)
    assert caught.value.status == 401 and caught.value.headers == {"WWW-Authenticate": "Bearer"}


def test_an_authenticator_needs_a_secret_or_a_jwks_url():
    with pytest.raises(ValueError):
        Authenticator(audience="schakel", issuer="schakel-dev")


def test_production_validates_against_the_identity_providers_jwks():
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cryptography.hazmat.primitives.asymmetric import rsa

    key, other = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())) | {"kid": "k1", "use": "sig", "alg": "RS256"}

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = json.dumps({"keys": [jwk]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        production = Authenticator(
            audience="schakel",
            issuer="https://idp.example",
            jwks_url=f"http://127.0.0.1:{server.server_address[1]}/jwks",
        )
        claims = {
            "iss": "https://idp.example",
            "aud": "schakel",
            "exp": 4102444800,
            "oin": "00000001003214345000",
            "role": "uwv",
        }
        signed = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
        assert production.verify(signed) == Principal("00000001003214345000", Rol.uwv)
        for forged in (
            jwt.encode(claims, other, algorithm="RS256", headers={"kid": "k1"}),
            jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "k1"}),
        ):
            with pytest.raises(Problem):
                production.verify(forged)
    finally:
        server.shutdown()


def test_placeholder_secrets_are_refused_outside_development(monkeypatch):
    from pydantic import ValidationError

    from schakel.runtime import PlatformSettings

    monkeypatch.setenv("SCHAKEL_ENVIRONMENT", "production")
    monkeypatch.setenv("SCHAKEL_JWKS_URL", "https://idp.example/jwks")
    monkeypatch.setenv("SCHAKEL_JWT_SECRET", "")
    with pytest.raises(ValidationError, match="placeholder"):
        PlatformSettings()
    monkeypatch.setenv("SCHAKEL_PSEUDONYM_KEY", "a-real-key-from-the-vault-0123456789")
    with pytest.raises(ValidationError, match="over TLS"):
        PlatformSettings()  # a plaintext broker
    monkeypatch.setenv("SCHAKEL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("SCHAKEL_KAFKA_PASSWORD", "ontwikkeling-0123456789abcdef")  # as deploy/kafka_security makes
    with pytest.raises(ValidationError, match="development broker credentials"):
        PlatformSettings()
    monkeypatch.setenv("SCHAKEL_KAFKA_PASSWORD", "a-real-password-from-the-vault")
    assert PlatformSettings().environment == "production"
