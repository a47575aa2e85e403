"""Domain errors raised by the round and attempt services, with a translated message and a
stable ``code`` that the websocket protocol passes on (docs/protocol.md, ``error``)."""


class DomainError(Exception):
    code = "not_allowed"

    def __init__(self, message, *, reason: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.reason = reason


class NotAllowed(DomainError):
    """The action is not allowed now (wrong state, too late, no attempts left, ...)."""

    code = "not_allowed"


class Conflict(DomainError):
    """A compare-and-swap lost: someone else changed the row first. Re-read and retry."""

    code = "conflict"


class NotFound(DomainError):
    code = "not_found"


class Invalid(DomainError):
    code = "bad_message"
