"""Every metric Schakel exposes, declared in one place, in the Prometheus format at `/metrics` of each
service (official client library). Names follow the OpenTelemetry semantic conventions where they
exist (http.server.request.duration, messaging.*) in Prometheus spelling, and `schakel_*` for the
rest. Labels name operations, topics, partitions, event types, tasks and outcomes: never a person
(no BSN, no pseudonym, no case id). Timestamps are exposed as `*_timestamp_seconds`, so an alert
sees a stalled consumer's age keep growing (`time() - ...`) even while nothing updates it.
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_DURATION = Histogram(
    "http_server_request_duration_seconds",
    "Duration of HTTP requests, per operation and status code.",
    ["http_request_method", "http_route", "http_response_status_code"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS = Counter(
    "schakel_events_processed_total",
    "Consumed events by outcome: applied, duplicate (already in the inbox), dead_lettered.",
    ["messaging_consumer_group_name", "messaging_destination_name", "cloudevents_event_type", "outcome"],
)
RETRIES = Counter(
    "schakel_event_batch_retries_total",
    "Batches tried again, by cause: dependency (database or broker away) or "
    "record (a record failed; it is isolated after a few tries).",
    ["messaging_consumer_group_name", "cause"],
)
LAG = Gauge(
    "messaging_kafka_consumer_lag",
    "Records on the partition that the consumer group has not processed yet.",
    ["messaging_consumer_group_name", "messaging_destination_name", "messaging_destination_partition_id"],
)
OLDEST_UNPROCESSED = Gauge(
    "schakel_consumer_oldest_unprocessed_timestamp_seconds",
    "When the oldest record the group has fetched but not yet committed was produced; 0 when none waits.",
    ["messaging_consumer_group_name", "messaging_destination_name", "messaging_destination_partition_id"],
)
PROGRESS = Gauge(
    "schakel_consumer_progress_timestamp_seconds",
    "When this instance last committed a batch of the group's records: a consumer catching up on old "
    "records keeps it recent, a stalled one lets it age.",
    ["messaging_consumer_group_name"],
)
# where a group stands as the broker has it (not as a consumer saw it): a consumer that fetches nothing
# (hung, or stopped while holding its partitions) reports nothing of itself
GROUP_COMMITTED = Gauge(
    "schakel_consumer_group_committed_offset",
    "Where the group stands on the partition, as the broker has it: the offset it committed (or the oldest "
    "record still there, where it never committed).",
    ["messaging_consumer_group_name", "messaging_destination_name", "messaging_destination_partition_id"],
)
GROUP_END = Gauge(
    "schakel_consumer_group_end_offset",
    "The end of the partition, read from the broker with the group's offset.",
    ["messaging_consumer_group_name", "messaging_destination_name", "messaging_destination_partition_id"],
)
DLQ_RECORDS = Gauge(
    "schakel_dlq_records", "Records on a dead-letter topic that have not been replayed.", ["messaging_destination_name"]
)
PROCESSING_LOG_FAILURES = Counter(
    "schakel_processing_log_failures_total",
    "Answers refused (503) because their record in the processing log could not be written.",
)
EVENTS_SUPERSEDED = Counter(
    "schakel_events_superseded_total",
    "Consumed events whose state was not applied because newer state of the same person (a higher "
    "CloudEvents sequence) was applied already, a late or replayed record (reason `newer`), or because "
    "retention forgot what it is about after a later sequence (reason `forgotten`).",
    ["cloudevents_event_type", "reason"],
)
DB_STATEMENTS = Counter(
    "schakel_db_statements_total",
    "SQL statements sent to the service's database: its round trips (one statement for many rows counts once).",
)
LARGE_BODIES = Gauge(
    "schakel_http_large_bodies_in_hand_bytes",
    "Bytes of request bodies on routes with a large limit (income's deliveries) this process holds now; "
    "SCHAKEL_LARGE_BODIES_MIB bounds them, one more is refused with 503.",
)
LARGE_BODIES_REFUSED = Counter(
    "schakel_http_large_bodies_refused_total",
    "Large bodies refused by that budget: busy (503, the budget full), too_slow (408, the body fell behind), "
    "paused (429, the client's next after a 408).",
    ["reason"],
)
OUTBOX_BACKLOG = Gauge("schakel_outbox_backlog_events", "Outbox rows not yet published.")
OUTBOX_OLDEST = Gauge(
    "schakel_outbox_oldest_unsent_timestamp_seconds", "When the oldest unpublished outbox row was written; 0 when none."
)
EVENTS_PUBLISHED = Counter(
    "schakel_events_published_total",
    "Events written to the outbox, per type and municipality (e.g. settlements "
    "made and revised per municipality: increase over a day).",
    ["cloudevents_event_type", "gemeentecode"],
)
DECLARATIONS = Counter(
    "schakel_declarations_total",
    "Polis declarations taken in, per provider (OIN) and outcome.",
    ["provider_oin", "outcome"],
)
MONTHS_WITHOUT_INCOME = Counter(
    "schakel_months_without_income_total",
    "Persons' months established without income by a provider's closing of the month, per provider (OIN).",
    ["provider_oin"],
)
MONTH_CLOSINGS = Counter(
    "schakel_month_closings_total",
    "Providers' closings of a month that ended, per provider (OIN) and outcome: afgerond, or mislukt (given up "
    "after failing at one page again and again).",
    ["provider_oin", "outcome"],
)
MONTH_CLOSING_GIVEN_UP = Gauge(
    "schakel_month_closing_given_up_timestamp_seconds",
    "When this instance last gave up a closing of the provider (OIN): an alert for an hour after each.",
    ["provider_oin"],
)
REAPPLICATIONS = Counter(
    "schakel_reapplications_total",
    "Re-applications per municipality: decided at once (toegekend) or prepared for a caseworker (beoordelen).",
    ["gemeentecode", "outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "schakel_webhook_deliveries_total",
    "Webhook deliveries by outcome: attempts delivered, failed (tried again later), given_up (after the last "
    "attempt, or undelivered after DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN), refused (an address that is not public); "
    "lapsed: never delivered, their subscription stopped while they waited, some after failed attempts (a 410 "
    "Gone from the receiver, ended by the municipality, or written while it was being stopped).",
    ["outcome"],
)
WEBHOOK_OLDEST_WAITING = Gauge(
    "schakel_webhook_oldest_waiting_timestamp_seconds",
    "When the oldest webhook delivery still waiting was created; 0 when none waits.",
)
WEBHOOK_OLDEST_PAUSED = Gauge(
    "schakel_webhook_oldest_paused_timestamp_seconds",
    "When the oldest webhook delivery waiting behind a pause was created (it lapses after "
    "DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN); 0 when none waits.",
)
WEBHOOK_SECRETS = Gauge(
    "schakel_webhook_secrets",
    "Active webhook subscriptions by the key that read their secret, as this instance's last re-encryption "
    "found them: first (the key that encrypts), older (written anew by that run), none (no key reads it).",
    ["key"],
)
INDEXES_NOT_READY = Gauge(
    "schakel_database_indexes_not_ready",
    "Indexes that migrations build concurrently (schakel.persistence.indexes) and that this instance found missing "
    "or not valid: built by the migration job or an instance that migrates at start; reads that need one wait.",
)
FEED_HELD_SINCE = Gauge(
    "schakel_feed_held_since_timestamp_seconds",
    "Since when the oldest writing transaction on the database server, older than one that ended since, holds "
    "back the change feed's later events: when this instance first saw it (for one running at the instance's "
    "first look, its start where the server shows it: early by as long as it ran before it first wrote); 0 when "
    "nothing can wait for one (none runs, or none that a later one ended after).",
)
HOUSEKEEPING_LAST_RUN = Gauge(
    "schakel_housekeeping_last_run_timestamp_seconds",
    "When a job the instances take turns at (retention, purges, proposals) last ran to its end, in whichever instance.",
    ["periodic_job"],  # not `job`: Prometheus puts its own on every target and renames this one
)
HOUSEKEEPING_INTERVAL = Gauge(
    "schakel_housekeeping_interval_seconds", "How often a job the instances take turns at is due.", ["periodic_job"]
)
SOURCE_REQUESTS = Counter(
    "schakel_source_requests_total",
    "Questions to a source asked when the answer is needed (the BRP, income), by outcome: answered, "
    "unavailable (no answer, not now, or no answer in the agreed shape: the caller got a 503) or refused "
    "(the source refused our question or key: a setting to fix).",
    ["source", "outcome"],
)
SOURCE_DURATION = Histogram(
    "schakel_source_request_duration_seconds",
    "How long a question to a source took, whatever its outcome.",
    ["source"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
TASK_UP = Gauge("schakel_task_up", "1 while a background task works, 0 while it fails or after it stopped.", ["task"])


# the methods of the HTTP specifications: any other a client sends is `_OTHER` (OpenTelemetry's
# http.request.method), so that no client adds label values at will
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})


async def exposition(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class HttpMetrics:
    """Times every request under its route template (`/api/v1/uitkeringen/{uitkeringId}`), never the
    concrete path; a path that matches no route counts as `unmatched`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            route = scope.get("schakel.route") or getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"] if scope["method"] in HTTP_METHODS else "_OTHER"
            HTTP_DURATION.labels(method, route, str(status)).observe(time.perf_counter() - started)
