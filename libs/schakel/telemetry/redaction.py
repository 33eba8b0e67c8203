"""What leaves the process in a span: never a message key (the person's pseudonym, which Kafka
client instrumentations record; Schakel's own spans leave it out) and never an exception's message
or stack (it may quote a value, e.g. a BSN in an SQL error): an exception is exported as its class
only. A request's URL is Schakel's to shape (no BSN goes in one), but a caller may put one there by
mistake: nine digits, in a row or in groups as people write them, are masked wherever a URL is recorded."""

from __future__ import annotations

import re

from opentelemetry.context import Context
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import Status

DROPPED = frozenset({"messaging.kafka.message.key", "messaging.message.key"})
EXCEPTION_KEPT = frozenset({"exception.type", "exception.escaped"})
URLS = frozenset({"http.target", "http.url", "url.full", "url.path", "url.query"})
# a BSN's length (an OIN has 20), also percent-encoded, also beside a letter ("/leveringen/id999993653"),
# after an escape that is no digit ("bsn%20999993653": uvicorn's access log quotes a path's space); not
# within a UUID, whose last group may hold nine digits: a UUID matches first and is kept whole
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_NA_ESCAPE = r"(?<=%[0-9A-Fa-f]{2})(?<!%3[0-9])"
_BEGIN = rf"(?:(?<![0-9])|{_NA_ESCAPE})"
_NEGEN_CIJFERS = re.compile(rf"({_UUID})|{_BEGIN}(?:[0-9]|%3[0-9]){{9}}(?![0-9])(?!%3[0-9])")
# in an id a party chose (a CloudEvents id) nothing says a digit beside a letter or another digit is
# no part of a BSN ("aangifte999993653", "9999936532029-05"): every run of nine or more, of any script,
# also as a BSN is written for people, a period or a (no-break, narrow, thin or figure) space between its
# groups ("9999.93.653")
_CIJFER = r"(?:\d|%3[0-9])"
_CIJFERREEKS = re.compile(rf"{_CIJFER}(?:[. \u00a0\u2007\u2009\u202f]?{_CIJFER}){{8,}}")


# a BSN as people write it, beside a letter as one in a row (a UUID kept whole the same way), with a
# period or a space between its groups (also a no-break, narrow, thin
# or figure space, as a word processor puts them; raw or encoded; a query's +, and a path's + as uvicorn
# quotes it): "999.993.653", "999%20993%20653", "999%C2%A0993%C2%A0653", "999%2B993%2B653": nine digits, no more (a digit and a separator before or after it make
# a longer number; a word before it does not: "id 999 993 653"), past a URL's authority and an access log
# line's client only (an IPv4 address of nine digits, "10.0.100.200", is a host there). Everything else,
# a query (url.query), a name a caller chose, is read whole: it may hold a slash after the BSN
_SPATIES = "\u00a0\u2007\u2009\u202f"
_SCHEIDING = rf"(?:[. +{_SPATIES}]|%20|%2[EeBb]|%[Cc]2%[Aa]0|%[Ee]2%80%(?:[Aa][Ff]|89|87))"
_URL_CIJFER = r"(?:[0-9]|%3[0-9])"
_GEGROEPEERD = re.compile(
    rf"({_UUID})|{_BEGIN}(?<![0-9][. +{_SPATIES}])(?<![0-9]%2[0EeBb])(?<![0-9]%[Cc]2%[Aa]0)"
    r"(?<![0-9]%[Ee]2%80%(?:[Aa][Ff]|89|87))"
    rf"{_URL_CIJFER}(?:{_SCHEIDING}?{_URL_CIJFER}){{8}}"
    rf"(?![0-9])(?!%3[0-9])(?!{_SCHEIDING}{_URL_CIJFER})"
)
_AUTORITEIT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_KLANT = re.compile(r'[^\s"/]* - "')  # uvicorn's access log: `host:port - "GET /pad HTTP/1.1" 200`


def gemaskeerd(url: str) -> str:
    """A URL (or a log line quoting one, or a name a caller chose) without what could be a BSN."""
    url = _NEGEN_CIJFERS.sub(_gemaskeerd, url)
    begin = _AUTORITEIT.match(url) or _KLANT.match(url)
    pad = begin.end() if begin else 0
    return url[:pad] + _GEGROEPEERD.sub(_gemaskeerd, url[pad:])


def _gemaskeerd(m: re.Match[str]) -> str:
    return m[1] or "*********"  # a UUID (the first group) is kept whole


def gemaskeerd_id(naam: str) -> str:
    """An id a party chose (kept, or shown back) without what could be a BSN, wherever it stands in it."""
    return _CIJFERREEKS.sub("*********", naam)


class Redacting(SpanProcessor):
    """Wraps the processor that exports, and hands it each ended span without what may name a person."""

    def __init__(self, inner: SpanProcessor) -> None:
        self._inner = inner

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self._inner.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self._inner.on_end(redacted(span))

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


# a processing span's CloudEvents id: on a party's topic the party chose it, and it may hold a BSN
IDS = frozenset({"cloudevents.event_id"})
_MASKER = dict.fromkeys(URLS, gemaskeerd) | dict.fromkeys(IDS, gemaskeerd_id)


def redacted(span: ReadableSpan) -> ReadableSpan:
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes={
            k: _MASKER[k](v) if k in _MASKER and isinstance(v, str) else v
            for k, v in (span.attributes or {}).items()
            if k not in DROPPED
        },
        events=[_event(e) for e in span.events],
        links=span.links,
        kind=span.kind,
        status=Status(span.status.status_code),  # the description quotes the exception's message
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def _event(event: Event) -> Event:
    if event.name != "exception":
        return event
    kept = {k: v for k, v in (event.attributes or {}).items() if k in EXCEPTION_KEPT}
    return Event(event.name, kept, event.timestamp)
