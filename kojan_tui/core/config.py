"""The configuration: its shape (frozen dataclasses) and loading it from TOML with clear errors.

Every other module receives a ``Config``; none reads files or the environment itself.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import get_type_hints

from kojan_tui.core.config_error import ConfigError
from kojan_tui.core.config_rules import describe_value, format_number, is_finite_number, value_problem
from kojan_tui.core.fleet_config import FleetSettings, read_fleet
from kojan_tui.core.thresholds import Threshold, Thresholds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the package needs 3.11, this keeps the loader honest if that changes
    import tomli as tomllib


@dataclass(frozen=True)
class AwsSettings:
    region: str = "ap-northeast-1"
    profile: str | None = None  # None: the AWS default chain (AWS_PROFILE, env keys, SSO, ...)
    endpoint_url: str | None = None  # None: AWS itself (AWS_ENDPOINT_URL still honoured by botocore)
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_attempts: int = 5
    # FilterLogEvents and the other log reads: this console's share of the account's quota (5/s, shared
    # with every colleague's console and script); each request waits for its slot (kojan_tui.aws.limits).
    log_requests_per_second: float = 2.0


@dataclass(frozen=True)
class ServiceSettings:
    cluster: str = "kojan-map-production"
    name: str = "kojan-map-business"
    task_family: str = "kojan-map-business"
    log_group: str = "/ecs/kojan-map-business"
    load_balancer: str = "app/kojan-map-alb/50dc6c495c0c9188"  # the ALB's CloudWatch dimension
    target_group: str = "targetgroup/kojan-map-business/73e2d6bc24d8a067"
    db_instance: str = "kojan-map-db"
    ecr_repository: str = "kojan-map/business"
    secret_prefix: str = "/kojan-map/business/"
    jwt_secret_id: str = "/kojan-map/business/jwt-secret"
    alb_log_bucket: str = "kojan-map-alb-logs"
    health_url: str | None = None  # the API's health endpoint (S29 "API endpoints answer"); None: not checked


@dataclass(frozen=True)
class RefreshSettings:
    metrics_seconds: float = 30.0
    service_seconds: float = 10.0
    logs_seconds: float = 2.0
    errors_seconds: float = 60.0


@dataclass(frozen=True)
class RollbackTriggers:
    """S25: the conditions under which the guide says to roll back at once."""

    all_failing_error_rate_percent: float = 99.0  # "every API call returns 500"
    memory_percent: float = 95.0
    cpu_percent: float = 99.0  # "CPU at 100 %"...
    cpu_sustained_seconds: float = 300.0  # ...sustained this long


@dataclass(frozen=True)
class UiSettings:
    theme: str = "kojan-dark"
    read_only: bool = False
    bell: bool = True
    notify: bool = True
    log_buffer_lines: int = 10_000
    chart_window: str = "1h"  # 1h | 3h | 24h
    language: str = "ja"  # the whole UI, runbooks and checklists: "ja" (the guide's wording) | "en"; --lang overrides
    stale_after_periods: int = 3  # a metric whose newest datapoint is older than this many periods shows NO DATA
    timezone: str = ""  # times on screen: an IANA zone ("Asia/Tokyo", "UTC"); "" or "local": the machine's


@dataclass(frozen=True)
class AlertSettings:
    """How alerts avoid flapping: raised at once, cleared only after staying below their level this long."""

    clear_after_seconds: float = 90.0


@dataclass(frozen=True)
class IncidentSettings:
    """S23: where the team's incident table lives and where full reports are written (relative to the cwd)."""

    er_md_path: str = "testDocument/er.md"
    reports_dir: str = "testDocument/incidents"


@dataclass(frozen=True)
class ActionSettings:
    rollout_timeout_seconds: float = 900.0  # S26/S09: a rollout not COMPLETED by then is reported TIMED OUT
    settling_seconds: float = 120.0  # S29: metrics must stay within thresholds this long after the rollout
    watch_seconds: float = 5.0  # how often the rollout watch asks DescribeServices
    silent_seconds: float = 180.0  # a watch whose DescribeServices keeps failing this long ends "unknown"


@dataclass(frozen=True)
class ChecklistSettings:
    """S27/S29 checklists: the stability timer after a deploy and where last month's logs are archived."""

    stability_minutes: float = 30.0  # S29: stable this long with no threshold breached
    archive_bucket: str = "kojan-map-log-archive"  # S27: CloudWatch Logs export destination


@dataclass(frozen=True)
class SecuritySettings:
    """S12/S14/S18/S20: what the security view and its checks judge against."""

    iam_policy_file: str | None = None  # S14: the policy Access Analyzer validates (relative to the cwd)
    ecr_fail_severities: str = "CRITICAL,HIGH"  # a finding of these severities on the running image fails
    image_max_age_days: int = 90  # the running image pushed longer ago than this: warn
    oauth_token_ttl_env: str = "OAUTH_TOKEN_TTL"  # S20: the task definition's environment variable names
    mfa_code_ttl_env: str = "MFA_CODE_TTL"

    @property
    def fail_severities(self) -> tuple[str, ...]:
        return tuple(part.strip().upper() for part in self.ecr_fail_severities.split(",") if part.strip())


@dataclass(frozen=True)
class AuditSettings:
    """Issue 11: an optional copy of every audit record in a CloudWatch Logs group the team can read."""

    log_group: str = ""  # "": no copy (the local audit file is always written); the group must already exist


@dataclass(frozen=True)
class ForecastSettings:
    """Issue 27: the memory and storage panels' forecasts of when they reach their alert level."""

    warn_within_hours: float = 6.0  # a forecast that reaches the alert level sooner than this is a warning of its own


@dataclass(frozen=True)
class SloSettings:
    """Issue 27: the service's objectives, judged from the ALB series (the SLO panel, burn-rate alerts)."""

    availability: float = 99.9  # percent of requests not answered 5XX (the load balancer's own 5XX included)
    latency_p99_ms: float = 1000.0  # the p99 a period must stay within to count as good (S03's alert level)
    window_days: int = 30  # the error budget's window


@dataclass(frozen=True)
class TeamSettings:
    """Issue 25: team mode, the incidents and acknowledgements shared on one DynamoDB table."""

    table: str = ""  # "": team mode off (SQLite, one person); else the table `kojan-tui team init` creates
    region: str = ""  # "": the [aws] region
    frames: bool = False  # --team: the dashboard reads the collector's frames instead of polling (falls back)


@dataclass(frozen=True)
class Config:
    aws: AwsSettings = field(default_factory=AwsSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    rollback: RollbackTriggers = field(default_factory=RollbackTriggers)
    ui: UiSettings = field(default_factory=UiSettings)
    actions: ActionSettings = field(default_factory=ActionSettings)
    incidents: IncidentSettings = field(default_factory=IncidentSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    checklists: ChecklistSettings = field(default_factory=ChecklistSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    forecast: ForecastSettings = field(default_factory=ForecastSettings)
    slo: SloSettings = field(default_factory=SloSettings)
    team: TeamSettings = field(default_factory=TeamSettings)
    fleet: FleetSettings = field(default_factory=FleetSettings)
    source: str = "<defaults>"  # the file it came from, for messages


# --------------------------------------------------------------------------------------------------
# Loading: TOML file -> validated Config, with one clear line for every mistake.
# --------------------------------------------------------------------------------------------------

APP_NAME = "kojan-tui"
CONFIG_FILENAME = "config.toml"
# Tables that name one service's resources: all-or-nothing, so a partial table never mixes your
# service with kojan-map production's defaults (e.g. your cluster with production's log group).
ALL_KEYS_REQUIRED = {"service"}
OPTIONAL_IN_REQUIRED = {"service.health_url"}  # added later: a [service] table written before it stays valid
_TOML_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True)
class ConfigOverrides:
    """Command-line flags; ``None`` leaves the file's (or the default) value alone.

    ``refresh_seconds`` (``--refresh``) sets ``refresh.metrics_seconds``, the dashboard's refresh;
    the service, log and error-count intervals keep their configured values.
    """

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    read_only: bool | None = None
    refresh_seconds: float | None = None
    theme: str | None = None
    language: str | None = None  # --lang: ja | en


def user_config_path() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILENAME


def load_config(path: Path | None, overrides: ConfigOverrides | None = None) -> Config:
    """Read and validate ``path`` (None: the built-in defaults), then apply the command-line flags."""
    if path is None:
        config = Config()
    else:
        text = _read_text(Path(path))
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message, line = str(exc), None
            if match := _TOML_POSITION_RE.search(message):
                line, message = int(match.group(1)), message[: match.start()] + f" (column {match.group(2)})"
            raise ConfigError(path, "", f"invalid TOML: {message}", line=line) from None
        reader = _Reader(Path(path), text)
        fleet_table = data.pop("fleet", None)  # [[fleet.services]]: an array of tables, read by core.fleet_config
        config = reader.build(Config, data, "")
        config = replace(config, source=str(path))
        reader.check_consistency(config)
        if fleet_table is not None:
            config = read_fleet(reader, config, fleet_table, service_given="service" in data)
    return apply_overrides(config, overrides) if overrides else config


def _read_text(path: Path) -> str:
    """The file's text, or one ConfigError: a directory, an unreadable file, bad UTF-8, a byte order mark."""
    if path.is_dir():
        raise ConfigError(path, "", "is a directory, not a config file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read the file ({exc.__class__.__name__}: {exc.strerror or exc})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ConfigError(path, "", "starts with a UTF-8 byte order mark (BOM); save the file as UTF-8 without BOM", line=1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(path, "", f"is not valid UTF-8 (byte {exc.start})", line=line) from None


def apply_overrides(config: Config, overrides: ConfigOverrides) -> Config:
    """Flags win over the file; each is validated with the same rules as the file's key."""
    reader = _Reader(Path("command line"), "")
    aws, refresh, ui = config.aws, config.refresh, config.ui
    for flag, value, field_name in (
        ("--profile", overrides.profile, "profile"),
        ("--region", overrides.region, "region"),
        ("--endpoint-url", overrides.endpoint_url, "endpoint_url"),
    ):
        if value is not None:
            reader.check_value(f"aws.{field_name}", value, shown=flag)
            aws = replace(aws, **{field_name: value})
    if overrides.refresh_seconds is not None:
        reader.check_value("refresh.metrics_seconds", overrides.refresh_seconds, shown="--refresh")
        refresh = replace(refresh, metrics_seconds=float(overrides.refresh_seconds))
    if overrides.theme is not None:
        reader.check_value("ui.theme", overrides.theme, shown="--theme")
        ui = replace(ui, theme=overrides.theme)
    if overrides.language is not None:
        reader.check_value("ui.language", overrides.language, shown="--lang")
        ui = replace(ui, language=overrides.language)
    if overrides.read_only is not None:
        ui = replace(ui, read_only=overrides.read_only)
    return replace(config, aws=aws, refresh=refresh, ui=ui)


class _Reader:
    """Walks the TOML tables along the dataclass tree, converting and checking every value."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, key: str, message: str, *, subject: str | None = None) -> ConfigError:
        return ConfigError(self.path, key, message, line=self.line_of(key), subject=subject)

    def build(self, cls: type, table: object, prefix: str):
        if not isinstance(table, dict):
            raise self.fail(prefix, f"must be a table, got {describe_value(table)}")
        hints = get_type_hints(cls)
        names = [f.name for f in fields(cls) if f.name != "source"]
        for key in table:
            if key not in names:
                raise self.fail(_join(prefix, key), "unknown key" + _suggestion(key, names, prefix))
        kwargs = {}
        for name in names:
            dotted = _join(prefix, name)
            if name not in table:
                if (prefix in ALL_KEYS_REQUIRED and dotted not in OPTIONAL_IN_REQUIRED) or cls is Threshold:
                    why = (
                        "a threshold needs both warn and alert" if cls is Threshold else f"every key of [{prefix}] must be given"
                    )
                    raise self.fail(dotted, f"missing required key ({why})")
                continue
            value = table[name]
            if is_dataclass(hints[name]):
                kwargs[name] = self.build(hints[name], value, dotted)
            else:
                kwargs[name] = self.check_value(dotted, value, hint=hints[name])
        instance = cls(**kwargs)
        if cls is Threshold and not instance.warn < instance.alert:
            raise self.fail(
                _join(prefix, "warn"),
                f"warn ({format_number(instance.warn)}) must be below alert ({format_number(instance.alert)})",
                subject=prefix,
            )
        return instance

    def check_value(self, dotted: str, value: object, *, hint: object = None, shown: str | None = None):
        """Type-check and range-check one value; returns it converted (int -> float where float is meant)."""
        if hint is None:
            section, name = dotted.split(".", 1)
            hint = get_type_hints(_SECTIONS[section])[name]
        fail = (
            (lambda message: ConfigError(self.path, dotted, message, subject=shown))
            if shown
            else (lambda m: self.fail(dotted, m))
        )
        expected = {float: "a number", int: "an integer", bool: "true or false", str: "a string"}
        base = str if hint == (str | None) else hint
        ok = (
            isinstance(value, bool)
            if base is bool
            else isinstance(value, (int, float)) and not isinstance(value, bool)
            if base is float
            else isinstance(value, int) and not isinstance(value, bool)
            if base is int
            else isinstance(value, str)
        )
        if not ok:
            raise fail(f"must be {expected[base]}, got {describe_value(value)}")
        if base in (float, int) and not is_finite_number(value):
            raise fail(f"must be a finite number, got {describe_value(value)}")
        if base is float:
            value = float(value)
        if problem := value_problem(dotted, value):
            raise fail(problem)
        return value

    def check_consistency(self, config: Config) -> None:
        """Rules across sections: a roll-back trigger (S25) never sits below its S03 alert level."""
        pairs = (
            (
                "rollback.memory_percent",
                config.rollback.memory_percent,
                "thresholds.ecs_memory_percent.alert",
                config.thresholds.ecs_memory_percent.alert,
            ),
            (
                "rollback.cpu_percent",
                config.rollback.cpu_percent,
                "thresholds.ecs_cpu_percent.alert",
                config.thresholds.ecs_cpu_percent.alert,
            ),
            (
                "rollback.all_failing_error_rate_percent",
                config.rollback.all_failing_error_rate_percent,
                "thresholds.error_rate_percent.alert",
                config.thresholds.error_rate_percent.alert,
            ),
        )
        for key, value, other, other_value in pairs:
            if value < other_value:
                raise self.fail(key, f"{format_number(value)} must not be below {other} ({format_number(other_value)})")
        policy = config.security.iam_policy_file
        if policy is not None and not Path(policy).is_file():
            raise self.fail("security.iam_policy_file", f"{policy!r} is not a readable file (relative to {Path.cwd()})")

    def line_of(self, dotted: str) -> int | None:
        """Best effort: the line of ``key =`` under its ``[table]``, else the key's own table, else its parent's."""
        table, _, key = dotted.rpartition(".")
        current, own_header, parent_header = "", None, None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            if line.startswith("[") and not line.startswith("[["):
                current = line[1:].split("]")[0].strip()
                own_header = own_header or (number if current == dotted else None)
                parent_header = parent_header or (number if current == table and table else None)
            elif key and current == table and re.match(rf"^{re.escape(key)}\s*=", line):
                return number
        return own_header or parent_header


_SECTIONS = {
    "aws": AwsSettings,
    "service": ServiceSettings,
    "refresh": RefreshSettings,
    "rollback": RollbackTriggers,
    "ui": UiSettings,
    "incidents": IncidentSettings,
    "alerts": AlertSettings,
    "checklists": ChecklistSettings,
    "security": SecuritySettings,
    "audit": AuditSettings,
    "forecast": ForecastSettings,
    "slo": SloSettings,
    "team": TeamSettings,
}


def _suggestion(key: str, names: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {_join(prefix, close[0])!r}?"
    homes = [section for section, cls in _SECTIONS.items() if key in {f.name for f in fields(cls)} and section != prefix]
    if homes:
        return f"; it belongs in [{homes[0]}]"
    return f"; valid keys here: {', '.join(names)}"


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
