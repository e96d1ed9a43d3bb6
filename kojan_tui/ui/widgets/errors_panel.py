"""S02: how many ERROR lines the service logged in the last hour, with its level."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.guide_differences import errors_warning_note
from kojan_tui.core.i18n import tr
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import MetricReading
from kojan_tui.ui.widgets.status_base import StatusWidget


class ErrorsPanel(StatusWidget):
    DEFAULT_CSS = """
    ErrorsPanel { height: 6; }
    ErrorsPanel.-compact { height: 1; border: none; padding: 0 1 0 0; background: $background; }
    ErrorsPanel.-compact:focus { background: $boost; }
    ErrorsPanel.-compact.-level-warning:focus, ErrorsPanel.-compact.-level-alert:focus { border: none; }  /* one row */
    """

    def __init__(self, *, id: str | None = "errors-panel", language: str = "en") -> None:
        super().__init__(id=id)
        self.language = language  # of the note on the guide's "none expected"
        self.reading: MetricReading | None = None
        self.border_title = "ERROR lines, last hour (S02)"

    def show(self, reading: MetricReading) -> None:
        language = self.ui_language
        if not self.given((replace(reading, age_s=None), reading.value_in(language), language)):  # age: in the value only
            return
        self.reading, self.language = reading, language
        self.border_title = tr("ERROR lines, last hour (S02)", language)
        self.set_level_class(reading.level)
        self.refresh()

    def render(self) -> RenderableType:
        reading = self.reading
        level = reading.level if reading else Level.UNKNOWN
        say = getattr(self, "language", "en")
        value = reading.value_in(say) if reading else tr("loading…", say)
        if self.compact:
            return self.compact_line(tr("errors/h", say), level, value)
        lines: list[RenderableType] = [Text.assemble((value, self.style_for("strong")), "  ", self.marker(level))]
        if reading:
            note = errors_warning_note(reading.threshold.warn, say)  # 1 line warns: the guide expects none
            warn = f"{reading.threshold.warn:g}" + (f" ({note})" if note else "")
            lines.append(
                Text(
                    tr("warn >{warn}  alert >{alert}", say).format(warn=warn, alert=f"{reading.threshold.alert:g}"),
                    style=self.style_for("muted"),
                )
            )
            if level in (Level.WARNING, Level.ALERT):
                lines.append(
                    Text.assemble(("▶ ", self.style_for(level.value)), (tr(reading.spec.action, say), self.style_for("strong")))
                )
        stale = self.stale_line()
        if stale:
            lines.append(stale)
        return Group(*lines)
