"""The action registry: named mutations a procedure step may offer (force a new deployment, turn on the slow
query log…). An action runs only through ``kojan_tui.actions.AuditedActions`` (audited, refused read-only),
and only with the typed confirmation: ``run_action`` refuses unless the user typed the phrase exactly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.config import Config


@dataclass(frozen=True)
class ActionContext:
    """What an action may use: the audited actions (the only way to mutate), the gateway for reads, the config."""

    actions: Any  # kojan_tui.actions.audited.AuditedActions
    gateway: Any
    config: Config
    clock: Clock = utc_now


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
    payload: Any = None  # what ``execute`` receives back (the prepared request object)


async def requested_plan(ctx: ActionContext, title: str, request: Any, *, phrase: str) -> ActionPlan:
    """Record ``request`` as requested in the audit trail (the confirmation is about to open) and plan it: its
    target, its exact API parameters, the phrase to type, and the request itself for ``execute``."""
    await ctx.actions.request(request)
    return ActionPlan(title, request.target, request.api_request(), phrase=phrase, payload=request)


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
