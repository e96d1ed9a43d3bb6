"""Build, reset and measure the demo world: seed resources, settle the service, backfill history."""

from __future__ import annotations

import sys
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.ecr.models import ecr_backends
from moto.logs.models import logs_backends

from kojan_tui.demo import cloudwatch_patch, ecs_rollout, scaling, slowlog
from kojan_tui.demo.scenarios import DEFAULT_SCENARIO
from kojan_tui.demo.seed import seed_world
from kojan_tui.demo.world import SERVICE_AGE_SECONDS, World

SCAN_FINDINGS = [  # real Go advisories affecting the Go 1.22 toolchain and x/net the image was built with
    (
        "CVE-2024-24790",
        "CRITICAL",
        "stdlib",
        "1.22.3",
        "net/netip: Is4In6 and similar methods misclassify IPv4-mapped IPv6 addresses.",
    ),
    (
        "CVE-2023-45288",
        "HIGH",
        "golang.org/x/net",
        "0.21.0",
        "net/http2: an attacker can exhaust CPU with excessive CONTINUATION frames.",
    ),
    ("CVE-2024-34156", "HIGH", "stdlib", "1.22.3", "encoding/gob: deeply nested structures exhaust the stack."),
    ("CVE-2024-24791", "MEDIUM", "stdlib", "1.22.3", "net/http: a server may mishandle 100-continue responses from a backend."),
]


def seed_scan_findings(world: World, image_digest_tag: str = "latest") -> None:
    repo = world.config.service.ecr_repository
    findings = [
        {
            "name": cve,
            "uri": f"https://nvd.nist.gov/vuln/detail/{cve}",
            "severity": sev,
            "description": desc,
            "attributes": [{"key": "package_name", "value": pkg}, {"key": "package_version", "value": ver}],
        }
        for cve, sev, pkg, ver, desc in SCAN_FINDINGS
    ]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    backend = ecr_backends[world.account_id][world.region]
    backend.scan_finding_results.append(
        {
            "registryId": world.account_id,
            "repositoryName": repo,
            "imageId": {"imageTag": image_digest_tag},
            "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
            "imageScanFindings": {"findings": findings, "findingSeverityCounts": counts},
        }
    )


def build_world(world: World, simulator: Any, endpoint: str) -> None:
    """Seed every resource, start the service steady on the newest revision, backfill the charts."""
    ids = seed_world(endpoint, world.config)
    world.task_definitions = ids["task_definitions"]
    world.scalable_resource_id = ids["scalable_resource_id"]
    world.target_group_arn = ids["tg_arn"]
    seed_scan_findings(world)
    now = world.now()
    world.scenario_since = now  # the tasks that are up now were up before the scenario began
    scaling.seed_history(world, now)
    ecs_rollout.settle(world, world.task_definitions[-1], when=now - SERVICE_AGE_SECONDS)
    simulator.backfill(now)


def reset_world(world: World, simulator: Any, scenario: str = DEFAULT_SCENARIO) -> None:
    """Back to a known world: the scenario, the service steady on the newest revision, fresh history."""
    with world.lock:
        world.set_scenario(scenario)
        world.scenario_ticks = world.high_cpu_ticks = world.low_cpu_ticks = 0
        world.rds_used_percent = 58.0
        cloudwatch_patch.store_of(cloudwatch_backends[world.account_id][world.region]).clear()
        group = logs_backends[world.account_id][world.region].groups.get(world.config.service.log_group)
        if group is not None:
            group.streams.clear()
        slow = logs_backends[world.account_id][world.region].groups.get(slowlog.log_group(world.config.service.db_instance))
        for stream in slow.streams.values() if slow is not None else ():
            stream.events = []
        service = ecs_rollout.world_service(world)
        service.events = []
        backend = ecs_rollout.ecs_backend(world)
        for definition in backend.task_definitions.get(world.config.service.task_family, {}).values():
            if definition.arn not in world.task_definitions:  # a revision a test registered: the seeded 3 are newest again
                definition.status = "INACTIVE"
        now = world.now()
        world.scenario_since = now
        world.scaling_activities = []
        scaling.seed_history(world, now)
        ecs_rollout.settle(world, ecs_rollout.latest_task_definition(world), when=now - SERVICE_AGE_SECONDS)
        simulator.backfill(now)


def world_status(world: World, simulator: Any) -> dict[str, Any]:
    store = cloudwatch_patch.store_of(cloudwatch_backends[world.account_id][world.region])
    group = logs_backends[world.account_id][world.region].groups.get(world.config.service.log_group)
    return {
        "scenario": world.scenario_name,
        "tick_seconds": world.tick_seconds,
        "ticks": world.ticks,
        "tasks": len(world.tasks),
        "metric_datapoints": store.datapoint_count(),
        "log_events": sum(len(s.events) for s in group.streams.values()) if group else 0,
        "log_streams": len(group.streams) if group else 0,
        "max_rss_mib": max_rss_mib(),
    }


def max_rss_mib() -> int | None:
    """The server's peak resident memory (None where the platform cannot tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak // (1024 * 1024) if sys.platform == "darwin" else peak // 1024
