"""What the proof tests check on the dashboard: every panel's stale text agrees with the state the app published."""

from __future__ import annotations

from collections import Counter

from kojan_tui.core.errors import FailureKind
from kojan_tui.core.readings import RDS_STORAGE, SERIES_OF
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.service_panel import ServicePanel

# A healthy source whose poll is overdue (often, at these intervals): past two intervals, or past one while it is
# queued behind the client's own request limit (then the operation is named).
WAITING = ("— waiting for AWS", "— waiting for the request limit (")


def overdue_text(text: str) -> bool:
    return any(marker in text for marker in WAITING) and text.startswith("STALE ")


def stale_problems(app: KojanApp, shown: Counter[str] | None = None) -> list[str]:
    """Where a panel disagrees with the state the app published: a failed source's panels must say
    ``STALE <age> — <reason>``; a healthy one's say nothing (or ``waiting for AWS`` while a poll is overdue).

    The RDS storage panel (fed by metrics and database) shows the failing source's reason, the metrics'
    when both fail; the log pane shows a failure exactly while the logs source is stale (a poll cut off at
    its deadline included); a metric whose series AWS answered only in part (``PartialData``) says so.
    ``shown`` counts the checks of the last two kinds that had something to show.
    """
    shown = Counter() if shown is None else shown
    screen = app.screen
    state = app.state
    freshness = state.freshness

    def check(widget_name: str, shown_text: str | None, source: str, fallback: str | None = None) -> list[str]:
        expected = source if freshness[source].stale else fallback if fallback and freshness[fallback].stale else None
        if expected is None:
            fine = shown_text is None or overdue_text(shown_text)
            return [] if fine else [f"{widget_name}: shows {shown_text!r} while {source} is fresh"]
        reason = freshness[expected].failure_reason
        age_ok = shown_text is not None and shown_text.startswith("STALE ") and shown_text.split(" ")[1] not in ("", "—")
        if not (age_ok and shown_text.endswith(f"— {reason}")):
            return [f"{widget_name}: shows {shown_text!r}, {expected} failed: {reason}"]
        if fallback is not None and expected == fallback:
            shown["RDS storage panel: the database's own failure shown"] += 1
        return []

    problems = check("service panel", screen.query_one(ServicePanel).stale_text, "service")
    problems += check("errors panel", screen.query_one(ErrorsPanel).stale_text, "errors")
    for panel in screen.query(MetricPanel):
        problems += check(panel.spec.key, panel.stale_text, "metrics", "database" if panel.spec is RDS_STORAGE else None)
        statuses = {state.data.metrics[q].status for q in SERIES_OF[panel.spec.key] if q in state.data.metrics}
        if statuses - {"Complete"}:
            reading = panel.reading
            if (
                reading is None
                or not reading.partial
                or (reading.latest is not None and reading.partial not in reading.value_text)
            ):
                problems.append(
                    f"{panel.spec.key}: AWS answered {statuses} but the panel shows {reading and reading.value_text!r}"
                )
            else:
                shown["metric panel: partial answer shown"] += 1
    logs_stale = freshness["logs"].stale
    if (app.log_feed.last_failure is not None) != logs_stale:
        problems.append(
            f"log pane: failure line {app.log_feed.last_failure!r} while the logs source is {'stale' if logs_stale else 'fresh'}"
        )
    elif logs_stale and freshness["logs"].failure_kind is FailureKind.TIMEOUT:
        shown["log pane: a poll cut off at its deadline shown"] += 1
    return problems


def stale_text(app: KojanApp, name: str) -> str | None:
    return app.poller.freshness(name).stale_text(app.now())
