"""Dashboard data to compact bytes and back (zlib + JSON), for incident recordings and their replay.

Generic over the frozen dataclasses of ``core.models`` (read from their type hints), so a field added to a
model is recorded without touching this module; unknown keys in an old recording are ignored. What is stored is
masked by the one secret rule (``core.secret_rule``): environment values, credential-shaped text anywhere.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import zlib
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.models import ContainerDefinition
from kojan_tui.core.secret_rule import mask_environment, mask_text

T = TypeVar("T")
COMPRESSION_LEVEL = 6


def encode(data: DashboardData) -> bytes:
    return zlib.compress(json.dumps(_plain(data), separators=(",", ":"), ensure_ascii=False).encode("utf-8"), COMPRESSION_LEVEL)


def decode(payload: bytes) -> DashboardData:
    return _build(DashboardData, json.loads(zlib.decompress(payload).decode("utf-8")))


def _plain(value: Any) -> Any:
    if isinstance(value, ContainerDefinition):
        value = dataclasses.replace(value, environment=mask_environment(value.environment))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _build(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        return _build(options[0], raw) if len(options) == 1 else raw
    if dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        names = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{k: _build(hints[k], v) for k, v in raw.items() if k in names})
    if hint is datetime:
        return datetime.fromisoformat(raw)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in raw)
        return tuple(_build(a, v) for a, v in zip(args, raw))
    if origin in (dict, Mapping):
        _, value_hint = get_args(hint)
        return {k: _build(value_hint, v) for k, v in raw.items()}
    if hint is float and isinstance(raw, int):
        return float(raw)
    return raw
