"""The console's rules: when a consumer counts as stalled, and which trace an event belongs to
(W3C Trace Context: a malformed traceparent is ignored)."""

from console.domain.stroom import Status, consumer_status, gereedheid, trace_id


def test_a_consumer_is_stalled_only_with_records_waiting_and_a_service_down_or_a_record_waiting_too_long():
    assert consumer_status(0, "antwoordt niet", 500.0, 60, None) == (Status.bij, None)
    assert consumer_status(2, "antwoordt niet", None, 60, 1.0) == (Status.stilstaand, "antwoordt niet")
    assert consumer_status(2, None, 61.0, 60, None) == (Status.stilstaand, "het oudste record wacht al 61 s")
    assert consumer_status(2, None, 61.0, 60, 70.0) == (Status.stilstaand, "het oudste record wacht al 61 s")
    assert consumer_status(2, None, 59.0, 60, None) == (Status.verwerkt, None)
    assert consumer_status(2, None, None, 60, None) == (Status.verwerkt, None)


def test_a_consumer_catching_up_on_old_records_is_not_stalled_while_it_commits():
    """After a restart its records are older than the threshold, but it commits batch after batch."""
    assert consumer_status(5000, None, 3600.0, 60, 0.5) == (Status.verwerkt, None)


def test_a_service_is_ready_when_each_instance_is_and_says_which_is_not():
    assert gereedheid([("a:1", None), ("b:1", None)]) is None
    assert gereedheid([("a:1", "antwoordt niet")]) == "antwoordt niet"
    assert gereedheid([("a:1", None), ("b:1", "status 503")]) == "1 van 2 instanties niet gereed (b:1: status 503)"
    assert gereedheid([]) == "geen instantie gevonden"


def test_the_trace_id_comes_from_a_valid_traceparent_only():
    assert trace_id("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == "4bf92f3577b34da6a3ce929d0e0e4736"
    for broken in (None, "", "00-xyz-00f067aa0ba902b7-01", "00-" + "0" * 32 + "-00f067aa0ba902b7-01", "garbage"):
        assert trace_id(broken) is None
