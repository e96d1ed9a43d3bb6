"""The audit trail viewer: every recorded attempt (requested, confirmed, succeeded, failed, refused, the
watch's verdict) with UTC time, caller ARN, profile, region, action, before/after revision and verdicts."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices

MAX_ENTRIES = 500
COLUMNS = (
    N_("time (UTC)"),
    N_("action"),
    N_("outcome"),
    N_("before → after"),
    N_("caller"),
    N_("profile / region"),
    N_("verdicts"),
)


def revision_change(details: dict) -> str:
    before = details.get("task_definition_before")
    after = details.get("task_definition_after") or details.get("task_definition")
    if details.get("force_new_deployment") and not details.get("task_definition"):
        after = after or before
    left = task_definition_label(str(before)) if before else "?"
    right = task_definition_label(str(after)) if after else ("same (forced)" if details.get("force_new_deployment") else "?")
    return f"{left} → {right}"


def verdicts_text(details: dict) -> str:
    verdicts = details.get("verdicts") or []
    if not verdicts:
        return details.get("rollout", "") or details.get("message", "") or ""
    return ", ".join(f"{v.get('check')}: {v.get('verdict')}" for v in verdicts if isinstance(v, dict))


def entry_row(entry: dict) -> tuple[Text, ...]:
    details = entry.get("details") or {}
    where = f"{details.get('profile') or 'default'} / {details.get('region') or '?'}"
    outcome = str(entry.get("outcome", ""))
    style = (
        "green"
        if outcome in ("succeeded", "verified")
        else "red"
        if outcome.startswith(("failed", "refused", "rollout", "not"))
        else ""
    )
    cells = (
        str(entry.get("ts", "")).replace("T", " ")[:23],
        str(entry.get("action", "")),
        outcome,
        revision_change(details),
        str(entry.get("identity") or "?"),
        where,
        verdicts_text(details),
    )
    return tuple(Text(make_visible(truncate(cell, 300)), style=style if i == 2 else "") for i, cell in enumerate(cells))


class AuditTrailScreen(FramedModal[None]):
    DEFAULT_CSS = """
    AuditTrailScreen {
        #audit-where { height: auto; color: $text-muted; }
        DataTable { height: 1fr; }
    }
    """

    BINDINGS = [Binding("escape", "close", N_("Close")), Binding("r", "reload", N_("Reload"))]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.entries: list[dict] = []
        self.language = services.config.ui.language

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as box:
            box.border_title = tr("Audit trail (every mutation attempted, newest last)", self.language)
            yield Static(id="audit-where")
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(tr(column, self.language))
        self.action_reload()

    def action_reload(self) -> None:
        trail = self.services.actions.audit
        table = self.query_one(DataTable)
        table.clear()
        try:
            entries = trail.entries(limit=MAX_ENTRIES)
        except (OSError, ValueError) as error:
            unread = tr("⚠ {path}: cannot be read ({error})", self.language).format(path=trail.path, error=error)
            self.query_one("#audit-where", Static).update(Text(unread))
            return
        self.entries = entries
        for index, entry in enumerate(entries):
            table.add_row(*entry_row(entry), key=str(index))
        if entries:
            table.move_cursor(row=len(entries) - 1)
        copy = self.services.actions.copy
        records = tr("{n} record(s)", self.language).format(n=len(entries))
        where = f"{trail.path} · {records}" + (f" · {copy.status}" if copy is not None else "")
        self.query_one("#audit-where", Static).update(Text(make_visible(where)))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: the whole record (the table cuts its cells), as the JSON line the trail holds, indented."""
        event.stop()
        if event.row_key.value is None:
            return
        entry = self.entries[int(event.row_key.value)]
        title = tr("Audit record {ts} {action} → {outcome}", self.language).format(
            ts=entry.get("ts", ""), action=entry.get("action", ""), outcome=entry.get("outcome", "")
        )
        self.app.push_screen(TextDetailScreen(title, json.dumps(entry, indent=2, ensure_ascii=False, default=str)))

    def action_close(self) -> None:
        self.dismiss(None)


open_audit_trail = open_once(AuditTrailScreen)


AUDIT_TRAIL = Capability(
    name="audit-trail",
    description=N_("Audit trail"),
    open=open_audit_trail,
    tooltip=N_("every rollback / forced deployment attempt, its outcome and its verdicts"),
    commands=one_command(N_("Audit trail"), N_("Every mutation attempted, with outcome and verdicts"), open_audit_trail),
)
