"""The demo scenarios: what each one does to the simulated kojan-map, as data plus one small rule.

A scenario turns "which revision does this task run" into ``Effects`` for the simulator's next tick.
``SCENARIOS`` is what ``kojan-tui --demo --list-scenarios`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Effects:
    """What one task experiences during a tick (the healthy values are the defaults)."""

    error_rate: float = 0.0  # share of requests answered 5xx (healthy: none, as S02 expects)
    auth_fail_rate: float = 0.004  # share answered 401/403
    latency_median_ms: float = 38.0
    latency_tail_ms: float = 240.0  # roughly the p99
    cpu_percent: float = 28.0
    memory_growth_per_tick: float = 0.0  # percentage points; 0 lets memory settle to its baseline
    rds_cpu_percent: float = 18.0
    rds_used_percent: float = 58.0
    error_kind: str = ""  # "" | auth | database | panic | slow-query | cpu | storage | memory | outage
    tasks_crash: bool = False  # outage: tasks of the deployments that predate the switch exit, and so do their replacements


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    effects: Effects = field(default_factory=Effects)
    newest_revision_effects: Effects | None = None  # set only when the newest revision behaves differently

    def effects_for(self, runs_newest_revision: bool) -> Effects:
        if runs_newest_revision and self.newest_revision_effects is not None:
            return self.newest_revision_effects
        return self.effects


HEALTHY = Effects()

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("healthy", "Everything normal: tens of ms of latency, no 5XX, steady CPU and memory."),
        Scenario(
            "auth-errors",
            "S07: a quarter of requests fail with 401/403 and the logs fill with 'invalid token'.",
            replace(HEALTHY, auth_fail_rate=0.25, error_kind="auth"),
        ),
        Scenario(
            "db-outage",
            "S08: the database is unreachable: 'database connection' errors, 500 on every endpoint.",
            replace(
                HEALTHY, error_rate=1.0, latency_median_ms=1800, latency_tail_ms=5000, rds_cpu_percent=2.0, error_kind="database"
            ),
        ),
        Scenario(
            "memory-leak",
            "S09: task memory climbs until tasks are replaced; a forced new deployment resets it.",
            replace(HEALTHY, memory_growth_per_tick=4.5, latency_tail_ms=420, error_kind="memory"),
        ),
        Scenario(
            "high-latency",
            "S10: slow queries push the ALB p99 response time far above 1 s.",
            replace(HEALTHY, latency_median_ms=900, latency_tail_ms=3800, rds_cpu_percent=72, error_kind="slow-query"),
        ),
        Scenario(
            "cpu-saturation",
            "S25: ECS CPU pinned at 100 %; autoscaling adds tasks, latency rises.",
            replace(HEALTHY, cpu_percent=100.0, latency_median_ms=160, latency_tail_ms=900, error_kind="cpu"),
        ),
        Scenario(
            "storage-full",
            "RDS storage more than 90 % used; some writes fail with 'The table is full'.",
            replace(HEALTHY, rds_used_percent=96.5, error_rate=0.02, error_kind="storage"),
        ),
        Scenario(
            "outage",
            "S25: every task exits and its replacements crash too (0 of 2 running); the ALB answers 503 itself. "
            "A forced new deployment or a rollback starts healthy tasks.",
            replace(HEALTHY, tasks_crash=True, error_kind="outage"),
        ),
        Scenario(
            "error-burst",
            "Issue 27: half the requests answer 500 (a dependency failing) until you switch back to healthy: a short "
            "burst pages on the fast error-budget burn (1 h/5 min) long before the slow one (6 h/30 min).",
            replace(HEALTHY, error_rate=0.5, error_kind="panic"),
        ),
        Scenario(
            "bad-deploy",
            "S26: the newest task definition revision crashes requests; rolling back to the previous one recovers.",
            HEALTHY,
            replace(HEALTHY, error_rate=0.45, latency_tail_ms=600, error_kind="panic"),
        ),
    )
}

DEFAULT_SCENARIO = "healthy"
