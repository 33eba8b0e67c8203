class MessagingError(Exception):
    code = "berichtenfout"


class BrokerUnavailable(MessagingError):
    """The broker did not answer in time; the operation may be retried."""

    code = "broker-onbereikbaar"


class PermanentError(MessagingError):
    """An event that can never be applied (impossible data). It goes to the dead-letter topic;
    the events behind it keep flowing. Any other handler exception is retried with backoff."""

    code = "onverwerkbaar-bericht"
