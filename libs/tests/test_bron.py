"""A source asked when the answer is needed (schakel.bron): what each kind of answer becomes for the
caller, and that neither the body nor a credential travels in an error or a log line."""

import contextlib
import logging

import pytest

from schakel.api.problems import from_domain
from schakel.bron import MOST_WAIT, Bron
from schakel.errors import Unavailable
from tests.support.httpserver import Endpoint

TOKEN = "Bearer geheim-token"


@pytest.mark.parametrize(
    ("status", "raised"),
    [
        (429, Unavailable),  # the source limits the asking organisation: later
        (503, Unavailable),
        (500, Unavailable),
        (401, RuntimeError),  # a wrong key or audience: our fault, never "try again later"
        (400, RuntimeError),
        (307, RuntimeError),  # a redirect is not followed: the BSN and the credential stay here
    ],
)
async def test_each_answer_is_later_or_our_fault_and_says_only_its_status(status, raised, caplog):
    asked = []
    endpoint = Endpoint(lambda headers, body: asked.append(headers) or status)
    bron = Bron("proef", endpoint.base + "/api", "Nu niet bereikbaar.")
    try:
        with caplog.at_level(logging.WARNING, logger="schakel.bron"), pytest.raises(raised) as error:
            await bron.post("/vraag", {"bsn": "999993653"}, {"Authorization": TOKEN})
    finally:
        await bron.close()
        endpoint.close()
    assert len(asked) == 1 and asked[0]["authorization"] == TOKEN
    assert f"answered {status}" in caplog.text or f"refused the question with {status}" in caplog.text
    told = caplog.text + str(error.value) + repr(error.value.__cause__)
    assert "999993653" not in told and "geheim-token" not in told


async def raised_by(on_post) -> Exception:
    """What asking a source that answers as `on_post` raises."""
    endpoint = Endpoint(on_post)
    bron = Bron("proef", endpoint.base, "Nu niet bereikbaar.")
    try:
        with pytest.raises(Exception) as error:  # noqa: PT011 - each test says which
            await bron.post("/vraag", {})
    finally:
        await bron.close()
        endpoint.close()
    return error.value


@pytest.mark.parametrize(
    ("status", "retry_after", "told"),
    [
        (429, "30", "30"),  # the source's own wait reaches the caller
        (503, "0", "1"),
        (503, "86400", str(MOST_WAIT)),  # a day is not a wait a back office should be told to sit out
        (503, "9" * 5000, str(MOST_WAIT)),  # too long for int(): still a wait, never a 500
        (503, "-5", "5"),
        (429, "Wed, 21 Oct 2026 07:28:00 GMT", "5"),  # a date: the default wait (two clocks need not agree)
        (502, None, "5"),
    ],
)
async def test_a_source_that_says_later_gives_the_caller_a_retry_after(status, retry_after, told):
    error = await raised_by(lambda headers, body: (status, {"Retry-After": retry_after} if retry_after else {}))
    assert isinstance(error, Unavailable)
    problem = from_domain(error)
    assert (problem.status, problem.headers) == (503, {"Retry-After": told})


async def test_an_unreachable_source_gives_the_default_retry_after():
    endpoint = Endpoint(lambda headers, body: 200)
    base = endpoint.base
    endpoint.close()  # nothing listens there any more
    bron = Bron("proef", base, "Nu niet bereikbaar.")
    try:
        with pytest.raises(Unavailable) as error:
            await bron.post("/vraag", {})
    finally:
        await bron.close()
    assert from_domain(error.value).headers == {"Retry-After": "5"}


async def test_a_source_that_refuses_our_key_is_our_fault_yet_a_consumer_waits_for_it():
    """An expired key: a 500 to a caller, and for a consumer a dependency away, not a record to
    dead-letter (every record would be)."""
    from schakel.errors import SourceRefused
    from schakel.messaging.errors import is_outage

    error = await raised_by(lambda headers, body: 401)
    assert isinstance(error, SourceRefused) and is_outage(error)


async def test_a_404_is_unknown_when_the_caller_says_so():
    endpoint = Endpoint(lambda headers, body: 404)
    bron = Bron("proef", endpoint.base, "Nu niet bereikbaar.")
    try:
        assert await bron.post("/vraag", {}, none_if_404=True) is None
        with pytest.raises(RuntimeError):
            await bron.post("/vraag", {})
    finally:
        await bron.close()
        endpoint.close()


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        (lambda headers, body: (200, {"Content-Type": "application/json"}, b"{}"), "answered"),
        (lambda headers, body: 404, "answered"),  # unknown, as the caller asked
        (lambda headers, body: 503, "unavailable"),
        (
            lambda headers, body: (200, {"Content-Type": "application/json"}, b"<html>"),
            "unavailable",
        ),  # no JSON: as good as no answer
        (lambda headers, body: 403, "refused"),
        (lambda headers, body: (200, {"Content-Type": "application/json"}, b"[]"), "unavailable"),  # not the shape
    ],
)
async def test_every_question_is_counted_and_timed_per_source_and_outcome(answers, outcome):
    """An operator sees a source go away, or refuse our key, in the metrics before callers complain."""
    from prometheus_client import REGISTRY

    def count(name: str, labels: dict[str, str]) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    def in_shape(antwoord):
        if isinstance(antwoord, list):  # the reader's shape check: as good as no answer
            raise Unavailable("Nu niet bereikbaar.")
        return antwoord

    before = count("schakel_source_requests_total", {"source": "teller", "outcome": outcome})
    timed = count("schakel_source_request_duration_seconds_count", {"source": "teller"})
    endpoint = Endpoint(answers)
    bron = Bron("teller", endpoint.base, "Nu niet bereikbaar.")
    try:
        with contextlib.suppress(Exception):
            await bron.post("/vraag", {}, none_if_404=True, lees=in_shape)
    finally:
        await bron.close()
        endpoint.close()
    assert count("schakel_source_requests_total", {"source": "teller", "outcome": outcome}) == before + 1
    assert count("schakel_source_request_duration_seconds_count", {"source": "teller"}) == timed + 1


def test_a_source_s_outcomes_are_counted_from_zero_so_its_first_refusal_shows():
    """`increase()` sees nothing of a series that appears at 1: SchakelSourceRefused would miss the first."""
    from prometheus_client import REGISTRY

    Bron("nulmeting", "http://127.0.0.1:9", "niet bereikbaar")
    for outcome in ("answered", "unavailable", "refused"):
        labels = {"source": "nulmeting", "outcome": outcome}
        assert REGISTRY.get_sample_value("schakel_source_requests_total", labels) == 0, outcome
