"""Bearer JWT authentication and role-based authorization.

Claims: `oin` (the organisation's OIN, a 20-digit string), `sub` (the person acting), `role`
(municipality, uwv, data-provider, operator, privacy-officer, burger) and, for a municipality,
`gemeente` (GM + 4 digits). A `burger` token is the citizen's own, as the municipality's DigiD login
gives it: its `sub` is their BSN.
Development tokens are HS256 with a configured secret (`make token`); production validates RS/ES
tokens against the identity provider's JWKS (schakel.api.jwks).
"""

from __future__ import annotations

import re
from datetime import timedelta

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from schakel import logboek
from schakel.api.jwks import Jwks
from schakel.api.problems import Problem, standard
from schakel.caller import Caller, Rol
from schakel.clock import SYSTEM
from schakel.primitives import bsn

Principal = Caller  # the authenticated caller, as the routes call it


LEEWAY = 60  # seconds the identity provider's clock and ours may differ
BETROKKENE = "betrokkene"  # the acting user of a citizen's own request: the person the data is about


class Authenticator:
    """Verifies tokens: signed by the secret (development) or a JWKS key, for our audience and
    issuer, with `iat`, `exp` and `sub`, living at most `max_age` seconds."""

    def __init__(
        self,
        *,
        audience: str,
        issuer: str,
        secret: str | None = None,
        jwks: Jwks | None = None,
        max_age: float = 3600.0,
    ) -> None:
        if not secret and not jwks:
            raise ValueError("configure a JWT secret (development) or a JWKS URL (production)")
        self._audience, self._issuer, self._secret, self._jwks, self._max_age = audience, issuer, secret, jwks, max_age

    async def verify(self, token: str) -> Principal:
        try:
            if self._jwks:
                signing = await self._jwks.key(jwt.get_unverified_header(token).get("kid"))
                key, algorithms = signing.key, ["RS256", "ES256", "PS256"]
            else:
                key, algorithms = self._secret, ["HS256"]
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
            rol = Rol(claims["role"])
            oin, sub = claims["oin"], claims["sub"]
            lifetime = claims["exp"] - claims["iat"]
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise _unauthorized("Het token is ongeldig of verlopen.") from exc
        if lifetime > self._max_age:
            raise _unauthorized(f"Een token mag hoogstens {self._max_age:.0f} seconden geldig zijn.")
        if not (isinstance(sub, str) and sub.strip()):
            raise _unauthorized("Het token noemt geen handelende persoon (sub).")
        if not (isinstance(oin, str) and re.fullmatch(r"[0-9]{20}", oin)):
            raise _unauthorized("Het token bevat geen geldig OIN.")
        if rol is Rol.burger:
            # DigiD's subject is the BSN: kept apart, so the processing log never holds it as the user
            if not isinstance(sub, str) or bsn.why_invalid(sub):
                raise _unauthorized("Een burgertoken heeft het BSN van de persoon als sub.")
            return Principal(oin=oin, rol=rol, sub=BETROKKENE, bsn=sub, token=token)
        if sub == BETROKKENE:
            # the user of a citizen's own request only: the citizen's view of the log reads it as "you"
            # (schakel.runtime.verwerkingen), and would hide the organisation that acted
            raise _unauthorized("Het token noemt als handelende persoon (sub) de betrokkene zelf.")
        gemeente = claims.get("gemeente")
        if rol is Rol.municipality and not (isinstance(gemeente, str) and re.fullmatch(r"GM[0-9]{4}", gemeente)):
            raise _unauthorized("Een gemeentetoken moet een geldige gemeentecode bevatten.")
        return Principal(oin=oin, rol=rol, gemeente=gemeente if rol is Rol.municipality else None, sub=sub, token=token)

    def issue(
        self,
        *,
        oin: str,
        rol: Rol,
        gemeente: str | None = None,
        sub: str | None = None,
        ttl: timedelta = timedelta(hours=1),
    ) -> str:
        """Signs a development token (HS256 with the configured secret); `sub` defaults to the OIN."""
        if not self._secret:
            raise ValueError("tokens can only be issued with a development secret")
        now = SYSTEM.now()
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": now + ttl,
            "sub": sub or oin,
            "oin": oin,
            "role": rol.value,
        }
        if gemeente:
            claims["gemeente"] = gemeente
        return jwt.encode(claims, self._secret, algorithm="HS256")


def _unauthorized(detail: str) -> Problem:
    return standard(401, detail, headers={"WWW-Authenticate": "Bearer"})


_bearer = HTTPBearer(
    auto_error=False,
    description="OAuth2 bearer JWT met claims iss, aud, iat, exp (hoogstens een uur na iat), sub (wie handelt), "
    "oin (20 cijfers, als tekst), role en (gemeente) gemeente.",
)

# where the edge (schakel.api.edge) leaves the principal it verified before the body was read
PRINCIPAL = "schakel.principal"


async def authenticate(authenticator: Authenticator, authorization: str | None) -> Principal:
    """The principal of an `Authorization: Bearer <token>` header."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("Er is geen bearer-token meegestuurd.")
    return await authenticator.verify(token.strip())


class RoleGuard:
    """A dependency that admits only the given roles. The app factory reads `roles` to document
    each operation's security, its 401/403 responses and `x-rollen`; the edge checks them before
    the body is read."""

    def __init__(self, roles: tuple[Rol, ...]) -> None:
        self.roles = roles

    def admit(self, principal: Principal) -> Principal:
        if principal.rol not in self.roles:
            raise standard(403, f"De rol {principal.rol.value} heeft geen toegang tot deze operatie.")
        return principal

    async def __call__(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
    ) -> Principal:
        # `credentials` keeps the bearer scheme in the OpenAPI; an app outside the edge verifies here
        principal = request.scope.get(PRINCIPAL) or await authenticate(
            request.app.state.authenticator, f"Bearer {credentials.credentials}" if credentials else None
        )
        logboek.handelt(principal, request.scope["route"].operation_id)
        return self.admit(principal)


def requires(*roles: Rol) -> RoleGuard:
    return RoleGuard(roles)
