"""Full-screen logs (S02, S04, S06–S08): the shared feed with filter, presets, ranges, copy, save, details,
a local search of the buffered lines (ctrl+f, n/N) and a request trace (F: filter by a field of a JSON line).

The screen decides; the LogView renders the feed's buffer; the app keeps polling the feed.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.log_search import SearchError, parse_query
from kojan_tui.core.log_search import word as search_word
from kojan_tui.core.log_trace import TraceField, TraceRefused, filter_pattern, line_fields
from kojan_tui.core.logbuffer import LogBuffer
from kojan_tui.core.loglines import LogLine, Severity
from kojan_tui.core.logquery import FILTER_PRESETS, TIME_RANGES, parse_time_range, pattern_for_message
from kojan_tui.core.logtext import make_visible, truncate, without_surrogates
from kojan_tui.core.state import AppContext
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.error_policy import SurvivesHandlerErrors
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.speaks import SpeaksLanguage, language_of
from kojan_tui.ui.screens.trace_picker import TracePickerScreen
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.log_pane import FollowsFeed, LogStatusLine
from kojan_tui.ui.widgets.log_view import LogView

_log = logging.getLogger(__name__)

DETAIL_LIMIT = 64 * 1024  # characters of one line shown in the detail view (copy/save keep all)

RANGE_HINT = "30m · 2h · 3d · 2026-11-28 12:00 · 2026-11-28 12:00..2026-11-28 13:00 (UTC)"


def save_lines(buffer: LogBuffer, directory: Path, now: datetime) -> tuple[Path, int]:
    """Write every buffered line (full raw text) to a new file in ``directory``; never overwrite.

    The file is created exclusively with mode 0600 (logs can hold personal data); the name gets
    ``-1``, ``-2``… when taken. Raw text is written byte-exact (``surrogateescape``).
    """
    stem = f"kojan-logs-{now:%Y%m%d-%H%M%S}"
    for attempt in range(1000):
        path = directory / (f"{stem}.log" if attempt == 0 else f"{stem}-{attempt}.log")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        count = 0
        with open(fd, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as out:
            for line in buffer:
                stamp = datetime.fromtimestamp(line.timestamp_ms / 1000, UTC).isoformat(timespec="milliseconds")
                out.write(f"{stamp}\t{line.stream}\t{line.raw.rstrip(chr(10))}\n")
                count += 1
        return path, count
    raise FileExistsError(f"no free file name for {stem} in {directory}")


def detail_text(line: LogLine) -> Text:
    """One line in full for reading: a header, then pretty JSON or the raw text, line breaks kept.

    Every character is shown literally (control characters made visible); very long text is cut
    at ``DETAIL_LIMIT`` with a marker. A line that cannot be drawn so is shown raw, level UNKNOWN.
    """
    try:
        return _detail_text(line)
    except Exception as error:  # noqa: BLE001 - one hostile line must never take the console down
        _log.warning("log line could not be shown in full (%s: %s); shown raw", type(error).__name__, error)
        text = Text(f"{Severity.UNKNOWN.name}\n\n", style="bold", end="")
        text.append(make_visible(truncate(line.raw, DETAIL_LIMIT)))
        return text


def _detail_text(line: LogLine) -> Text:
    status = f" · HTTP {line.http_status}" if line.http_status is not None else ""
    stamp = datetime.fromtimestamp(line.timestamp_ms / 1000, UTC).isoformat(timespec="milliseconds")
    header = f"{stamp} · {make_visible(truncate(line.stream, 200))} · {line.severity.name}{status}\n\n"
    body = line.raw
    if line.summary is not None:  # a JSON object: indent it
        try:
            body = json.dumps(json.loads(line.raw), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):
            body = line.raw
    body = truncate(body.rstrip("\n"), DETAIL_LIMIT)
    text = Text(header, style="bold", end="")
    text.append("\n".join(make_visible(part) for part in body.split("\n")))
    return text


class LogLineScreen(FramedModal[None]):
    """``LogLineScreen(line)``: one log line in full, wrapped and scrollable; ``c`` copies it."""

    BINDINGS = [Binding("escape,enter,q", "close", N_("Close")), Binding("c", "copy", N_("Copy line"))]

    def __init__(self, line: LogLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-frame") as box:
            box.border_title = tr("Log line", language_of(self.app))
            yield Static(detail_text(self.line), id="log-line-detail")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(without_surrogates(self.line.raw))
        self.notify(tr("Copied one line ({n:,} characters)", language_of(self.app)).format(n=len(self.line.raw)), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class LogScreen(SpeaksLanguage, SurvivesHandlerErrors, FollowsFeed, Screen):
    """``LogScreen(feed)``: the same feed and buffer as the dashboard pane, full screen."""

    DEFAULT_CSS = """
    LogScreen {
        & > LogView { height: 1fr; }
        & > #log-prompt { display: none; border: tall $primary; }
        & > #log-prompt.-open { display: block; }
        & > #log-prompt-error { display: none; color: $text-error; background: $error 15%; padding: 0 1; }
        & > #log-prompt-error.-shown { display: block; }
    }
    """

    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("slash", "edit_filter", N_("Filter")),
        Binding(
            "ctrl+f",
            "edit_search",
            N_("Search"),
            tooltip=N_("in the buffered lines, locally (plain text or /regex/), not in AWS: / filters there"),
        ),
        Binding("n", "search_next", N_("Next match"), show=False, tooltip=N_("the next (newer) match; wraps to the top")),
        Binding("N", "search_previous", N_("Previous match"), show=False, tooltip=N_("the previous (older) match; wraps")),
        Binding("F", "trace", N_("Trace"), tooltip=N_("filter the tail server-side by a field of the selected JSON line")),
        *[Binding(p.key, f"preset('{p.key}')", p.label, show=False) for p in FILTER_PRESETS],
        Binding("x", "clear_filter", N_("No filter"), show=False),
        Binding("1", "range(0)", N_("5 min"), show=False),
        Binding("2", "range(1)", N_("1 h"), show=False),
        Binding("3", "range(2)", N_("24 h"), show=False),
        Binding("4", "edit_range", N_("Custom range"), show=False),
        Binding("c", "copy", N_("Copy line")),
        Binding("w", "save", N_("Save")),
        Binding("s", "app.open('error-summary')", N_("Error summary")),
    ]

    def __init__(
        self,
        feed: LogFeed,
        *,
        save_dir: Path | None = None,
        context: Callable[[], AppContext] | None = None,
        name: str | None = None,
    ) -> None:
        """``context``: where the app is pointed (account, region, service, READ-ONLY / DEMO) for the top line."""
        super().__init__(name=name)
        self.feed = feed
        self.context = context
        self.save_dir = save_dir or Path.cwd()
        self._prompt_mode = "filter"  # or "range", "search"

    def compose(self) -> ComposeResult:
        if self.context is not None:
            yield ContextBar()
        yield LogView(self.feed.buffer, id="log-screen-view")
        yield LogStatusLine(id="log-screen-status")
        yield Static(id="log-prompt-error")
        yield Input(id="log-prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.follow_feed()
        self.view.focus()
        if self.context is not None:
            self.show_context()
            self.set_interval(1.0, self.show_context)

    def show_context(self) -> None:
        assert self.context is not None
        self.query_one(ContextBar).show(self.context())

    @property
    def language(self) -> str:
        return language_of(self.app)

    def on_log_view_line_selected(self, event: LogView.LineSelected) -> None:
        event.stop()
        self.app.push_screen(LogLineScreen(event.line))

    # -- the prompt: filter pattern or custom range ---------------------------------------------

    def _open_prompt(self, mode: str, value: str, placeholder: str) -> None:
        self._prompt_mode = mode
        prompt = self.query_one("#log-prompt", Input)
        prompt.placeholder = placeholder
        prompt.value = value
        prompt.border_title = {
            "filter": tr("filter pattern (Enter applies, Escape cancels)", self.language),
            "range": tr("time range", self.language),
            "search": tr(
                "search the buffered lines (Enter searches, Escape cancels; /regex/ for a regular expression)", self.language
            ),
        }[mode]
        prompt.add_class("-open")
        prompt.focus()

    def _close_prompt(self) -> None:
        self.query_one("#log-prompt", Input).remove_class("-open")
        self._show_error(None)
        self.view.focus()

    def _show_error(self, message: str | None) -> None:
        error = self.query_one("#log-prompt-error", Static)
        error.set_class(message is not None, "-shown")
        error.update(Text(make_visible(truncate(message or "", 500))))

    @property
    def prompt_open(self) -> bool:
        return self.query_one("#log-prompt", Input).has_class("-open")

    def action_edit_filter(self) -> None:
        self._open_prompt("filter", self.feed.pattern, 'ERROR · "invalid token" · { $.status = 500 }')

    def action_edit_range(self) -> None:
        self._open_prompt("range", "", RANGE_HINT)

    def action_back(self) -> None:
        if self.prompt_open:
            self._close_prompt()
        elif self.view.search is not None:  # as less's ESC-u: the first Escape drops the highlights
            self.view.set_search(None)
            self.notify(tr("Search cleared", self.language), markup=False)
        else:
            self.app.pop_screen()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._prompt_mode == "filter":
            self.apply_filter(event.value)
            return
        if self._prompt_mode == "search":
            self.search_for(event.value)
            return
        try:
            time_range = parse_time_range(event.value)
        except ValueError as error:
            self._show_error(str(error))
            return
        self._close_prompt()
        self.feed.set_range(time_range)
        self.notify(tr("Range: {range}", self.language).format(range=make_visible(time_range.label)), markup=False)

    @work(exclusive=True, group="log-filter")
    async def apply_filter(self, pattern: str) -> None:
        """Apply ``pattern`` server-side; a refused pattern leaves the previous one and says why."""
        try:
            await self.feed.set_filter(pattern)
        except AwsFailure as failure:
            if not self.prompt_open:
                self._open_prompt("filter", pattern, "")
            self._show_error(f"{failure.kind.value}: {failure.message} — {self._still_filtering()}")
            return
        except Exception as error:  # a bug or an odd answer must not end the app: say so, keep the old filter
            _log.exception("applying the log filter failed")
            if not self.prompt_open:
                self._open_prompt("filter", pattern, "")
            internal = tr("internal error: {error}", self.language).format(error=f"{type(error).__name__}: {error}")
            self._show_error(f"{internal} — {self._still_filtering()}")
            return
        if self.prompt_open:
            self._close_prompt()
        shown = make_visible(truncate(self.feed.pattern, 200)) or tr("none", self.language)
        self.notify(tr("Filter: {pattern}", self.language).format(pattern=shown), markup=False)

    def _still_filtering(self) -> str:
        pattern = self.feed.pattern or tr("nothing", self.language)
        return tr("still filtering on: {pattern}", self.language).format(pattern=pattern)

    # -- the local search and the request trace -------------------------------------------------

    def action_edit_search(self) -> None:
        current = self.view.search.query.typed if self.view.search is not None else ""
        self._open_prompt(
            "search", current, tr("timeout · /time.?out/ · a capital letter makes it case-sensitive", self.language)
        )

    def search_for(self, typed: str) -> None:
        """Search the buffered lines for ``typed`` (empty: no search); a bad query keeps the prompt and says why."""
        if not typed.strip():
            self._close_prompt()
            self.view.set_search(None)
            return
        try:
            query = parse_query(typed)
        except SearchError as error:
            self._show_error(error.text(self.language))
            return
        self._close_prompt()
        self.view.set_search(query)

    def action_search_next(self) -> None:
        self._jump(True)

    def action_search_previous(self) -> None:
        self._jump(False)

    def _jump(self, forward: bool) -> None:
        if self.view.search is None:
            self.notify(search_word("no-search", self.language), markup=False)
            return
        self.view.jump_to_match(forward)  # its outcome comes back as LogView.SearchChanged

    def on_log_view_search_changed(self, event: LogView.SearchChanged) -> None:
        event.stop()
        self.refresh_status()
        if event.outcome in ("wrapped-top", "wrapped-bottom"):
            self.notify(search_word(event.outcome, self.language), markup=False, timeout=3)
        elif event.outcome == "none" and self.view.search is not None:
            query = make_visible(truncate(self.view.search.query.typed, 100))
            self.notify(search_word("none", self.language).format(q=query), severity="warning", markup=False)

    def action_trace(self) -> None:
        """F: pick a field of the selected JSON line; its value becomes the server-side filter (a safe pattern)."""
        line = self.view.cursor_line()
        if line is None:
            self.notify(tr("No line selected: move the cursor to a JSON line", self.language), severity="warning", markup=False)
            return
        try:
            fields = line_fields(line.raw)
        except TraceRefused as refused:
            self.notify(refused.text(self.language), severity="warning", markup=False)
            return
        self.app.push_screen(TracePickerScreen(fields, self.language), self.trace_field)

    def trace_field(self, field: TraceField | None) -> None:
        if field is None:
            return
        try:
            pattern = filter_pattern(field.path, field.value)
        except TraceRefused as refused:
            name = make_visible(truncate(field.path, 60))
            self.notify(
                tr("Cannot trace {field}: {reason}", self.language).format(field=name, reason=refused.text(self.language)),
                severity="warning",
                markup=False,
                timeout=8,
            )
            return
        self.apply_filter(pattern)

    def action_preset(self, key: str) -> None:
        preset = next(p for p in FILTER_PRESETS if p.key == key)
        self.apply_filter(preset.pattern)

    def action_clear_filter(self) -> None:
        self.apply_filter("")

    def action_range(self, position: int) -> None:
        self.feed.set_range(TIME_RANGES[position])
        self.notify(tr("Range: {range}", self.language).format(range=TIME_RANGES[position].label), markup=False)

    # -- copy, save, summary --------------------------------------------------------------------

    def action_copy(self) -> None:
        line = self.view.cursor_line()
        if line is None:
            self.notify(tr("Nothing to copy yet", self.language), severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(without_surrogates(line.raw))
        self.notify(tr("Copied one line ({n:,} characters)", self.language).format(n=len(line.raw)), markup=False)

    def action_save(self) -> None:
        try:
            path, count = save_lines(self.feed.buffer, self.save_dir, datetime.now(UTC))
        except OSError as error:
            self.notify(
                tr("Could not save: {error}", self.language).format(error=make_visible(str(error))),
                severity="error",
                markup=False,
            )
            return
        saved = tr("Saved {n:,} lines to {path}", self.language).format(n=count, path=make_visible(str(path)))
        self.notify(saved, timeout=10, markup=False)

    def filter_to_message(self, message: str | None) -> None:
        """The error summary's answer: follow only lines containing that message."""
        if not message:
            return
        try:
            pattern = pattern_for_message(message)
        except ValueError as error:
            self.notify(make_visible(truncate(str(error), 300)), severity="warning", markup=False)
            return
        self.apply_filter(pattern)


def open_logs(app, message: str | None = None) -> None:
    """The log view full screen (once); with ``message``, filtered to it (the error summary's answer)."""
    if not isinstance(app.screen, LogScreen):
        app.push_screen(LogScreen(app.services.log_feed, context=app.services.context))
    if message:
        app.screen.filter_to_message(message)


LOGS = Capability(
    name="logs",
    description=N_("Logs"),
    key="l",
    tooltip=N_("the log tail full screen: filter, presets, range, search (ctrl+f, n/N), trace (F), copy, save"),
    open=open_logs,
    commands=lambda app: [
        PaletteCommand(N_("Logs"), N_("The log tail full screen (filter, presets, range, copy, save)"), lambda: open_logs(app))
    ],
)
