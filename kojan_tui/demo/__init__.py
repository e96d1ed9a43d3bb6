"""The embedded AWS of --demo: a moto server, the fidelity moto lacks, a simulator and scenarios.

Public interface: ``embedded.EmbeddedAws`` (start/stop a server subprocess, switch scenarios),
``scenarios.SCENARIOS`` (name -> Scenario), and ``python -m kojan_tui.demo.server`` for the AWS CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kojan_tui.core.config import Config

DEMO_AUDIT_LOG_GROUP = "/kojan-map/ops-audit"


def audit_log_group(config: Config) -> str:
    """The group the demo seeds and copies the audit trail to: ``[audit] log_group``, else ``DEMO_AUDIT_LOG_GROUP``."""
    return config.audit.log_group or DEMO_AUDIT_LOG_GROUP
