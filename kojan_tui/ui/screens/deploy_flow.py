"""What the S26 rollback and the S09 forced deployment share: one path from Enter to a watched rollout.

A ``DeployFlowScreen`` subclass says which UpdateService it would send (``deployment()``: a ``Deployment``, or
``None`` once it has said why not); this base does the rest the same way for both: the dry run (``d``: the
exact request, nothing sent), the typed confirmation (disabled in read-only mode), then the request's
``MutationLifecycle`` (``kojan_tui.actions.lifecycle``): the guard, the audited UpdateService sent once, an
unknown outcome read back, the rollout watch (which outlives the screen) drawn live by ``RolloutView``, and
the final record. ``w`` stops watching (audited; ECS goes on).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import Static

from kojan_tui.actions.audited import DeployOutcome, DeployRequest
from kojan_tui.actions.lifecycle import MutationLifecycle, words
from kojan_tui.core.fleet_config import confirm_word, production_guarded
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.state import DashboardState
from kojan_tui.sources.rollout import RolloutStatus
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.confirmation import Confirmation, ConfirmationDialog
from kojan_tui.ui.widgets.rollout_view import RolloutView

WATCHED_AND_AUDITED = N_("Then the rollout is watched to the end and checked (S29); every step is in the audit trail.")


def read_only_reason(services: AppServices) -> str | None:
    if services.actions.read_only and production_guarded(services.config, allow_production_writes=False):
        return tr(
            "production is read-only in a fleet: start kojan-tui with --allow-production-writes to change it",
            services.config.ui.language,
        )
    if services.actions.read_only:
        return tr(
            "the app is in read-only mode (--read-only or [ui] read_only = true): nothing can be deployed",
            services.config.ui.language,
        )
    return None


@dataclass(frozen=True)
class Deployment:
    """One UpdateService a screen would send, and the words around it in the confirmation and the dry run."""

    request: DeployRequest
    title: str  # the confirmation's title
    confirm_label: str
    summary: Sequence[str]  # what happens, above the request
    details: Sequence[str] = ()  # below the request (e.g. the diff)
    dry_run_extra: Sequence[RenderableType] = ()  # shown after the request in the dry run

    def what_happens(self, language: str = "en") -> list[str]:
        request = tr("Request: {request}", language).format(request=json.dumps(self.request.api_request()))
        return [*self.summary, request, *self.details, tr(WATCHED_AND_AUDITED, language)]

    def dry_run(self, language: str = "en") -> RenderableType:
        request = json.dumps(self.request.api_request(), indent=2)
        header = Text(tr("DRY RUN — nothing was sent. The exact UpdateService request:", language), style="bold")
        return Group(header, Text(request), *self.dry_run_extra)


class DeployFlowScreen(FramedModal[None]):
    """Subclasses compose their own layout with ``read_only_notice``, a ``RolloutView`` and ``status_line``,
    bind Enter to ``deploy``, and implement ``deployment`` and ``on_state``."""

    ID_PREFIX = "deploy"  # the widget ids: ``<prefix>-readonly``, ``<prefix>-status``
    NOUN = N_("The deployment")  # in the outcome: "✖ <noun> was not done: …"

    DEFAULT_CSS = """
    DeployFlowScreen {
        .deploy-readonly { height: auto; color: $text-warning; text-style: bold; }
        .deploy-status { height: auto; max-height: 12; }
        .deploy-status.-error { color: $text-error; }
    }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("d", "dry_run", N_("Dry run")),
        Binding("w", "stop_watch", N_("Stop watching")),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.language = services.config.ui.language
        self.last_outcome: DeployOutcome | None = None
        self._unsubscribe = None

    # ---- layout pieces and live updates -----------------------------------------------------------

    def read_only_notice(self, what: str = N_("shown but disabled")) -> list[Static]:
        """The READ-ONLY line (``what``: what is shown but disabled), or nothing when mutations are allowed."""
        if reason := read_only_reason(self.services):
            notice = Text(tr("READ-ONLY: {what} — {reason}", self.language).format(what=tr(what, self.language), reason=reason))
            return [Static(notice, id=f"{self.ID_PREFIX}-readonly", classes="deploy-readonly")]
        return []

    def status_line(self, first: str) -> Static:
        return Static(Text(first), id=f"{self.ID_PREFIX}-status", classes="deploy-status")

    def on_mount(self) -> None:
        self.services.state.subscribe(self, self.on_state)
        self.on_state(self.services.state.current)
        if self.services.rollout is not None:
            self._unsubscribe = self.services.rollout.subscribe(self.on_rollout)
        self.on_rollout(None)
        self.set_interval(1.0, lambda: self.on_rollout(None))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_state(self, state: DashboardState) -> None:
        raise NotImplementedError

    def on_rollout(self, _status: RolloutStatus | None) -> None:
        watch = self.services.rollout
        self.query_one(RolloutView).show(watch.status if watch is not None else None, self.services.clock())

    def _status(self, message: str | RenderableType, *, error: bool = False) -> None:
        status = self.query_one(f"#{self.ID_PREFIX}-status", Static)
        status.set_class(error, "-error")
        status.update(Text(make_visible(message)) if isinstance(message, str) else message)

    # ---- dry run, confirmation, the call --------------------------------------------------------

    def deployment(self) -> Deployment | None:
        """What Enter would send now; ``None`` after saying on the status line why nothing can be sent."""
        raise NotImplementedError

    def action_dry_run(self) -> None:
        deployment = self.deployment()
        if deployment is not None:
            self._status(deployment.dry_run(self.language))

    def action_deploy(self) -> None:
        if isinstance(self.app.screen, ConfirmationDialog):
            return
        deployment = self.deployment()
        if deployment is None:
            return
        lifecycles = self.services.lifecycles
        assert lifecycles is not None, "the app builds the lifecycles"
        if blocked := lifecycles.deploy_blocked():
            self._status(f"✖ {blocked}", error=True)
            return
        request = deployment.request
        reason = read_only_reason(self.services)
        what = deployment.what_happens(self.language)
        expected = confirm_word(self.services.config, request.service)  # production/kojan-map-business in a fleet
        confirmation = Confirmation(deployment.title, what, expected, deployment.confirm_label, reason)
        # read-only: the dialog cannot confirm, nothing is planned or recorded; otherwise ``requested`` now
        opening = None if reason is not None else asyncio.ensure_future(lifecycles.open(request))

        async def send() -> DeployOutcome:
            assert opening is not None
            lifecycle = await opening
            return await lifecycle.send()  # type: ignore[return-value]

        self.app.push_screen(
            ConfirmationDialog(confirmation, send if opening is not None else None),
            lambda outcome: self.after_confirmation(request, outcome, opening),
        )

    def after_confirmation(
        self, request: DeployRequest, outcome: DeployOutcome | None, opening: asyncio.Future[MutationLifecycle] | None
    ) -> None:
        if outcome is None:
            if opening is not None:
                self._cancel(opening)
            self._status(tr("Cancelled: nothing was sent.", self.language))
            return
        self.last_outcome = outcome
        if outcome.unknown:  # sent, no readable answer, not yet read back: it may have been applied
            self._status(f"⚠ {tr(self.NOUN, self.language)}: {outcome.summary}", error=True)
            return
        if not outcome.done:
            noun = tr(self.NOUN, self.language)
            self._status(
                tr("✖ {noun} was not done: {summary}", self.language).format(noun=noun, summary=outcome.summary), error=True
            )
            return
        audit = f" ⚠ {outcome.audit_error}" if outcome.audit_error else ""
        accepted = tr("UpdateService accepted ({summary}); the rollout is watched (also after you leave).", self.language)
        self._status(accepted.format(summary=outcome.summary) + audit)
        self.on_rollout(None)

    @work(group="deploy-audit")
    async def _cancel(self, opening: asyncio.Future[MutationLifecycle]) -> None:
        await (await opening).cancel()

    def action_stop_watch(self) -> None:
        watch = self.services.rollout
        language = self.services.config.ui.language
        if watch is None or watch.cancel() is None:
            self._status(words(language, "監視中のロールアウトはありません。", "No rollout is being watched."))
            return
        self._status(
            words(
                language,
                "監視をやめました（監査ログに記録）。ECS 側のデプロイは続きます。",
                "Stopped watching (audited). ECS goes on with the deployment.",
            )
        )
        self.on_rollout(None)

    def action_close(self) -> None:
        self.dismiss(None)
