"""Every capability the app offers beyond the dashboard, in key-help and palette order.

A new capability (rollback, runbooks, checklists, incidents, security…) adds its ``Capability`` here;
the app binds its key and lists its palette commands, and nothing else in ``ui/app.py`` changes.
"""

from __future__ import annotations

from kojan_tui.ui.capabilities import Capability
from kojan_tui.ui.screens.acknowledge import ACKNOWLEDGE
from kojan_tui.ui.screens.audit_trail import AUDIT_TRAIL
from kojan_tui.ui.screens.checklist import CHECKLISTS
from kojan_tui.ui.screens.error_summary import ERROR_SUMMARY
from kojan_tui.ui.screens.fleet import FLEET
from kojan_tui.ui.screens.force_deployment import FORCE_DEPLOYMENT
from kojan_tui.ui.screens.incident import INCIDENT
from kojan_tui.ui.screens.logs import LOGS
from kojan_tui.ui.screens.rollback import ROLLBACK
from kojan_tui.ui.screens.runbook import RUNBOOK_FOR_ALERT, RUNBOOKS
from kojan_tui.ui.screens.scenarios import DEMO_SCENARIOS
from kojan_tui.ui.screens.security import SECURITY
from kojan_tui.ui.screens.service_events import SERVICE_EVENTS
from kojan_tui.ui.screens.slo_detail import SLO_DETAIL
from kojan_tui.ui.screens.task_definition import TASK_DEFINITION
from kojan_tui.ui.screens.tasks import TASKS
from kojan_tui.ui.screens.what_changed import WHAT_CHANGED

CAPABILITIES: tuple[Capability, ...] = (
    LOGS,
    ERROR_SUMMARY,
    INCIDENT,
    ACKNOWLEDGE,
    ROLLBACK,
    FORCE_DEPLOYMENT,
    AUDIT_TRAIL,
    SERVICE_EVENTS,
    SLO_DETAIL,
    WHAT_CHANGED,
    TASKS,
    TASK_DEFINITION,
    RUNBOOKS,
    RUNBOOK_FOR_ALERT,
    CHECKLISTS,
    SECURITY,
    DEMO_SCENARIOS,
    FLEET,
)
