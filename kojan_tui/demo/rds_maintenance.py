"""RDS pending maintenance (S17), which moto lacks (HTTP 500): an operating-system update for the DB instance.

``DescribePendingMaintenanceActions`` answers it (``ResourceIdentifier`` and ``Filters`` on
``db-instance-id`` honoured); ``ApplyPendingMaintenanceAction`` is not offered (the demo never applies it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from moto.core.responses import ActionResult
from moto.rds import responses as rds_responses

from kojan_tui.demo import world_clock
from kojan_tui.demo.world import World

ACTION = "system-update"
DESCRIPTION = "New Operating System update is available"
AUTO_APPLIED_AFTER_DAYS = 21  # the window after which AWS applies it in the maintenance window

_world: World | None = None
_since: datetime | None = None


def pending_actions(world: World) -> list[dict[str, Any]]:
    since = _since or datetime.fromtimestamp(world_clock.now(), UTC)
    arn = f"arn:aws:rds:{world.region}:{world.account_id}:db:{world.config.service.db_instance}"
    return [
        {
            "ResourceIdentifier": arn,
            "PendingMaintenanceActionDetails": [
                {
                    "Action": ACTION,
                    "Description": DESCRIPTION,
                    "AutoAppliedAfterDate": since + timedelta(days=AUTO_APPLIED_AFTER_DAYS),
                    "CurrentApplyDate": since + timedelta(days=AUTO_APPLIED_AFTER_DAYS),
                }
            ],
        }
    ]


def seed(now: float) -> None:
    """The update became available four days before the demo started."""
    global _since
    _since = datetime.fromtimestamp(now, UTC).replace(microsecond=0) - timedelta(days=4)


def describe_pending_maintenance_actions(self: Any) -> ActionResult:
    resource = self._get_param("ResourceIdentifier")
    filters = {f["Name"]: f["Values"] for f in self.params.get("Filters", []) or []}
    actions = pending_actions(_world) if _world is not None else []
    if resource:
        actions = [a for a in actions if a["ResourceIdentifier"] == resource]
    if "db-instance-id" in filters:
        wanted = set(filters["db-instance-id"])
        actions = [a for a in actions if a["ResourceIdentifier"] in wanted or a["ResourceIdentifier"].rsplit(":", 1)[1] in wanted]
    return ActionResult({"PendingMaintenanceActions": actions})


def apply(world: World) -> None:
    global _world
    _world = world
    rds_responses.RDSResponse.describe_pending_maintenance_actions = describe_pending_maintenance_actions
