"""The security and maintenance view (S12, S14, S16–S18, S20): six sections, each loading on its own worker
from the check registry, each showing its own verdict or failure; r refreshes the focused one, R all.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.procedures import checks_secrets, checks_security  # noqa: F401 - registers the checks
from kojan_tui.procedures.checks import CHECKS, CheckContext, run_check
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.error_policy import SurvivesHandlerErrors
from kojan_tui.ui.screens.speaks import SpeaksLanguage
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.security_section import SecuritySection

SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ecr", N_("ECR image (S12/S18)"), ("ecr.findings", "ecr.image_age")),
    ("secrets", "Secrets Manager (S18/S20)", ("secrets.rotation", "secrets.jwt_length")),
    ("tokens", N_("Token lifetimes (S20)"), ("tokens.lifetimes",)),
    ("autoscaling", N_("Autoscaling (S16)"), ("autoscaling.activity",)),
    ("rds", "RDS (S17)", ("rds.maintenance",)),
    ("iam", N_("IAM policy (S14)"), ("iam.validate_policy",)),
)
PROGRESS_INTERVAL_S = 0.25


class SecurityScreen(SpeaksLanguage, SurvivesHandlerErrors, Screen[None]):
    DEFAULT_CSS = """
    SecurityScreen { layout: vertical; }
    SecurityScreen #security-help { height: 1; color: $text-muted; padding: 0 1; }
    SecurityScreen #security-sections { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("r", "refresh_section", N_("Refresh section")),
        Binding("R", "refresh_all", N_("Refresh all")),
        Binding("j,down", "move(1)", N_("Next section"), show=False),
        Binding("k,up", "move(-1)", N_("Previous section"), show=False),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self._started: dict[str, float] = {}

    def compose(self) -> ComposeResult:
        yield ContextBar()
        language = self.services.config.ui.language
        yield Static(
            tr("Security and maintenance · j/k or Tab: move · r: refresh the focused section · R: all · Esc: back", language),
            id="security-help",
        )
        with VerticalScroll(id="security-sections"):
            for key, title, check_ids in SECTIONS:
                yield SecuritySection(key, tr(title, language), check_ids)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ContextBar).show(self.services.context())
        self.set_interval(PROGRESS_INTERVAL_S, self._tick)
        self.action_refresh_all()
        self.query_one(SecuritySection).focus()

    def section(self, key: str) -> SecuritySection:
        return self.query_one(f"#section-{key}", SecuritySection)

    def load(self, key: str) -> None:
        """Start (or restart) the section's own worker; the other sections are untouched."""
        self._started[key] = time.monotonic()
        self.section(key).show_loading(0.0)
        self.run_worker(self._load(key), group=f"security-{key}", exclusive=True, exit_on_error=False)

    async def _load(self, key: str) -> None:
        section = self.section(key)
        context = CheckContext(gateway=self.services.gateway, config=self.services.config, clock=self.services.clock)
        results = [await run_check(check_id, context) for check_id in section.check_ids]
        titles = [CHECKS[c].title if c in CHECKS else c for c in section.check_ids]
        self._started.pop(key, None)
        section.show_results(titles, results, self.services.clock())

    def _tick(self) -> None:
        now = time.monotonic()
        for key, started in list(self._started.items()):
            self.section(key).show_loading(now - started)
        self.query_one(ContextBar).show(self.services.context())

    def action_refresh_section(self) -> None:
        focused = self.focused
        if isinstance(focused, SecuritySection):
            self.load(focused.key)

    def action_refresh_all(self) -> None:
        for key, _, _ in SECTIONS:
            self.load(key)

    def action_move(self, step: int) -> None:
        """Focus the next (1) or previous (-1) section; the scroll follows the focus."""
        if step > 0:
            self.focus_next(SecuritySection)
        else:
            self.focus_previous(SecuritySection)

    def action_close(self) -> None:
        self.dismiss(None)


open_security = open_once(SecurityScreen)


SECURITY = Capability(
    name="security",
    description=N_("Security"),
    key="x",
    tooltip=N_("S12/S14/S16–S18/S20: image findings, secrets, token lifetimes, autoscaling, RDS, IAM policy"),
    open=open_security,
    commands=one_command(
        N_("Security"),
        N_("Security and maintenance: ECR findings, secrets rotation, token lifetimes, autoscaling, RDS, IAM"),
        open_security,
    ),
)
