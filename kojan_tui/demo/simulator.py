"""The simulator: every tick it moves ECS, then publishes the S03 metrics and Go-style logs.

Metrics go in exactly as ``kojan_tui.core.metrics_catalog`` queries them (same namespaces, names and
dimension values, TargetResponseTime in seconds); logs go to the task streams ``ecs/business/<task-id>``.
"""

from __future__ import annotations

import math
import sys
import threading
import traceback
from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.logs.models import logs_backends
from moto.rds.models import rds_backends

from kojan_tui.core import metrics_catalog as catalog
from kojan_tui.demo import cloudwatch_patch, ecs_rollout, log_export, loglines, logs_patch, scaling, slowlog
from kojan_tui.demo.scenarios import Effects
from kojan_tui.demo.world import MEMORY_BASELINE, RETENTION_SECONDS, SERVICE_AGE_SECONDS, SimTask, World

BASE_RPS = 18.0  # requests per second across the service at the daily peak
MIN_REQUESTS_PER_TICK = 6.0  # with very short test ticks, still enough requests for rates and percentiles
MAX_LATENCY_SAMPLES = 120  # per tick: plenty for a p99 per minute, bounded memory
PRUNE_EVERY_SECONDS = 300.0
GIB = 1024**3
MAX_ADVANCE_SECONDS = 6 * 3600  # one control call moves the world on by at most this much
LEAK_CLIMB_POINTS = 36.0  # memory-leak's history: the running tasks climbed this much since they started (SERVICE_AGE_SECONDS)
FRESH_TASK_LEAK_FACTOR = 0.08  # memory-leak: a task started after the switch needs ~10 simulated minutes to reach 85 %


def diurnal_factor(epoch: float) -> float:
    """Traffic by hour in Japan (UTC+9): quiet at night, a peak around midday and evening."""
    hour = ((epoch / 3600.0) + 9) % 24
    return 0.25 + 0.75 * max(0.0, math.sin(math.pi * (hour - 6) / 18)) if hour >= 6 else 0.25


def _dims(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"Name": n, "Value": v} for n, v in pairs]


def health_check_passes(effects: Effects) -> bool:
    """What the app's health URL answers for a running task under ``effects`` (see ``app_health``)."""
    return effects.error_kind != "database" and effects.error_rate < 1.0


class Simulator:
    def __init__(self, world: World):
        self.world = world
        self.stop_event = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_prune = 0.0
        service = world.config.service
        self.alb_lb = _dims(catalog.load_balancer_dimensions(service))
        self.alb, self.ecs, self.rds = (
            _dims(catalog.alb_dimensions(service)),
            _dims(catalog.ecs_dimensions(service)),
            _dims(catalog.rds_dimensions(service)),
        )

    # -- backends --------------------------------------------------------------------------
    @property
    def cloudwatch(self) -> Any:
        return cloudwatch_backends[self.world.account_id][self.world.region]

    @property
    def logs(self) -> Any:
        return logs_backends[self.world.account_id][self.world.region]

    # -- sampling --------------------------------------------------------------------------
    def latency_ms(self, effects: Effects) -> float:
        median, tail = effects.latency_median_ms, max(effects.latency_tail_ms, effects.latency_median_ms * 1.01)
        sigma = math.log(tail / median) / 2.326
        # lognormal around the median, capped at twice the p99 so a healthy minute never spikes past its warning level
        return min(median * math.exp(sigma * self.world.rng.gauss(0, 1)), 2 * tail)

    def requests_this_tick(self, seconds: float, at: float) -> int:
        mean = max(BASE_RPS * diurnal_factor(at) * seconds, MIN_REQUESTS_PER_TICK)
        return max(0, round(mean * self.world.rng.uniform(0.85, 1.15)))

    # -- publishing ------------------------------------------------------------------------
    def put_metrics(self, namespace: str, data: list[dict[str, Any]]) -> None:
        self.cloudwatch.put_metric_data(namespace, data)

    def publish(
        self,
        at: float,
        *,
        requests: int,
        errors: int,
        auth: int,
        latencies_s: list[float],
        cpu: list[float],
        memory: list[float],
        rds_cpu: float,
        rds_used_percent: float,
        elb_5xx: int = 0,
        healthy_hosts: int = 2,
        unhealthy_hosts: int = 0,
    ) -> None:
        """One tick's datapoints, as a real ALB, ECS and RDS publish them.

        ALB: RequestCount, the target status codes and TargetResponseTime both per load balancer
        (``LoadBalancer`` alone) and per target group (``TargetGroup`` + ``LoadBalancer``), each only when
        non-zero (ALB reports no datapoint for a metric without data: no latency while no target answers);
        ``HTTPCode_ELB_5XX_Count`` (the ALB's own 503s) per load balancer only; the host counts per target group.
        """
        ts = datetime.fromtimestamp(at, UTC).replace(tzinfo=None)
        counts = {
            "RequestCount": requests,  # only requests for which a target was chosen (the ALB's own 503s are not in it)
            "HTTPCode_Target_5XX_Count": errors,
            "HTTPCode_Target_4XX_Count": auth,
            "HTTPCode_Target_2XX_Count": requests - errors - auth,
        }
        alb: list[dict[str, Any]] = []
        for dims in (self.alb_lb, self.alb):
            alb.extend(
                {"MetricName": name, "Dimensions": dims, "Timestamp": ts, "Value": float(n), "Unit": "Count"}
                for name, n in counts.items()
                if n > 0
            )
            if latencies_s:
                alb.append(
                    {
                        "MetricName": "TargetResponseTime",
                        "Dimensions": dims,
                        "Timestamp": ts,
                        "Values": latencies_s,
                        "Unit": "Seconds",
                    }
                )
        if elb_5xx > 0:
            alb.append(
                {
                    "MetricName": "HTTPCode_ELB_5XX_Count",
                    "Dimensions": self.alb_lb,
                    "Timestamp": ts,
                    "Value": float(elb_5xx),
                    "Unit": "Count",
                }
            )
        alb.extend(
            {"MetricName": name, "Dimensions": self.alb, "Timestamp": ts, "Value": float(n), "Unit": "Count"}
            for name, n in (("HealthyHostCount", healthy_hosts), ("UnHealthyHostCount", unhealthy_hosts))
        )
        self.put_metrics("AWS/ApplicationELB", alb)
        if cpu:
            self.put_metrics(
                "AWS/ECS",
                [
                    {"MetricName": "CPUUtilization", "Dimensions": self.ecs, "Timestamp": ts, "Values": cpu, "Unit": "Percent"},
                    {
                        "MetricName": "MemoryUtilization",
                        "Dimensions": self.ecs,
                        "Timestamp": ts,
                        "Values": memory,
                        "Unit": "Percent",
                    },
                ],
            )
        free = self.world.allocated_storage_gib * GIB * (1 - rds_used_percent / 100)
        self.put_metrics(
            "AWS/RDS",
            [
                {"MetricName": "CPUUtilization", "Dimensions": self.rds, "Timestamp": ts, "Value": rds_cpu, "Unit": "Percent"},
                {"MetricName": "FreeStorageSpace", "Dimensions": self.rds, "Timestamp": ts, "Value": free, "Unit": "Bytes"},
            ],
        )

    def write_logs(self, task: SimTask, lines: list[tuple[int, str]]) -> None:
        group = self.world.config.service.log_group
        stream = self.world.log_stream_for(task.task_id)
        if not lines or group not in self.logs.groups:
            return
        if stream not in self.logs.groups[group].streams:
            self.logs.create_log_stream(group, stream)
        lines.sort(key=lambda item: item[0])
        self.logs.groups[group].put_log_events(stream, [{"timestamp": ms, "message": text} for ms, text in lines])

    def write_slow_queries(self, now: float, seconds: float, latencies_ms: list[float]) -> None:
        """Requests slower than 1 s left a slow query behind (up to 3 per tick)."""
        db = self.world.config.service.db_instance
        group = self.logs.groups.get(slowlog.log_group(db))
        slow = sorted(latency for latency in latencies_ms if latency > 1000)[-3:]
        if group is None or db not in group.streams or not slow:
            return
        rng = self.world.rng
        entries = sorted((int((now - rng.uniform(0, seconds)) * 1000), latency * 0.85 / 1000) for latency in slow)
        group.put_log_events(db, [{"timestamp": ms, "message": slowlog.entry(rng, ms / 1000, q)} for ms, q in entries])

    # -- one tick --------------------------------------------------------------------------
    def tick(self, now: float | None = None) -> None:
        with self.world.lock:  # a reset or an UpdateService never sees half a tick
            self._tick(now or self.world.now())

    def advance(self, seconds: float) -> int:
        """Move the world's clock on by ``seconds``, ticking through the span as if it had passed (for tests).

        One tick per ``tick_seconds`` of simulated time, each at its own moment: rollouts move, minute windows fill
        with datapoints and log lines, exactly as in real time, only sooner. Returns the number of ticks done."""
        if not 0 < seconds <= MAX_ADVANCE_SECONDS:
            raise ValueError(f"advance by more than 0 and at most {MAX_ADVANCE_SECONDS} s, not {seconds}")
        world = self.world
        steps = max(1, round(seconds / world.tick_seconds))
        with world.lock:  # the real-time ticks wait: no tick lands between two advanced ones
            for _ in range(steps):
                world.clock.advance(seconds / steps)
                self._tick(world.now())
        return steps

    def _tick(self, now: float) -> None:
        world, rng = self.world, self.world.rng
        seconds = world.tick_seconds
        self.mark_failing_deployments()
        ecs_rollout.step(world)
        log_export.step(world)
        world.ticks += 1
        world.scenario_ticks += 1
        scenario = world.scenario
        service = ecs_rollout.world_service(world)
        newest = ecs_rollout.latest_task_definition(world)
        running = [t for t in world.tasks if t.state == "RUNNING"]
        per_task = {t.task_id: scenario.effects_for(t.task_definition == newest) for t in running}
        for task in list(running):
            effects = per_task[task.task_id]
            if effects.memory_growth_per_tick > 0:
                # tasks that were up before the leak showed have leaked for hours and climb fast; fresh ones slowly
                fresh = task.started_at >= world.scenario_since
                growth = effects.memory_growth_per_tick * (FRESH_TASK_LEAK_FACTOR if fresh else 1.0)
                task.memory_percent += growth * rng.uniform(0.8, 1.2)
            else:
                task.memory_percent += (MEMORY_BASELINE - task.memory_percent) * 0.2 + rng.uniform(-0.6, 0.6)
            if task.memory_percent >= 100 and service is not None:
                ecs_rollout.stop_task(world, service, task, reason="OutOfMemoryError: Container killed due to memory usage")
                running.remove(task)
        self.autoscale(now, running, per_task)
        shared = scenario.effects
        self.follow_db_status()
        world.rds_used_percent += (shared.rds_used_percent - world.rds_used_percent) * 0.35
        if service is not None:
            ecs_rollout.recount(world, service)
        offered = self.requests_this_tick(seconds, now)
        total = offered if running else 0
        elb_5xx = 0 if running else offered  # no target to choose: the ALB answers 503 itself
        unhealthy = sum(t.state == "PENDING" and t.deployment_id in world.failing_deployments for t in world.tasks)
        # The target group's health check is the app's health URL (app_health): a task whose database check fails
        # answers it 503 and is an unhealthy target (the ALB fails open and still sends it requests, which fail).
        healthy = [
            t for t in running if health_check_passes(per_task[t.task_id]) and not ecs_rollout.failing_health_checks(world, t)
        ]
        errors = auth = 0
        latencies: list[float] = []
        slow_candidates = [rng.uniform(1100, 1600)] if rng.random() < 0.01 else []  # the odd slow query, even when healthy
        cpu, memory = [], []
        for i, task in enumerate(running):
            effects = per_task[task.task_id]
            n = total // len(running) + (1 if i < total % len(running) else 0)
            outcomes = []
            for _ in range(n):
                latency = self.latency_ms(effects)
                r = rng.random()
                status = (
                    500
                    if r < effects.error_rate
                    else (rng.choice((401, 403)) if effects.error_kind == "auth" else 401)
                    if r < effects.error_rate + effects.auth_fail_rate
                    else 200
                )
                errors += status >= 500
                auth += status in (401, 403)
                outcomes.append((status, latency))
                if effects.error_kind == "slow-query":
                    slow_candidates.append(latency)
                if len(latencies) < MAX_LATENCY_SAMPLES:
                    latencies.append(round(latency / 1000.0, 4))
            cpu_now = (
                effects.cpu_percent
                if effects.cpu_percent >= 100
                else effects.cpu_percent * (0.5 + diurnal_factor(now)) + task.cpu_jitter
            )
            cpu.append(
                round(min(100.0, max(0.5, cpu_now + rng.uniform(-2, 2) if cpu_now < 100 else rng.uniform(99.4, 100.0))), 2)
            )
            memory.append(round(min(100.0, task.memory_percent), 2))
            self.write_logs(task, self.log_lines(now, seconds, outcomes, effects))
        self.write_slow_queries(now, seconds, slow_candidates)
        rds_cpu = max(0.5, shared.rds_cpu_percent * (0.6 + 0.6 * diurnal_factor(now)) + rng.uniform(-2, 2))
        self.publish(
            now,
            requests=total,
            errors=errors,
            auth=auth,
            latencies_s=latencies,
            cpu=cpu,
            memory=memory,
            rds_cpu=round(rds_cpu, 2),
            rds_used_percent=world.rds_used_percent,
            elb_5xx=elb_5xx,
            healthy_hosts=len(healthy),
            unhealthy_hosts=unhealthy + len(running) - len(healthy),
        )
        if now - self._last_prune >= PRUNE_EVERY_SECONDS:
            self.prune(now)

    def mark_failing_deployments(self) -> None:
        """outage: the deployments made before the switch fail (their tasks exit); a newer one recovers."""
        world = self.world
        service = ecs_rollout.world_service(world)
        if service is None or not world.scenario.effects.tasks_crash:
            world.failing_deployments.clear()
            return
        for d in service.deployments:
            created = d.get("createdAt")
            if isinstance(created, datetime) and created.replace(tzinfo=UTC).timestamp() < world.scenario_since:
                world.failing_deployments.add(d["id"])

    def log_lines(self, now: float, seconds: float, outcomes: list[tuple[int, float]], effects: Effects) -> list[tuple[int, str]]:
        """Every failed request (up to 6) and two ordinary ones per task per tick, spread over the tick."""
        rng = self.world.rng
        failed = [o for o in outcomes if o[0] >= 400][:6]
        ordinary = [o for o in outcomes if o[0] < 400]
        slow = [o for o in ordinary if o[1] > 1000][:2]
        chosen = failed + slow + rng.sample(ordinary, min(2, len(ordinary)))
        out = []
        for status, latency in chosen:
            ms = int((now - rng.uniform(0, seconds)) * 1000)
            out.extend((ms, text) for text in loglines.request_line(rng, ms, status, latency, effects.error_kind))
        if rng.random() < 0.3 and (text := loglines.background_line(rng, int(now * 1000), effects.error_kind)):
            out.append((int(now * 1000), text))
        return out

    def autoscale(self, now: float, running: list[SimTask], per_task: dict[str, Effects]) -> None:
        """Target tracking on CPU: out to 4 tasks after 3 hot ticks, back to 2 after 6 cool ones."""
        world = self.world
        service = ecs_rollout.world_service(world)
        if service is None or not running:
            return
        avg = sum(per_task[t.task_id].cpu_percent for t in running) / len(running)
        world.high_cpu_ticks = world.high_cpu_ticks + 1 if avg >= 90 else 0
        world.low_cpu_ticks = world.low_cpu_ticks + 1 if avg < 50 else 0
        target = (
            4
            if world.high_cpu_ticks >= 3 and service.desired_count < 4
            else 2
            if world.low_cpu_ticks >= 6 and service.desired_count > 2
            else None
        )
        if target is not None:
            scaling.record_activity(world, target, service.desired_count, now)
            service.desired_count = target
            service.__dict__["_kojan_steady"] = False

    def prune(self, now: float) -> None:
        self._last_prune = now
        cloudwatch_patch.prune_before(self.cloudwatch, now - RETENTION_SECONDS)
        before_ms = int((now - RETENTION_SECONDS) * 1000)
        group = self.logs.groups.get(self.world.config.service.log_group)
        if group is not None:
            logs_patch.prune_group(group, before_ms, {self.world.log_stream_for(t.task_id) for t in self.world.tasks})
        db = self.world.config.service.db_instance
        if (slow := self.logs.groups.get(slowlog.log_group(db))) is not None:
            logs_patch.prune_group(slow, before_ms, {db})

    # -- history ---------------------------------------------------------------------------
    def backfill(self, now: float) -> None:
        """24 h at 5-minute resolution, the last 3 h at 1 minute, the last 15 minutes of logs, a day's few slow
        queries: all healthy."""
        rng, healthy = self.world.rng, Effects()
        points = [(now - 24 * 3600 + i * 300, 300) for i in range(12 * 21)] + [(now - 3 * 3600 + i * 60, 60) for i in range(180)]
        for at, span in points:
            factor = diurnal_factor(at)
            requests = round(BASE_RPS * factor * span * rng.uniform(0.9, 1.1))
            latencies = [round(self.latency_ms(healthy) * (1 + 0.3 * factor) / 1000.0, 4) for _ in range(60)]
            cpu = [round(healthy.cpu_percent * (0.5 + factor) + rng.uniform(-3, 3), 2) for _ in range(2)]
            memory = [round(self.backfilled_memory(at, now) + rng.uniform(-2, 3), 2) for _ in range(2)]
            used = self.world.rds_used_percent - (now - at) / 86400 * 0.4
            self.publish(
                at,
                requests=requests,
                errors=0,
                auth=round(requests * 0.004),
                latencies_s=latencies,
                cpu=cpu,
                memory=memory,
                rds_cpu=round(healthy.rds_cpu_percent * (0.6 + 0.6 * factor) + rng.uniform(-2, 2), 2),
                rds_used_percent=used,
            )
        running = [t for t in self.world.tasks if t.state == "RUNNING"]
        for task in running:
            task.memory_percent = self.backfilled_memory(now, now)
            lines: list[tuple[int, str]] = []
            for k in range(90):
                at = now - 900 + k * 10 + rng.uniform(0, 10)
                status = 401 if rng.random() < 0.01 else 200
                lines.extend(
                    (int(at * 1000), text)
                    for text in loglines.request_line(rng, int(at * 1000), status, self.latency_ms(healthy))
                )
            self.write_logs(task, lines)
        for hours_ago in sorted((rng.uniform(0.5, 23.5) for _ in range(6)), reverse=True):  # a handful of slow queries a day
            self.write_slow_queries(now - hours_ago * 3600, 1.0, [rng.uniform(1100, 1900)])

    def backfilled_memory(self, at: float, now: float) -> float:
        """Flat, except when starting in memory-leak: each generation of tasks climbed until replaced (S09)."""
        if self.world.scenario_name != "memory-leak":
            return MEMORY_BASELINE
        deployed = now - SERVICE_AGE_SECONDS  # the running tasks replaced the previous ones then
        born, life = (deployed, SERVICE_AGE_SECONDS) if at >= deployed else (now - 24 * 3600, 24 * 3600 - SERVICE_AGE_SECONDS)
        return MEMORY_BASELINE + (at - born) / life * (LEAK_CLIMB_POINTS if at >= deployed else 45.0)

    def follow_db_status(self) -> None:
        """db-outage reboots the instance (S08's first check finds it); otherwise it is available."""
        self.set_db_status("rebooting" if self.world.scenario.effects.error_kind == "database" else "available")

    def set_db_status(self, status: str) -> None:
        instance = rds_backends[self.world.account_id][self.world.region].databases.get(self.world.config.service.db_instance)
        if instance is not None and instance.status != status:
            instance.status = status

    # -- thread ----------------------------------------------------------------------------
    def run(self) -> None:
        failures = 0
        while not self.stop_event.wait(self.world.tick_seconds):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a bad tick must not kill the world; say why on stderr, boundedly
                failures += 1
                if failures <= 3 or failures % 1000 == 0:
                    print(f"kojan-tui demo: simulator tick failed ({failures} so far)", file=sys.stderr)
                    traceback.print_exc(file=sys.stderr)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="kojan-demo-simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
