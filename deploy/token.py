"""`make token ROLE=municipality GEMEENTE=GM0363`: prints a development bearer token signed with
SCHAKEL_JWT_SECRET (the development default unless set)."""

from __future__ import annotations

import argparse

from schakel.api import Authenticator, Rol
from schakel.runtime import PlatformSettings

DEFAULT_OIN = {
    Rol.municipality: "00000001002220647000",
    Rol.uwv: "00000001003214345000",
    Rol.data_provider: "00000001805160327000",
    Rol.operator: "00000001823288444000",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", required=True, choices=[r.value for r in Rol])
    parser.add_argument("--gemeente", default="")
    parser.add_argument("--oin", default="")
    args = parser.parse_args()
    rol = Rol(args.role)
    if rol is Rol.municipality and not args.gemeente:
        parser.error("a municipality token needs GEMEENTE=GM....")
    platform = PlatformSettings()
    if platform.jwt_secret is None:
        parser.error("tokens are signed with SCHAKEL_JWT_SECRET; none is configured")
    authenticator = Authenticator(
        audience=platform.jwt_audience, issuer=platform.jwt_issuer, secret=platform.jwt_secret.get_secret_value()
    )
    print(
        authenticator.issue(
            oin=args.oin or DEFAULT_OIN[rol], rol=rol, gemeente=args.gemeente if rol is Rol.municipality else None
        )
    )


if __name__ == "__main__":
    main()
