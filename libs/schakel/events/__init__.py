"""CloudEvents (NL GOV profile) in Kafka binary mode, validated against contracts/."""

from schakel.events.contract import Contract, Topic, load_contract
from schakel.events.envelope import Event, InvalidEvent, decode, encode
from schakel.events.pseudonym import Pseudonymiser

__all__ = [
    "Contract",
    "Event",
    "InvalidEvent",
    "Pseudonymiser",
    "Topic",
    "decode",
    "encode",
    "load_contract",
]
