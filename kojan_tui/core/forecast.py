"""Forecasts on the memory and storage panels: when the reading reaches its alert level at its current rate.

A forecast is made only from a current reading (stale or missing data forecasts nothing) and only when its
trend is significant (``core.trend``); it names the datapoints and the time span it used. One that reaches the
alert level sooner than ``[forecast] warn_within_hours`` is a warning of its own (``alert_input``): a separate
alert item, so it never hides the reading's own ALERT nor stands in for its NO DATA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from kojan_tui.core.alerts import AlertInput
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import ECS_MEMORY, RDS_STORAGE, MetricReading
from kojan_tui.core.trend import Trend, trend

FORECAST_KEYS = (ECS_MEMORY.key, RDS_STORAGE.key)  # the panels that forecast (memory leaks, storage filling)
ACTIONS = {
    ECS_MEMORY.key: N_("S09: read the memory trend; a forced new deployment buys time"),
    RDS_STORAGE.key: N_("expand storage before it fills"),
}


@dataclass(frozen=True)
class Forecast:
    key: str  # the reading's ``MetricSpec.key``
    title: str
    level: float  # the alert level the forecast reaches
    unit: str
    trend: Trend | None  # None: fewer than two points in the newest climb
    now: datetime
    warn_within: timedelta

    @property
    def over(self) -> bool:
        return self.trend is not None and self.trend.latest >= self.level

    @property
    def eta(self) -> timedelta | None:
        """How long until the level at this rate (None: not rising, too few points, or already there)."""
        if self.trend is None or self.over:
            return None
        crossing = self.trend.crossing(self.level)
        return None if crossing is None else max(timedelta(0), crossing - self.now)

    @property
    def warns(self) -> bool:
        eta = self.eta
        return eta is not None and eta <= self.warn_within

    def text(self, language: str = "en") -> str:
        """``alert 85 % in ~3 h 10 m · 42 pts / 58 min`` or ``not rising · 60 pts / 59 min`` (ja: ``約3時間10分で85 %に到達``)."""
        level = f"{self.level:g} {self.unit}".strip()
        t = self.trend
        if t is None:
            return tr("too few points for a trend", language)
        used = tr("{points} pts / {span}", language).format(points=t.points, span=_span(t.span, language))
        if t.restarted_at is not None:  # it just fell (tasks replaced): the rate is the climb's before the fall
            used += tr(" before the drop", language)
        if self.over:
            return tr("at the alert level ({level})", language).format(level=level)
        if not t.enough:
            return tr("too few points for a trend ({used})", language).format(used=used)
        eta = self.eta
        if eta is None:
            return tr("not rising · {used}", language).format(used=used)
        return tr("alert {level} in ~{eta} · {used}", language).format(level=level, eta=_duration(eta, language), used=used)

    def alert_input(self, reading: MetricReading, language: str = "en") -> AlertInput | None:
        """The forecast as an alert item: WARNING within the horizon, OK otherwise (also once the reading is at its
        alert level: its own ALERT says it); None without a current value (NO DATA is never a forecast's OK)."""
        if reading.current is None:
            return None
        level = Level.WARNING if self.warns and reading.level is not Level.ALERT else Level.OK
        title = tr("{title} forecast", language).format(title=tr(self.title, language))
        action = tr(ACTIONS[self.key], language) if self.key in ACTIONS else ""
        return AlertInput(f"forecast.{self.key}", title, level, self.text(language), action)


@lru_cache(maxsize=16)
def series_trend(timestamps: tuple[datetime, ...], values: tuple[float, ...]) -> Trend | None:
    """``trend`` of one series, remembered: the view is rebuilt on every source's answer (a dozen times a minute)
    while the metrics change twice a minute, and Sen's slope compares every pair of points (idle CPU)."""
    return trend(timestamps, values)


def forecast_for(reading: MetricReading, now: datetime | None, warn_within_hours: float) -> Forecast | None:
    """The forecast of ``reading`` to its alert level; None when it has no current value (nothing to forecast from)."""
    if reading.current is None or not reading.values:
        return None
    result = series_trend(tuple(reading.timestamps), tuple(reading.values))
    return Forecast(
        reading.spec.key,
        reading.spec.title,
        reading.threshold.alert,
        reading.spec.unit,
        result,
        now or reading.timestamps[-1],
        timedelta(hours=warn_within_hours),
    )


def forecasts(readings: dict[str, MetricReading], now: datetime | None, warn_within_hours: float) -> dict[str, Forecast]:
    found = {key: forecast_for(readings[key], now, warn_within_hours) for key in FORECAST_KEYS if key in readings}
    return {key: f for key, f in found.items() if f is not None}


def _duration(delta: timedelta, language: str) -> str:
    """``3 h 10 m`` / ``3時間10分``; under an hour ``25 m`` / ``25分``; beyond two days ``3 d 4 h`` / ``3日4時間``."""
    minutes = max(1, round(delta.total_seconds() / 60))
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days >= 2:
        return tr("{days} d {hours} h", language).format(days=days, hours=hours)
    hours += 24 * days
    if hours:
        return tr("{hours} h {mins} m", language).format(hours=hours, mins=mins)
    return tr("{mins} m", language).format(mins=mins)


def _span(delta: timedelta, language: str) -> str:
    minutes = round(delta.total_seconds() / 60)
    if minutes < 120:
        return tr("{minutes} min", language).format(minutes=minutes)
    return tr("{hours:.1f} h", language).format(hours=minutes / 60)
