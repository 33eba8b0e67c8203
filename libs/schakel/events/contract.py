"""The event contract: topics, partitions and event types from contracts/asyncapi.yaml, each
event type's data schema from contracts/events/. Producers and consumers both validate here."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from schakel.events.envelope import Event, InvalidEvent
from schakel.primitives.bsn import elfproef, why_invalid

FORMATS = FormatChecker()


@FORMATS.checks("bsn")
def _is_bsn(value: object) -> bool:
    return not isinstance(value, str) or why_invalid(value) is None


@FORMATS.checks("loonheffingennummer")
def _is_loonheffingennummer(value: object) -> bool:
    # the pattern is checked separately; this adds the elfproef of the fiscal number
    return not isinstance(value, str) or not value[:9].isdigit() or elfproef(value[:9])


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


# the same formats for the compiled fast path (which only sees strings)
FAST_FORMATS: dict[str, str | Callable[[Any], bool]] = {
    "bsn": _is_bsn,
    "loonheffingennummer": _is_loonheffingennummer,
    "date": _is_date,
    "uuid": r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$",
}

CONTRACTS = Path(os.environ.get("SCHAKEL_CONTRACTS", Path(__file__).resolve().parents[3] / "contracts"))


OIN_PARAMETER = "{oin}"
# not naming the type: the sender chose it (it could hold a BSN), and the reason is logged and kept
NOT_IN_CONTRACT = "the event type is not in the contract"


@dataclass(frozen=True)
class Topic:
    name: str  # the channel's address; `polisaangiften.{oin}` for a channel with a topic per party
    partitions: int
    event_types: frozenset[str]
    dlq: str | None  # None for a dead-letter topic itself
    party: str | None = None  # the outside party (x-service) that writes it, one topic per organisation
    replicas: int = 1  # copies of each partition, on as many brokers
    min_insync: int = 1  # copies that must have a record before the broker acknowledges it (acks=all)

    def address(self, oin: str) -> str:
        """The topic that the party with this OIN writes (a channel with a topic per party)."""
        return self.name.replace(OIN_PARAMETER, oin)

    @property
    def pattern(self) -> str:
        """A regular expression for the channel's topic names."""
        return re.escape(self.name).replace(re.escape(OIN_PARAMETER), "[0-9]{20}")

    def writer(self, topic: str) -> str | None:
        """The OIN of the party whose topic this is; None where the channel has one topic."""
        return topic.removeprefix(self.name.split(OIN_PARAMETER)[0]) if self.party else None


@dataclass(frozen=True)
class Operation:
    service: str
    action: str  # "send" or "receive"
    topic: str
    event_types: frozenset[str]


class Contract:
    def __init__(self, document: dict[str, Any], base: Path) -> None:
        messages = document["components"]["messages"]
        self._validators: dict[str, Draft202012Validator] = {}
        self._fast: dict[str, Callable[[Any], object]] = {}
        self._schema_refs: dict[str, str] = {}
        for message in messages.values():
            if "payload" in message and "$ref" in message["payload"]:
                ref = message["payload"]["$ref"]
                schema = json.loads((base / ref).read_text())
                Draft202012Validator.check_schema(schema)
                self._validators[message["name"]] = Draft202012Validator(schema, format_checker=FORMATS)
                # compiled to Python: valid events (nearly all) pass many times faster; without the
                # detailed exceptions a null tried against an optional object's branch first costs less
                # (the full validator below describes a failure); a check, so it fills in no defaults
                self._fast[message["name"]] = fastjsonschema.compile(
                    _nullable_as_type({k: v for k, v in schema.items() if k != "$schema"}),
                    formats=FAST_FORMATS,
                    detailed_exceptions=False,
                    use_default=False,
                )
                self._schema_refs[message["name"]] = schema["$id"]
        self.topics: dict[str, Topic] = {}
        for channel in document["channels"].values():
            kafka = channel["bindings"]["kafka"]
            types = frozenset(_resolve(document, m["$ref"])["name"] for m in channel["messages"].values())
            self.topics[channel["address"]] = Topic(
                channel["address"],
                kafka["partitions"],
                types & set(self._validators),
                kafka.get("x-dlq"),
                channel.get("x-partij"),
                kafka.get("replicas", 1),
                kafka.get("topicConfiguration", {}).get("min.insync.replicas", 1),
            )
        self.operations = [
            Operation(
                op["x-service"],
                op["action"],
                _resolve(document, op["channel"]["$ref"])["address"],
                frozenset(_resolve(document, m["$ref"])["name"] for m in op["messages"]),
            )
            for op in document["operations"].values()
        ]
        # Schakel's own services and the organisations outside it (contracts/README.md: principals)
        self.parties = frozenset(document["x-partijen"])
        self.services = frozenset(o.service for o in self.operations) - self.parties
        self._physical = {re.compile(t.pattern): t for t in self.topics.values() if t.party}
        self._topic_of = {t: topic.name for topic in self.topics.values() for t in topic.event_types}

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._validators)

    def topic_of(self, event_type: str) -> str:
        try:
            return self._topic_of[event_type]
        except KeyError:
            raise InvalidEvent(NOT_IN_CONTRACT) from None

    def topic(self, name: str) -> Topic:
        """The channel of a topic name, also of one party's own topic (`polisaangiften.<OIN>`)."""
        if name in self.topics:
            return self.topics[name]
        for pattern, topic in self._physical.items():
            if pattern.fullmatch(name):
                return topic
        raise KeyError(name)

    def dataschema(self, event_type: str) -> str:
        return self._schema_refs[event_type]

    def sends(self, service: str) -> frozenset[str]:
        return frozenset().union(
            *(o.event_types for o in self.operations if o.service == service and o.action == "send")
        )

    def receives(self, service: str) -> dict[str, frozenset[str]]:
        return {o.topic: o.event_types for o in self.operations if o.service == service and o.action == "receive"}

    def validate(self, event: Event) -> None:
        validator = self._validators.get(event.type)
        if validator is None:
            raise InvalidEvent(NOT_IN_CONTRACT)
        try:
            self._fast[event.type](event.data)
            return
        except fastjsonschema.JsonSchemaValueException as exc:
            fast_rule = exc.message  # names the place and the rule, never the value
        # the full validator names the field and the rule precisely
        error = next(iter(sorted(validator.iter_errors(event.data), key=lambda e: e.path)), None)
        if error is not None:
            # name the field and the rule, never the value: it may be personal data
            where = "/" + "/".join(str(p) for p in error.absolute_path)
            if error.validator == "required":
                rule = error.message  # names the contract's property, not a value
            # (an unexpected property is not named: the sender chose its name, which may be a BSN)
            else:
                rule = f"{error.validator} {json.dumps(error.validator_value)}"
            raise InvalidEvent(f"data{where if where != '/' else ''}: {rule}")
        raise InvalidEvent(fast_rule)


# the keywords that constrain only a value of one JSON type (a value of another type passes them)
_ONLY_OF_TYPE = {
    "string": {"pattern", "format", "minLength", "maxLength", "contentEncoding", "contentMediaType"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "object": {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "dependentRequired",
    },
    "array": {"items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains"},
    "boolean": set(),
}
# and those that constrain nothing
_ANNOTATIONS = {"description", "title", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
# values, not schemas: left as they are (a property of one of these names is left too, which only
# leaves it slower)
_DATA = {"enum", "const", "default", "examples"}


def _nullable_as_type(schema: Any) -> Any:
    """The schema with each `anyOf: [{"type": T, ...}, {"type": "null"}]` written as the equivalent
    `{"type": [T, "null"], ...}` (every other keyword of the branch constrains only a value of type T, so
    null passes them as it passed the null branch), for the compiled fast path: it tried the first branch
    and, for a null, built and caught an exception (with the message of every local in scope) to get to
    the second, some microseconds per nullable field in every event checked. Anything else is left as it is;
    what the contract allows does not change, and a failure is still described by the full validator."""
    if isinstance(schema, list):
        return [_nullable_as_type(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {k: v if k in _DATA else _nullable_as_type(v) for k, v in schema.items()}
    branches = schema.get("anyOf")
    if (
        isinstance(branches, list)
        and len(branches) == 2
        and set(schema) - _ANNOTATIONS == {"anyOf"}
        and {"type": "null"} in branches
    ):
        other = branches[0] if branches[1] == {"type": "null"} else branches[1]
        kind = other.get("type") if isinstance(other, dict) else None
        if (
            isinstance(kind, str)
            and kind in _ONLY_OF_TYPE
            and set(other) - _ANNOTATIONS - {"type"} <= _ONLY_OF_TYPE[kind]
        ):
            return {k: v for k, v in schema.items() if k != "anyOf"} | other | {"type": [kind, "null"]}
    return schema


def _resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return _resolve(document, node["$ref"]) if "$ref" in node else node


@functools.cache
def load_contract(path: Path = CONTRACTS) -> Contract:
    return Contract(yaml.safe_load((path / "asyncapi.yaml").read_text()), path)
