"""Where the product deliberately differs from the guide, said next to the number it concerns (both languages):

- S25 "ECS CPU at 100 % (sustained)": judged as at or above ``[rollback] cpu_percent`` (99) for
  ``cpu_sustained_seconds`` (5 min): CloudWatch's average over the tasks seldom reads exactly 100.
- S12 "scan findings of ``kojan-map/business:latest``": the image the service runs is scanned, what production
  serves, whatever ``:latest`` points at now.
- S02 "expected: none": one ERROR line is a warning, an alert only above ``[thresholds.errors_last_hour] alert``.
"""

from __future__ import annotations

from kojan_tui.core.i18n import tr


def cpu_rule_note(cpu_percent: float, sustained_seconds: float, language: str) -> str:
    return tr(
        "the guide says CPU at 100 % (sustained); judged here as ≥ {percent:g} % for {minutes:g} min, since an "
        "average over the tasks seldom reads exactly 100 %",
        language,
    ).format(percent=cpu_percent, minutes=sustained_seconds / 60)


def scanned_image_note(language: str) -> str:
    return tr(
        "the guide scans :latest; this scans the image the service runs (what production serves, whatever :latest points at)",
        language,
    )


def errors_warning_note(warn: float, language: str) -> str:
    """Empty unless the warning level is the guide's "none expected" (any line warns; the alert level is shown
    beside it)."""
    return tr("guide: none expected", language) if warn == 0 else ""
