"""Errors of the service layer, in the words of the domain: what went wrong, a stable `code`, the
`field` it concerns, and a `detail` a person can read (never a value: it could be personal data).
The category says what kind of answer it is; `schakel.api` turns it into problem+json at the edge,
so no status code or HTTP type lives below `entrypoints/`. Each service has one root (e.g.
`RegistrationError(DomainError)`) and its errors inherit from that root and one category."""

from __future__ import annotations


class DomainError(Exception):
    code = "fout"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.code
        self.field = field


class NotFound(DomainError):
    """Does not exist, or is not the caller's to see (answered the same, so nothing leaks)."""

    code = "niet-gevonden"


class Forbidden(DomainError):
    """The caller's task does not include this (doelbinding)."""

    code = "geen-toegang"


class Conflict(DomainError):
    """Clashes with the current state (a running case exists, a concurrent change won)."""

    code = "conflict"


class Refused(DomainError):
    """A well-formed request that a legal rule refuses."""

    code = "geweigerd"


class Invalid(DomainError):
    """Input that is malformed beyond what the request schema can say."""

    code = "ongeldige-invoer"


class SourceRefused(RuntimeError):
    """A source refused our question (a wrong address, key or request): our fault, a 500 to a caller,
    and for a consumer a dependency to wait for until it is put right, never a record to dead-letter."""


class Unavailable(DomainError):
    """A source the answer depends on (the BRP, income) cannot be reached now; asking again later may
    work, after `retry_after` seconds (the source's own word when it gave one)."""

    code = "bron-niet-beschikbaar"
    retry_after = 5

    def __init__(self, detail: str, *, retry_after: int | None = None, **kwargs: str | None) -> None:
        super().__init__(detail, **kwargs)
        self.told = retry_after  # the source's own word, if it gave one
        self.retry_after = retry_after or self.retry_after
