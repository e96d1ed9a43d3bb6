"""Issue 26: ``[[fleet.services]]``, several services and their environments in one config.

Each entry names one ECS service's resources like ``[service]`` does, plus its ``environment`` and, optionally,
thresholds of its own (``[fleet.services.thresholds.<metric>]``, each with warn and alert; the others are the
``[thresholds]`` ones). A mistake is told by index and key: ``fleet.services[2].cluster: must be a string…``.
A config without ``[[fleet.services]]`` is a fleet of one, its ``[service]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from kojan_tui.core.config_error import ConfigError
from kojan_tui.core.config_rules import describe_value, format_number
from kojan_tui.core.thresholds import Threshold, Thresholds

if TYPE_CHECKING:  # this module is imported by core.config: it names its classes, never imports them
    from kojan_tui.core.config import Config, ServiceSettings, _Reader

MAX_SERVICES = 200  # far beyond a console's screen; keeps one poll's queries within a few GetMetricData calls
ENVIRONMENT_RE = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
REQUIRED = (
    "environment",
    "cluster",
    "name",
    "log_group",
    "load_balancer",
    "target_group",
    "db_instance",
    "ecr_repository",
    "secret_prefix",
)
OPTIONAL = ("task_family", "jwt_secret_id", "alb_log_bucket", "health_url")  # like [service]'s, defaulted
ENTRY_KEYS = (*REQUIRED, *OPTIONAL, "thresholds")


@dataclass(frozen=True)
class FleetService:
    """Issue 26: one service of a fleet, its environment (``production``, ``staging``…), its resources and its
    thresholds (the ``[thresholds]`` ones where it gives none of its own)."""

    environment: str
    service: ServiceSettings
    thresholds: Thresholds

    @property
    def key(self) -> str:
        """``environment/service``: what the fleet screen, the switch and a typed confirmation name."""
        return f"{self.environment}/{self.service.name}"


@dataclass(frozen=True)
class FleetSettings:
    """``[[fleet.services]]``; empty: the one ``[service]`` (a fleet of one, exactly as before)."""

    services: tuple[FleetService, ...] = ()


def fleet_of(config: Config) -> tuple[FleetService, ...]:
    """Every service the config names: its fleet, or its one ``[service]`` (environment "")."""
    return config.fleet.services or (FleetService("", config.service, config.thresholds),)


def is_fleet(config: Config) -> bool:
    """More than one service: the fleet screen, environment badges and production's write guard apply."""
    return len(config.fleet.services) > 1


def service_config(config: Config, member: FleetService) -> Config:
    """The single-service config of ``member``: every existing screen works on it unchanged."""
    return replace(config, service=member.service, thresholds=member.thresholds)


def read_fleet(reader: _Reader, config: Config, table: object, *, service_given: bool) -> Config:
    """``config`` with its fleet read from the TOML ``[fleet]`` table; ``[service]`` becomes the first member."""
    path = reader.path
    if not isinstance(table, dict):
        raise ConfigError(path, "fleet", f"must be a table, got {describe_value(table)}")
    for key in table:
        if key != "services":
            raise ConfigError(path, f"fleet.{key}", "unknown key; the only key of [fleet] is 'services' ([[fleet.services]])")
    entries = table.get("services")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(path, "fleet.services", "must be one or more [[fleet.services]] tables")
    if service_given:
        raise ConfigError(
            path,
            "fleet.services",
            "give either [service] or [[fleet.services]], not both (a fleet names each of its services)",
            line=_entry_line(reader.lines, 0),
        )
    if len(entries) > MAX_SERVICES:
        raise ConfigError(path, "fleet.services", f"at most {MAX_SERVICES} services, got {len(entries)}")
    members: list[FleetService] = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        member = _member(reader, config, index, entry)
        where = (member.service.cluster, member.service.name)
        if where in seen:
            raise _fail(
                reader, index, "name", f"{member.service.name!r} in cluster {where[0]!r} is already fleet.services[{seen[where]}]"
            )
        seen[where] = index
        members.append(member)
    return replace(config, service=members[0].service, fleet=FleetSettings(tuple(members)))


def _member(reader: _Reader, config: Config, index: int, entry: dict) -> FleetService:
    for key in entry:
        if key not in ENTRY_KEYS:
            raise _fail(reader, index, key, f"unknown key; valid keys here: {', '.join(ENTRY_KEYS)}")
    for key in REQUIRED:
        if key not in entry:
            raise _fail(reader, index, key, "missing required key (every service of a fleet names its own resources)")
    environment = entry["environment"]
    if not isinstance(environment, str) or not ENVIRONMENT_RE.match(environment):
        raise _fail(
            reader,
            index,
            "environment",
            f"must be a lowercase name like production or staging (a-z, 0-9, -), got {describe_value(environment)}",
        )
    values: dict[str, object] = {}
    for key in (*REQUIRED[1:], *OPTIONAL):
        if key in entry:
            values[key] = _checked(reader, index, key, entry[key])
    values.setdefault("task_family", values["name"])
    values.setdefault("jwt_secret_id", f"{values['secret_prefix']}jwt-secret")
    values.setdefault("alb_log_bucket", config.service.alb_log_bucket)
    service: ServiceSettings = type(config.service)(**values)
    thresholds = _thresholds(reader, config, index, entry.get("thresholds", {}))
    return FleetService(environment, service, thresholds)


def _checked(reader: _Reader, index: int, key: str, value: object) -> object:
    """The ``[service]`` rules for the key, told under the entry's own name."""
    try:
        return reader.check_value(f"service.{key}", value, shown=f"service.{key}")
    except ConfigError as error:
        raise _fail(reader, index, key, error.message) from None


def _thresholds(reader: _Reader, config: Config, index: int, table: object) -> Thresholds:
    if not isinstance(table, dict):
        raise _fail(reader, index, "thresholds", f"must be a table, got {describe_value(table)}")
    names = [f.name for f in fields(Thresholds)]
    own: dict[str, Threshold] = {}
    for metric, value in table.items():
        key = f"thresholds.{metric}"
        if metric not in names:
            raise _fail(reader, index, key, f"unknown metric; valid ones: {', '.join(names)}")
        if not isinstance(value, dict) or set(value) != {"warn", "alert"}:
            raise _fail(reader, index, key, "needs exactly warn and alert")
        levels = {}
        for level in ("warn", "alert"):
            try:
                levels[level] = reader.check_value(f"thresholds.{metric}.{level}", value[level], hint=float, shown=key)
            except ConfigError as error:
                raise _fail(reader, index, f"{key}.{level}", error.message) from None
        if not levels["warn"] < levels["alert"]:
            raise _fail(
                reader,
                index,
                key,
                f"warn ({format_number(levels['warn'])}) must be below alert ({format_number(levels['alert'])})",
            )
        own[metric] = Threshold(levels["warn"], levels["alert"])
    thresholds = replace(config.thresholds, **own)
    for trigger, value, metric in (
        ("memory_percent", config.rollback.memory_percent, "ecs_memory_percent"),
        ("cpu_percent", config.rollback.cpu_percent, "ecs_cpu_percent"),
        ("all_failing_error_rate_percent", config.rollback.all_failing_error_rate_percent, "error_rate_percent"),
    ):
        alert = getattr(thresholds, metric).alert
        if value < alert:
            raise _fail(
                reader,
                index,
                f"thresholds.{metric}.alert",
                f"{format_number(alert)} is above rollback.{trigger} ({format_number(value)}): S25 would roll back before the alert",
            )
    return thresholds


def _fail(reader: _Reader, index: int, key: str, message: str) -> ConfigError:
    dotted = f"fleet.services[{index}].{key}"
    return ConfigError(reader.path, dotted, message, line=_key_line(reader.lines, index, key.split(".")[0]))


def _entry_line(lines: list[str], index: int) -> int | None:
    """The line of the ``index``-th ``[[fleet.services]]`` header (best effort)."""
    seen = -1
    for number, raw in enumerate(lines, start=1):
        if re.match(r"^\s*\[\[\s*fleet\.services\s*\]\]", raw):
            seen += 1
            if seen == index:
                return number
    return None


def _key_line(lines: list[str], index: int, key: str) -> int | None:
    """The line of ``key =`` inside the ``index``-th entry, else the entry's header."""
    header = _entry_line(lines, index)
    if header is None:
        return None
    for number in range(header + 1, len(lines) + 1):
        line = lines[number - 1].strip()
        if re.match(r"^\[\[\s*fleet\.services\s*\]\]", line):
            break
        if re.match(rf"^{re.escape(key)}\s*=", line) or line.startswith(f"[fleet.services.{key}"):
            return number
    return header


PRODUCTION = "production"


def member_of(config: Config, key: str | None = None) -> FleetService:
    """The member named ``key`` (``environment/service``), or the one ``config.service`` is (the first)."""
    members = fleet_of(config)
    for member in members:
        if key is not None and member.key == key:
            return member
    if key is not None:
        raise KeyError(key)
    where = (config.service.cluster, config.service.name)
    return next((m for m in members if (m.service.cluster, m.service.name) == where), members[0])


def environment_of(config: Config) -> str:
    """The environment of the service ``config`` points at; "" for a single-service config (shown as today)."""
    return member_of(config).environment if is_fleet(config) else ""


def confirm_word(config: Config, service_name: str) -> str:
    """What a typed confirmation asks for: ``production/kojan-map-business`` in a fleet, the name alone otherwise."""
    environment = environment_of(config)
    return f"{environment}/{service_name}" if environment else service_name


def production_guarded(config: Config, *, allow_production_writes: bool) -> bool:
    """True when the fleet's service is in production and writes were not explicitly allowed."""
    return is_fleet(config) and environment_of(config) == PRODUCTION and not allow_production_writes


def run_config(config: Config, key: str | None, *, allow_production_writes: bool) -> Config:
    """The single-service config the app runs on for the member ``key`` (None: the first): production read-only
    unless writes were allowed. A single-service config is returned unchanged."""
    if not is_fleet(config):
        return config
    chosen = service_config(config, member_of(config, key))
    if production_guarded(chosen, allow_production_writes=allow_production_writes):
        chosen = replace(chosen, ui=replace(chosen.ui, read_only=True))
    return chosen
