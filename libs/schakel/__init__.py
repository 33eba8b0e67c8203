"""Schakel's shared backbone: events, messaging, API conventions, persistence, telemetry."""
