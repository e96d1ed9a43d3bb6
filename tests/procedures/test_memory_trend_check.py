"""S09's memory check: too few points for a trend never hides memory already at its alert level."""

from __future__ import annotations

from kojan_tui.procedures import library
from kojan_tui.procedures.checks import CheckContext, Verdict, run_check
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, quiet_config

CONFIG = quiet_config()
library.load_all()  # the checks register themselves when their modules load


async def check_with(values: list[float]):
    fake = healthy_fake()
    fake.metrics["memory"] = b.series("memory", values, period=300)
    return await run_check("ecs.memory_trend", CheckContext(fake, CONFIG, lambda: b.NOW))


async def test_memory_at_its_alert_level_fails_even_without_a_trend():
    result = await check_with([100.0])  # one point: no trend, but a breach
    assert result.verdict is Verdict.FAIL and "at or above the alert level" in result.summary
    assert any("no forecast" in line for line in result.evidence)


async def test_one_point_under_the_alert_level_cannot_be_judged():
    result = await check_with([50.0])
    assert result.verdict is Verdict.UNAVAILABLE and "too few" in result.summary
