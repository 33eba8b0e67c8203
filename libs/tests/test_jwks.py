"""Production tokens are checked against the identity provider's JWKS, served over https by a real
local server with its own CA (trusted as a deployment would: SSL_CERT_FILE)."""

import datetime
import ipaddress
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from schakel.api import Authenticator, Principal, Problem, Rol
from schakel.api.jwks import Jwks

ISSUER, OIN = "https://idp.example", "00000001003214345000"


def certificates(tmp_path):
    """A CA, and a certificate for 127.0.0.1 it signed: (CA file, certificate file, key file)."""
    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject, issuer, public, signer, *extensions):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(signer, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate(
        "test-ca", "test-ca", ca_key.public_key(), ca_key, (x509.BasicConstraints(ca=True, path_length=0), True)
    )
    server = certificate(
        "127.0.0.1",
        "test-ca",
        server_key.public_key(),
        ca_key,
        (x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
    )
    files = tmp_path / "ca.pem", tmp_path / "server.pem", tmp_path / "server.key"
    files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return files


class IdentityProvider:
    """Serves the public halves of `keys` (kid -> private key) at /jwks over https; counts fetches."""

    def __init__(self, cert, key) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                provider.fetches += 1
                body = json.dumps({"keys": [provider.jwk(kid) for kid in list(provider.keys)]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/jwks"

    def jwk(self, kid: str) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key()))
        return public | {"kid": kid, "use": "sig", "alg": "RS256"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def idp(tmp_path, monkeypatch):
    ca, cert, key = certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    provider = IdentityProvider(cert, key)
    yield provider
    provider.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token(key, kid: str, **claims) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": "schakel", "iat": now, "exp": now + 300, "sub": "s", "oin": OIN, "role": "uwv"}
    return jwt.encode(body | claims, key, algorithm="RS256", headers={"kid": kid})


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


async def test_a_rotated_key_is_picked_up_and_a_withdrawn_one_stops_working(idp):
    clock = Clock()
    production = Authenticator(
        audience="schakel", issuer=ISSUER, jwks=Jwks(idp.url, ttl=300, min_refresh=10, clock=clock)
    )
    old, new = rsa_key(), rsa_key()
    idp.keys = {"2026-1": old}
    assert await production.verify(token(old, "2026-1")) == Principal(OIN, Rol.uwv, sub="s")

    idp.keys = {"2026-1": old, "2026-2": new}  # rotation: the new key is published next to the old
    clock.now += 10
    assert await production.verify(token(new, "2026-2")) == Principal(OIN, Rol.uwv, sub="s"), (
        "an unknown kid fetches again"
    )
    assert idp.fetches == 2

    idp.keys = {"2026-2": new}  # the old key is withdrawn
    clock.now += 299
    assert await production.verify(token(old, "2026-1")), "trusted until the cache (fetched at rotation) expires"
    clock.now += 1
    with pytest.raises(Problem) as caught:
        await production.verify(token(old, "2026-1"))
    assert caught.value.status == 401 and idp.fetches == 3
    assert await production.verify(token(new, "2026-2"))


async def test_forged_tokens_and_unknown_kids_are_refused_without_hammering_the_provider(idp):
    clock = Clock()
    production = Authenticator(audience="schakel", issuer=ISSUER, jwks=Jwks(idp.url, clock=clock))
    key = rsa_key()
    idp.keys = {"k1": key}
    for forged in (
        token(rsa_key(), "k1"),
        jwt.encode({"iss": ISSUER, "aud": "schakel", "oin": OIN, "role": "uwv"}, "s" * 32, headers={"kid": "k1"}),
        *(token(key, f"kid-{n}") for n in range(20)),
    ):
        with pytest.raises(Problem) as caught:
            await production.verify(forged)
        assert caught.value.status == 401
    assert idp.fetches == 1, "unknown kids fetch the set again at most every min_refresh seconds"


async def test_an_unreachable_identity_provider_is_a_503_not_a_401(idp):
    production = Authenticator(audience="schakel", issuer=ISSUER, jwks=Jwks(idp.url))
    key = rsa_key()
    idp.keys = {"k1": key}
    idp.close()
    with pytest.raises(Problem) as caught:
        await production.verify(token(key, "k1"))
    assert caught.value.status == 503


async def test_an_untrusted_certificate_is_refused(idp, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE")
    production = Authenticator(audience="schakel", issuer=ISSUER, jwks=Jwks(idp.url))
    key = rsa_key()
    idp.keys = {"k1": key}
    with pytest.raises(Problem) as caught:
        await production.verify(token(key, "k1"))
    assert caught.value.status == 503 and idp.fetches == 0


def test_the_jwks_is_fetched_over_https_only():
    with pytest.raises(ValueError, match="https"):
        Jwks("http://idp.example/jwks")
