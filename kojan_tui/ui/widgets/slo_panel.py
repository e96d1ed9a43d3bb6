"""The availability SLO (issue 27): error budget left over the SLO window, the three burn-rate rules, p99 share.

Passive: renders the ``SloStatus`` it is given, in the UI language; hidden in the compact layout (no room).
What the numbers mean is on the "SLO: error budget and burn rates" screen (``ui/screens/slo_detail.py``).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import ago_text
from kojan_tui.core.slo import Burn, SloStatus
from kojan_tui.ui.widgets.status_base import StatusWidget

WORDS = {  # by key, in English; ``words(language)`` translates them
    "title": N_("SLO {objective} % · {days} d"),
    "loading": N_("waiting for the ALB series"),
    "budget": N_("budget left {budget}"),
    "budget_wait": N_("budget: waiting for the hourly data"),
    "availability": N_("availability {value} over {covered} of data"),
    "burn": N_("burn"),
    "page": N_("page"),
    "ticket": N_("ticket"),
    "latency": N_("p99 ≤ {ms:g} ms in {share} of periods (6 h)"),
    "latency_none": N_("p99: no datapoint in 6 h"),
    "age": N_("hourly data {age}"),
    "hours": N_("{hours:.1f} h"),
}


def words(language: str) -> dict[str, str]:
    """The panel's words in ``language``, by key (the SLO screen uses them too)."""
    return {key: tr(text, language) for key, text in WORDS.items()}


def age_text(seconds: float, language: str) -> str:
    if language != "ja":
        return ago_text(seconds)
    seconds = int(max(0.0, seconds))
    return f"{seconds}秒前" if seconds < 120 else f"{seconds // 60}分前" if seconds < 7200 else f"{seconds // 3600}時間前"


def rate_text(rate: float | None) -> str:
    """A burn rate; ``—`` for a window with no request (no traffic has no rate)."""
    return "—" if rate is None else f"{rate:.1f}"


def burn_line(burn: Burn, say: dict[str, str]) -> str:
    kind = say["page"] if burn.rule.level is Level.ALERT else say["ticket"]
    return f"{burn.rule.name:<6} {rate_text(burn.long_rate):>5}/{rate_text(burn.short_rate):<5} {kind} >{burn.rule.factor:g}"


Row = tuple[tuple[str, str], ...]  # (text, style kind) pieces of one line; kind "" is the panel's own colour


def slo_rows(status: SloStatus | None, language: str) -> tuple[Row, ...]:
    """What the panel shows of ``status`` (its stale line aside), as text: the panel repaints only when this changes
    (a new state every few seconds carries a new age and covered span, mostly shown the same: idle CPU)."""
    say = words(language)
    if status is None:
        return (((Level.UNKNOWN.marker, Level.UNKNOWN.value), ("  ", ""), (say["loading"], "muted")),)
    if status.budget_remaining is None:
        budget = (say["budget_wait"], "muted")
    else:
        budget = (say["budget"].format(budget=f"{100 * status.budget_remaining:.1f} %"), "strong")
    rows: list[Row] = [((status.level.marker, status.level.value), ("  ", ""), budget)]
    if status.availability_percent is not None:
        covered = say["hours"].format(hours=status.covered.total_seconds() / 3600)
        rows.append(((say["availability"].format(value=f"{status.availability_percent:.3f} %", covered=covered), ""),))
    width = cell_len(say["burn"])
    for i, burn in enumerate(status.burns):
        label = say["burn"] if i == 0 else " " * width
        rows.append(((label, "muted"), (" ", ""), (burn_line(burn, say), burn.rule.level.value if burn.firing else "")))
    share = status.latency_good_percent
    latency = say["latency_none"] if share is None else say["latency"].format(ms=status.latency_ms, share=f"{share:.1f} %")
    rows.append(((latency, "muted"),))
    if status.long_age_s is not None:
        rows.append(((say["age"].format(age=age_text(status.long_age_s, language)), "muted"),))
    return tuple(rows)


class SloPanel(StatusWidget):
    DEFAULT_CSS = """
    SloPanel { height: 9; }
    SloPanel.-compact { display: none; }
    """

    def __init__(self, *, id: str | None = "slo-panel") -> None:
        super().__init__(id=id)
        self.status: SloStatus | None = None
        self.language = "en"
        self.rows: tuple[Row, ...] = slo_rows(None, "en")
        self.border_title = "SLO"

    def show(self, status: SloStatus | None, language: str = "en", objective: float = 99.9, days: int = 30) -> None:
        rows = slo_rows(status, language)
        title = words(language)["title"].format(objective=f"{objective:g}", days=days)
        level = status.level if status is not None else Level.UNKNOWN
        if not self.given((rows, title, level)):  # what is drawn, not the status (its age changes every state)
            return
        self.status, self.language, self.rows = status, language, rows
        self.border_title = title
        self.set_level_class(level)
        self.refresh()

    def render(self) -> RenderableType:
        lines: list[Text] = [
            Text.assemble(*((text, self.style_for(kind) if kind else "") for text, kind in row)) for row in self.rows
        ]
        if stale := self.stale_line():
            lines.append(stale)
        for line in lines:
            line.no_wrap, line.overflow = True, "ellipsis"
        return Group(*lines)
