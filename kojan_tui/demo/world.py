"""The simulated world's state that moto does not hold: tasks, scenario, scaling activities.

One ``World`` lives in the server process; the simulator thread, the ECS patch and the control API
all change it under ``world.lock``. Its ``clock`` is the one time of the simulated world (``World.now()``).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from kojan_tui.core.clock import ShiftedClock
from kojan_tui.core.config import Config
from kojan_tui.demo.scenarios import DEFAULT_SCENARIO, SCENARIOS, Scenario
from kojan_tui.demo.seed import ACCOUNT_ID, ALLOCATED_STORAGE_GIB

MEMORY_BASELINE = 42.0  # % of the task's 1 GiB a fresh task settles at
RETENTION_SECONDS = 25 * 3600  # metrics and log events older than this are pruned
SERVICE_AGE_SECONDS = 2.5 * 3600  # the running tasks started this long before the demo did


@dataclass
class SimTask:
    task_id: str
    task_definition: str  # full ARN
    deployment_id: str
    started_at: float
    state: str = "PENDING"  # PENDING -> RUNNING -> (stopped: removed)
    ticks_in_state: int = 0
    memory_percent: float = MEMORY_BASELINE
    cpu_jitter: float = 0.0


@dataclass
class World:
    config: Config
    tick_seconds: float
    scenario_name: str = DEFAULT_SCENARIO
    account_id: str = ACCOUNT_ID
    rng: random.Random = field(default_factory=random.Random)
    lock: threading.RLock = field(default_factory=threading.RLock)
    tasks: list[SimTask] = field(default_factory=list)
    task_definitions: list[str] = field(default_factory=list)  # ARNs, oldest first
    scalable_resource_id: str = ""
    target_group_arn: str = ""  # named in the register/deregister service events
    scaling_activities: list[dict[str, Any]] = field(default_factory=list)  # newest first
    rds_used_percent: float = 58.0
    allocated_storage_gib: int = ALLOCATED_STORAGE_GIB
    scenario_ticks: int = 0  # ticks since the scenario was switched
    scenario_since: float = 0.0  # epoch seconds of the switch
    ticks: int = 0
    failing_deployments: set[str] = field(default_factory=set)  # outage: their tasks exit instead of running
    high_cpu_ticks: int = 0
    low_cpu_ticks: int = 0
    clock: ShiftedClock = field(default_factory=ShiftedClock)  # the wall clock, ahead by what tests advanced

    @property
    def region(self) -> str:
        return self.config.aws.region

    @property
    def scenario(self) -> Scenario:
        return SCENARIOS[self.scenario_name]

    def set_scenario(self, name: str) -> None:
        if name not in SCENARIOS:
            raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        with self.lock:
            if name != self.scenario_name:
                self.scenario_name = name
                self.scenario_ticks = 0
                self.scenario_since = self.now()

    def new_task_id(self) -> str:
        return "%032x" % self.rng.getrandbits(128)

    def new_deployment_id(self) -> str:
        return "ecs-svc/" + "".join(str(self.rng.randint(0, 9)) for _ in range(19))

    def newest_task_definition(self) -> str:
        return self.task_definitions[-1]

    def log_stream_for(self, task_id: str) -> str:
        return f"ecs/business/{task_id}"

    def now(self) -> float:
        """The world's time in epoch seconds: every patch, tick and seeded date reads this clock."""
        return self.clock().timestamp()
