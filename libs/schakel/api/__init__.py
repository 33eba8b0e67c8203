"""HTTP conventions shared by every Schakel API (NL API Design Rules)."""

from schakel.api.app import API_PREFIX, app_ports, create_app, zoekpad
from schakel.api.auth import Authenticator, Principal, requires
from schakel.api.idempotency import Idempotent
from schakel.api.problems import Problem
from schakel.caller import Rol

__all__ = [
    "API_PREFIX",
    "app_ports",
    "Authenticator",
    "Idempotent",
    "Principal",
    "Problem",
    "Rol",
    "create_app",
    "requires",
    "zoekpad",
]
