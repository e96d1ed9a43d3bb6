"""The S25 check does not PASS on a dashboard state that can no longer judge (its sources failing)."""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core.alerts import AlertUpdate
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.freshness import SourceFreshness
from kojan_tui.core.state import AppContext, DashboardState, freeze_freshness
from kojan_tui.procedures.checks import CheckContext, Verdict, run_check
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, quiet_config

CONFIG = quiet_config()


def state_with(failing: bool) -> DashboardState:
    fake = healthy_fake()
    data = DashboardData(service=fake.service, metrics=fake.metrics, db_instance=fake.db_instance, errors_last_hour=0)
    freshness = {}
    for name in ("service", "metrics", "errors", "database"):
        f = SourceFreshness(name, interval_s=30.0)
        f.record_success(b.NOW - timedelta(seconds=20))
        if failing:
            f.record_failure(b.NOW, AwsFailure(FailureKind.UNAVAILABLE, "Could not connect"))
        freshness[name] = f
    context = AppContext(None, None, "ap-northeast-1", "c", "s", False, None, "1h")
    view = build_view(data, CONFIG, b.NOW)
    return DashboardState(data, view, AlertUpdate((), ()), context, freeze_freshness(freshness))


async def test_a_failing_dashboard_is_measured_again_and_an_unreachable_aws_is_not_a_pass() -> None:
    fake = healthy_fake()
    fake.failures["get_metric_data"] = AwsFailure(FailureKind.UNAVAILABLE, "Could not connect to the endpoint URL")
    result = await run_check("s25.conditions", CheckContext(fake, CONFIG, lambda: b.NOW, state=state_with(failing=True)))
    assert result.verdict is Verdict.UNAVAILABLE and "unavailable" in result.summary


async def test_a_current_dashboard_is_judged_from_its_state() -> None:
    fake = healthy_fake()
    fake.failures["get_metric_data"] = AwsFailure(FailureKind.UNAVAILABLE, "not asked: the state is current")
    result = await run_check("s25.conditions", CheckContext(fake, CONFIG, lambda: b.NOW, state=state_with(failing=False)))
    assert result.verdict is Verdict.PASS and "the dashboard's latest refresh" in result.summary
