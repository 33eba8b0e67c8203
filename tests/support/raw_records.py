"""Produces records another client could write but aiokafka's producer cannot: a header name that is
not UTF-8. Run as `AIOKAFKA_NO_EXTENSIONS=1 python -m tests.support.raw_records` (aiokafka's pure-Python
record builder), with the connection, topic and batches (a partition and its records) as JSON on stdin;
prints their offsets per batch. Each batch's records go in one batch, as a client that batches would send
them, after the batch before it is written."""

import asyncio
import json
import sys

from aiokafka import AIOKafkaProducer

from schakel.messaging import KafkaConfig


class _RawName(str):
    """A header name whose bytes are given as they are, UTF-8 or not."""

    raw: bytes

    def encode(self, *_args, **_kwargs) -> bytes:  # type: ignore[override]
        return self.raw


def _name(text: str, raw: str | None) -> str:
    if raw is None:
        return text
    name = _RawName(text)
    name.raw = bytes.fromhex(raw)
    return name


async def main(order: dict) -> list[list[int]]:
    # lingering, so that a batch's records wait for each other; flushed, so that no batch waits longer
    producer = AIOKafkaProducer(**KafkaConfig(**order["kafka"]).connection(), acks="all", linger_ms=500)
    await producer.start()
    try:
        offsets = []
        for batch in order["batches"]:
            sent = [
                await producer.send(
                    order["topic"],
                    key=bytes.fromhex(r["key"]),
                    value=bytes.fromhex(r["value"]),
                    partition=batch["partition"],
                    headers=[(_name(n, raw), bytes.fromhex(v)) for n, raw, v in r["headers"]],
                )
                for r in batch["records"]
            ]
            await producer.flush()
            offsets.append([(await s).offset for s in sent])
        return offsets
    finally:
        await producer.stop()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.load(sys.stdin)))))
