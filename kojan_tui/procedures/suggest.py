"""From what the dashboard shows to the procedure that handles it: an alert key, an S25 reason or a log pattern
→ the runbook whose triggers name it.

An alert opens the most specific runbook (fewest alert triggers: S09 for memory). An S25 reason opens the
most general one (the S24 emergency flow covers all four): when S25 holds, the guide says roll back first.
"""

from __future__ import annotations

from collections.abc import Iterable

from kojan_tui.procedures.models import Kind, Procedure


def _runbooks(procedures: Iterable[Procedure]) -> list[Procedure]:
    return sorted((p for p in procedures if p.kind is Kind.RUNBOOK), key=lambda p: (p.guide_item or "~", p.id))


def runbook_for_alert(procedures: Iterable[Procedure], key: str) -> Procedure | None:
    matches = [p for p in _runbooks(procedures) if key in p.triggers.alerts]
    return min(matches, key=lambda p: len(p.triggers.alerts), default=None)


def runbook_for_reason(procedures: Iterable[Procedure], code: str) -> Procedure | None:
    matches = [p for p in _runbooks(procedures) if code in p.triggers.rollback_reasons]
    return max(matches, key=lambda p: len(p.triggers.rollback_reasons), default=None)


def runbook_for_log(procedures: Iterable[Procedure], pattern: str) -> Procedure | None:
    needle = pattern.strip().strip('"').lower()
    return next((p for p in _runbooks(procedures) if any(needle == t.strip('"').lower() for t in p.triggers.log_patterns)), None)
