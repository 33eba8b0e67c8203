"""Who may do what on the broker, generated from the contract so that the ACLs cannot drift from it.

Principals (SASL/SCRAM user names, or a client certificate's CN):
- `schakel-<service>`: one of Schakel's services; its events' `ce_source` names SCHAKEL_OIN;
- `<party>-<OIN>`: an organisation outside Schakel (`x-partijen` in the contract: `leverancier`,
  `uwv`); the OIN in its name is the one its events must name in `ce_source`. It writes only its
  own topic of a per-party channel (`polisaangiften.<OIN>`), so a consumer knows from the topic
  which authenticated organisation wrote a record;
- `schakel-operator`: the dead-letter tooling (`make replay-dlq`): it reads the dead-letter topics
  and writes their records back where they came from;
- `schakel-console`: the operations console: what the operator may (it replays too), and it reads
  every topic's positions and newest record (only its headers are shown) and the services' groups'
  committed offsets (their lag), without joining them;
- `schakel-admin` and `kafka-broker`: super users (topics and ACLs; the broker itself).

Each service writes the topics it sends on, reads the topics it receives with its own group, and
writes their dead-letter topics; a party writes its own topics and reads what the contract says it
receives, with groups named after its principal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import IncompatibleBrokerVersion
from aiokafka.protocol.admin import CreateAclsRequest, CreateAclsRequestStruct

from schakel.events import Contract
from schakel.messaging.kafka import KafkaConfig, bounded

BROKER = "kafka-broker"
ADMIN = "schakel-admin"
OPERATOR = "schakel-operator"
CONSOLE = "schakel-console"
REPLAY_GROUP = "schakel-dlq-replay"


def service_principal(service: str) -> str:
    return f"schakel-{service}"


@dataclass(frozen=True)
class Party:
    """An organisation outside Schakel with its own principal: `role` is its `x-service`."""

    role: str
    oin: str

    @property
    def principal(self) -> str:
        return f"{self.role}-{self.oin}"


def principals(contract: Contract, parties: Iterable[Party]) -> list[str]:
    """Every principal the broker knows."""
    return [
        BROKER,
        ADMIN,
        OPERATOR,
        CONSOLE,
        *map(service_principal, contract.services),
        *(p.principal for p in parties),
    ]


# Kafka protocol codes (CreateAcls): resource type, pattern type, operation, permission
TOPIC, GROUP = 2, 3
LITERAL, PREFIXED = 3, 4
READ, WRITE, DESCRIBE = 3, 4, 8
ALLOW = 3


@dataclass(frozen=True, order=True)
class Acl:
    principal: str
    resource: int  # TOPIC or GROUP
    name: str
    operation: int  # READ or WRITE imply DESCRIBE
    pattern: int = LITERAL


def acls(contract: Contract, parties: Iterable[Party]) -> list[Acl]:
    parties = list(parties)

    def addresses(name: str, writer: Party | None = None) -> list[str]:
        topic = contract.topic(name)
        if topic.party is None:
            return [topic.name]
        return [topic.address(p.oin) for p in ([writer] if writer else parties) if p.role == topic.party]

    rules: set[Acl] = set()
    for op in contract.operations:
        if op.service in contract.services:
            me = service_principal(op.service)
            if op.action == "send":
                rules |= {Acl(me, TOPIC, t, WRITE) for t in addresses(op.topic)}
                continue
            rules |= {Acl(me, TOPIC, t, READ) for t in addresses(op.topic)}
            rules.add(Acl(me, GROUP, me, READ))
            dlq = contract.topic(op.topic).dlq
            if dlq:  # dead-letters what it cannot apply; measures what the replay has not taken
                rules |= {Acl(me, TOPIC, dlq, WRITE), Acl(me, GROUP, REPLAY_GROUP, DESCRIBE)}
        for party in (p for p in parties if p.role == op.service):
            if op.action == "send":
                rules |= {Acl(party.principal, TOPIC, t, WRITE) for t in addresses(op.topic, party)}
            else:
                rules |= {Acl(party.principal, TOPIC, t, READ) for t in addresses(op.topic)}
                rules.add(Acl(party.principal, GROUP, party.principal, READ, PREFIXED))
    for operator in (OPERATOR, CONSOLE):  # the replay
        for topic in contract.topics.values():
            if topic.dlq:
                rules.add(Acl(operator, TOPIC, topic.dlq, READ))
                rules |= {Acl(operator, TOPIC, t, WRITE) for t in addresses(topic.name)}
        rules.add(Acl(operator, GROUP, REPLAY_GROUP, READ))
    # the console's view: READ (it implies DESCRIBE, the positions) for the newest record's headers,
    # DESCRIBE of a service's group for its committed offsets: it can neither join nor move them
    rules |= {Acl(CONSOLE, TOPIC, t, READ) for topic in contract.topics.values() for t in addresses(topic.name)}
    receivers = {o.service for o in contract.operations if o.action == "receive"} & contract.services
    rules |= {Acl(CONSOLE, GROUP, service_principal(s), DESCRIBE) for s in receivers}
    return sorted(rules)


async def grant(config: KafkaConfig, rules: Iterable[Acl]) -> None:
    """Creates the ACLs (an existing one is left as it is); needs a principal allowed to alter them."""
    admin = AIOKafkaAdminClient(**config.connection())
    await bounded(admin.start(), config.timeout, "admin start")
    try:
        answer = await bounded(admin._send_request(_CreateAcls(list(rules))), config.timeout, "create acls")
        refused = [(error, message) for error, message in answer.creation_responses if error]
        if refused:
            raise RuntimeError(f"ACLs refused: {refused}")
    finally:
        await asyncio.wait_for(admin.close(), config.timeout)


class _CreateAcls(CreateAclsRequest):  # type: ignore[misc]  # aiokafka has no type hints
    """Every ACL in one CreateAcls request (aiokafka's admin client has no ACL call; its request
    carries one ACL each)."""

    def __init__(self, rules: list[Acl]) -> None:
        self._rules = rules

    def build(self, request_struct_class: type[CreateAclsRequestStruct]) -> CreateAclsRequestStruct:
        if request_struct_class.API_VERSION < 1:  # prefixed patterns came with version 1 (Kafka 2.0)
            raise IncompatibleBrokerVersion("CreateAcls version 1 or newer is needed")
        return request_struct_class(
            [(a.resource, a.name, a.pattern, f"User:{a.principal}", "*", a.operation, ALLOW) for a in self._rules]
        )
