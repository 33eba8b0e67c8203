"""A replay sends a dead letter back only to a topic whose dead letters the contract sends to the
dead-letter topic replayed: the `dlq-bron-topic` header was written by whoever may write that
dead-letter topic, and taken as it is would have the operator's replay publish anywhere. A topic
gone or refusing one record is that record's matter, not an outage; a record goes back to the
partition it came from; the dead letter of a record that could not be read has nothing to send."""

import argparse
import asyncio

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError

from schakel.messaging import BrokerUnavailable, KafkaConfig
from schakel.messaging import replay as replay_module

DLQ = "polisaangiften.dlq"
OIN = "00000001805160327000"


class DeadLetters:
    """The consumer of a dead-letter topic of one partition: its records in one batch, then nothing."""

    def __init__(self, sources: list[str | tuple[str, bytes, bytes | None]], present: set[str] | None = None) -> None:
        """Each record by its dlq-bron-topic, or that with its dlq-bron-partitie and value."""
        self.tp = TopicPartition(DLQ, 0)
        self.records = []
        for i, source in enumerate(sources):
            topic, partition, value = (source, b"0", b"v") if isinstance(source, str) else source
            headers = [("ce_type", b"t"), ("dlq-bron-topic", topic.encode()), ("dlq-bron-partitie", partition)]
            self.records.append(ConsumerRecord(DLQ, 0, i, 0, 0, b"k", value, 0, 1, 1, headers))
        self.present = {DLQ, *(s if isinstance(s, str) else s[0] for s in sources)} if present is None else present
        self.at, self.committed = 0, {}

    async def topics(self):
        return self.present

    async def start(self):
        pass

    async def stop(self):
        pass

    async def getmany(self, timeout_ms):
        batch, self.at = self.records[self.at :], len(self.records)
        return {self.tp: batch} if batch else {}

    def assignment(self):
        return {self.tp}

    async def end_offsets(self, tps):
        return {tp: len(self.records) for tp in tps}

    async def commit(self, offsets):
        self.committed |= offsets

    async def position(self, tp):
        return self.at


class Sent:
    """A producer whose topics have 3 partitions; `refusing` answers a record for it with that error."""

    def __init__(self, refusing: dict[str, Exception] | None = None) -> None:
        self.topics: list[str] = []
        self.partitions: list[int | None] = []
        self.refusing = refusing or {}

    async def start(self):
        pass

    async def stop(self):
        pass

    async def partitions_for(self, topic):
        return {0, 1, 2}

    async def send(self, topic, value=None, key=None, headers=None, partition=None):
        assert not [h for h, _ in headers if h.startswith("dlq-")], "sent back as it came"
        answer = asyncio.get_running_loop().create_future()
        if topic in self.refusing:
            answer.set_exception(self.refusing[topic])
        else:
            self.topics.append(topic)
            self.partitions.append(partition)
            answer.set_result(None)
        return answer


KAFKA = KafkaConfig(bootstrap="localhost:9092", client_id="test")


def replaying(monkeypatch, source: DeadLetters, sent: Sent) -> None:
    monkeypatch.setattr(replay_module, "consumer", lambda *args, **kwargs: source)
    monkeypatch.setattr(replay_module, "producer", lambda *args, **kwargs: sent)


async def test_a_dead_letter_goes_back_only_to_a_topic_whose_dead_letters_go_to_the_topic_replayed(monkeypatch, capsys):
    own = f"polisaangiften.{OIN}"
    elsewhere = [f"doelgroepregister.{OIN}", "uitkeringen", DLQ, "nergens", "polisaangiften.123"]
    source, sent = DeadLetters([own, *elsewhere]), Sent()
    replaying(monkeypatch, source, sent)

    outcome = await replay_module.replay(KAFKA, DLQ, idle_seconds=0.01)
    assert outcome.replayed == 1 and sent.topics == [own]
    assert source.committed == {source.tp: 1 + len(elsewhere)}, "the others stay, and the replay moves past them"
    # named, for the operator to follow: the replay moved past them
    assert [line.split(":")[0] for line in outcome.skipped] == [f"{DLQ}[0]@{i}" for i in range(1, 1 + len(elsewhere))]
    assert not [line for line in outcome.skipped if any(t in line for t in elsewhere[:2])], "the header is not echoed"


async def test_a_dead_letter_whose_topic_is_gone_or_refuses_it_is_skipped_and_the_others_go_back(monkeypatch):
    """A provider no longer contracted: its topic and ACLs are gone, or its ACLs only."""
    gone, refusing, own = (f"polisaangiften.{oin}" for oin in ("00000000000000000099", "00000000000000000098", OIN))
    source = DeadLetters([gone, refusing, own, gone, own], present={DLQ, refusing, own})
    sent = Sent(refusing={refusing: TopicAuthorizationFailedError(refusing)})
    replaying(monkeypatch, source, sent)

    outcome = await replay_module.replay(KAFKA, DLQ, idle_seconds=0.01)
    assert outcome.replayed == 2 and sent.topics == [own, own]
    assert [line.split(":")[0] for line in outcome.skipped] == [f"{DLQ}[0]@{i}" for i in (0, 3, 1)]
    assert "not on the broker" in outcome.skipped[0] and "TopicAuthorizationFailedError" in outcome.skipped[2]
    assert source.committed == {source.tp: 5}, "the replay moves past them"


async def test_a_broker_that_fails_a_delivery_stops_the_replay_before_its_commit(monkeypatch):
    own = f"polisaangiften.{OIN}"
    source, sent = DeadLetters([own]), Sent(refusing={own: KafkaConnectionError()})
    replaying(monkeypatch, source, sent)
    with pytest.raises(BrokerUnavailable):
        await replay_module.replay(KAFKA, DLQ, idle_seconds=0.01)
    assert source.committed == {}


async def test_a_record_goes_back_to_the_partition_it_came_from_when_its_topic_has_it(monkeypatch):
    own = f"polisaangiften.{OIN}"
    source = DeadLetters([(own, b"2", b"v"), (own, b"7", b"v"), (own, b"twee", b"v"), (own, b"", b"v")])
    sent = Sent()
    replaying(monkeypatch, source, sent)
    assert (await replay_module.replay(KAFKA, DLQ, idle_seconds=0.01)).replayed == 4
    assert sent.partitions == [2, None, None, None], "else the producer's partitioner picks one"


async def test_the_dead_letter_of_a_record_that_could_not_be_read_is_not_sent_back_empty(monkeypatch):
    own = f"polisaangiften.{OIN}"
    source, sent = DeadLetters([(own, b"0", None), own]), Sent()
    replaying(monkeypatch, source, sent)
    outcome = await replay_module.replay(KAFKA, DLQ, idle_seconds=0.01)
    assert outcome.replayed == 1 and sent.topics == [own]
    [skipped] = outcome.skipped
    assert skipped.startswith(f"{DLQ}[0]@0: ") and "nothing to replay" in skipped


async def test_the_dead_letters_the_operator_names_are_moved_past_and_not_sent_back(monkeypatch):
    """Old dead letters that must never be applied (grants that would open cases) stay out of every replay."""
    own = f"polisaangiften.{OIN}"
    source, sent = DeadLetters([own, own, own]), Sent()
    replaying(monkeypatch, source, sent)
    outcome = await replay_module.replay(KAFKA, DLQ, idle_seconds=0.01, overslaan=frozenset({(0, 1), (3, 0), (0, 21)}))
    assert outcome.replayed == 2 and outcome.skipped == [f"{DLQ}[0]@1: left out by the operator (--overslaan)"]
    assert source.committed == {source.tp: 3}, "moved past"
    assert outcome.not_met == [f"{DLQ}[0]@21", f"{DLQ}[3]@0"], "a position named but never met is named too"


def test_the_records_to_leave_out_are_read_as_partition_at_offset():
    assert replay_module.posities(" 0@12, 3@7,") == {(0, 12), (3, 7)} and replay_module.posities("") == set()
    for fout in ("0-12", "a@1", "1@", "0@-12"):
        with pytest.raises(argparse.ArgumentTypeError):
            replay_module.posities(fout)


def test_make_replay_dlq_prints_what_it_sent_back_and_what_it_left_with_why(monkeypatch, tmp_path, capsys):
    own, gone = f"polisaangiften.{OIN}", "polisaangiften.00000000000000000099"
    replaying(monkeypatch, DeadLetters([gone, own], present={DLQ, own}), Sent())
    config = tmp_path / "operator.properties"
    config.write_text("bootstrap.servers=localhost:9092\n")
    monkeypatch.setattr("sys.argv", ["replay", DLQ, "--config", str(config)])
    replay_module.main()
    assert capsys.readouterr().out.splitlines() == [
        f"skipped {DLQ}[0]@0: its dlq-bron-topic is not on the broker (or not the replay's to write)",
        f"replayed 1 record(s) from {DLQ}, skipped 1",
    ]
