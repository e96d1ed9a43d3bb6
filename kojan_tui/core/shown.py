"""How a value read from AWS (or a request about to be sent) is written for a person: never a Python repr.

``None`` is "not set" (or the caller's word), a bool is true/false as the AWS API spells it, a mapping or a
list is JSON (as the rollback dialog shows its request); anything else is its ``str``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


def shown(value: Any, missing: str = "not set") -> str:
    if value is None:
        return missing
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Mapping, list, tuple)) or (isinstance(value, Sequence) and not isinstance(value, str)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def request_json(request: Mapping[str, Any]) -> str:
    """An API request as the JSON that is sent (the confirmation and the dry run show it this way)."""
    return json.dumps(dict(request), default=str, ensure_ascii=False)
