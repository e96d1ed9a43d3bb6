"""The S25 banner: "ROLL BACK NOW" and why, shown only while one of the guide's conditions holds."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.rollback_rules import RollbackReason
from kojan_tui.ui.widgets.status_base import StatusWidget, visible

ROLLBACK_KEY = "b"  # the dashboard key of the rollback capability (ui/screens/rollback.py)


class RollbackBanner(StatusWidget):
    can_focus = False

    COMPONENT_CLASSES = {"rollback-banner--title"}

    DEFAULT_CSS = """
    RollbackBanner { display: none; height: auto; border: heavy $error; background: $error-muted; padding: 0 1; }
    RollbackBanner.-active { display: block; }
    RollbackBanner > .rollback-banner--title { color: $text; background: $error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = "rollback-banner") -> None:
        super().__init__(id=id)
        self.reasons: tuple[RollbackReason, ...] = ()
        self.shown_once = False

    def show(self, reasons: tuple[RollbackReason, ...]) -> None:
        if reasons == self.reasons and self.shown_once:
            return
        self.reasons, self.shown_once = reasons, True
        self.set_class(bool(reasons), "-active")
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        title = Text(" ✖ ROLL BACK NOW ", style=self.get_component_rich_style("rollback-banner--title"))
        title.append("  S25: a roll-back-at-once condition of the guide holds", style=self.style_for("strong"))
        lines = [title]
        for reason in self.reasons:
            lines.append(Text.assemble(("  ✖ ", self.style_for("alert")), visible(reason.text)))
        lines.append(
            Text.assemble(
                ("  Press ", self.style_for("muted")),
                (f" {ROLLBACK_KEY} ", self.get_component_rich_style("rollback-banner--title")),
                (
                    " to roll back (S26): the previous revision, its diff, a typed confirmation, then the rollout watched.",
                    self.style_for("muted"),
                ),
            )
        )
        return Group(*lines)
