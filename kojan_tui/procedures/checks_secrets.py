"""Secrets: the JWT secret's length (S07, S18: at least 32 characters). Only the length and the date of the
last change are seen; the value stays inside the gateway.
"""

from __future__ import annotations

from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check

JWT_MIN_LENGTH = 32


@check("secrets.jwt_length", "JWT secret at least 32 characters")
async def jwt_length(ctx: CheckContext) -> CheckResult:
    secret = await ctx.gateway.secret_length(ctx.config.service.jwt_secret_id)
    changed = f"last changed {secret.last_changed:%Y-%m-%d}" if secret.last_changed else "last change unknown"
    evidence = (f"{secret.name}: {secret.length} characters, {changed}", "the value itself is never read into the app's output")
    if secret.length < JWT_MIN_LENGTH:
        return CheckResult(Verdict.FAIL, f"JWT secret is {secret.length} characters: at least {JWT_MIN_LENGTH} needed", evidence)
    return CheckResult(Verdict.PASS, f"JWT secret is {secret.length} characters (≥ {JWT_MIN_LENGTH}), {changed}", evidence)
