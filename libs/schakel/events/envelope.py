"""CloudEvents 1.0 (NL GOV profile), Kafka protocol binding, binary content mode.

The JSON data is the message value; context attributes travel as `ce_`-prefixed headers;
`content-type` carries the data content type. No attribute carries personal data: the person is
only in the data and, pseudonymised, in the message key.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from schakel.clock import SYSTEM

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
REQUIRED = ("id", "source", "specversion", "type")
# the NL GOV profile's source: the organisation by its OIN and the system that sent the event
SOURCE = re.compile(r"urn:nld:oin:[0-9]{20}:systeem:[a-z-]+")  # as contracts/asyncapi.yaml says
MAX_ID, MAX_SOURCE = 200, 300  # the inbox keeps (source, id)
# an event type is a dotted lower-case name (`nl.schakel.verrekening.vastgesteld`); the sender chooses it,
# so anything else is refused before a reason, a log line or a metric could quote or count it
TYPE, MAX_TYPE = re.compile(r"[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+"), 100
# the CloudEvents sequence extension: per source and person, zero-padded so that it orders as a
# string (as the extension asks) and as a number
SEQUENCE = re.compile(r"[0-9]{20}")


def new_id() -> str:
    """A UUIDv7 (RFC 9562): the time in milliseconds, then 74 random bits. Ids made close together
    sort close together, so the indexes keyed on them (every consumer's inbox, the outbox) grow at
    one end rather than everywhere: a random id cost PostgreSQL 1,6 times the CPU per inserted row."""
    ms, rand = time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10), "big")
    bits = (ms & (1 << 48) - 1) << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62 | rand & (1 << 62) - 1
    return str(uuid.UUID(int=bits))


class InvalidEvent(ValueError):
    """A message that is not a valid Schakel event; it belongs on the dead-letter topic."""


@dataclass(frozen=True)
class Event:
    type: str
    source: str
    data: dict[str, Any]
    key: str
    id: str = field(default_factory=new_id)
    time: str = field(default_factory=lambda: SYSTEM.now().isoformat())
    dataschema: str | None = None
    # the event's place among its source's events about the same person (record key), given by the
    # outbox in the transaction that wrote it; None from outside parties and before 2.1.0
    sequence: int | None = None

    def attributes(self) -> dict[str, str]:
        attrs = {"id": self.id, "source": self.source, "specversion": SPECVERSION, "type": self.type, "time": self.time}
        if self.dataschema:
            attrs["dataschema"] = self.dataschema
        if self.sequence is not None:
            attrs["sequence"] = f"{self.sequence:020d}"
        return attrs


def encode(event: Event) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Returns (key, value, headers) for the Kafka record."""
    headers = [(f"ce_{k}", v.encode()) for k, v in event.attributes().items()]
    headers.append(("content-type", CONTENT_TYPE.encode()))
    value = orjson.dumps(event.data)  # compact UTF-8, as json.dumps with separators (",", ":") and ensure_ascii off
    return event.key.encode(), value, headers


def decode(key: bytes | None, value: bytes | None, headers: Iterable[tuple[str, bytes | None]] | None) -> Event:
    attrs: dict[str, str] = {}
    content_type = None
    for name, raw in headers or ():
        if not (name.startswith("ce_") or name == "content-type"):
            continue  # not read (a trace context, a dead letter's own)
        try:
            text = raw.decode() if raw is not None else ""
        except UnicodeDecodeError as exc:
            raise InvalidEvent("a CloudEvents header or the content-type is not UTF-8") from exc  # not its name
        if name == "content-type":
            content_type = text
        else:
            attrs[name[3:]] = text
    missing = [a for a in REQUIRED if not attrs.get(a)]
    if missing:
        raise InvalidEvent(f"missing CloudEvents attribute(s): {', '.join('ce_' + m for m in missing)}")
    if attrs["specversion"] != SPECVERSION:
        raise InvalidEvent("unsupported specversion")
    if not SOURCE.fullmatch(attrs["source"]):
        raise InvalidEvent("ce_source is not urn:nld:oin:<OIN>:systeem:<naam>")
    if len(attrs["source"]) > MAX_SOURCE:
        raise InvalidEvent(f"ce_source is longer than {MAX_SOURCE} characters")
    if len(attrs["type"]) > MAX_TYPE or not TYPE.fullmatch(attrs["type"]):
        raise InvalidEvent(f"ce_type is not an event type: a dotted lower-case name of at most {MAX_TYPE} characters")
    if len(attrs["id"]) > MAX_ID:
        raise InvalidEvent(f"ce_id is longer than {MAX_ID} characters")
    if attrs.get("time") and not _is_timestamp(attrs["time"]):
        raise InvalidEvent("ce_time is not an RFC 3339 timestamp")
    if attrs.get("sequence") and not SEQUENCE.fullmatch(attrs["sequence"]):
        raise InvalidEvent("ce_sequence is not a number of 20 digits")
    if content_type is not None and content_type.split(";")[0].strip() != CONTENT_TYPE:
        raise InvalidEvent("unsupported content-type")
    if not key:
        raise InvalidEvent("the message has no key (person pseudonym)")
    try:
        data = json.loads(value or b"")  # not orjson: it reads an integer beyond 64 bits as an inexact float
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"the data is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidEvent("the data must be a JSON object")
    return Event(
        type=attrs["type"],
        source=attrs["source"],
        data=data,
        key=key.decode(errors="replace"),
        id=attrs["id"],
        time=attrs.get("time", ""),
        dataschema=attrs.get("dataschema"),
        sequence=int(attrs["sequence"]) if attrs.get("sequence") else None,
    )


def _is_timestamp(text: str) -> bool:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None and "T" in text.upper() and 1900 <= moment.year <= 2100
