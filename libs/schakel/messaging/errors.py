from schakel.errors import SourceRefused, Unavailable
from schakel.persistence import is_unavailable


class MessagingError(Exception):
    code = "berichtenfout"


class BrokerUnavailable(MessagingError):
    """The broker did not answer in time; the operation may be retried."""

    code = "broker-onbereikbaar"


class PermanentError(MessagingError):
    """An event that can never be applied (impossible data): it goes to the dead-letter topic at
    once, with the rule in its message, and the events behind it keep flowing."""

    code = "onverwerkbaar-bericht"


def is_outage(exc: BaseException) -> bool:
    """A broken dependency (broker, database, a source such as the BRP, also one that refuses our key)
    rather than a broken record: retried with backoff for as long as it lasts, never dead-lettered."""
    return isinstance(exc, (BrokerUnavailable, Unavailable, SourceRefused)) or is_unavailable(exc)
