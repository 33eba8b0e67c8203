"""Wires one Schakel service: settings, database, outbox relay, consumers, API and lifecycle."""

from schakel.runtime.service import Service, authenticator
from schakel.runtime.settings import PlatformSettings, ServiceSettings

__all__ = ["PlatformSettings", "Service", "ServiceSettings", "authenticator"]
