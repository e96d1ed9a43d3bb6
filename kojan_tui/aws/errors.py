"""Every way an AWS call can fail (AWS error codes, botocore, the network) reduced to one ``AwsFailure``.

The gateway calls ``to_failure`` in exactly one place; nothing else in the app sees a botocore error.
"""

from __future__ import annotations

import asyncio

import aiohttp
from botocore import exceptions as bx

from kojan_tui.core.errors import AwsFailure, FailureKind

MAX_MESSAGE = 200

THROTTLED_CODES = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "SlowDown",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "PriorRequestNotComplete",
}
ACCESS_DENIED_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
    "OptInRequired",
    "NotAuthorized",
}
CREDENTIALS_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "InvalidAccessKeyId",
    "AuthFailure",
    "TokenRefreshRequired",
}
NOT_FOUND_CODES = {
    "ResourceNotFoundException",
    "ResourceNotFound",
    "NotFound",
    "NotFoundException",
    "NoSuchEntity",
    "ClusterNotFoundException",
    "ServiceNotFoundException",
    "ServiceNotActiveException",
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "NoSuchBucket",
    "NoSuchKey",
    "RepositoryNotFoundException",
    "ObjectNotFoundException",
}
INVALID_REQUEST_CODES = {
    "ValidationError",
    "ValidationException",
    "InvalidParameterException",
    "InvalidParameterValue",
    "InvalidParameterValueException",
    "InvalidParameterCombination",
    "MissingParameter",
    "MalformedQueryException",
    "InvalidRequestException",
    "InvalidOperationException",
    "ClientException",
    "InvalidNextToken",
    "InvalidNextTokenException",
    "UnsupportedOperation",
    "SerializationException",
}
UNAVAILABLE_CODES = {
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "InternalServiceError",
    "InternalServiceFault",
    "ServerException",
    "ServiceException",
    "Unavailable",
}

CREDENTIALS_HINT = "run `aws sso login` (or check AWS_PROFILE / your access keys)"


def to_failure(exc: BaseException, operation: str = "") -> AwsFailure:
    """The one mapping from an exception raised by an AWS call to the failure the UI shows."""
    if isinstance(exc, AwsFailure):
        return exc
    if isinstance(exc, bx.ClientError):
        return _from_client_error(exc, operation)
    kind, message = _classify_local(exc)
    return AwsFailure(kind, _one_line(message), code=type(exc).__name__, operation=operation, not_sent=_never_sent(exc))


def _never_sent(exc: BaseException) -> bool:
    """True when the chain of ``exc`` proves no byte of the request left: the TCP connection was refused or
    never opened (a reset after the send, even one botocore calls a connect error, does not count)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, (bx.ConnectTimeoutError, aiohttp.ClientConnectorError, ConnectionRefusedError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _from_client_error(exc: bx.ClientError, operation: str) -> AwsFailure:
    error = exc.response.get("Error", {}) or {}
    code = str(error.get("Code", "") or "")
    status = int((exc.response.get("ResponseMetadata", {}) or {}).get("HTTPStatusCode", 0) or 0)
    if not status and code.isdigit():
        status = int(code)  # a bare HTTP error with no AWS error body: botocore uses the status as code
    message = str(error.get("Message", "") or "")
    if not message or message.lstrip().startswith("<"):  # empty, or an HTML error page from a proxy/server
        message = f"HTTP {status} from the service" if status else (code or "the service refused the call")
    operation = operation or exc.operation_name
    kind = _kind_for_code(code, status, message)
    if kind is FailureKind.CREDENTIALS:
        message = f"{message} — {CREDENTIALS_HINT}"
    return AwsFailure(kind, _one_line(message), code=code, operation=operation)


def _kind_for_code(code: str, status: int, message: str) -> FailureKind:
    if code in THROTTLED_CODES or status == 429:
        return FailureKind.THROTTLED
    if code in CREDENTIALS_CODES:
        return FailureKind.CREDENTIALS
    if code in ACCESS_DENIED_CODES:
        return FailureKind.ACCESS_DENIED
    if code in NOT_FOUND_CODES or code.endswith(("NotFound", "NotFoundException", "NotFoundFault")):
        return FailureKind.NOT_FOUND
    if code == "ClientException" and "unable to describe" in message.lower():
        return FailureKind.NOT_FOUND  # ECS says this for a task definition that does not exist
    if code in UNAVAILABLE_CODES or status >= 500:
        return FailureKind.UNAVAILABLE
    if code in INVALID_REQUEST_CODES:
        return FailureKind.INVALID_REQUEST
    if status == 403:
        return FailureKind.ACCESS_DENIED
    if status == 404:
        return FailureKind.NOT_FOUND
    if status == 401:
        return FailureKind.CREDENTIALS
    return FailureKind.INVALID_REQUEST


def _classify_local(exc: BaseException) -> tuple[FailureKind, str]:
    """Failures that happened before AWS answered: credentials, network, timeouts, bad parameters."""
    if isinstance(exc, (bx.TokenRetrievalError, bx.SSOError)):
        return FailureKind.CREDENTIALS, f"the SSO session has expired or is missing — run `aws sso login` ({exc})"
    if isinstance(exc, bx.NoCredentialsError):
        return FailureKind.CREDENTIALS, f"no AWS credentials found — {CREDENTIALS_HINT}"
    if isinstance(
        exc,
        (bx.PartialCredentialsError, bx.CredentialRetrievalError, bx.NoAuthTokenError, bx.ProfileNotFound, bx.InvalidConfigError),
    ):
        return FailureKind.CREDENTIALS, f"{exc} — {CREDENTIALS_HINT}"
    if isinstance(exc, (bx.ConnectTimeoutError, bx.ReadTimeoutError, asyncio.TimeoutError, TimeoutError)):
        return FailureKind.TIMEOUT, f"no answer in time ({exc or type(exc).__name__})"
    if isinstance(
        exc,
        (
            bx.EndpointConnectionError,
            bx.ConnectionClosedError,
            bx.HTTPClientError,
            bx.ConnectionError,
            aiohttp.ClientError,
            ConnectionError,
            OSError,
        ),
    ):
        return FailureKind.UNAVAILABLE, f"cannot reach AWS ({exc})"
    if isinstance(exc, (bx.ParamValidationError, bx.NoRegionError, bx.InvalidRegionError, ValueError)):
        return FailureKind.INVALID_REQUEST, str(exc)
    return FailureKind.UNAVAILABLE, f"{type(exc).__name__}: {exc}"


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
