"""The S03 metrics as CloudWatch queries: which namespace, metric, dimensions and statistic each uses.

The dashboard asks for all of them in one GetMetricData call; the demo simulator publishes exactly these.
"""

from __future__ import annotations

from kojan_tui.core.config import ServiceSettings
from kojan_tui.core.models import MetricQuery

# Query ids (GetMetricData ids: lowercase, start with a letter).
P99_LATENCY = "p99_latency"  # seconds, as ALB publishes TargetResponseTime
ALB_5XX = "alb_5xx"  # HTTPCode_Target_5XX_Count: the targets' own 5XX answers
ELB_5XX = "elb_5xx"  # HTTPCode_ELB_5XX_Count: the load balancer's own (503 when no target is healthy)
HEALTHY_HOSTS = "healthy_hosts"
UNHEALTHY_HOSTS = "unhealthy_hosts"
ALB_REQUESTS = "alb_requests"
ECS_CPU = "ecs_cpu"
ECS_MEMORY = "ecs_memory"
RDS_CPU = "rds_cpu"
RDS_FREE_STORAGE = "rds_free_storage"  # bytes; used % needs the instance's allocated storage


def alb_dimensions(service: ServiceSettings) -> tuple[tuple[str, str], ...]:
    return (("TargetGroup", service.target_group), ("LoadBalancer", service.load_balancer))


def load_balancer_dimensions(service: ServiceSettings) -> tuple[tuple[str, str], ...]:
    """The load-balancer-level series (``HTTPCode_ELB_5XX_Count`` exists only at this level)."""
    return (("LoadBalancer", service.load_balancer),)


def ecs_dimensions(service: ServiceSettings) -> tuple[tuple[str, str], ...]:
    return (("ClusterName", service.cluster), ("ServiceName", service.name))


def rds_dimensions(service: ServiceSettings) -> tuple[tuple[str, str], ...]:
    return (("DBInstanceIdentifier", service.db_instance),)


def s03_queries(service: ServiceSettings, period: int) -> list[MetricQuery]:
    """Every series the six S03 panels and target health need, for one batched GetMetricData call."""
    alb, ecs, rds = alb_dimensions(service), ecs_dimensions(service), rds_dimensions(service)
    lb = load_balancer_dimensions(service)
    return [
        MetricQuery(P99_LATENCY, "AWS/ApplicationELB", "TargetResponseTime", alb, "p99", period, "ALB p99 response time"),
        MetricQuery(ALB_5XX, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", period, "ALB 5XX"),
        MetricQuery(ALB_REQUESTS, "AWS/ApplicationELB", "RequestCount", alb, "Sum", period, "ALB requests"),
        MetricQuery(ELB_5XX, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Sum", period, "ALB's own 5XX"),
        # the fewest healthy and the most unhealthy targets in the period: a minute with none healthy is not averaged away
        MetricQuery(HEALTHY_HOSTS, "AWS/ApplicationELB", "HealthyHostCount", alb, "Minimum", period, "healthy targets"),
        MetricQuery(UNHEALTHY_HOSTS, "AWS/ApplicationELB", "UnHealthyHostCount", alb, "Maximum", period, "unhealthy targets"),
        MetricQuery(ECS_CPU, "AWS/ECS", "CPUUtilization", ecs, "Average", period, "ECS CPU"),
        MetricQuery(ECS_MEMORY, "AWS/ECS", "MemoryUtilization", ecs, "Maximum", period, "ECS memory"),
        MetricQuery(RDS_CPU, "AWS/RDS", "CPUUtilization", rds, "Average", period, "RDS CPU"),
        MetricQuery(RDS_FREE_STORAGE, "AWS/RDS", "FreeStorageSpace", rds, "Minimum", period, "RDS free storage"),
    ]
