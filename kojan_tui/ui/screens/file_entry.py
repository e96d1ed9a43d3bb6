"""The files a checklist item asks for (``[[steps.files]]``; S15: last month's benchmark, this month's, their
benchstat comparison): one field per file, filled with what was recorded last; Enter on the last field (or
ctrl+s) records them on the run (``procedures/files.py``), Esc cancels. A file that cannot be read is named
here and nothing is recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.procedures.files import SHOWN_PREFIX, FilesError, record_files, shown_lines
from kojan_tui.procedures.models import Step
from kojan_tui.procedures.runs import StepRecord
from kojan_tui.ui.screens.modal import FramedModal

Save = Callable[[StepRecord], Awaitable[None]]


class FileEntryScreen(FramedModal[StepRecord | None]):
    """Dismissed with the record written (by ``save``), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel")), Binding("ctrl+s", "save", N_("Record"))]
    DEFAULT_CSS = """
    FileEntryScreen {
        .file-label { margin-top: 1; }
        #files-message { height: auto; margin-top: 1; }
        #files-message.-error { color: $text-error; }
    }
    """

    def __init__(self, step: Step, paths: dict[str, str], language: str, clock: Callable[[], datetime], save: Save) -> None:
        super().__init__()
        self.step, self.paths, self.language, self.clock, self.save = step, paths, language, clock, save

    def compose(self) -> ComposeResult:
        say = self.language
        with Vertical(classes="modal-frame -narrow") as box:
            box.border_title = tr("Files for this item", say)
            for field in self.step.files:
                yield Label(Text(make_visible(field.label)), classes="file-label")
                yield Input(self.paths.get(field.id, ""), placeholder=tr("path to the file", say), id=f"file-{field.id}")
            yield Static(tr("Enter: next field, on the last one record · ctrl+s record · Esc cancel", say), id="files-message")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input) if event.input in inputs else len(inputs) - 1
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        paths = {field.id: self.query_one(f"#file-{field.id}", Input).value for field in self.step.files}
        self.run_worker(self._record(paths), group="file-entry", exclusive=True, exit_on_error=False)

    async def _record(self, paths: dict[str, str]) -> None:
        message = self.query_one("#files-message", Static)
        try:
            record = await asyncio.to_thread(record_files, self.step, paths, self.clock(), self.language)
            await self.save(record)
        except (FilesError, OSError) as error:
            message.set_class(True, "-error")
            message.update(Text(make_visible(str(error))))
            return
        self.dismiss(record)

    def action_cancel(self) -> None:
        self.dismiss(None)


def append_files(detail: Text, step: Step, record: StepRecord | None, language: str) -> None:
    """The files a step asks for in its detail: what was recorded (each file, a shown file's text), or how to."""
    if not step.files:
        return
    detail.append("\n\n" + tr("files", language) + ": ", style="dim")
    if record is None:
        detail.append(tr("not given yet (p)", language))
        return
    detail.append(f"{make_visible(record.summary)}  {record.at:%H:%M:%S} UTC", style="green")
    for line in shown_lines(step, record):
        detail.append("\n" + make_visible(line), style="" if line.startswith(SHOWN_PREFIX) else "dim")
