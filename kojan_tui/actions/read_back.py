"""Reading the state back after a mutation whose answer was lost: did AWS do it? One function per request kind.

``read_back`` never raises for an AWS failure: it answers ``ReadBack(done=None)`` (still unknown) and the
lifecycle asks again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kojan_tui.actions.audited import AuditedRequest, DeployRequest, ExportRequest, ParameterChangeRequest
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.verdict import task_definition_label

CLOCK_SKEW = timedelta(seconds=60)  # a forced deployment created this long before the send still counts as ours


@dataclass(frozen=True)
class ReadBack:
    done: bool | None  # None: the state could not be read (still unknown)
    text: str  # what was read, for the screen and the audit record
    value: Any = None  # what the call would have answered: a ServiceSnapshot, a DbParameter, an export task id


async def read_back(gateway: Any, request: AuditedRequest, sent_at: datetime) -> ReadBack:
    try:
        if isinstance(request, DeployRequest):
            return await _deployment(gateway, request, sent_at)
        if isinstance(request, ParameterChangeRequest):
            return await _parameter(gateway, request)
        if isinstance(request, ExportRequest):
            return await _export(gateway, request)
    except AwsFailure as failure:
        return ReadBack(None, f"the state could not be read back: {failure}")
    raise TypeError(f"no read back for {type(request).__name__}")


async def _deployment(gateway: Any, request: DeployRequest, sent_at: datetime) -> ReadBack:
    service = await gateway.describe_service(request.cluster, request.service)
    primary = service.primary
    if primary is None:
        return ReadBack(None, "DescribeServices lists no PRIMARY deployment yet")
    label = task_definition_label(primary.task_definition)
    if request.task_definition is not None:
        wanted = task_definition_label(request.task_definition)
        same = label == wanted and task_definition_label(service.task_definition) == wanted
        if same and primary.id != request.before_deployment:
            return ReadBack(True, f"read back: the PRIMARY deployment {primary.id} runs {label}", service)
        return ReadBack(False, f"read back: the PRIMARY deployment {primary.id} runs {label}, not {wanted}", service)
    if request.before_deployment is not None:
        new = primary.id != request.before_deployment
    else:
        new = primary.created_at is not None and primary.created_at >= sent_at - CLOCK_SKEW
    if new:
        return ReadBack(True, f"read back: a new PRIMARY deployment {primary.id} ({label}) was started", service)
    return ReadBack(False, f"read back: the PRIMARY deployment is still {primary.id}: no new deployment", service)


async def _parameter(gateway: Any, request: ParameterChangeRequest) -> ReadBack:
    parameter = await gateway.describe_db_parameter(request.group, request.name)
    if parameter.value == request.value:
        return ReadBack(True, f"read back: {request.name} = {parameter.value}", parameter)
    return ReadBack(False, f"read back: {request.name} = {parameter.value} (not {request.value})", parameter)


async def _export(gateway: Any, request: ExportRequest) -> ReadBack:
    for task in await gateway.describe_export_tasks():
        if (task.name, task.log_group, task.destination, task.prefix) == (
            request.task_name,
            request.log_group,
            request.bucket,
            request.prefix,
        ) and (task.from_ms, task.to_ms) == (request.from_ms, request.to_ms):
            return ReadBack(True, f"read back: export task {task.id} exists ({task.status})", task.id)
    return ReadBack(False, f"read back: no export task {request.task_name} to s3://{request.bucket}/{request.prefix}")
