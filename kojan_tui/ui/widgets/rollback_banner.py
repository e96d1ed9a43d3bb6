"""The S25 banner: "ROLL BACK NOW" and why, shown only while one of the guide's conditions holds; else, while a
metric breached only after the newest deployment, a warning line pointing at the rollback (S26)."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core import i18n
from kojan_tui.core.deploy_suspect import SuspectDeployment
from kojan_tui.core.i18n import tr
from kojan_tui.core.rollback_rules import RollbackReason
from kojan_tui.ui.widgets.status_base import StatusWidget, visible

ROLLBACK_KEY = "b"  # the dashboard key of the rollback capability (ui/screens/rollback.py)


class RollbackBanner(StatusWidget):
    can_focus = False

    COMPONENT_CLASSES = {"rollback-banner--title"}

    DEFAULT_CSS = """
    RollbackBanner { display: none; height: auto; border: heavy $error; background: $error-muted; padding: 0 1; }
    RollbackBanner.-active { display: block; }
    RollbackBanner.-suspect { display: block; border: heavy $warning; background: $warning-muted; }
    RollbackBanner > .rollback-banner--title { color: $text; background: $error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = "rollback-banner") -> None:
        super().__init__(id=id)
        self.reasons: tuple[RollbackReason, ...] = ()
        self.suspect: SuspectDeployment | None = None
        self.now: datetime | None = None
        self.language = "en"
        self.what_changed: str | None = None  # "What changed since the last healthy snapshot: press w." (or None)
        self.shown_once = False

    def show(
        self,
        reasons: tuple[RollbackReason, ...],
        suspect: SuspectDeployment | None = None,
        now: datetime | None = None,
        language: str = "en",
        what_changed: str | None = None,
    ) -> None:
        suspect_text = suspect.text(now, language) if suspect and now else None  # its age is on screen
        shown = (reasons, suspect_text, language, what_changed)
        if shown == (self.reasons, self._suspect_text(), self.language, self.what_changed) and self.shown_once:
            return
        self.reasons, self.suspect, self.now, self.language, self.shown_once = reasons, suspect, now, language, True
        self.what_changed = what_changed
        self.set_class(bool(reasons), "-active")
        self.set_class(not reasons and suspect_text is not None, "-suspect")
        self.refresh(layout=True)

    def _suspect_text(self) -> str | None:
        return self.suspect.text(self.now, self.language) if self.suspect and self.now else None

    def render(self) -> RenderableType:
        if not self.reasons and self.suspect is not None and self.now is not None:
            return self._render_suspect(self.suspect, self.now)
        say = self.language
        title = Text(tr(" ✖ ROLL BACK NOW ", say), style=self.get_component_rich_style("rollback-banner--title"))
        title.append(tr("  S25: a roll-back-at-once condition of the guide holds", say), style=self.style_for("strong"))
        lines = [title]
        for reason in self.reasons:
            lines.append(Text.assemble(("  ✖ ", self.style_for("alert")), visible(i18n.say(reason.text, say))))
        before, _, after = tr(
            "  Press {key} to roll back (S26): the previous revision, its diff, a typed confirmation, then the rollout watched.",
            say,
        ).partition("{key}")
        lines.append(
            Text.assemble(
                (before, self.style_for("muted")),
                (f" {ROLLBACK_KEY} ", self.get_component_rich_style("rollback-banner--title")),
                (after, self.style_for("muted")),
            )
        )
        if self.what_changed:
            lines.append(Text(f"  {self.what_changed}", style=self.style_for("muted")))
        return Group(*lines)

    def _render_suspect(self, suspect: SuspectDeployment, now: datetime) -> RenderableType:
        return Group(
            Text.assemble(("▲ ", self.style_for("warning")), (suspect.text(now, self.language), self.style_for("strong"))),
            Text(f"  {suspect.press_text(ROLLBACK_KEY, self.language)}", style=self.style_for("muted")),
            *([Text(f"  {self.what_changed}", style=self.style_for("muted"))] if self.what_changed else []),
        )
