"""Shared by the procedure tests on the embedded AWS: re-run a check until its verdict, the world's time moved
on between tries (the check reads ``aws.clock``), budgeted in simulated seconds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from kojan_tui.procedures.checks import CheckResult, Verdict
from tests.fixtures.waits import advance_until

STEP_S = 5.0  # simulated seconds between two tries: 20 ticks of the shared world


async def until_verdict(
    aws, check: Callable[[], Awaitable[CheckResult]], check_id: str, verdict: Verdict, timeout: float, shows: str = ""
) -> CheckResult:
    """Re-run ``check`` until it gives ``verdict`` (a scenario's symptom takes ticks and a minute's datapoints
    to show), with ``shows`` in its summary or evidence when given (one symptom among several that may show first).

    ``check`` must judge on ``aws.clock``: between tries the world's time moves on ``STEP_S``, and the check is
    given up only after ``timeout`` seconds of that time, never for how slowly a loaded machine answers."""
    results: list[CheckResult] = []

    async def reached() -> CheckResult | None:
        results.append(await check())
        result = results[-1]
        shown = not shows or any(shows in text for text in (result.summary, *result.evidence))
        return result if result.verdict is verdict and shown else None

    what = f"{check_id} to be {verdict.value}" + (f" showing {shows!r}" if shows else "")
    try:
        return await advance_until(aws, reached, what, step_s=STEP_S, limit_s=timeout)
    except AssertionError as failure:
        raise AssertionError(f"{failure}; the last result: {results[-1] if results else None}") from None
