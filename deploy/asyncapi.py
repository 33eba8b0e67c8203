"""contracts/asyncapi.yaml, built by `make contracts`: the topics and who sends and receives what are
written here, each event's name, title and schema come from its model (schakel.events.models, and
income's ingest event), so an event type is spelled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from income.entrypoints.aangifte import AangifteAangeleverd
from schakel import logboek
from schakel.events import models as m
from schakel.events import pseudonym

Model = type[m.EventData] | type[AangifteAangeleverd]

INFO = {
    "title": "Schakel events",
    "version": "2.16.2",
    "description": """\
Every topic Schakel's services exchange, with its partitions, its message key and its event
types. Every message is a CloudEvent 1.0 following the NL GOV profile, in the Kafka protocol
binding's binary mode: the JSON data is the record value (schema in `events/`), the context
attributes are `ce_`-prefixed headers (`ce_id`, `ce_source`, `ce_specversion`, `ce_type`,
`ce_time`, `ce_dataschema`), `content-type` is `application/json`, and the W3C `traceparent`
header travels alongside. `ce_source` is `urn:nld:oin:<OIN>:systeem:<name>`; `ce_id` is unique
per source and is the consumers' deduplication key. The record key is the person pseudonym
(HMAC-SHA256 of the BSN under the platform's pseudonym key, 64 hex characters), so all events
of one person stay ordered on one partition. Every event a Schakel service sends carries
`ce_sequence` (the CloudEvents sequence extension): its place among that source's events about
the same person, in the order the service committed them, 20 digits. A record can arrive more than
once or late (published again after a crash, replayed from a dead-letter topic): a consumer that
keeps state applies an event only when its sequence is higher than that of the state it holds. Two
topics are written by organisations outside Schakel, which do not hold the pseudonym key and key
their records otherwise: the ingest topic `polisaangiften` (data providers) by
`<loonheffingennummer>:<inkomstenverhouding>`, so the versions of one income relationship stay in
order, and `doelgroepregister` (UWV) by a key of UWV's own per person (never the BSN), so one
person's mutations stay in order. The person of such a record is the BSN in its data, never its
key. No context attribute carries personal data.

Every topic, dead-letter topics too, has 3 replicas (`replicas`) with `min.insync.replicas` 2
(`topicConfiguration`), and every producer sends with `acks=all` and idempotence: a record
counts as written once two brokers have it, and losing one broker of three loses nothing and
stops no one. (A local development broker on its own keeps 1 replica.)

Every topic has a dead-letter topic `<topic>.dlq`: a consumer sends a record it can never
apply there unchanged, with the reason in headers, and carries on with the records behind it.
Replay a dead-letter topic after a fix with `python -m schakel.messaging.replay <topic>.dlq`.

The broker takes TLS clients that authenticate with SASL SCRAM-SHA-512 (or a client
certificate), and ACLs generated from the operations below let each principal write only what
it sends and read only what it receives. A principal maps to an OIN as follows:
`schakel-<service>` is one of Schakel's services (its `ce_source` names Schakel's OIN);
`<party>-<OIN>` is an organisation outside Schakel, one of `x-partijen` (`leverancier-<OIN>`
a data provider, `uwv-<OIN>` UWV), and the OIN in its name is the organisation's. A channel
written from outside (`x-partij`) has one topic per organisation, `<channel>.<OIN>`, and only
the principal with that OIN may write it; so the topic says who wrote a record, and a record
whose `ce_source` names another OIN goes to the dead-letter topic (`bron-onjuist`), never
applied. `schakel-operator` is the dead-letter tooling and `schakel-console` the operations
console: only they read a `.dlq` topic and write a record back where it came from. The console
also reads every topic (it shows the newest record's headers, never its key or value) and the
committed offsets of the services' consumer groups (their lag), without joining them.
""",
    "contact": {"name": "Schakel", "url": "https://schakel.example.nl", "email": "api@schakel.example.nl"},
}


@dataclass(frozen=True)
class Topic:
    address: str
    description: str
    events: tuple[Model, ...]
    party: str | None = None  # an outside party writes it: one topic per organisation, `<address>.<OIN>`


@dataclass(frozen=True)
class Operation:
    id: str
    action: str  # send or receive
    service: str  # a Schakel service, or an outside party (uwv, leverancier)
    topic: str
    events: tuple[Model, ...]
    summary: str | None = None


TOPICS = (
    Topic(
        "uitkeringen",
        "Bijstandsuitkeringen (Participatiewet) die de decisions-service opent en beëindigt, en de toegekende "
        "heraanvragen die zij niet kon heropenen.",
        (
            m.UitkeringGeopend,
            m.UitkeringGewijzigd,
            m.UitkeringBeeindigd,
            m.BeeindigingVoorgesteld,
            m.BeeindigingsvoorstelAfgewezen,
            m.HeropeningGeweigerd,
        ),
    ),
    Topic(
        "doelgroepregister",
        "Mutaties in het doelgroepregister banenafspraak, gepubliceerd door UWV (één topic per OIN).",
        (
            m.DoelgroepregistratieGestart,
            m.DoelgroepregistratieBeeindigd,
            m.DoelgroepregistratieIngetrokken,
            m.DoelgroepregistratieBeeindigingIngetrokken,
        ),
        "uwv",
    ),
    Topic(
        "deelnamestatussen",
        "Wijzigingen van de deelnamestatus per persoon, gepubliceerd door de registration-service.",
        (
            m.DeelnamestatusGewijzigd,
            m.BeschutWerkVastgesteld,
            m.BanenafspraakbaanZonderRegistratie,
            m.BanenafspraakbaanIngetrokken,
        ),
    ),
    Topic(
        "heraanvraagtermijnen",
        "Heraanvraagtermijnen (art. 43a Participatiewet) die de reapplication-service opent.",
        (m.HeraanvraagtermijnGeopend,),
    ),
    Topic(
        "heraanvragen",
        "Toegekende heraanvragen; de decisions-service heropent de uitkering met de hergebruikte gegevens.",
        (m.HeraanvraagToegekend,),
    ),
    Topic(
        "polisaangiften",
        """\
Ingest: polisaangiften van gegevensleveranciers (Inlichtingenbureau-achtig), één aangifte per
bericht, dezelfde velden en regels als `POST /leveringen` van de income-service. Elke
leverancier schrijft zijn eigen topic `polisaangiften.<OIN>`, en `ce_source` noemt die OIN. Een ongeldige
aangifte gaat met de reden naar `polisaangiften.dlq`; een aangifte voor iemand buiten de
populatie wordt niet bewaard. De aantallen per uitkomst staan onder `GET /leveringen/{leveringId}`.
""",
        (AangifteAangeleverd,),
        "leverancier",
    ),
    Topic(
        "maandinkomens",
        "Netto inkomen per persoon per kalendermaand, vastgesteld of gewijzigd door de income-service.",
        (m.MaandinkomenVastgesteld,),
    ),
    Topic(
        "verrekeningen",
        "Verrekeningen per maand van bijstandsuitkeringen, vastgesteld en herzien door de decisions-service (of "
        "wachtend op een consulent), en de "
        "voorschotten die zij voorstelt, de vakantietoeslag die uitbetaald moet worden (en opnieuw als wat een maand ervan definitief reserveert verandert), het signaal dat het verwachte jaarinkomen voor de toeslagen veranderde, en "
        "de vorderingen (terugvorderingen) die uit verrekeningen ontstaan en hoe zij worden verrekend.",
        (
            m.VerrekeningVastgesteld,
            m.VerrekeningHerzien,
            m.VerrekeningTeBeoordelen,
            m.VoorschotVoorgesteld,
            m.VakantietoeslagVastgesteld,
            m.VakantietoeslagHerzien,
            m.ToeslageninkomenGewijzigd,
            m.VorderingOntstaan,
            m.VorderingGewijzigd,
        ),
    ),
    Topic(
        "overdrachtuitkomsten",
        "Wat de gemeente deed met een Max-WW-overdracht van UWV: opgepakt, en de uitkomst; UWV leest mee.",
        (m.OverdrachtOpgepakt, m.BijstandBesloten),
    ),
)

OPERATIONS = (
    Operation("decisionsPubliceertUitkeringen", "send", "decisions", "uitkeringen", TOPICS[0].events),
    Operation(
        "incomeVolgtUitkeringen",
        "receive",
        "income",
        "uitkeringen",
        (m.UitkeringGeopend, m.UitkeringGewijzigd, m.UitkeringBeeindigd),
        "Houdt de populatie bij waarvoor polisgegevens worden bewaard (doelbinding): de aanvrager en de partners "
        "van het huishouden.",
    ),
    Operation(
        "reapplicationVolgtUitkeringen",
        "receive",
        "reapplication",
        "uitkeringen",
        (m.UitkeringGeopend, m.UitkeringBeeindigd, m.HeropeningGeweigerd),
        "Opent bij beëindiging een heraanvraagtermijn en sluit die bij een nieuwe uitkering; kent de lopende "
        "uitkeringen van de persoon (geen heraanvraag zolang er een loopt), en welke toekenning niet werd heropend.",
    ),
    Operation(
        "uwvPubliceertDoelgroepregister",
        "send",
        "uwv",
        "doelgroepregister",
        TOPICS[1].events,
        "UWV (extern) publiceert mutaties in het doelgroepregister.",
    ),
    Operation(
        "registrationVolgtDoelgroepregister",
        "receive",
        "registration",
        "doelgroepregister",
        TOPICS[1].events,
        "Neemt de mutaties op met dezelfde regels als POST /mutaties: een mutatie die daar geweigerd zou worden "
        "(datum-buiten-bereik, een overgang die niet past, of niet-woongemeente: een gemeente waar de BRP de persoon "
        "op die datum niet inschreef) gaat met de code en de regel naar doelgroepregister.dlq. Zolang de BRP niet "
        "antwoordt, wacht het topic.",
    ),
    Operation("registrationPubliceertDeelnamestatussen", "send", "registration", "deelnamestatussen", TOPICS[2].events),
    Operation(
        "uwvVolgtBeschutWerk",
        "receive",
        "uwv",
        "deelnamestatussen",
        (m.BeschutWerkVastgesteld, m.BanenafspraakbaanZonderRegistratie, m.BanenafspraakbaanIngetrokken),
        "UWV (extern) beëindigt de doelgroepregistratie de dag na het vaststellen van beschut werk, en beoordeelt "
        "wie een banenafspraakbaan heeft zonder registratie (tenzij de gemeente die baan weer intrekt).",
    ),
    Operation(
        "decisionsVolgtDeelnamestatussen",
        "receive",
        "decisions",
        "deelnamestatussen",
        (m.DeelnamestatusGewijzigd,),
        "Kent de doelgroepregistratie van uitkeringsgerechtigden (loonkostensubsidie-doelgroep).",
    ),
    Operation(
        "reapplicationPubliceertHeraanvraagtermijnen", "send", "reapplication", "heraanvraagtermijnen", TOPICS[3].events
    ),
    Operation(
        "incomeVolgtHeraanvraagtermijnen",
        "receive",
        "income",
        "heraanvraagtermijnen",
        TOPICS[3].events,
        "Houdt personen met een open heraanvraagtermijn in de populatie.",
    ),
    Operation(
        "leverancierLevertPolisaangiften",
        "send",
        "leverancier",
        "polisaangiften",
        TOPICS[5].events,
        "Een gegevensleverancier (extern) levert polisaangiften aan.",
    ),
    Operation(
        "incomeVerwerktPolisaangiften",
        "receive",
        "income",
        "polisaangiften",
        TOPICS[5].events,
        "Verwerkt aangiften precies zoals een HTTP-levering.",
    ),
    Operation("incomePubliceertMaandinkomens", "send", "income", "maandinkomens", TOPICS[6].events),
    Operation(
        "decisionsVerrekentMaandinkomens",
        "receive",
        "decisions",
        "maandinkomens",
        TOPICS[6].events,
        "Verrekent elke maand waarvan het netto inkomen is vastgesteld of gewijzigd.",
    ),
    Operation("decisionsPubliceertVerrekeningen", "send", "decisions", "verrekeningen", TOPICS[7].events),
    Operation("reapplicationPubliceertHeraanvragen", "send", "reapplication", "heraanvragen", TOPICS[4].events),
    Operation(
        "decisionsHeroptUitkeringen",
        "receive",
        "decisions",
        "heraanvragen",
        TOPICS[4].events,
        "Opent de uitkering van een toegekende heraanvraag en bevestigt met uitkering.geopend (heraanvraagId).",
    ),
    Operation(
        "reapplicationVolgtDeelnamestatussen",
        "receive",
        "reapplication",
        "deelnamestatussen",
        (m.DeelnamestatusGewijzigd,),
        "Kent de loonkostensubsidie-doelgroep (vrijstelling van de zoektermijn).",
    ),
    Operation(
        "reapplicationPubliceertOverdrachtuitkomsten", "send", "reapplication", "overdrachtuitkomsten", TOPICS[8].events
    ),
    Operation(
        "uwvVolgtOverdrachtuitkomsten",
        "receive",
        "uwv",
        "overdrachtuitkomsten",
        TOPICS[8].events,
        "UWV (extern) hoort dat de gemeente een overdracht oppakte en hoe die afliep.",
    ),
)

DEAD_LETTER = {
    "name": "dode-letter",
    "title": "Dead letter",
    "summary": "The original record, unchanged, with the reason it could not be applied.",
    "headers": {
        "type": "object",
        "properties": {
            "dlq-reden": {
                "type": "string",
                "description": 'Code and reason, e.g. "ongeldig-bericht: data/bsn: pattern ...". Never the data itself.',
            },
            "dlq-bron-topic": {"type": "string"},
            "dlq-bron-partitie": {"type": "string"},
            "dlq-bron-offset": {"type": "string"},
            "dlq-consumer": {"type": "string", "description": "The consumer group that refused it."},
        },
    },
}

SCHEMAS = {
    "persoonPseudoniem": {
        "type": "string",
        "pattern": f"^{pseudonym.VORM.pattern}$",
        "description": "HMAC-SHA256 of the BSN under the platform's pseudonym key; never the BSN itself.",
    },
    "uwvSleutel": {
        "type": "string",
        "minLength": 1,
        "maxLength": 128,
        "description": "UWV's own key for the person (e.g. its own pseudonym of the BSN), the same for all their "
        "mutations so they stay in order; never the BSN. Schakel reads the person from the BSN in the data.",
    },
    "inkomstenverhoudingSleutel": {
        "type": "string",
        "pattern": "^[0-9]{9}L[0-9]{2}:[0-9]+$",
        "description": "<loonheffingennummer>:<inkomstenverhouding>, e.g. 123456782L01:1; no personal data.",
    },
    "cloudEventHeaders": {
        "type": "object",
        "required": ["ce_id", "ce_source", "ce_specversion", "ce_type", "content-type"],
        "properties": {
            "ce_id": {"type": "string", "maxLength": 200, "description": "Unique per source; the deduplication key."},
            "ce_source": {"type": "string", "maxLength": 300, "pattern": "^urn:nld:oin:[0-9]{20}:systeem:[a-z-]+$"},
            "ce_specversion": {"type": "string", "const": "1.0"},
            "ce_type": {
                "type": "string",
                "maxLength": 100,
                "pattern": "^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$",
                "description": "One of the contract's event types; any other goes to the dead-letter topic.",
            },
            "ce_time": {"type": "string", "format": "date-time"},
            "ce_dataschema": {"type": "string", "description": "The `$id` of the data's JSON Schema."},
            "ce_sequence": {
                "type": "string",
                "pattern": "^[0-9]{20}$",
                "description": "CloudEvents sequence extension: the event's place among its source's events about the "
                "same person (record key), in commit order, zero-padded so it orders as text and as a number. "
                "Schakel's services always send it; outside parties do not.",
            },
            "content-type": {"type": "string", "const": "application/json"},
            "traceparent": {"type": "string", "description": "W3C Trace Context."},
        },
    },
}


def _camel(name: str) -> str:
    """uitkering-geopend -> uitkeringGeopend, uitkeringen.dlq -> uitkeringenDlq"""
    return re.sub(r"[-.](.)", lambda match: match.group(1).upper(), name)


# every topic, dead-letter topics too, survives the loss of one broker of three without stopping:
# producers send with acks=all, so a record is on two brokers before it counts as written
REPLICAS, MIN_INSYNC = 3, 2


def _kafka(topic: str, partitions: int, dlq: str | None) -> dict[str, Any]:
    binding: dict[str, Any] = {
        "topic": topic,
        "partitions": partitions,
        "replicas": REPLICAS,
        "topicConfiguration": {"min.insync.replicas": MIN_INSYNC},
    }
    return {"kafka": binding | ({"x-dlq": dlq} if dlq else {}) | {"bindingVersion": "0.5.0"}}


def _message(model: Model) -> dict[str, Any]:
    return {
        "name": model.TYPE,
        "title": model.TITLE,
        **({"summary": model.SUMMARY} if model.SUMMARY else {}),
        "headers": {"$ref": "#/components/schemas/cloudEventHeaders"},
        "payload": {"$ref": f"events/{model.SCHEMA}.schema.json"},
        "bindings": {"kafka": {"key": {"$ref": f"#/components/schemas/{model.KEY}"}, "bindingVersion": "0.5.0"}},
    }


def _channels() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    for topic in TOPICS:
        dlq = f"{topic.address}.dlq"
        address = f"{topic.address}.{{oin}}" if topic.party else topic.address
        per_party = {"x-partij": topic.party, "parameters": {"oin": {"$ref": "#/components/parameters/oin"}}}
        channels[_camel(topic.address)] = {
            "address": address,
            "description": topic.description,
            **(per_party if topic.party else {}),
            "messages": {_camel(e.SCHEMA): {"$ref": f"#/components/messages/{_camel(e.SCHEMA)}"} for e in topic.events},
            "bindings": _kafka(address, 6, dlq),
        }
        channels[_camel(dlq)] = {
            "address": dlq,
            "description": f"Dead letters of `{topic.address}`.",
            "messages": {"dodeLetter": {"$ref": "#/components/messages/dodeLetter"}},
            "bindings": _kafka(dlq, 1, None),
        }
    return channels


def _operation(o: Operation) -> dict[str, Any]:
    channel = _camel(o.topic)
    _, activiteiten = logboek.register().van_dienst(o.service)
    verwerkt = {e.TYPE: activiteiten[e.TYPE] for e in o.events if e.TYPE in activiteiten and o.action == "receive"}
    return {
        "action": o.action,
        "x-service": o.service,
        **({"summary": o.summary} if o.summary else {}),
        # the processing activity (contracts/verwerkingsactiviteiten.yaml) each received event serves
        **({"x-verwerkingsactiviteiten": verwerkt} if verwerkt else {}),
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{_camel(e.SCHEMA)}"} for e in o.events],
    }


PARTIJEN = {"uwv": "UWV", "leverancier": "data providers"}


def topic_table() -> str:
    """The topics as a Markdown table for contracts/README.md (between its `topics` markers): each
    topic's event types, who sends them and who receives which, from the operations."""

    def wie(services: list[str]) -> str:
        return ", ".join(dict.fromkeys(PARTIJEN.get(s, s) for s in services))

    rijen = ["| topic | event types | producer | consumers |", "|---|---|---|---|"]
    for t in TOPICS:
        adres = f"`{t.address}.<OIN>`" if t.party else f"`{t.address}`"
        typen = ", ".join(f"`{e.TYPE}`" for e in t.events)
        ops = [o for o in OPERATIONS if o.topic == t.address]
        afzenders = wie([o.service for o in ops if o.action == "send"] + ([t.party] if t.party else []))
        ontvangers = "; ".join(
            f"{PARTIJEN.get(o.service, o.service)}"
            + ("" if set(o.events) == set(t.events) else " (" + ", ".join(f"`{e.TYPE}`" for e in o.events) + ")")
            for o in ops
            if o.action == "receive"
        )
        rijen.append(f"| {adres} | {typen} | {afzenders} | {ontvangers or '—'} |")
    return "\n".join(rijen) + "\n"


def document() -> dict[str, Any]:
    events = [e for topic in TOPICS for e in topic.events]
    return {
        "asyncapi": "3.0.0",
        "info": INFO,
        "defaultContentType": "application/json",
        "x-partijen": sorted({t.party for t in TOPICS if t.party}),
        "channels": _channels(),
        "operations": {o.id: _operation(o) for o in OPERATIONS},
        "components": {
            "parameters": {
                "oin": {
                    "description": "The OIN (20 digits) of the organisation that writes this topic; "
                    "its principal is `<x-partij>-<OIN>`.",
                    "examples": ["00000001805160327000"],
                }
            },
            "messages": {_camel(e.SCHEMA): _message(e) for e in events} | {"dodeLetter": DEAD_LETTER},
            "schemas": SCHEMAS,
        },
    }
