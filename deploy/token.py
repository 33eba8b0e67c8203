"""`make token ROLE=municipality GEMEENTE=GM0363`: prints a development bearer token signed with
SCHAKEL_JWT_SECRET (the development default unless set). `development()` and `mint()` serve the
demo, the benchmark and the tests, which all run against the development configuration."""

from __future__ import annotations

import argparse

from schakel.api import Authenticator, Rol
from schakel.runtime import PlatformSettings

DEFAULT_OIN = {
    Rol.municipality: "00000001002220647000",
    Rol.uwv: "00000001003214345000",
    Rol.data_provider: "00000001805160327000",
    Rol.operator: "00000001823288444000",
    Rol.privacy_officer: "00000001823288444001",
    Rol.burger: "00000001002220647000",  # the municipality's DigiD login (its portal) signs the citizen in
}


def development() -> PlatformSettings:
    """The configuration `make run` and the tests start the services with: the development
    secrets, which only ever serve this machine."""
    return PlatformSettings(environment="development")


def mint(
    rol: Rol, *, oin: str | None = None, gemeente: str | None = None, sub: str | None = None, bsn: str | None = None
) -> str:
    """A development token for `rol` (its default OIN unless given); `sub` names the person acting,
    for a citizen (`burger`) it is their `bsn`, as DigiD gives it."""
    platform = development()
    if platform.jwt_secret is None:
        raise ValueError("tokens are signed with SCHAKEL_JWT_SECRET; none is configured")
    authenticator = Authenticator(
        audience=platform.jwt_audience, issuer=platform.jwt_issuer, secret=platform.jwt_secret.get_secret_value()
    )
    oin = oin or DEFAULT_OIN[rol]
    return authenticator.issue(
        oin=oin,
        rol=rol,
        gemeente=gemeente if rol is Rol.municipality else None,
        sub=bsn if rol is Rol.burger else sub or f"ontwikkelaar@{oin}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", required=True, choices=[r.value for r in Rol])
    parser.add_argument("--gemeente", default="")
    parser.add_argument("--oin", default="")
    parser.add_argument("--sub", default="")
    parser.add_argument("--bsn", default="")
    args = parser.parse_args()
    rol = Rol(args.role)
    if rol is Rol.municipality and not args.gemeente:
        parser.error("a municipality token needs GEMEENTE=GM....")
    if rol is Rol.burger and not args.bsn:
        parser.error("a citizen's token needs BSN=... (their own)")
    try:
        print(
            mint(rol, oin=args.oin or None, gemeente=args.gemeente or None, sub=args.sub or None, bsn=args.bsn or None)
        )
    except ValueError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    main()
