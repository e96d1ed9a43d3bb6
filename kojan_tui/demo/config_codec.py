"""The Config crosses into the server subprocess as JSON: encode it here, decode it there."""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from kojan_tui.core.config import Config, ServiceSettings
from kojan_tui.core.fleet_config import FleetService, FleetSettings
from kojan_tui.core.thresholds import Thresholds


def config_to_json(config: Config) -> str:
    return json.dumps(dataclasses.asdict(config))


def _build(cls: type, data: Any) -> Any:
    if cls is FleetSettings and isinstance(data, dict):  # a tuple of dataclasses: built member by member
        return FleetSettings(
            tuple(
                FleetService(m["environment"], _build(ServiceSettings, m["service"]), _build(Thresholds, m["thresholds"]))
                for m in data.get("services", [])
            )
        )
    if not dataclasses.is_dataclass(cls) or not isinstance(data, dict):
        return data
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kind = hints[f.name]
            kwargs[f.name] = _build(kind, data[f.name]) if dataclasses.is_dataclass(kind) else data[f.name]
    return cls(**kwargs)


def config_from_json(text: str) -> Config:
    return _build(Config, json.loads(text))
