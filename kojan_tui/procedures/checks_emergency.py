"""S24/S25: the "roll back at once" conditions, judged from the dashboard's published state when the app has
one, else measured now through the dashboard's own fetchers (the same rules either way).
"""

from __future__ import annotations

from kojan_tui.core.dashboard import build_view
from kojan_tui.core.guide_differences import cpu_rule_note
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check

S25_CONDITIONS = (
    ("all_failing", "every API call answers 500"),
    ("db_down", "the database connection is completely down"),
    ("memory", "ECS memory above 95 %"),
    ("cpu", "ECS CPU at 100 % (sustained)"),
)


async def _measure(ctx: CheckContext):
    from kojan_tui.sources.dashboard import DashboardSources

    data = await DashboardSources(ctx.gateway, ctx.config, clock=ctx.clock).measure_once()
    return build_view(data, ctx.config).rollback


@check("s25.conditions", "S25 roll back at once: the four conditions")
async def s25_conditions(ctx: CheckContext) -> CheckResult:
    state = ctx.state
    # The dashboard's judgement, when it has one: something holds, or every source it judges is current. A
    # stale or unmeasured dashboard cannot say "nothing holds": then it is measured now (a failure: N/A).
    if state is not None and state.measured("metrics") and (state.view.rollback or not state.unjudged_reason(ctx.clock())):
        reasons, source = state.view.rollback, "the dashboard's latest refresh"
    else:
        reasons, source = await _measure(ctx), "measured now"
    holding = {r.code: r.text for r in reasons}
    evidence = tuple(
        f"{'✖' if code in holding else '✓'} {label}" + (f": {holding[code]}" if code in holding else "")
        for code, label in S25_CONDITIONS
    )
    triggers = ctx.config.rollback  # the CPU condition as judged here, next to the guide's (core/guide_differences)
    evidence += ("  " + cpu_rule_note(triggers.cpu_percent, triggers.cpu_sustained_seconds, ctx.config.ui.language),)
    if holding:
        return CheckResult(
            Verdict.FAIL, f"ROLL BACK: {'; '.join(holding.values())} ({source})", evidence, data={"codes": tuple(holding)}
        )
    return CheckResult(Verdict.PASS, f"no S25 condition holds ({source})", evidence, data={"codes": ()})
