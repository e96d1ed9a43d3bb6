"""The rollback screen's small table: p99, 5XX rate, ECS memory and CPU before and after the newest deployment
(``core.before_after``), in the UI language; a side without datapoints says so."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kojan_tui.core.before_after import BeforeAfter
from kojan_tui.core.i18n import N_, tr

WORDS = {  # by key, in English (shown through ``tr``)
    "title": N_("Before / after deployment {revision} ({at:%H:%M:%S} UTC), {minutes} min each side:"),
    "none": N_("Before / after: no deployment with a creation time."),
    "empty": N_("Before / after deployment {revision}: no room for a window yet (no data on one side)."),
    "metric": N_("metric"),
    "before": N_("before"),
    "after": N_("after"),
}


def before_after_renderable(result: BeforeAfter | None, language: str = "en") -> RenderableType:
    say = {key: tr(text, language) for key, text in WORDS.items()}
    if result is None:
        return Text(say["none"], style="dim")
    minutes = int(result.window.total_seconds() // 60)
    if result.window.total_seconds() < 60:
        return Text(say["empty"].format(revision=result.revision), style="dim")
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column(say["metric"], min_width=8)  # the name wraps in a narrow terminal; the values keep their room
    for column in ("before", "after"):
        table.add_column(say[column], justify="right", min_width=8, overflow="fold")
    for row in result.rows:
        after_style = "dim" if row.after is None else ""
        table.add_row(
            Text(tr(row.name, language)),
            Text(row.cell("before", language), style="dim" if row.before is None else ""),
            Text(row.cell("after", language), style=after_style),
        )
    title = Text(say["title"].format(revision=result.revision, at=result.deployed_at, minutes=minutes), style="bold")
    return Group(title, table)
