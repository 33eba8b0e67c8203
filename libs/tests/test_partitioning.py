"""The producers' partitioner is Kafka's default (the Java client's murmur2), so a person's events
land on the partition every other client computes for their key, also once the hash is cached."""

import uuid

from aiokafka.partitioner import DefaultPartitioner

from schakel.messaging.kafka import partition_of


def test_a_key_lands_where_kafka_s_default_partitioner_puts_it_also_the_second_time():
    keys = [uuid.uuid4().hex.encode() * 2 for _ in range(2_000)] + [b"", b"a", "é".encode()]
    for partitions in (1, 3, 6, 7):
        all_partitions = list(range(partitions))
        expected = [DefaultPartitioner()(k, all_partitions, all_partitions) for k in keys]
        assert [partition_of(k, all_partitions, all_partitions) for k in keys] == expected
        assert [partition_of(k, all_partitions, all_partitions) for k in keys] == expected  # from the cache


def test_a_record_without_key_goes_to_an_available_partition():
    assert {partition_of(None, [0, 1, 2, 3], [2]) for _ in range(50)} == {2}
    assert {partition_of(None, [0, 1], []) for _ in range(50)} <= {0, 1}
