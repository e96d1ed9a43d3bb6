"""Shared by the procedure tests on the embedded AWS: re-run a check until its verdict, budgeted in ticks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from kojan_tui.procedures.checks import CheckResult, Verdict
from tests.demo.helpers import within_ticks_async


async def until_verdict(
    aws, check: Callable[[], Awaitable[CheckResult]], check_id: str, verdict: Verdict, timeout: float, shows: str = ""
) -> CheckResult:
    """Re-run ``check`` until it gives ``verdict`` (a scenario's symptom takes a few ticks to show), with
    ``shows`` in its summary or evidence when given (one symptom among several that may show first).

    Given up only after ``timeout`` seconds *and* as many simulator ticks as those seconds hold on an idle
    machine: a loaded one ticks slower, and that alone must not fail the test."""
    results: list[CheckResult] = []

    async def reached() -> CheckResult | None:
        results.append(await check())
        result = results[-1]
        shown = not shows or any(shows in text for text in (result.summary, *result.evidence))
        return result if result.verdict is verdict and shown else None

    ticks = round(timeout / aws.tick_seconds)
    try:
        return await within_ticks_async(
            aws,
            ticks,
            reached,
            f"{check_id} to be {verdict.value}" + (f" showing {shows!r}" if shows else ""),
            at_least_s=timeout,
        )
    except AssertionError as failure:
        raise AssertionError(f"{failure}; the last result: {results[-1] if results else None}") from None
