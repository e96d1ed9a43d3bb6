"""Building the real app (KojanApp → AwsGateway → HTTP) for the proof tests, with shortened refreshes."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings, Config, RefreshSettings
from kojan_tui.ui.app import KojanApp

# Every source the app polls, and the dashboard widget that shows its staleness.
SOURCES = ("identity", "service", "metrics", "database", "errors", "logs")
# Polls 5 ms apart (the service's 0.5 s): 400x (logs) to 12,000x (errors) faster than the defaults.
FAST = RefreshSettings(metrics_seconds=0.005, service_seconds=0.5, logs_seconds=0.005, errors_seconds=0.005)
FAST_FIXED = {"database": 0.005, "identity": 0.005}


def fast_config(endpoint: str, refresh: RefreshSettings, *, aws: AwsSettings | None = None) -> Config:
    config = Config()
    aws = aws or replace(config.aws, connect_timeout=0.5, read_timeout=0.3, max_attempts=3)
    aws = replace(aws, endpoint_url=endpoint, profile=None)
    return replace(config, aws=aws, refresh=refresh, ui=replace(config.ui, bell=False, notify=False))


def real_app(
    config: Config, *, static_credentials: tuple[str, str] | None = ("demo", "demo"), demo=None, **intervals
) -> KojanApp:
    """The app on a real gateway; ``intervals`` (source name → seconds) overrides the fixed ones (database, identity)."""
    app = KojanApp(config, AwsGateway(config.aws, static_credentials=static_credentials), demo=demo)
    for name, seconds in intervals.items():
        app.poller.set_interval(name, seconds)
    return app


def completed(app: KojanApp) -> dict[str, int]:
    return {name: app.poller.sources[name].completed for name in SOURCES}


def stale_text(app: KojanApp, name: str) -> str | None:
    return app.poller.freshness(name).stale_text(app.now())
