"""S08 database connection: the log lines, the RDS instance, the security-group path from the service to the
DB port, and the task definition's environment (names; values masked when they look secret).
"""

from __future__ import annotations

from kojan_tui.core import secret_rule
from kojan_tui.core.rollback_rules import DB_DOWN_STATUSES
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.evidence import log_matches, sample_line

DEFAULT_DB_PORT = 3306
MASK = secret_rule.MASK


@check("logs.database_connection", 'S08 "database connection" lines in the last hour')
async def database_connection(ctx: CheckContext) -> CheckResult:
    count, newest = await log_matches(ctx, '"database connection"')
    if not count:
        return CheckResult(Verdict.PASS, "no 'database connection' lines in the last hour")
    return CheckResult(
        Verdict.FAIL, f"{count} 'database connection' lines in the last hour", ("newest:", *map(sample_line, newest))
    )


@check("rds.instance", "S08 RDS instance: status, endpoint, class, Multi-AZ")
async def rds_instance(ctx: CheckContext) -> CheckResult:
    db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    endpoint = f"{db.endpoint}:{db.port}" if db.endpoint else "(no endpoint yet)"
    multi_az = {True: "yes", False: "NO", None: "unknown"}[db.multi_az]
    evidence = (
        f"status     {db.status}",
        f"endpoint   {endpoint}",
        f"class      {db.instance_class}  ({db.engine} {db.engine_version})",
        f"Multi-AZ   {multi_az}",
    )
    summary = f"{db.identifier} is {db.status}, {db.instance_class}, Multi-AZ {multi_az}"
    if db.status in DB_DOWN_STATUSES:
        return CheckResult(Verdict.FAIL, summary + ": the application cannot reach it", evidence)
    if db.status != "available" or db.multi_az is False:
        return CheckResult(Verdict.WARN, summary, evidence)
    return CheckResult(Verdict.PASS, summary, evidence)


@check("network.db_security_group", "S08 DB security group allows the DB port from the service")
async def db_security_group(ctx: CheckContext) -> CheckResult:
    service = await ctx.gateway.describe_service(ctx.config.service.cluster, ctx.config.service.name)
    db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    port = db.port or DEFAULT_DB_PORT
    if not service.security_groups:
        return CheckResult(Verdict.UNAVAILABLE, "the service has no awsvpc security groups to judge")
    groups = await ctx.gateway.describe_security_groups(list(db.security_groups))
    evidence = [f"service security groups: {', '.join(service.security_groups)}"]
    allowed_by = []
    for group in groups:
        for rule in group.ingress:
            sources = ", ".join(rule.source_groups + rule.cidrs) or "-"
            ports = "all" if rule.protocol == "-1" else f"{rule.protocol} {rule.from_port}-{rule.to_port}"
            evidence.append(f"{group.id} ({group.name}): {ports} from {sources}")
            if rule.allows_port(port) and set(rule.source_groups) & set(service.security_groups):
                allowed_by.append(group.id)
    if allowed_by:
        return CheckResult(
            Verdict.PASS, f"port {port} is open from the service's security group ({', '.join(allowed_by)})", tuple(evidence)
        )
    return CheckResult(Verdict.FAIL, f"no rule of the DB's security groups lets the service reach port {port}", tuple(evidence))


def masked(name: str, value: str) -> str:
    return secret_rule.mask_value(name, value)  # the one rule: the rollback diff and the frames use it too


@check("ecs.task_env", "S08 task definition environment (names; secret-looking values masked)")
async def task_env(ctx: CheckContext) -> CheckResult:
    service = await ctx.gateway.describe_service(ctx.config.service.cluster, ctx.config.service.name)
    definition = await ctx.gateway.describe_task_definition(service.task_definition)
    env = {name: value for c in definition.containers for name, value in c.environment}
    secrets = sorted({name for c in definition.containers for name, _ in c.secrets})
    evidence = [f"{definition.family}:{definition.revision}"]
    evidence += [f"{name} = {masked(name, value)}" for name, value in sorted(env.items())]
    evidence += [f"{name} = (from Secrets Manager)" for name in secrets]
    try:
        db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    except Exception:  # the environment is still worth showing without the instance
        db = None
    host = env.get("DB_HOST")
    if host is None:
        return CheckResult(Verdict.FAIL, "DB_HOST is not set in the task definition", tuple(evidence))
    if db is not None and db.endpoint and host != db.endpoint:
        return CheckResult(Verdict.FAIL, f"DB_HOST is {host}, the RDS endpoint is {db.endpoint}", tuple(evidence))
    if db is not None and db.port and env.get("DB_PORT") not in (None, str(db.port)):
        return CheckResult(Verdict.FAIL, f"DB_PORT is {env['DB_PORT']}, the RDS port is {db.port}", tuple(evidence))
    return CheckResult(
        Verdict.PASS, f"{len(env)} variables, {len(secrets)} secrets; DB_HOST matches the RDS endpoint", tuple(evidence)
    )
