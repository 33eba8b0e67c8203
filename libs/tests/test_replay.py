"""A replay sends a dead letter back only to a topic whose dead letters the contract sends to the
dead-letter topic replayed: the `dlq-bron-topic` header was written by whoever may write that
dead-letter topic, and taken as it is would have the operator's replay publish anywhere."""

from aiokafka import ConsumerRecord, TopicPartition

from schakel.messaging import KafkaConfig
from schakel.messaging import replay as replay_module

DLQ = "polisaangiften.dlq"
OIN = "00000001805160327000"


class DeadLetters:
    """The consumer of a dead-letter topic of one partition: its records in one batch, then nothing."""

    def __init__(self, sources: list[str]) -> None:
        self.tp = TopicPartition(DLQ, 0)
        self.records = [
            ConsumerRecord(DLQ, 0, i, 0, 0, b"k", b"v", 0, 1, 1, [("ce_type", b"t"), ("dlq-bron-topic", s.encode())])
            for i, s in enumerate(sources)
        ]
        self.at, self.committed = 0, {}

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
    def __init__(self) -> None:
        self.topics: list[str] = []

    async def start(self):
        pass

    async def stop(self):
        pass

    async def send(self, topic, value=None, key=None, headers=None):
        self.topics.append(topic)
        assert not [h for h, _ in headers if h.startswith("dlq-")], "sent back as it came"

        async def acknowledged():
            return None

        return acknowledged()


async def test_a_dead_letter_goes_back_only_to_a_topic_whose_dead_letters_go_to_the_topic_replayed(monkeypatch, capsys):
    own = f"polisaangiften.{OIN}"
    elsewhere = [f"doelgroepregister.{OIN}", "uitkeringen", DLQ, "nergens", "polisaangiften.123"]
    source, sent = DeadLetters([own, *elsewhere]), Sent()
    monkeypatch.setattr(replay_module, "consumer", lambda *args, **kwargs: source)
    monkeypatch.setattr(replay_module, "producer", lambda *args, **kwargs: sent)

    kafka = KafkaConfig(bootstrap="localhost:9092", client_id="test")
    outcome = await replay_module.replay(kafka, DLQ, idle_seconds=0.01)
    assert outcome.replayed == 1 and sent.topics == [own]
    assert source.committed == {source.tp: 1 + len(elsewhere)}, "the others stay, and the replay moves past them"
    # named, for the operator to follow: the replay moved past them
    assert [line.split(":")[0] for line in outcome.skipped] == [f"{DLQ}[0]@{i}" for i in range(1, 1 + len(elsewhere))]
    assert not [line for line in outcome.skipped if any(t in line for t in elsewhere[:2])], "the header is not echoed"
