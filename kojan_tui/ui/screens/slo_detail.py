"""Issue 27: what the SLO panel's numbers mean, with the numbers of now (palette: "SLO: error budget and burn
rates"), in the UI language."""

from __future__ import annotations

from typing import Any

from kojan_tui.core.config import Config
from kojan_tui.core.slo import BURN_RULES, SloStatus, budget_share
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.widgets.slo_panel import burn_line, words

EXPLANATION = {
    "en": """\
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

Latency: the share of the last 6 h's periods whose ALB p99 stayed within {latency:g} ms ([slo] latency_p99_ms).""",
    "ja": """\
可用性の目標: {days}日間でリクエストの {objective:g} % が5XXで応答されないこと。ターゲットの5XX
(HTTPCode_Target_5XX_Count)とロードバランサー自身の5XX(HTTPCode_ELB_5XX_Count。RequestCountに含まれない
ので総数にも加える)を失敗と数える。ALBは0件のデータポイントを出さない: データポイントがないのは
トラフィックなしであって「エラーなし」ではない。リクエストのない窓には率がない(—)。

エラー予算: 失敗してよいリクエストの割合 {share:g}。「エラー予算の残り」は窓全体で
1 − 失敗数 / (リクエスト数 × {share:g})。0未満は使い切り(警告)。窓はCloudWatchにあるデータだけを含む
(新しいサービスやデモの1日分): パネルにその長さを示す。

消費速度(バーンレート): 窓の失敗割合 / {share:g}。1なら予算はちょうど{days}日で尽きる。各ルール(SRE
ワークブックのマルチウィンドウ方式)は長い窓と短い窓の両方が係数を超えたときだけ発火する:
{rules}
呼出(ページ)はALERT、起票(チケット)はWARNINGとして警告バーに「SLO {objective:g} %」で出る。

数値の出どころ: 6時間までの窓はダッシュボード自身のGetMetricData(更新ごとに1回。グラフの周期で6時間分を
取り、グラフはその窓だけを描く)。3日の窓とエラー予算は1時間値で、最大5分に1回取得(パネルに経過時間)。

レイテンシ: 直近6時間の期間のうちALBのp99が {latency:g} ms 以内だった割合([slo] latency_p99_ms)。""",
}


def slo_text(status: SloStatus | None, config: Config) -> str:
    language = config.ui.language if config.ui.language in EXPLANATION else "en"
    say = words(language)
    slo = config.slo
    if status is not None:
        rules = "\n".join(f"  {burn_line(b, say)}" for b in status.burns)
    else:
        rules = "\n".join(f"  {r.name:<6} {'—':>5}/{'—':<5} >{r.factor:g}" for r in BURN_RULES)
    return EXPLANATION[language].format(
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
    description="SLO: error budget and burn rates",
    show_in_footer=False,
    tooltip="What the SLO panel's numbers mean, with the numbers of now",
    open=open_slo_detail,
    commands=one_command(
        "SLO: error budget and burn rates",
        "What the SLO panel's budget and burn rates mean, with the numbers of now",
        open_slo_detail,
    ),
)
