"""Security and maintenance checks (S12, S14, S16–S18, S20): the running image's scan findings and age, secret
rotation, token lifetimes, autoscaling, RDS maintenance, the IAM policy. Never a secret value in the evidence.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kojan_tui.core import metrics_catalog as mc
from kojan_tui.core.guide_differences import scanned_image_note
from kojan_tui.core.i18n import tr
from kojan_tui.core.logtext import truncate
from kojan_tui.core.models import MetricQuery
from kojan_tui.core.security_models import parse_image
from kojan_tui.core.security_rules import (
    GUIDE_MFA_CODE_SECONDS,
    GUIDE_OAUTH_TOKEN_SECONDS,
    age_days,
    failing_findings,
    finding_line,
    parse_duration,
    show_duration,
)
from kojan_tui.core.shown import shown
from kojan_tui.core.slow_query_rule import judge_slow_query, parameters_text
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.evidence import metrics

TOP_FINDINGS = 5
CAUSE_CHARS = 120  # a scaling activity's cause names the alarm in full: one screen line
ACTIVITIES = 5
GIB = 1024**3


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "unknown"


async def running_image(ctx: CheckContext):
    """(the image string of the running task definition's first container, its ImageRef, the task definition),
    looked up once per check context."""
    return await ctx.once("running_image", lambda: _running_image(ctx))


async def _running_image(ctx: CheckContext):
    service = await ctx.gateway.describe_service(ctx.config.service.cluster, ctx.config.service.name)
    task_definition = await ctx.gateway.describe_task_definition(service.task_definition)
    if not task_definition.containers:
        raise LookupError(f"{task_definition.arn} has no containers")
    image = task_definition.containers[0].image
    return image, parse_image(image), task_definition


async def running_ecr_image(ctx: CheckContext):
    """(the running image string, its ImageRef, its ECR description with the top findings): one DescribeImages
    and one scan-findings lookup per check context, shared by the findings and the age checks."""
    shown, ref, _ = await running_image(ctx)
    image = await ctx.once(("ecr.describe_image", ref), lambda: ctx.gateway.describe_image(ref, top_findings=TOP_FINDINGS))
    return shown, ref, image


@check("ecr.findings", "S12/S18 scan findings of the image the service runs")
async def ecr_findings(ctx: CheckContext) -> CheckResult:
    shown, ref, image = await running_ecr_image(ctx)
    severities = ctx.config.security.fail_severities
    counts = ", ".join(f"{s} {n}" for s, n in image.severity_counts) or "no findings"
    evidence = (
        f"image      {ref.shown} (running: {shown})",
        f"           {scanned_image_note(ctx.config.ui.language)}",
        f"digest     {image.digest}",
        f"scan       {image.scan_status}, completed {_when(image.scan_completed_at)}",
        f"findings   {counts}",
        *(finding_line(f) for f in image.findings),
    )
    data = {"image": image, "ref": ref}
    if image.scan_status == "NONE":
        return CheckResult(Verdict.WARN, f"{ref.shown} was never scanned: its vulnerabilities are unknown", evidence, data=data)
    if image.scan_status != "COMPLETE":
        return CheckResult(Verdict.UNAVAILABLE, f"the scan of {ref.shown} is {image.scan_status}", evidence, data=data)
    failing = failing_findings(image, severities)
    if failing:
        return CheckResult(
            Verdict.FAIL, f"{failing} {'/'.join(severities)} finding(s) in {ref.shown}: patch and rebuild", evidence, data=data
        )
    return CheckResult(Verdict.PASS, f"no {'/'.join(severities)} findings in {ref.shown} ({counts})", evidence, data=data)


@check("ecr.image_age", "S12/S13 age of the image the service runs")
async def ecr_image_age(ctx: CheckContext) -> CheckResult:
    _, ref, image = await running_ecr_image(ctx)
    limit = ctx.config.security.image_max_age_days
    days = age_days(image.pushed_at, ctx.clock())
    evidence = (f"{ref.shown} pushed {_when(image.pushed_at)}", f"limit {limit} days ([security] image_max_age_days)")
    if days is None:
        return CheckResult(Verdict.UNAVAILABLE, f"ECR gives no push date for {ref.shown}", evidence)
    if days > limit:
        return CheckResult(Verdict.WARN, f"{ref.shown} was pushed {days:.0f} days ago (over {limit}): rebuild it", evidence)
    return CheckResult(Verdict.PASS, f"{ref.shown} was pushed {days:.0f} days ago (within {limit})", evidence)


@check("secrets.rotation", "S18 rotation of the secrets under the service's prefix")
async def secrets_rotation(ctx: CheckContext) -> CheckResult:
    prefix = ctx.config.service.secret_prefix
    secrets = await ctx.gateway.list_secrets(prefix)
    now = ctx.clock()
    evidence = tuple(
        f"{s.name}  rotation {'ON every ' + str(s.rotation_days) + ' d' if s.rotation_enabled and s.rotation_days else 'ON' if s.rotation_enabled else 'off'}"
        f", changed {age_days(s.last_changed, now) or 0:.0f} d ago, accessed {_when(s.last_accessed)}"
        for s in secrets
    )
    data = {"secrets": secrets}
    if not secrets:
        return CheckResult(Verdict.UNAVAILABLE, f"no secrets under {prefix}", data=data)
    off = [s.name for s in secrets if not s.rotation_enabled]
    if off:
        return CheckResult(
            Verdict.WARN, f"rotation is off for {len(off)} of {len(secrets)} secrets under {prefix}", evidence, data=data
        )
    return CheckResult(Verdict.PASS, f"rotation is on for all {len(secrets)} secrets under {prefix}", evidence, data=data)


def _lifetime(env: dict[str, str], name: str, guide: int) -> tuple[Verdict, str]:
    raw = env.get(name)
    if raw is None:
        return Verdict.WARN, f"{name} is not set in the task definition (the app's built-in default applies, unseen)"
    seconds = parse_duration(raw)
    if seconds is None:
        return Verdict.WARN, f"{name} = {raw!r} is not a duration this check can read"
    if seconds > guide:
        return Verdict.FAIL, f"{name} = {raw} ({show_duration(seconds)}): longer than the guide's {show_duration(guide)}"
    return Verdict.PASS, f"{name} = {raw} ({show_duration(seconds)}): within the guide's {show_duration(guide)}"


@check("tokens.lifetimes", "S20 OAuth token and MFA code lifetimes in the running task definition")
async def token_lifetimes(ctx: CheckContext) -> CheckResult:
    _, _, task_definition = await running_image(ctx)
    env = dict(task_definition.containers[0].environment)
    settings = ctx.config.security
    judged = [
        _lifetime(env, settings.oauth_token_ttl_env, GUIDE_OAUTH_TOKEN_SECONDS),
        _lifetime(env, settings.mfa_code_ttl_env, GUIDE_MFA_CODE_SECONDS),
    ]
    evidence = (f"task definition {task_definition.family}:{task_definition.revision}", *(line for _, line in judged))
    order = [Verdict.FAIL, Verdict.WARN, Verdict.PASS]
    verdict = min((v for v, _ in judged), key=order.index)
    summary = {
        Verdict.FAIL: "a token lifetime is longer than the guide allows",
        Verdict.WARN: "a token lifetime could not be verified",
        Verdict.PASS: "OAuth token ≤ 24 h and MFA code ≤ 5 min",
    }[verdict]
    return CheckResult(verdict, summary, evidence)


@check("autoscaling.activity", "S16 autoscaling: target, policies, the last scaling activities, running vs desired")
async def autoscaling_activity(ctx: CheckContext) -> CheckResult:
    service_settings = ctx.config.service
    resource_id = f"service/{service_settings.cluster}/{service_settings.name}"
    service = await ctx.gateway.describe_service(service_settings.cluster, service_settings.name)
    target = await ctx.gateway.describe_scalable_target(resource_id)
    policies = await ctx.gateway.describe_scaling_policies(resource_id)
    activities = await ctx.gateway.describe_scaling_activities(resource_id, max_results=ACTIVITIES)
    evidence = [
        f"running {service.running} of desired {service.desired}",
        f"target  min {target.min_capacity}, max {target.max_capacity}" if target else "target  not registered for autoscaling",
        *(
            f"policy  {p.name}: {p.policy_type} {p.metric} {'' if p.target_value is None else f'{p.target_value:g} %'}"
            f" (cooldown out {p.scale_out_cooldown} s / in {p.scale_in_cooldown} s)"
            for p in policies
        ),
        *(
            line
            for a in activities
            for line in (f"{_when(a.start_time)}  {a.status:<11} {a.description}", f"    cause: {truncate(a.cause, CAUSE_CHARS)}")
        ),
    ]
    data = {
        "target": target,
        "policies": policies,
        "activities": activities,
        "running": service.running,
        "desired": service.desired,
    }
    if target is None:
        return CheckResult(
            Verdict.WARN, "the service is not registered for autoscaling: it cannot scale out", tuple(evidence), data=data
        )
    newest = activities[0] if activities else None
    if newest is not None and newest.status.lower() == "failed":
        return CheckResult(Verdict.FAIL, f"the newest scaling activity failed: {newest.description}", tuple(evidence), data=data)
    if service.desired >= target.max_capacity:
        return CheckResult(
            Verdict.WARN,
            f"desired {service.desired} is at the maximum {target.max_capacity}: no room to scale out",
            tuple(evidence),
            data=data,
        )
    if service.running < service.desired:
        return CheckResult(Verdict.WARN, f"running {service.running} of desired {service.desired}", tuple(evidence), data=data)
    last = f"; newest activity: {newest.description} ({newest.status})" if newest else "; no scaling activity yet"
    return CheckResult(
        Verdict.PASS,
        f"running {service.running} = desired, within {target.min_capacity}–{target.max_capacity}{last}",
        tuple(evidence),
        data=data,
    )


async def _free_storage_bytes(ctx: CheckContext) -> float | None:
    query = MetricQuery(
        "free", "AWS/RDS", "FreeStorageSpace", mc.rds_dimensions(ctx.config.service), "Minimum", 300, "free storage"
    )
    series = (await metrics(ctx, [query], hours=1))["free"]
    return series.latest if series.values else None


def _slow_query_note(setting, ctx: CheckContext) -> str:
    """What the two parameters amount to, after them on the evidence line."""
    language = ctx.config.ui.language
    if not setting.log_on:
        return ""
    return f" ({tr(setting.problem, language)})" if setting.problem else tr(" (queries over 1 s logged)", language)


@check("rds.maintenance", "S17 RDS: status, storage, backups, slow_query_log, pending maintenance")
async def rds_maintenance(ctx: CheckContext) -> CheckResult:
    db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    pending = await ctx.gateway.pending_maintenance(db.identifier)
    group = db.parameter_groups[0] if db.parameter_groups else None
    slow = (await ctx.gateway.describe_db_parameter(group, "slow_query_log")).value if group else None
    long_query = (await ctx.gateway.describe_db_parameter(group, "long_query_time")).value if group else None
    setting = judge_slow_query(slow, long_query)  # S17: slow_query_log = 1, queries over 1 s logged
    free = await _free_storage_bytes(ctx)
    free_text = "no datapoint in the last hour" if free is None else f"{free / GIB:.1f} GiB free"
    evidence = [
        f"status       {db.status}",
        f"engine       {db.engine} {db.engine_version}, {db.instance_class}, Multi-AZ {'yes' if db.multi_az else 'NO'}",
        f"storage      {db.allocated_storage_gib} GiB allocated, {free_text}",
        f"backups      window {db.backup_window or '-'} UTC, kept {shown(db.backup_retention_days, '?')} d, "
        f"latest restorable {_when(db.latest_restorable_time)}",
        f"parameters   {group or '(none)'}: "
        + (
            parameters_text(slow, long_query) + _slow_query_note(setting, ctx) if group else "slow_query_log = no parameter group"
        ),
        *(f"maintenance  {p.action}: {p.description} (auto-applied after {_when(p.auto_applied_after)})" for p in pending),
    ]
    if not pending:
        evidence.append("maintenance  none pending")
    data = {"db": db, "pending": pending, "slow_query_log": slow, "long_query_time": long_query, "free_bytes": free}
    problems, warnings = [], []
    if db.status != "available":
        problems.append(f"status {db.status}")
    if not db.backup_retention_days:
        problems.append("automated backups are off")
    if slow not in ("1", "ON", "on"):
        warnings.append("slow_query_log is off")
    elif setting.problem:
        warnings.append(tr(setting.problem, ctx.config.ui.language))
    if db.multi_az is False:
        warnings.append("not Multi-AZ")
    if pending:
        warnings.append(f"{len(pending)} pending maintenance action(s)")
    if problems:
        return CheckResult(Verdict.FAIL, "; ".join(problems + warnings), tuple(evidence), data=data)
    if warnings:
        return CheckResult(Verdict.WARN, "; ".join(warnings), tuple(evidence), data=data)
    return CheckResult(
        Verdict.PASS,
        f"{db.identifier} available, backups on, slow_query_log on"
        + tr(" (queries over 1 s logged)", ctx.config.ui.language)
        + ", no maintenance pending",
        tuple(evidence),
        data=data,
    )


@check("iam.validate_policy", "S14 IAM policy validated with Access Analyzer")
async def iam_validate_policy(ctx: CheckContext) -> CheckResult:
    name = ctx.config.security.iam_policy_file
    if not name:
        return CheckResult(Verdict.UNAVAILABLE, "no policy file configured: set [security] iam_policy_file")
    try:
        document = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return CheckResult(Verdict.UNAVAILABLE, f"cannot read {name}: {type(error).__name__}")
    findings = await ctx.gateway.validate_policy(document)
    by_type = Counter(f.finding_type for f in findings)
    evidence = (
        f"policy {name}",
        *(f"{f.finding_type:<16} {f.issue_code}: {f.detail}" for f in findings),
    )
    data = {"findings": findings}
    counts = ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())) or "no findings"
    if by_type.get("ERROR") or by_type.get("SECURITY_WARNING"):
        return CheckResult(Verdict.FAIL, f"{name}: {counts}", evidence, data=data)
    if findings:
        return CheckResult(Verdict.WARN, f"{name}: {counts}", evidence, data=data)
    return CheckResult(Verdict.PASS, f"{name}: no findings", evidence, data=data)
