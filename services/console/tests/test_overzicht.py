"""The console's views against a fake of its sources: a consumer with lag behind a service that
does not answer is stalled, one whose oldest record waits too long too; dead letters show where
they came from, why and their trace, never content; a municipality sees only its own figures."""

import json
import logging
from datetime import UTC, datetime

import pytest

from console.service import overzicht
from console.service.ports import Instantie, Meting, Ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import load_contract
from schakel.messaging.inspection import RecordHeaders
from schakel.messaging.replay import Outcome

NU = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BEHEERDER = Caller("00000001823288444000", Rol.operator)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
TRACE = "0af7651916cd43dd8448eb211c80319c"
# the channels UWV and the data providers write have a topic per organisation
DOELGROEPREGISTER, POLISAANGIFTEN = "doelgroepregister.{oin}", "polisaangiften.{oin}"


def kop(topic: str, **headers: str) -> RecordHeaders:
    return RecordHeaders(
        topic, 0, 7, NU, {"ce_type": "nl.x", "traceparent": f"00-{TRACE}-b7ad6b7169203331-01"} | headers
    )


class FakeBronnen:
    def __init__(self) -> None:
        # each service's first instance: its metrics (None: does not answer) and why it is not ready
        self.metrics: dict[str, list[Meting] | None] = {d: [] for d in ("income", "decisions", "registration")}
        self.niet_gereed: dict[str, str] = {}
        self.tweede: dict[str, Instantie] = {}  # a service's second instance
        self.gereedheid_gevraagd: list[bool] = []
        self.lag: dict[str, dict[str, int]] = {}
        self.dlq: dict[str, list[RecordHeaders]] = {}
        self.dlq_aantal: dict[str, int] = {}  # a topic's count, where it holds more than is listed
        self.herhaald: list[str] = []
        self.koppen: dict[str, str] = {}  # the headers of the flows' newest records

    async def instanties(self, dienst, gereedheid=True):
        self.gereedheid_gevraagd.append(gereedheid)
        eerste = Instantie(f"{dienst}-1:8080", self.metrics[dienst], self.niet_gereed.get(dienst))
        return [eerste, *([self.tweede[dienst]] if dienst in self.tweede else [])]

    async def achterstand(self, groep, topics):
        return {t: self.lag.get(groep, {}).get(t, 0) for t in topics}

    async def laatste(self, topics):
        return {t: kop(t, **self.koppen) for t in topics if t == DOELGROEPREGISTER}

    async def dlq_aantallen(self, topics):
        return {t: self.dlq_aantal.get(t, len(self.dlq.get(t, []))) for t in topics}

    async def dode_brieven(self, topic, partities):
        return self.dlq.get(topic, [])

    async def herhaal(self, topic, overslaan=frozenset()):
        self.herhaald.append((topic, overslaan) if overslaan else topic)
        return Outcome(len(self.dlq.pop(topic, [])), [f"{topic}[0]@9: no dlq-bron-topic"])

    async def abonnementen(self, token):
        return []


def poorten(bronnen: FakeBronnen) -> Ports:
    return Ports(
        bronnen, load_contract(), FixedClock(NU.date(), NU), tuple(bronnen.metrics), "http://zipkin/{traceId}", 60.0
    )


def stroom(view: dict, topic: str) -> dict:
    return next(s for s in view["stromen"] if s["topic"] == topic)


async def test_a_consumer_with_lag_is_stalled_when_its_service_is_not_ready_or_its_oldest_record_waits_too_long():
    bronnen = FakeBronnen()
    bronnen.lag = {"schakel-registration": {DOELGROEPREGISTER: 3}, "schakel-income": {"uitkeringen": 2}}
    bronnen.niet_gereed = {"registration": "antwoordt niet (ConnectError)"}
    bronnen.metrics["income"] = [
        (
            "schakel_consumer_oldest_unprocessed_timestamp_seconds",
            {"messaging_destination_name": "uitkeringen"},
            NU.timestamp() - 90,
        ),
        ("schakel_outbox_backlog_events", {}, 4.0),
        ("schakel_outbox_oldest_unsent_timestamp_seconds", {}, NU.timestamp() - 30),
        ("schakel_task_up", {"task": "relay"}, 0.0),
    ]
    view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)

    [registration] = stroom(view, "doelgroepregister")["consumenten"]
    assert (registration["achterstand"], registration["status"]) == (3, "stilstaand")
    assert "antwoordt niet" in registration["reden"]
    income = next(c for c in stroom(view, "uitkeringen")["consumenten"] if c["dienst"] == "income")
    assert (income["status"], income["oudsteWachtendSeconden"]) == ("stilstaand", 90.0)
    decisions = next(c for c in stroom(view, "maandinkomens")["consumenten"] if c["dienst"] == "decisions")
    assert (decisions["achterstand"], decisions["status"]) == (0, "bij")
    assert stroom(view, "doelgroepregister")["laatsteEvent"]["traceUrl"] == f"http://zipkin/{TRACE}"
    assert stroom(view, "doelgroepregister")["producenten"] == ["uwv"]
    [dienst] = [d for d in view["diensten"] if d["naam"] == "income"]
    assert (dienst["outboxAchterstand"], dienst["outboxOudsteSeconden"], dienst["takenNeer"]) == (4, 30.0, ["relay"])


async def test_a_consumer_catching_up_on_old_records_is_processing_while_it_commits():
    bronnen = FakeBronnen()
    bronnen.lag = {"schakel-income": {"uitkeringen": 4000}}
    oud = ("schakel_consumer_oldest_unprocessed_timestamp_seconds", {"messaging_destination_name": "uitkeringen"})
    commit = ("schakel_consumer_progress_timestamp_seconds", {"messaging_consumer_group_name": "schakel-income"})
    for since_commit, status in ((2, "verwerkt"), (600, "stilstaand")):
        bronnen.metrics["income"] = [(*oud, NU.timestamp() - 3600), (*commit, NU.timestamp() - since_commit)]
        view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)
        income = next(c for c in stroom(view, "uitkeringen")["consumenten"] if c["dienst"] == "income")
        assert (income["oudsteWachtendSeconden"], income["status"]) == (3600.0, status)


async def test_dead_letters_show_origin_reason_and_trace_and_are_replayed_per_dead_letter_topic():
    bronnen = FakeBronnen()
    bronnen.dlq = {
        "doelgroepregister.dlq": [
            kop(
                "doelgroepregister.dlq",
                **{"dlq-reden": "onverwerkbaar: OvergangFout", "dlq-bron-topic": "doelgroepregister"},
            )
        ]
    }
    p = poorten(bronnen)
    [brief] = await overzicht.dode_brieven(p)
    assert (brief["reden"], brief["bronTopic"], brief["traceId"]) == (
        "onverwerkbaar: OvergangFout",
        "doelgroepregister",
        TRACE,
    )
    assert stroom(await overzicht.overzicht(p, BEHEERDER), "doelgroepregister")["dlq"]["aantal"] == 1

    assert (await overzicht.herhaal(p, BEHEERDER, "doelgroepregister.dlq")).replayed == 1
    with pytest.raises(overzicht.GeenDlq):
        await overzicht.herhaal(p, BEHEERDER, "doelgroepregister")
    assert bronnen.herhaald == ["doelgroepregister.dlq"]


async def test_an_event_type_outside_the_contract_is_unknown_and_the_senders_event_id_is_not_shown():
    """A provider chooses a record's CloudEvents attributes: a BSN or a page of text there reaches no operator."""
    bsn = "123456782"
    bronnen = FakeBronnen()
    bronnen.koppen = {"ce_type": bsn, "ce_id": bsn}
    bronnen.dlq = {"doelgroepregister.dlq": [kop("doelgroepregister.dlq", ce_type="x" * 1024, ce_id="x" * 1024)]}
    p = poorten(bronnen)
    [brief] = await overzicht.dode_brieven(p)
    laatste = stroom(await overzicht.overzicht(p, BEHEERDER), "doelgroepregister")["laatsteEvent"]
    assert brief["type"] == laatste["type"] == "onbekend"
    assert bsn not in json.dumps(laatste, default=str) and "x" * 100 not in json.dumps(brief, default=str)

    bronnen.koppen = {"ce_type": "nl.banenafspraak.doelgroepregistratie.gestart"}
    laatste = stroom(await overzicht.overzicht(p, BEHEERDER), "doelgroepregister")["laatsteEvent"]
    assert laatste["type"] == "nl.banenafspraak.doelgroepregistratie.gestart", "a type of the contract as it is"


async def test_a_dead_letter_lists_how_many_its_topic_holds_and_one_that_cannot_be_read_is_shown_as_such():
    """The page lists the newest 100 of a partition; its replay button sends them all. A record that
    could not be read has no time, type or headers; a flow whose newest record is one shows it."""
    bronnen = FakeBronnen()
    onleesbaar = RecordHeaders("doelgroepregister.dlq", 0, 3, None, {})
    bronnen.dlq = {"doelgroepregister.dlq": [kop("doelgroepregister.dlq"), onleesbaar]}
    bronnen.dlq_aantal = {"doelgroepregister.dlq": 150}
    p = poorten(bronnen)
    brieven = await overzicht.dode_brieven(p)
    assert [(b["type"], b["tijd"], b["offset"], b["aantalOpTopic"]) for b in brieven] == [
        ("onbekend", NU, 7, 150),
        ("onleesbaar", None, 3, 150),
    ]
    bronnen.dlq_aantal = {"doelgroepregister.dlq": 1}  # counted before the second came in
    assert {b["aantalOpTopic"] for b in await overzicht.dode_brieven(p)} == {2}

    async def laatste(topics):
        return {DOELGROEPREGISTER: RecordHeaders(DOELGROEPREGISTER, 1, 12, None, {})}

    bronnen.laatste = laatste
    event = stroom(await overzicht.overzicht(p, BEHEERDER), "doelgroepregister")["laatsteEvent"]
    assert (event["type"], event["tijd"], event["partitie"], event["offset"]) == ("onleesbaar", None, 1, 12)


async def test_a_replay_is_logged_with_who_asked_for_it_and_what_it_did(caplog):
    """It sends personal data through every consumer again: the operator's employee id is on record."""
    caplog.set_level(logging.INFO, logger="console.service.overzicht")
    bronnen = FakeBronnen()
    bronnen.dlq = {"doelgroepregister.dlq": [kop("doelgroepregister.dlq"), kop("doelgroepregister.dlq")]}
    operator = Caller(BEHEERDER.oin, Rol.operator, sub="medewerker-4711")
    await overzicht.herhaal(poorten(bronnen), operator, "doelgroepregister.dlq")
    asked, done = [r for r in caplog.records if r.name == "console.service.overzicht"]
    assert asked.getMessage() == "replay of doelgroepregister.dlq asked by medewerker-4711"
    assert done.getMessage() == "replay of doelgroepregister.dlq asked by medewerker-4711: 2 replayed, 1 skipped"
    assert done.levelno == logging.INFO

    caplog.clear()
    await overzicht.herhaal(poorten(bronnen), Caller(BEHEERDER.oin, Rol.operator, sub="123456782"), "uitkeringen.dlq")
    assert "123456782" not in caplog.text and "*********" in caplog.text, "nine digits in a row, perhaps a BSN"


async def test_a_municipality_sees_only_its_own_figures():
    bronnen = FakeBronnen()
    bronnen.metrics["decisions"] = [
        ("schakel_events_published_total", {"cloudevents_event_type": "nl.v", "gemeentecode": "GM0363"}, 5.0),
        ("schakel_events_published_total", {"cloudevents_event_type": "nl.v", "gemeentecode": "GM0599"}, 7.0),
    ]
    bronnen.metrics["registration"] = None  # does not answer
    view = await overzicht.overzicht(poorten(bronnen), AMSTERDAM)
    assert not any(bronnen.gereedheid_gevraagd), "a municipality's view does not ask every instance's readiness"
    assert view == {
        "rol": "municipality",
        "gemeente": "GM0363",
        "cijfers": [{"dienst": "decisions", "gemeentecode": "GM0363", "soort": "nl.v", "aantal": 5}],
    }
    assert len((await overzicht.overzicht(poorten(bronnen), BEHEERDER))["cijfers"]) == 2


async def test_a_channel_with_a_topic_per_party_is_one_flow_under_its_plain_name():
    bronnen = FakeBronnen()
    bronnen.lag = {"schakel-income": {POLISAANGIFTEN: 5}}
    bronnen.metrics["income"] = [
        (
            "schakel_consumer_oldest_unprocessed_timestamp_seconds",
            {"messaging_destination_name": "polisaangiften.00000001805160327000"},
            NU.timestamp() - 20,
        )
    ]
    view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)

    assert not [s["topic"] for s in view["stromen"] if "{" in s["topic"]]
    polis = stroom(view, "polisaangiften")
    assert (polis["producenten"], polis["dlq"]["topic"]) == (["leverancier"], "polisaangiften.dlq")
    [income] = polis["consumenten"]
    assert (income["achterstand"], income["oudsteWachtendSeconden"], income["status"]) == (5, 20.0, "verwerkt")


async def test_a_service_of_several_instances_is_read_as_one_with_each_instance_counted():
    bronnen = FakeBronnen()
    bronnen.lag = {"schakel-income": {"uitkeringen": 6}}
    wacht = ("schakel_consumer_oldest_unprocessed_timestamp_seconds", {"messaging_destination_name": "uitkeringen"})
    commit = ("schakel_consumer_progress_timestamp_seconds", {"messaging_consumer_group_name": "schakel-income"})
    gepubliceerd = ("schakel_events_published_total", {"cloudevents_event_type": "nl.v", "gemeentecode": "GM0363"})
    relay, backlog = ("schakel_task_up", {"task": "relay"}), ("schakel_outbox_backlog_events", {})
    bronnen.metrics["income"] = [(*wacht, NU.timestamp() - 10), (*commit, NU.timestamp() - 1), (*gepubliceerd, 5.0)]
    outbox = ("schakel_outbox_oldest_unsent_timestamp_seconds", {})
    bronnen.metrics["income"] += [(*backlog, 3.0), (*relay, 1.0), (*outbox, NU.timestamp() - 8)]
    # the second holds a record two minutes and has committed nothing for five: its partitions stand still
    tweede = [(*wacht, NU.timestamp() - 120), (*commit, NU.timestamp() - 300), (*gepubliceerd, 7.0)]
    tweede += [(*backlog, 4.0), (*relay, 0.0), (*outbox, NU.timestamp() - 40)]
    bronnen.tweede["income"] = Instantie("income-2:8080", tweede, None)
    afgeleverd = ("schakel_webhook_deliveries_total", {"outcome": "delivered"})
    wachtend = ("schakel_webhook_oldest_waiting_timestamp_seconds", {})
    gepauzeerd = ("schakel_webhook_oldest_paused_timestamp_seconds", {})
    bronnen.metrics["decisions"] = [(*afgeleverd, 2.0), (*wachtend, 0.0), (*gepauzeerd, NU.timestamp() - 86400)]
    bronnen.tweede["decisions"] = Instantie(
        "decisions-2:8080", [(*afgeleverd, 3.0), (*wachtend, NU.timestamp() - 7), (*gepauzeerd, 0.0)], None
    )

    view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)
    income = next(c for c in stroom(view, "uitkeringen")["consumenten"] if c["dienst"] == "income")
    assert (income["status"], income["oudsteWachtendSeconden"]) == ("stilstaand", 120.0)
    [dienst] = [d for d in view["diensten"] if d["naam"] == "income"]
    assert (dienst["instanties"], dienst["gereed"], dienst["outboxAchterstand"], dienst["takenNeer"]) == (
        2,
        True,
        4,
        ["relay (income-2:8080)"],
    )
    assert dienst["outboxOudsteSeconden"] == 40.0, "the oldest row of any instance's count"
    assert [c["aantal"] for c in view["cijfers"]] == [12], "a count is the sum over the instances"
    assert view["webhooks"] == {
        "afleveringen": {"delivered": 5},
        "oudsteWachtendSeconden": 7.0,
        "oudsteGepauzeerdSeconden": 86400.0,
    }

    # one instance away: the service is not ready, but its flow still has an instance that takes records
    bronnen.tweede["income"] = Instantie("income-2:8080", None, "antwoordt niet (ConnectError)")
    view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)
    [dienst] = [d for d in view["diensten"] if d["naam"] == "income"]
    assert (dienst["gereed"], dienst["reden"]) == (
        False,
        "1 van 2 instanties niet gereed (income-2:8080: antwoordt niet (ConnectError))",
    )
    income = next(c for c in stroom(view, "uitkeringen")["consumenten"] if c["dienst"] == "income")
    assert (income["status"], view["cijfers"][0]["aantal"]) == ("verwerkt", 5)

    # neither ready: nothing takes the flow's records
    bronnen.niet_gereed["income"] = "database: onbereikbaar"
    view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)
    income = next(c for c in stroom(view, "uitkeringen")["consumenten"] if c["dienst"] == "income")
    assert (income["status"], income["reden"]) == (
        "stilstaand",
        "2 van 2 instanties niet gereed (income-1:8080: database: onbereikbaar)",
    )


async def test_a_sample_without_the_labels_the_view_reads_is_left_out_not_a_500():
    """An instance's /metrics is its own to write: one that leaves out a label (an older or a broken
    version) answers another question, and the rest of the overview answers."""
    bronnen = FakeBronnen()
    bronnen.metrics["decisions"] = [
        ("schakel_events_published_total", {"cloudevents_event_type": "nl.v"}, 3.0),
        ("schakel_events_published_total", {"cloudevents_event_type": "nl.v", "gemeentecode": "GM0363"}, 5.0),
        ("schakel_reapplications_total", {"gemeentecode": "GM0363"}, 2.0),
        ("schakel_task_up", {}, 0.0),
        ("schakel_webhook_deliveries_total", {}, 4.0),
    ]
    view = await overzicht.overzicht(poorten(bronnen), BEHEERDER)
    assert [c["aantal"] for c in view["cijfers"]] == [5]
    [dienst] = [d for d in view["diensten"] if d["naam"] == "decisions"]
    assert dienst["takenNeer"] == [] and view["webhooks"]["afleveringen"] == {}
    assert (await overzicht.overzicht(poorten(bronnen), AMSTERDAM))["cijfers"] == view["cijfers"]
