"""What each config value may be: types aside (the reader checks those), the ranges, names and URLs that
``load_config`` accepts, each refusal worded for the one-line config error."""

from __future__ import annotations

import ipaddress
import math
import re
import unicodedata
from urllib.parse import urlsplit

from kojan_tui.core.localtime import zone_problem
from kojan_tui.core.windows import WINDOWS

MIN_INTERVAL_S, MAX_INTERVAL_S = 1.0, 3600.0
LANGUAGES = ("ja", "en")  # of the runbooks and checklists
MIN_BUFFER_LINES, MAX_BUFFER_LINES = 100, 1_000_000
MIN_STALE_PERIODS, MAX_STALE_PERIODS = 1, 60
MAX_CLEAR_AFTER_S = 3600.0
MAX_SLO_DAYS = 90  # the budget's window: one GetMetricData of hourly points (3 series × 2,160) stays one page
MIN_FORECAST_HOURS, MAX_FORECAST_HOURS = 0.1, 24 * 14.0  # a forecast warning's horizon: 6 minutes to two weeks
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED")  # ECR's, most severe first
_LOG_GROUP_RE = re.compile(r"^[A-Za-z0-9_./#-]{1,512}$")  # CloudWatch Logs' own rule for a group name
_TABLE_RE = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")  # DynamoDB's own rule for a table name
_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def value_problem(dotted: str, value: object) -> str | None:
    """Why ``value`` cannot be ``dotted`` (a type-checked value), or None when it can."""
    section = dotted.rpartition(".")[0]
    if isinstance(value, str):
        if dotted == "audit.log_group":
            return _log_group_problem(value)
        if dotted == "team.table":
            return _table_problem(value)
        if dotted == "team.region" and value == "":
            return None  # the [aws] region
        if not value.strip():
            return "must not be empty (leave the key out to use the default)"
        if dotted in ("aws.region", "team.region") and not _REGION_RE.match(value):
            return f"{value!r} is not an AWS region name (like ap-northeast-1)"
        if bad := next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None):
            return f"{value!r} contains a control or invisible character (U+{ord(bad):04X})"
        if dotted == "aws.endpoint_url":
            return endpoint_problem(value)
        if dotted == "service.health_url":
            return _url_problem(value)  # the API's health URL: no credentials go to it
        if dotted == "ui.timezone":
            return zone_problem(value)
        if dotted == "ui.language" and value not in LANGUAGES:
            return f"{value!r} is not a language; choose one of {', '.join(LANGUAGES)}"
        if dotted == "security.ecr_fail_severities":
            unknown = [p.strip() for p in value.split(",") if p.strip().upper() not in SEVERITIES]
            if unknown or not value.replace(",", "").strip():
                return f"{value!r}: give a comma-separated list of {', '.join(SEVERITIES)}"
        if dotted.startswith("security.") and dotted.endswith("_env") and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", value):
            return f"{value!r} is not an environment variable name"
        if dotted == "ui.chart_window":
            if value not in WINDOWS:
                return f"{value!r} is not a chart window; choose one of {', '.join(WINDOWS)}"
        return None
    if isinstance(value, bool):
        return None
    if section == "refresh" and not MIN_INTERVAL_S <= value <= MAX_INTERVAL_S:
        return f"must be between {format_number(MIN_INTERVAL_S)} and {format_number(MAX_INTERVAL_S)} seconds, got {format_number(value)}"
    if dotted in ("aws.connect_timeout", "aws.read_timeout") and not 0 < value <= 300:
        return f"must be above 0 and at most 300 seconds, got {format_number(value)}"
    if dotted == "aws.max_attempts" and not 1 <= value <= 20:
        return f"must be between 1 and 20, got {value}"
    if dotted == "aws.log_requests_per_second" and not 0.1 <= value <= 5:
        return f"must be between 0.1 and 5 (AWS's FilterLogEvents quota for the whole account), got {format_number(value)}"
    if dotted == "actions.rollout_timeout_seconds" and not 30 <= value <= 7200:
        return f"must be between 30 and 7200 seconds, got {format_number(value)}"
    if dotted == "actions.settling_seconds" and not 0 <= value <= 3600:
        return f"must be between 0 and 3600 seconds, got {format_number(value)}"
    if dotted == "actions.silent_seconds" and not 1 <= value <= 3600:
        return f"must be between 1 and 3600 seconds, got {format_number(value)}"
    if dotted == "actions.watch_seconds" and not 0.1 <= value <= 60:
        return f"must be between 0.1 and 60 seconds, got {format_number(value)}"
    if dotted == "security.image_max_age_days" and not 1 <= value <= 3650:
        return f"must be between 1 and 3650 days, got {value}"
    if dotted == "ui.log_buffer_lines" and not MIN_BUFFER_LINES <= value <= MAX_BUFFER_LINES:
        return f"must be between {MIN_BUFFER_LINES} and {MAX_BUFFER_LINES}, got {value}"
    if dotted == "ui.stale_after_periods" and not MIN_STALE_PERIODS <= value <= MAX_STALE_PERIODS:
        return f"must be between {MIN_STALE_PERIODS} and {MAX_STALE_PERIODS} periods, got {value}"
    if dotted == "alerts.clear_after_seconds" and not 0 <= value <= MAX_CLEAR_AFTER_S:
        return f"must be between 0 and {format_number(MAX_CLEAR_AFTER_S)} seconds, got {format_number(value)}"
    if dotted == "checklists.stability_minutes" and not 1 <= value <= 24 * 60:
        return f"must be between 1 and 1440 minutes, got {format_number(value)}"
    if dotted == "forecast.warn_within_hours" and not MIN_FORECAST_HOURS <= value <= MAX_FORECAST_HOURS:
        return f"must be between {format_number(MIN_FORECAST_HOURS)} and {format_number(MAX_FORECAST_HOURS)} hours, got {format_number(value)}"
    if dotted == "slo.availability" and not 50 <= value < 100:
        return f"is a percentage of good requests: at least 50 and below 100 (100 leaves no error budget), got {format_number(value)}"
    if dotted == "slo.latency_p99_ms" and not 0 < value <= 60_000:
        return f"must be above 0 and at most 60000 ms, got {format_number(value)}"
    if dotted == "slo.window_days" and not 1 <= value <= MAX_SLO_DAYS:
        return f"must be between 1 and {MAX_SLO_DAYS} days (CloudWatch keeps 1-hour datapoints 455 days), got {value}"
    if value < 0:
        return f"must not be negative, got {format_number(value)}"
    if "percent" in dotted and value > 100:
        return f"is a percentage and must be at most 100, got {format_number(value)}"
    return None


def is_finite_number(value: object) -> bool:
    """Finite and representable as a float: no nan, no inf, no integer beyond a float's range."""
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (OverflowError, TypeError, ValueError):
        return False


def _url_problem(value: str) -> str | None:
    """An http:// or https:// URL that names a host."""
    if not value.startswith(("http://", "https://")):
        return f"{value!r} must start with http:// or https://"
    return None if _host(value) else f"{value!r} names no host"


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def endpoint_problem(value: str) -> str | None:
    """https:// anywhere; plaintext http:// only to loopback (127.0.0.0/8, ::1, localhost)."""
    if problem := _url_problem(value):
        return problem
    if value.startswith("http://") and not _is_loopback(_host(value) or ""):
        return f"{value!r} sends credentials in plaintext; use https:// (http:// is allowed only to 127.0.0.1, ::1, localhost)"
    return None


def _log_group_problem(value: str) -> str | None:
    """Empty turns the copy off; anything else must be a CloudWatch Logs group name."""
    if value == "" or _LOG_GROUP_RE.match(value):
        return None
    bad = next((c for c in value if not _LOG_GROUP_RE.match(c)), None)
    shown = repr(value) if len(value) <= 60 else f"{value[:30]!r}…({len(value)} characters)"
    if bad is None:
        return f"{shown} is too long for a log group name (at most 512 characters)"
    return f"{shown} is not a log group name: {bad!r} is not allowed (letters, digits and _ . / # - only)"


def _table_problem(value: str) -> str | None:
    """Empty turns team mode off; anything else must be a DynamoDB table name."""
    if value == "" or _TABLE_RE.match(value):
        return None
    shown = repr(value) if len(value) <= 60 else f"{value[:30]!r}…({len(value)} characters)"
    return f"{shown} is not a DynamoDB table name (3 to 255 of letters, digits and _ . - only; empty turns team mode off)"


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def format_number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe_value(value: object) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array", dict: "a table"}
    shown = ("true" if value else "false") if isinstance(value, bool) else "" if isinstance(value, (dict, list)) else repr(value)
    if len(shown) > 40:
        shown = f"{shown[:20]}…({len(shown)} characters)"
    return f"{kind.get(type(value), type(value).__name__)} {shown}".strip()
