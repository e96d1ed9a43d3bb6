"""The action registry: named mutations a procedure step may offer (force a new deployment, turn on the slow
query log…). An action runs only through its ``MutationLifecycle`` (``kojan_tui.actions.lifecycle``: audited,
guarded, refused read-only, read back, watched), and only with the typed confirmation: ``run_action`` refuses
unless the user typed the phrase exactly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kojan_tui.actions.lifecycle import Lifecycles, MutationLifecycle
from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.config import Config


@dataclass(frozen=True)
class ActionContext:
    """What an action may use: the lifecycles (the only way to mutate, over the audited actions), the gateway
    for reads, the config. Without ``lifecycles`` (tests, scripts) the context gets its own, unwatched."""

    actions: Any  # kojan_tui.actions.audited.AuditedActions
    gateway: Any
    config: Config
    clock: Clock = utc_now
    lifecycles: Lifecycles | None = None

    def __post_init__(self) -> None:
        if self.lifecycles is None and self.actions is not None:
            own = Lifecycles(self.actions, clock=self.clock, export_interval_s=self.config.actions.watch_seconds)
            object.__setattr__(self, "lifecycles", own)


@dataclass(frozen=True)
class ActionResult:
    done: bool
    summary: str  # one line: what happened (or why nothing did)
    at: datetime | None = None
    # an action that goes on after it returns (an export to watch to its end): what follows it, awaited by
    # the screen in the background; its result is recorded as the step's next action record
    follow: Callable[[], Awaitable[ActionResult]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ActionPlan:
    """What the confirmation shows before anything is sent: the change, the exact request, the phrase to type."""

    title: str
    target: str
    request: dict[str, Any]  # the exact API parameters (a dry run)
    phrase: str  # the user must type this to confirm (e.g. the service name)
    payload: Any = None  # what ``execute`` receives back (the request's ``MutationLifecycle``)

    async def cancel(self) -> None:
        """The confirmation was closed without confirming: the lifecycle's final record says ``cancelled``."""
        if isinstance(self.payload, MutationLifecycle):
            await self.payload.cancel()


async def requested_plan(ctx: ActionContext, title: str, request: Any, *, phrase: str) -> ActionPlan:
    """Open the lifecycle of ``request`` (``requested`` in the audit trail: the confirmation is about to open;
    read-only: ``refused`` at once) and plan it: its target, its exact API parameters, the phrase to type."""
    assert ctx.lifecycles is not None
    lifecycle = await ctx.lifecycles.open(request)
    return ActionPlan(title, request.target, request.api_request(), phrase=phrase, payload=lifecycle)


async def until_final(lifecycle: MutationLifecycle, done: Callable[[str], bool], clock: Clock) -> ActionResult:
    """An action's ``follow``: wait for the lifecycle's final record (the screen may stop waiting; the watch,
    owned by ``Lifecycles``, goes on and writes it all the same)."""
    final = await lifecycle.wait()
    return ActionResult(done(final), f"{lifecycle.request.action}: {final}", clock())


PlanFn = Callable[[ActionContext], Awaitable[ActionPlan]]
ExecuteFn = Callable[[ActionContext, ActionPlan], Awaitable[ActionResult]]


@dataclass(frozen=True)
class ActionSpec:
    id: str
    title: str
    plan: PlanFn  # read-only: builds what the confirmation shows, and records "requested"
    execute: ExecuteFn  # the mutation, through AuditedActions


ACTIONS: dict[str, ActionSpec] = {}


def action(action_id: str, title: str, plan: PlanFn, execute: ExecuteFn) -> ActionSpec:
    """Register an action (ids unique across the package)."""
    if action_id in ACTIONS and ACTIONS[action_id].execute is not execute:
        raise ValueError(f"action {action_id!r} is registered twice")
    ACTIONS[action_id] = spec = ActionSpec(action_id, title, plan, execute)
    return spec


async def run_action(plan: ActionPlan, typed: str, spec: ActionSpec, context: ActionContext) -> ActionResult:
    """Execute a planned action if ``typed`` is exactly the plan's phrase; never raises."""
    now = context.clock()
    if typed.strip() != plan.phrase:
        return ActionResult(False, f"not done: type {plan.phrase!r} exactly to confirm", now)
    try:
        result = await spec.execute(context, plan)
    except Exception as error:  # an action's bug is a failed step, not a crashed screen
        return ActionResult(False, f"not done: internal error: {type(error).__name__}: {error}", now)
    return result if result.at else ActionResult(result.done, result.summary, now, result.follow)
