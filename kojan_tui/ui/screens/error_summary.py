"""The S04/S05 error summary: ERROR lines grouped by shape (count, first/last seen, an example), or with ``g``
the guide's literal Logs Insights query (one row per distinct message). Enter dismisses with a text the
group's (or the message's) lines contain; the caller (LogScreen) filters the tail to it.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, LoadingIndicator, Static

from kojan_tui.aws.protocol import LogsApi
from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.log_groups import LogGroup, group_lines, lines_of_rows
from kojan_tui.core.logquery import ERROR_LINES_LIMIT, ERROR_LINES_QUERY, ERROR_SUMMARY_QUERY
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.models import InsightsResult
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.speaks import language_of

SUMMARY_HOURS = (1, 24)
TIME_FORMAT = "%m-%d %H:%M:%S"


def _seen(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime(TIME_FORMAT) if ms > 0 else "?"


log = logging.getLogger(__name__)


def summary_rows(result: InsightsResult) -> list[tuple[int, str]]:
    """(count, message) per Insights row, most frequent first; rows without a message are skipped."""
    rows: list[tuple[int, str]] = []
    for row in result.rows:
        message = row.get("@message")
        if not isinstance(message, str):
            continue
        try:
            count = int(float(row.get("count()", "0")))
        except (ValueError, OverflowError, TypeError):  # nan, inf, None: not a count
            count = 0
        rows.append((count, message))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return rows


class ErrorSummaryScreen(FramedModal[str | None]):
    """``ErrorSummaryScreen(gateway, log_group, hours=1)`` → dismisses with the chosen filter text or None.

    ``grouped`` (the default): ERROR lines grouped by shape (core/log_groups.py); ``g`` toggles to the
    guide's literal ``stats count() by @message`` rows.
    """

    DEFAULT_CSS = """
    ErrorSummaryScreen {
        #summary-progress { height: auto; color: $text-muted; }
        #summary-progress.-failed { color: $text-error; }
        LoadingIndicator { height: 1; }
        DataTable { height: 1fr; }
    }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("h", "toggle_hours", N_("1 h / 24 h")),
        Binding("g", "toggle_grouped", N_("Grouped / guide's query")),
        Binding("n", "sort('count')", N_("Sort by count")),
        Binding("m", "sort('message')", N_("Sort by message")),
        Binding("r", "rerun", N_("Run again")),
        Binding("v", "view", N_("View in full")),
    ]

    def __init__(self, gateway: LogsApi, log_group: str, *, hours: int = 1, clock: Clock = utc_now, language: str = "en") -> None:
        super().__init__()
        self.language = language
        self.gateway = gateway
        self.log_group = log_group
        self.hours = hours
        self.clock = clock
        self.grouped = True
        self.rows: list[tuple[int, str]] = []  # the guide's query: (count, message)
        self.groups: list[LogGroup] = []
        self.sort_by = "count"
        self._shown: list[tuple[int, str]] = []  # per table row: (count, the text Enter filters to)
        self.running = False
        self._started = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as box:
            box.border_title = tr("Errors by shape (Logs Insights)", self.language)
            yield Static(id="summary-progress")
            yield LoadingIndicator()
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._columns()
        self.set_interval(0.25, self._tick)
        self.run_query()

    def _tick(self) -> None:
        if self.running:
            elapsed = time.monotonic() - self._started
            running = tr("Running the error query over the last {hours} h… {elapsed} s", self.language)
            self._progress(running.format(hours=self.hours, elapsed=f"{elapsed:.0f}"))

    def _progress(self, message: str, *, failed: bool = False) -> None:
        progress = self.query_one("#summary-progress", Static)
        progress.set_class(failed, "-failed")
        progress.update(Text(message))

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        say = self.language
        table.add_column(tr("count", say), key="count", width=8)
        if self.grouped:
            table.add_column(tr("first seen", say), key="first", width=14)
            table.add_column(tr("last seen", say), key="last", width=14)
            table.add_column(tr("group", say), key="message", width=60)
            table.add_column(tr("example", say), key="example")
        else:
            table.add_column(tr("message", say), key="message")
        frame = self.query_one(".modal-frame")
        shape, message = tr("Errors by shape (Logs Insights)", say), tr("Errors by message (the guide's query)", say)
        frame.border_title = shape if self.grouped else message

    @work(exclusive=True, group="error-summary")
    async def run_query(self) -> None:
        self.running = True
        self._started = time.monotonic()
        self.query_one(LoadingIndicator).display = True
        self._tick()
        end = self.clock()
        start = end - timedelta(hours=self.hours)
        grouped = self.grouped
        query = ERROR_LINES_QUERY if grouped else ERROR_SUMMARY_QUERY
        try:
            result = await self.gateway.run_insights_query(self.log_group, query, start=start, end=end)
        except AwsFailure as failure:
            self._progress(f"⚠ {failure.kind.value}: {make_visible(truncate(failure.message, 300))}", failed=True)
            return
        except Exception as error:  # a bug or an odd answer must not end the app: say so here, keep running
            log.exception("error summary query failed")
            internal = f"{type(error).__name__}: {make_visible(truncate(str(error), 300))}"
            self._progress(tr("⚠ internal error: {error}", self.language).format(error=internal), failed=True)
            return
        finally:
            self.running = False
            self.query_one(LoadingIndicator).display = False
        if result.status != "Complete":
            self._progress(tr("⚠ the query ended {status}", self.language).format(status=result.status), failed=True)
            return
        if grouped:
            lines = lines_of_rows(result.rows)
            self.groups = group_lines(lines)
            capped = tr(" (the newest only: the query's row limit)", self.language) if len(lines) >= ERROR_LINES_LIMIT else ""
            grouped_line = tr(
                "Last {hours} h: {lines}{capped} ERROR lines in {groups} groups ({scanned} records scanned)"
                " · Enter filters the log to a group · g: the guide's query",
                self.language,
            )
            self._progress(
                grouped_line.format(
                    hours=self.hours,
                    lines=f"{len(lines):,}",
                    capped=capped,
                    groups=f"{len(self.groups):,}",
                    scanned=f"{result.records_scanned:,.0f}",
                )
            )
        else:
            self.rows = summary_rows(result)
            total = sum(count for count, _ in self.rows)
            rows_line = tr(
                "Last {hours} h: {lines} ERROR lines, {messages} distinct messages ({scanned} records scanned)"
                " · Enter filters the log to a message · g: grouped",
                self.language,
            )
            self._progress(
                rows_line.format(
                    hours=self.hours,
                    lines=f"{total:,}",
                    messages=f"{len(self.rows):,}",
                    scanned=f"{result.records_scanned:,.0f}",
                )
            )
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        # Text cells: a DataTable renders plain strings as markup, log text must never be markup.
        if self.grouped:
            groups = self.groups if self.sort_by == "count" else sorted(self.groups, key=lambda g: (g.key, -g.count))
            for position, group in enumerate(groups):
                table.add_row(
                    Text(f"{group.count:,}", justify="right"),
                    Text(_seen(group.first_ms)),
                    Text(_seen(group.last_ms)),
                    Text(make_visible(truncate(group.key, 300))),
                    Text(make_visible(truncate(group.example, 500))),
                    key=str(position),
                )
            self._shown = [(group.count, group.term or group.example) for group in groups]
        else:
            rows = self.rows if self.sort_by == "count" else sorted(self.rows, key=lambda r: (r[1], -r[0]))
            for position, (count, message) in enumerate(rows):
                table.add_row(Text(f"{count:,}", justify="right"), Text(make_visible(truncate(message, 500))), key=str(position))
            self._shown = rows
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is None:
            return
        _, message = self._shown[int(event.row_key.value)]
        self.dismiss(message)

    def action_view(self) -> None:
        """The highlighted row's message (grouped: its shape and example) in full: the table cuts them."""
        table = self.query_one(DataTable)
        if not self._shown or table.cursor_row is None or not 0 <= table.cursor_row < table.row_count:
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        if key is None:
            return
        if self.grouped:
            groups = self.groups if self.sort_by == "count" else sorted(self.groups, key=lambda g: (g.key, -g.count))
            group = groups[int(key)]
            shape, example = tr("shape:", self.language), tr("example:", self.language)
            text = f"{shape}\n{group.key}\n\n{example}\n{group.example}"
            title = tr("{n} errors of this shape", self.language).format(n=f"{group.count:,}")
        else:
            count, text = self._shown[int(key)]
            title = tr("{n} errors with this message", self.language).format(n=f"{count:,}")
        self.app.push_screen(TextDetailScreen(title, text))

    def action_sort(self, column: str) -> None:
        self.sort_by = column
        self._fill()

    def action_toggle_hours(self) -> None:
        self.hours = (
            SUMMARY_HOURS[(SUMMARY_HOURS.index(self.hours) + 1) % len(SUMMARY_HOURS)] if self.hours in SUMMARY_HOURS else 1
        )
        self.run_query()

    def action_toggle_grouped(self) -> None:
        self.grouped = not self.grouped
        self._columns()
        self.run_query()

    def action_rerun(self) -> None:
        self.run_query()

    def action_close(self) -> None:
        self.dismiss(None)


def open_error_summary(app) -> None:
    """S05 from anywhere; choosing a message opens the log view filtered to it."""
    if isinstance(app.screen, ErrorSummaryScreen):
        return
    from kojan_tui.ui.screens.logs import open_logs

    services = app.services
    summary = ErrorSummaryScreen(
        services.gateway, services.config.service.log_group, clock=services.clock, language=language_of(app)
    )
    app.push_screen(summary, lambda message: open_logs(app, message) if message else None)


ERROR_SUMMARY = Capability(
    name="error-summary",
    description=N_("Error summary"),
    key="e",
    tooltip=N_("S05: ERROR lines grouped by shape (Logs Insights); g: the guide's query"),
    open=open_error_summary,
    commands=lambda app: [
        PaletteCommand(
            N_("Error summary (S05)"), N_("ERROR lines grouped by shape over 1 h / 24 h"), lambda: open_error_summary(app)
        )
    ],
)
