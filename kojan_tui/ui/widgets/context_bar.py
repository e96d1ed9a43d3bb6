"""The top line: READ-ONLY / READ-WRITE and DEMO badges, which service, which config file and endpoint (when not
AWS's own), which AWS (profile/account, region), chart window."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from kojan_tui.core.i18n import say, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.state import AppContext
from kojan_tui.ui.language import ui_language_of
from kojan_tui.ui.widgets.environment import environment_badge


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis (unchanged when it fits or the width is not known yet)."""
    return text if width <= 1 or len(text) <= width else text[: width - 1] + "…"


class ContextBar(Widget):
    COMPONENT_CLASSES = {
        "context-bar--badge",
        "context-bar--demo",
        "context-bar--muted",
        "context-bar--name",
        "context-bar--write",
    }

    DEFAULT_CSS = """
    ContextBar { dock: top; height: auto; max-height: 3; padding: 0 1; background: $panel; color: $foreground; }
    ContextBar > .context-bar--name { color: $primary; text-style: bold; }
    ContextBar > .context-bar--muted { color: $text-muted; }
    ContextBar > .context-bar--badge { color: $text; background: $warning-muted; text-style: bold; }
    ContextBar > .context-bar--demo { color: $text; background: $accent-muted; text-style: bold; }
    ContextBar > .context-bar--write { color: $text; background: $error-muted; text-style: bold; }
    """

    def __init__(self, *, id: str | None = "context-bar") -> None:
        super().__init__(id=id)
        self.context: AppContext | None = None

    def show(self, context: AppContext) -> None:
        if context == self.context:  # the clock ticks once a second; nothing else moves between states
            return
        lines_changed = (self.context is None or self.context.rollout is None) != (context.rollout is None)
        self.context = context
        self.refresh(layout=lines_changed)  # the rollout line adds a second row

    def render(self) -> Text:
        c = self.context
        if c is None:
            return Text(" kojan-tui")
        style = self.get_component_rich_style
        line = Text()
        if c.badge:
            line.append(f" {c.badge} ", style=style("context-bar--demo"))
            line.append(" ")
        for notice in c.notices:  # e.g. an open incident: its timeline is recording
            line.append(f" {make_visible(notice)} ", style=style("context-bar--badge"))
            line.append(" ")
        if c.read_only:
            line.append(" READ-ONLY ", style=style("context-bar--badge"))
        else:
            line.append(" READ-WRITE ", style=style("context-bar--write"))
        line.append(" ")
        if c.demo_scenario is not None:
            line.append(f" DEMO: {c.demo_scenario} ", style=style("context-bar--demo"))
            line.append(" ")
        if c.environment:  # issue 26: a fleet's service names its environment, production in red
            line.append_text(environment_badge(c.environment))
            line.append(" ")
        line.append(f"{c.cluster}/{c.service}", style=style("context-bar--name"))
        lang = ui_language_of(self.app)
        identity = tr("account {account}", lang).format(account=c.account or "…") + (
            tr(" (profile {profile})", lang).format(profile=c.profile) if c.profile else ""
        )
        config = (
            tr("config: defaults", lang)
            if c.config_source == "<defaults>"
            else tr("config {path}", lang).format(path=make_visible(c.config_source))
        )
        endpoint = tr("endpoint {url}", lang).format(url=make_visible(c.endpoint)) if c.endpoint else ""
        for part in (config, endpoint, c.region, identity, tr("chart {window}", lang).format(window=c.window), c.clock_text):
            if part:
                line.append(" │ ", style=style("context-bar--muted"))
                line.append(part)
        if c.rollout:  # one row of its own, under a context line that may wrap on a narrow (compact) terminal
            line.append("\n")
            line.append(" ROLLOUT ", style=style("context-bar--badge"))
            line.append(" " + fit(make_visible(say(c.rollout, lang)), self.content_size.width - len(" ROLLOUT  ")))
        return line
