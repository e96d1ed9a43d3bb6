"""The one error mapping: representative botocore / network exceptions → the typed failure the UI shows."""

from __future__ import annotations

import aiohttp
import pytest
from botocore import exceptions as bx

from kojan_tui.aws.errors import MAX_MESSAGE, to_failure
from kojan_tui.core.errors import AwsFailure, FailureKind


def client_error(code: str, status: int, message: str = "boom", operation: str = "DescribeServices") -> bx.ClientError:
    return bx.ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("ThrottlingException", 400, FailureKind.THROTTLED),
        ("Throttling", 400, FailureKind.THROTTLED),
        ("TooManyRequestsException", 429, FailureKind.THROTTLED),
        ("LimitExceededException", 400, FailureKind.THROTTLED),
        ("SomethingNew", 429, FailureKind.THROTTLED),
        ("AccessDeniedException", 400, FailureKind.ACCESS_DENIED),
        ("AccessDenied", 403, FailureKind.ACCESS_DENIED),
        ("403", 403, FailureKind.ACCESS_DENIED),
        ("ExpiredTokenException", 400, FailureKind.CREDENTIALS),
        ("ExpiredToken", 403, FailureKind.CREDENTIALS),
        ("InvalidClientTokenId", 403, FailureKind.CREDENTIALS),
        ("UnrecognizedClientException", 400, FailureKind.CREDENTIALS),
        ("ClusterNotFoundException", 400, FailureKind.NOT_FOUND),
        ("ResourceNotFoundException", 400, FailureKind.NOT_FOUND),
        ("DBInstanceNotFound", 404, FailureKind.NOT_FOUND),
        ("DBInstanceNotFoundFault", 404, FailureKind.NOT_FOUND),
        ("ServiceUnavailable", 503, FailureKind.UNAVAILABLE),
        ("InternalFailure", 500, FailureKind.UNAVAILABLE),
        ("500", 500, FailureKind.UNAVAILABLE),
        ("InvalidParameterException", 400, FailureKind.INVALID_REQUEST),
        ("MalformedQueryException", 400, FailureKind.INVALID_REQUEST),
        ("ValidationError", 400, FailureKind.INVALID_REQUEST),
    ],
)
def test_client_error_codes(code, status, kind):
    failure = to_failure(client_error(code, status))
    assert failure.kind is kind
    assert failure.code == code
    assert failure.operation == "DescribeServices"


def test_ecs_missing_task_definition_is_not_found():
    assert to_failure(client_error("ClientException", 400, "Unable to describe task definition.")).kind is FailureKind.NOT_FOUND
    assert to_failure(client_error("ClientException", 400, "Bad thing.")).kind is FailureKind.INVALID_REQUEST


def test_html_error_page_becomes_one_short_line():
    html = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n" + "x" * 500
    failure = to_failure(client_error("500", 500, html, "GetMetricData"))
    assert failure.kind is FailureKind.UNAVAILABLE
    assert failure.message == "HTTP 500 from the service"
    assert str(failure) == "GetMetricData: unavailable — HTTP 500 from the service"


def test_long_multiline_messages_are_one_bounded_line():
    failure = to_failure(client_error("ValidationException", 400, "line one\nline two " + "y" * 400))
    assert "\n" not in failure.message and len(failure.message) <= MAX_MESSAGE
    assert failure.message.startswith("line one line two")


def test_expired_credentials_say_how_to_fix_them():
    failure = to_failure(client_error("ExpiredTokenException", 400, "The security token included in the request is expired"))
    assert "aws sso login" in failure.message


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (bx.NoCredentialsError(), FailureKind.CREDENTIALS),
        (bx.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), FailureKind.CREDENTIALS),
        (bx.TokenRetrievalError(provider="sso", error_msg="Token has expired and refresh failed"), FailureKind.CREDENTIALS),
        (bx.UnauthorizedSSOTokenError(), FailureKind.CREDENTIALS),
        (bx.SSOTokenLoadError(error_msg="no token"), FailureKind.CREDENTIALS),
        (bx.ProfileNotFound(profile="prod"), FailureKind.CREDENTIALS),
        (bx.EndpointConnectionError(endpoint_url="https://ecs.ap-northeast-1.amazonaws.com"), FailureKind.UNAVAILABLE),
        (bx.ConnectionClosedError(endpoint_url="https://ecs"), FailureKind.UNAVAILABLE),
        (aiohttp.ClientConnectionError("reset"), FailureKind.UNAVAILABLE),
        (ConnectionResetError("reset by peer"), FailureKind.UNAVAILABLE),
        (bx.ConnectTimeoutError(endpoint_url="https://ecs"), FailureKind.TIMEOUT),
        (bx.ReadTimeoutError(endpoint_url="https://ecs"), FailureKind.TIMEOUT),
        (TimeoutError(), FailureKind.TIMEOUT),
        (bx.ParamValidationError(report="Invalid type for parameter desiredCount"), FailureKind.INVALID_REQUEST),
        (RuntimeError("something else"), FailureKind.UNAVAILABLE),
    ],
)
def test_local_failures(exc, kind):
    failure = to_failure(exc, "DescribeServices")
    assert failure.kind is kind
    assert failure.operation == "DescribeServices"
    assert failure.message and "\n" not in failure.message


def test_an_aws_failure_passes_through_unchanged():
    original = AwsFailure(FailureKind.READ_ONLY, "refused")
    assert to_failure(original) is original
