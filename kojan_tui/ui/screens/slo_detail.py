"""Issue 27: what the SLO panel's numbers mean, with the numbers of now (palette: "SLO: error budget and burn
rates"), in the UI language."""

from __future__ import annotations

from typing import Any

from kojan_tui.core.config import Config
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.slo import BURN_RULES, SloStatus, budget_share
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.widgets.slo_panel import burn_line, words

EXPLANATION = N_("""\
Availability objective: {objective:g} % of requests not answered 5XX, over {days} days. A request is bad when a
target answered 5XX (HTTPCode_Target_5XX_Count) or the load balancer did itself (HTTPCode_ELB_5XX_Count, which
RequestCount leaves out, so it is added to the total as well). ALB publishes no datapoint for a zero count: a
missing datapoint is no traffic, never "no errors" for requests that were made; a window without requests has no
rate (—).

Error budget: the {share:g} share of requests that may fail. "Budget left" is 1 − bad / (requests × {share:g})
over the window; below 0 it is overspent (a warning). The window holds only the data CloudWatch has (a young
service, or the demo's one day): the panel says how much.

Burn rate: a window's failing share over {share:g}. At 1 the budget lasts exactly {days} days. Each rule (the SRE
workbook's multi-window alerts) fires only when both its long and its short window burn faster than its factor:
{rules}
A page is an ALERT, a ticket a WARNING, in the alert bar as "SLO {objective:g} %".

Where the numbers come from: the windows up to 6 h from the dashboard's own GetMetricData (one call a refresh; it
asks for 6 h at the chart's period and the charts show their window of it); the 3-day window and the budget from
hourly datapoints asked every 5 minutes at most (the panel says how old they are).

Latency: the share of the last 6 h's periods whose ALB p99 stayed within {latency:g} ms ([slo] latency_p99_ms).""")


def slo_text(status: SloStatus | None, config: Config) -> str:
    language = config.ui.language
    say = words(language)
    slo = config.slo
    if status is not None:
        rules = "\n".join(f"  {burn_line(b, say)}" for b in status.burns)
    else:
        rules = "\n".join(f"  {r.name:<6} {'—':>5}/{'—':<5} >{r.factor:g}" for r in BURN_RULES)
    return tr(EXPLANATION, language).format(
        objective=slo.availability,
        days=slo.window_days,
        share=budget_share(slo.availability),
        rules=rules,
        latency=slo.latency_p99_ms,
    )


def open_slo_detail(app: Any) -> None:
    if isinstance(app.screen, TextDetailScreen):
        return
    config = app.services.config
    title = words(config.ui.language)["title"].format(objective=f"{config.slo.availability:g}", days=config.slo.window_days)
    app.push_screen(TextDetailScreen(title, slo_text(app.services.state.current.view.slo, config)))


SLO_DETAIL = Capability(
    name="slo",
    description=N_("SLO: error budget and burn rates"),
    show_in_footer=False,
    tooltip=N_("What the SLO panel's numbers mean, with the numbers of now"),
    open=open_slo_detail,
    commands=one_command(
        N_("SLO: error budget and burn rates"),
        N_("What the SLO panel's budget and burn rates mean, with the numbers of now"),
        open_slo_detail,
    ),
)
