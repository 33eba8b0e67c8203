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


@pytest.mark.parametrize("claims", [
    {"oin": "00000001002220647000", "role": "municipality"},  # no gemeente
    {"oin": "00000001002220647000", "role": "municipality", "gemeente": "0363"},
    {"oin": "123", "role": "uwv"},
    {"oin": "00000001002220647000", "role": "burger"},
    {"role": "uwv"},
])
def test_tokens_with_bad_claims_are_refused(claims):
    token = jwt.encode({"iss": "schakel-dev", "aud": "schakel", "exp": 4102444800, **claims}, SECRET)
    with pytest.raises(Problem) as caught:
        auth.verify(token)
    assert caught.value.status == 401


@pytest.mark.parametrize("token", [
    auth.issue(oin="00000001002220647000", rol=Rol.uwv, ttl=timedelta(seconds=-1)),  # expired
    Authenticator(audience="other", issuer="schakel-dev", secret=SECRET).issue(oin="00000001002220647000", rol=Rol.uwv),
    Authenticator(audience="schakel", issuer="schakel-dev", secret="another-secret-of-enough-length-00").issue(
        oin="00000001002220647000", rol=Rol.uwv),
    jwt.encode({"iss": "schakel-dev", "aud": "schakel", "oin": "00000001002220647000", "role": "uwv"}, SECRET),  # no exp
    "not-a-jwt",
])
def test_expired_foreign_or_malformed_tokens_are_refused(token):
    with pytest.raises(Problem) as caught:
        auth.verify(token)
    assert caught.value.status == 401 and caught.value.headers == {"WWW-Authenticate": "Bearer"}


def test_an_authenticator_needs_a_secret_or_a_jwks_url():
    with pytest.raises(ValueError):
        Authenticator(audience="schakel", issuer="schakel-dev")
