"""Reliable messaging: transactional outbox + relay, batched idempotent consumer, dead letters."""

from schakel.messaging import inbox
from schakel.messaging.consumer import (
    BatchHandler,
    ConsumerRunner,
    Handler,
    Undecodable,
    Undecoded,
    refused_reason,
)
from schakel.messaging.errors import BrokerUnavailable, MessagingError, PermanentError
from schakel.messaging.kafka import KafkaConfig, create_topics
from schakel.messaging.outbox import Outbox
from schakel.messaging.relay import OutboxRelay

__all__ = [
    "BatchHandler",
    "BrokerUnavailable",
    "ConsumerRunner",
    "Handler",
    "KafkaConfig",
    "MessagingError",
    "Outbox",
    "OutboxRelay",
    "PermanentError",
    "Undecodable",
    "refused_reason",
    "Undecoded",
    "create_topics",
    "inbox",
]
