"""The check registry: a named, read-only query through the gateway that gives a verdict and its evidence.

Runbooks, checklists and the security view all run checks from here, by id. A check never mutates AWS
and never returns a secret value; a check that raises becomes an UNAVAILABLE result, never a crash.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any

from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.config import Config
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.secret_rule import mask_text


class Verdict(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNAVAILABLE = "unavailable"  # could not be judged: denied, unsupported endpoint, throttled…

    @property
    def marker(self) -> str:
        return {"pass": "✓ PASS", "warn": "▲ WARN", "fail": "✖ FAIL", "unavailable": "? N/A"}[self.value]


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    summary: str  # one line: what was found
    evidence: tuple[str, ...] = ()  # lines a human can verify (counts, names, times — never secret values)
    checked_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)  # structured extras (chart series…), not persisted


@dataclass(frozen=True)
class CheckContext:
    """What a check may use: the gateway (read-only calls only), the config and a clock.

    Checks run on one context share its lookups (``once``): the security view makes one context per load of a
    section, so the image its two ECR checks judge is described once. ``replace`` gives a context with no
    lookups, so each step a procedure runner checks (and each re-check) asks AWS afresh."""

    gateway: Any
    config: Config
    clock: Clock = utc_now
    state: Any = None  # the dashboard's latest published state, when a check judges what is on screen
    run: Any = None  # the ProcedureRun the check runs in (a timer reads when its step was first checked)
    step_id: str | None = None  # the step of ``run`` being checked
    lookups: dict[Hashable, asyncio.Future] = field(default_factory=dict, init=False, repr=False, compare=False)

    async def once(self, key: Hashable, fetch: Callable[[], Awaitable[Any]]) -> Any:
        """What ``fetch()`` gives (or raises) for ``key``, asked once on this context, even by checks running at once."""
        if key not in self.lookups:
            self.lookups[key] = asyncio.ensure_future(fetch())
        return await self.lookups[key]


CheckFn = Callable[[CheckContext], Awaitable[CheckResult]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    fn: CheckFn


CHECKS: dict[str, CheckSpec] = {}


def check(check_id: str, title: str) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` under ``check_id`` (a decorator); ids are unique across the package."""

    def register(fn: CheckFn) -> CheckFn:
        if check_id in CHECKS and CHECKS[check_id].fn is not fn:
            raise ValueError(f"check {check_id!r} is registered twice")
        CHECKS[check_id] = CheckSpec(check_id, title, fn)
        return fn

    return register


async def run_check(check_id: str, context: CheckContext) -> CheckResult:
    """Run one registered check; any failure becomes an UNAVAILABLE result with the reason."""
    spec = CHECKS.get(check_id)
    now = context.clock()
    if spec is None:
        return CheckResult(Verdict.UNAVAILABLE, f"unknown check {check_id!r}", checked_at=now)
    try:
        result = await spec.fn(context)
    except AwsFailure as failure:
        result = CheckResult(Verdict.UNAVAILABLE, f"{failure.kind.value}: {failure.message}", checked_at=now)
    except Exception as error:  # a bug in a check is a failed step, never a crashed screen
        result = CheckResult(Verdict.UNAVAILABLE, f"internal error in the check: {type(error).__name__}: {error}", checked_at=now)
    # The one secret rule over what every check says: shown, stored with the run, exported.
    return replace(
        result,
        summary=mask_text(result.summary),
        evidence=tuple(mask_text(line) for line in result.evidence),
        checked_at=result.checked_at or now,
    )
