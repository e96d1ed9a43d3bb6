"""Numbers read as numbers: every registered check's summary and evidence, on the embedded AWS (healthy and
db-outage) and on a gateway that knows almost nothing, holds no Python repr (``LogCount(…)``, ``None``, ``True``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.config import Config
from kojan_tui.procedures.checks import CHECKS, CheckContext, run_check
from kojan_tui.procedures.library import load_all
from tests.procedures.demo_checks import until_verdict
from tests.python_shapes import assert_reads_as_words, python_shapes
from tests.ui.harness import healthy_fake

load_all()
CONFIG = Config()


async def run_all(gateway, clock=lambda: datetime.now(UTC)) -> dict[str, object]:
    return {check_id: await run_check(check_id, CheckContext(gateway, CONFIG, clock)) for check_id in CHECKS}


def assert_all_read_as_words(results) -> None:
    bad = {}
    for check_id, result in results.items():
        for line in (result.summary, *result.evidence):
            if python_shapes(line):
                bad.setdefault(check_id, []).append(line)
    assert not bad, bad


def test_the_shape_detector_catches_what_was_seen() -> None:
    for seen in ("LogCount(240, complete=True) errors", "slow_query_log = None", "forceNewDeployment = True"):
        with pytest.raises(AssertionError):
            assert_reads_as_words(seen)
    assert_reads_as_words("240 errors · slow_query_log = 1 · forceNewDeployment: true · (none)")


@pytest.mark.parametrize("scenario", ["healthy", "db-outage"])
async def test_every_check_reads_as_words_on_the_embedded_aws(demo_world, unlimited_gateway, scenario) -> None:
    gateway = unlimited_gateway  # every check, a few log queries each: not 0.5 s apart
    from kojan_tui.procedures.checks import Verdict

    demo_world.reset(scenario)
    if scenario == "db-outage":  # wait until its symptom shows, so the counts are non-zero
        await until_verdict(
            demo_world,
            lambda: run_check("logs.database_connection", CheckContext(gateway, CONFIG, demo_world.clock)),
            "logs.database_connection",
            Verdict.FAIL,
            30.0,
        )
    assert_all_read_as_words(await run_all(gateway, demo_world.clock))


async def test_every_check_reads_as_words_when_aws_knows_almost_nothing() -> None:
    assert_all_read_as_words(await run_all(FakeGateway()))
    assert_all_read_as_words(await run_all(healthy_fake()))
