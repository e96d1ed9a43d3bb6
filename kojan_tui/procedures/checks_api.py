"""S29/S11 "API endpoints answer": one GET of ``[service] health_url`` with a timeout; 2xx passes."""

from __future__ import annotations

from kojan_tui.core.logtext import display_text
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.sources.health_probe import probe

BODY_CHARS = 200


@check("api.health", "API answering on the health URL")
async def api_health(ctx: CheckContext) -> CheckResult:
    url = ctx.config.service.health_url
    if not url:
        return CheckResult(Verdict.UNAVAILABLE, "no health URL configured: set [service] health_url in the config")
    answer = await probe(url)
    shown_url = display_text(url, 200)
    if answer.status is None:
        return CheckResult(Verdict.FAIL, f"no answer from the health URL: {answer.error}", (f"GET {shown_url}",))
    body = display_text(answer.body.replace("\n", " "), BODY_CHARS)
    evidence = (
        f"GET {shown_url} → HTTP {answer.status} in {answer.elapsed_ms:.0f} ms",
        f"body: {body}" if body else "empty body",
    )
    if answer.ok:
        return CheckResult(Verdict.PASS, f"HTTP {answer.status} from the health URL", evidence)
    return CheckResult(Verdict.FAIL, f"HTTP {answer.status} from the health URL: {body[:80]}", evidence)
