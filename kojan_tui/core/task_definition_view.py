"""The running task definition as JSON to read and copy, masked by the one secret rule (``core.secret_rule``):
an environment value whose name says secret is the mask, credential-shaped parts of any other value are masked,
and a ``secrets`` entry shows only its ``valueFrom`` reference (DescribeTaskDefinition never returns the value).

The JSON holds what the app keeps of DescribeTaskDefinition (``core.models.TaskDefinition``), in AWS's field names.
"""

from __future__ import annotations

import json

from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.core.secret_rule import mask_text, mask_value


def _container(c: ContainerDefinition) -> dict:
    out: dict = {"name": c.name, "image": mask_text(c.image)}
    if c.cpu is not None:
        out["cpu"] = c.cpu
    if c.memory is not None:
        out["memory"] = c.memory
    if c.ports:
        out["portMappings"] = list(c.ports)
    if c.health_check:
        out["healthCheck"] = mask_text(c.health_check)
    out["environment"] = [{"name": name, "value": mask_value(name, value)} for name, value in c.environment]
    out["secrets"] = [{"name": name, "valueFrom": mask_text(value_from)} for name, value_from in c.secrets]
    return out


def masked_document(td: TaskDefinition) -> dict:
    """``td`` in DescribeTaskDefinition's shape, every value passed through the secret rule."""
    doc: dict = {
        "taskDefinitionArn": td.arn,
        "family": td.family,
        "revision": td.revision,
        "status": td.status,
    }
    if td.registered_at is not None:
        doc["registeredAt"] = td.registered_at.isoformat()
    if td.cpu is not None:
        doc["cpu"] = td.cpu
    if td.memory is not None:
        doc["memory"] = td.memory
    doc["containerDefinitions"] = [_container(c) for c in td.containers]
    return doc


def masked_json(td: TaskDefinition) -> str:
    """The masked document, indented, non-ASCII kept (what the view shows and ``c`` copies)."""
    return json.dumps(masked_document(td), indent=2, ensure_ascii=False)
