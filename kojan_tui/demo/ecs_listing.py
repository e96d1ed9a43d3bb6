"""ListTaskDefinitions as AWS answers it: ``familyPrefix`` is a prefix, ``sort`` ASC/DESC by family and revision.

moto compares the family for equality and ignores ``sort``.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.ecs import responses as ecs_responses


def list_task_definitions(self: Any) -> ActionResult:
    prefix = self._get_param("familyPrefix") or ""
    status = self._get_param("status", "ACTIVE")
    descending = (self._get_param("sort") or "ASC").upper() == "DESC"
    definitions = [
        td
        for revisions in self.ecs_backend.task_definitions.values()
        for td in revisions.values()
        if td.family.startswith(prefix) and td.status == status
    ]
    definitions.sort(key=lambda td: (td.family, td.revision), reverse=descending)
    return ActionResult({"taskDefinitionArns": [td.arn for td in definitions]})


def apply() -> None:
    ecs_responses.EC2ContainerServiceResponse.list_task_definitions = list_task_definitions
