"""One section of the security view: its verdict, progress or failure, and its checks' evidence (render only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.widget import Widget

from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.procedures.checks import CheckResult, Verdict

VERDICT_ORDER = (Verdict.FAIL, Verdict.UNAVAILABLE, Verdict.WARN, Verdict.PASS)
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
MAX_LINE = 300


def section_verdict(results: Sequence[CheckResult]) -> Verdict:
    """The worst verdict of the section's checks (an unjudged check outranks a warning: nothing is assumed OK)."""
    return min((r.verdict for r in results), key=VERDICT_ORDER.index) if results else Verdict.UNAVAILABLE


class SecuritySection(Widget):
    """``show_loading(elapsed)`` while its worker runs, ``show_results(...)`` when done; focus it and press r."""

    can_focus = True

    COMPONENT_CLASSES = {"section--pass", "section--warn", "section--fail", "section--na", "section--muted"}

    DEFAULT_CSS = """
    SecuritySection {
        height: auto;
        background: $surface;
        border: round $foreground 30%;
        border-title-style: bold;
        padding: 0 1;
        margin-bottom: 0;
    }
    SecuritySection:focus { border: round $primary; }
    SecuritySection.-fail { border: heavy $error; }
    SecuritySection.-warn { border: round $warning; }
    SecuritySection.-fail:focus, SecuritySection.-warn:focus { border-title-color: $primary; }
    SecuritySection > .section--pass { color: $success; text-style: bold; }
    SecuritySection > .section--warn { color: $warning; text-style: bold; }
    SecuritySection > .section--fail { color: $error; text-style: bold; }
    SecuritySection > .section--na { color: $text-muted; text-style: bold; }
    SecuritySection > .section--muted { color: $text-muted; }
    """

    def __init__(self, key: str, title: str, check_ids: Sequence[str]) -> None:
        super().__init__(id=f"section-{key}")
        self.key = key
        self.check_ids = tuple(check_ids)
        self.border_title = title
        self.loading_for: float | None = 0.0
        self.results: tuple[CheckResult, ...] = ()
        self.titles: tuple[str, ...] = ()
        self.updated_at: datetime | None = None

    @property
    def verdict(self) -> Verdict | None:
        return None if self.loading_for is not None and not self.results else section_verdict(self.results)

    def show_loading(self, elapsed: float) -> None:
        self.loading_for = elapsed
        self.refresh(layout=not self.results)

    def show_results(self, titles: Sequence[str], results: Sequence[CheckResult], updated_at: datetime) -> None:
        self.loading_for = None
        self.titles, self.results, self.updated_at = tuple(titles), tuple(results), updated_at
        verdict = section_verdict(self.results)
        self.set_class(verdict is Verdict.FAIL, "-fail")
        self.set_class(verdict is Verdict.WARN, "-warn")
        self.border_subtitle = f"{verdict.marker} · {updated_at:%H:%M:%S} UTC"
        self.refresh(layout=True)

    def _style(self, verdict: Verdict):
        name = {Verdict.PASS: "pass", Verdict.WARN: "warn", Verdict.FAIL: "fail", Verdict.UNAVAILABLE: "na"}[verdict]
        return self.get_component_rich_style(f"section--{name}")

    def render(self) -> Text:
        muted = self.get_component_rich_style("section--muted")
        text = Text(no_wrap=False, overflow="fold")
        if self.loading_for is not None:
            spinner = SPINNER[int(self.loading_for * 8) % len(SPINNER)]
            text.append(f"{spinner} loading… {self.loading_for:.1f} s", style=muted)
            if self.results:
                text.append("  (showing the previous answer below)\n", style=muted)
            elif not self.results:
                return text
        for position, (title, result) in enumerate(zip(self.titles, self.results, strict=True)):
            if position:
                text.append("\n")
            text.append(f"{result.verdict.marker:<7}", style=self._style(result.verdict))
            text.append(f" {title}\n", style=muted)
            text.append("  ")
            text.append(make_visible(truncate(result.summary, MAX_LINE)))
            for line in result.evidence:
                text.append("\n    ")
                text.append(make_visible(truncate(line, MAX_LINE)), style=muted)
        return text
