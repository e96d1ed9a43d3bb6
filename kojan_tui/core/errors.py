"""The small set of failures the UI knows how to show, whatever AWS (or the network) said."""

from __future__ import annotations

from enum import Enum

from kojan_tui.core.i18n import N_


class FailureKind(str, Enum):
    """Each value is also the English message id of the kind (shown through ``core.i18n``)."""

    THROTTLED = N_("throttled")
    ACCESS_DENIED = N_("access denied")
    NOT_FOUND = N_("not found")
    UNAVAILABLE = N_("unavailable")  # network down, endpoint unreachable, 5xx
    TIMEOUT = N_("timeout")
    CREDENTIALS = N_("credentials missing or expired")
    INVALID_REQUEST = N_("invalid request")  # e.g. a bad filter pattern
    READ_ONLY = N_("refused: read-only mode")


class AwsFailure(Exception):
    """A failed AWS call, reduced to what an on-call engineer needs to read.

    ``kind`` drives colour and recovery; ``message`` is one human line; ``code`` is AWS's error code
    (``ThrottlingException``...) when there was one; ``operation`` names the API call; ``not_sent`` is True
    only when the request provably never left (the connection was refused or never opened).
    """

    def __init__(self, kind: FailureKind, message: str, *, code: str = "", operation: str = "", not_sent: bool = False) -> None:
        super().__init__(message)
        self.not_sent = not_sent
        self.kind = kind
        self.message = message
        self.code = code
        self.operation = operation

    def __str__(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        return f"{where}{self.kind.value} — {self.message}"

    def __repr__(self) -> str:
        return f"AwsFailure({self.kind.name}, {self.message!r}, code={self.code!r}, operation={self.operation!r})"
