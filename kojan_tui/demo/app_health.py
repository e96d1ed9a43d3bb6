"""The simulated kojan-map API's health URL (S13/S29 "the API answers"): what ``GET /_kojan/app/health`` says.

200 ``{"status": "ok", ...}`` while a task runs and the scenario lets requests through; 503 when no task is
RUNNING, or when every request fails (``db-outage``: the database check fails), as the app's own probe would.
"""

from __future__ import annotations

from typing import Any

from kojan_tui.demo.world import World


def app_health(world: World) -> tuple[int, dict[str, Any]]:
    with world.lock:
        running = [t for t in world.tasks if t.state == "RUNNING"]
        effects = world.scenario.effects
        revision = running[0].task_definition.rsplit(":", 1)[-1] if running else None
    if not running:
        return 503, {"status": "unavailable", "reason": "no running task behind the load balancer"}
    database = "unreachable" if effects.error_kind == "database" else "ok"
    if database != "ok" or effects.error_rate >= 1.0:
        return 503, {"status": "error", "checks": {"database": database}, "tasks": len(running)}
    return 200, {"status": "ok", "checks": {"database": "ok"}, "tasks": len(running), "revision": revision}
