"""S16 on the dashboard: the newest scaling activity on the service panel, from a slow polled source."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ScalingActivity
from kojan_tui.core.state import SourceName
from kojan_tui.sources.dashboard import SCALING_INTERVAL_S
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, plain, refresh


async def test_the_newest_activity_shows_on_the_service_panel():
    fake = healthy_fake()
    fake.scaling_activities = [
        ScalingActivity("a2", "Setting desired count to 3.", "monitor alarm AlarmHigh in state ALARM", "Successful", b.NOW)
    ]
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert app.state.data.scaling_activities[0].activity_id == "a2"
        text = plain(app.screen.query_one(ServicePanel).render())
        assert "scaling" in text and "✓ desired count to 3." in text
    assert fake.calls["describe_scaling_activities"] >= 1
    assert app.poller.sources[SourceName.SCALING.value].interval_s == SCALING_INTERVAL_S


async def test_a_denied_scaling_source_says_so_on_the_panel_and_the_rest_stays():
    fake = healthy_fake()
    fake.failures["describe_scaling_activities"] = AwsFailure(FailureKind.ACCESS_DENIED, "not authorized")
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        text = plain(app.screen.query_one(ServicePanel).render())
    assert "scaling ? " in text and "access denied" in text
    assert "running 2/2" in text


async def test_on_the_embedded_aws(demo_world):
    config = Config()
    config = replace(config, aws=replace(config.aws, endpoint_url=demo_world.endpoint_url, profile=None, max_attempts=1))
    config = replace(config, ui=replace(config.ui, language="en"))  # asserts the English words
    app = KojanApp(config, AwsGateway(config.aws, static_credentials=("demo", "demo")), demo=demo_world)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot, [SourceName.SERVICE.value, SourceName.SCALING.value])
        text = plain(app.screen.query_one(ServicePanel).render())
    assert app.services.gateway.requests["DescribeScalingActivities"] >= 1
    assert "scaling" in text and "desired count to" in text
