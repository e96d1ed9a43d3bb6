"""Which failures of a mutation are UNKNOWN (it may have reached AWS) and which prove it was not done: the rule,
on the exceptions botocore and aiohttp really raise (mapped by the gateway's one ``to_failure``)."""

from __future__ import annotations

import errno

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from botocore import exceptions as bx
from botocore.parsers import ResponseParserError

from kojan_tui.actions.audited import outcome_unknown
from kojan_tui.aws.errors import to_failure

KEY = ConnectionKey("127.0.0.1", 443, True, True, None, None, None, None)


def chained(outer: BaseException, inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as cause:
            raise outer from cause
    except BaseException as raised:
        return raised


def client_error(code: str, status: int) -> bx.ClientError:
    return bx.ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "UpdateService"
    )


@pytest.mark.parametrize(
    ("exc", "unknown"),
    [
        # the request may have left: unknown
        (chained(bx.EndpointConnectionError(endpoint_url="u"), aiohttp.ClientOSError(errno.ECONNRESET, "reset")), True),
        (bx.ConnectionClosedError(endpoint_url="u"), True),
        (bx.ReadTimeoutError(endpoint_url="u"), True),
        (client_error("InternalFailure", 500), True),
        (client_error("ServiceUnavailable", 503), True),
        (ResponseParserError("not JSON"), True),
        # refused by AWS (4xx code) or never sent: not done
        (client_error("AccessDeniedException", 400), False),
        (client_error("ThrottlingException", 400), False),
        (client_error("InvalidParameterException", 400), False),
        (client_error("ExpiredTokenException", 400), False),
        (
            chained(bx.EndpointConnectionError(endpoint_url="u"), aiohttp.ClientConnectorError(KEY, ConnectionRefusedError())),
            False,
        ),
        (bx.ConnectTimeoutError(endpoint_url="u"), False),
        (bx.ParamValidationError(report="bad"), False),
    ],
)
def test_only_a_refusal_or_a_request_that_never_left_is_not_done(exc, unknown) -> None:
    assert outcome_unknown(to_failure(exc, "UpdateService")) is unknown
