"""An answer that parsed but lacks what the operation always returns is a failure, never an empty result.

botocore turns a malformed JSON body into a dict without the answer's fields; read as-is, that would show
"no log lines", "0 errors" or "service not found" when AWS in fact said nothing usable.
"""

from __future__ import annotations

from kojan_tui.core.errors import AwsFailure, FailureKind

# The field each operation's answer always carries (an empty list when there is nothing).
REQUIRED_FIELD = {
    "GetCallerIdentity": "Account",
    "DescribeServices": "services",
    "DescribeTaskDefinition": "taskDefinition",
    "DescribeTasks": "tasks",
    "ListTasks": "taskArns",
    "DescribeDBInstances": "DBInstances",
    "GetMetricData": "MetricDataResults",
    "FilterLogEvents": "events",
    "StartQuery": "queryId",
    "GetQueryResults": "status",
}


def check_answer(operation: str, answer: object) -> dict:
    """``answer`` when it has the operation's required field; else an UNAVAILABLE failure saying so."""
    field = REQUIRED_FIELD.get(operation)
    if not isinstance(answer, dict) or (field is not None and field not in answer):
        raise AwsFailure(
            FailureKind.UNAVAILABLE,
            f"malformed answer: no {field or 'body'} in the response",
            code="MalformedResponse",
            operation=operation,
        )
    return answer
