"""The dashboard's log pane on Live Tail: it says it is live, streamed lines appear, and a refused Live Tail says
"polling (Live Tail not allowed)" while the pane keeps polling."""

from __future__ import annotations

from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.livetail import LiveTailUpdate
from kojan_tui.core.models import LogEvent
from kojan_tui.ui.widgets.log_pane import LogPane, LogStatusLine
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, quiet_config, refresh, until

NOW_MS = int(b.NOW.timestamp() * 1000)


def status_line(app) -> str:
    return app.screen.query_one(LogPane).query_one(LogStatusLine).render().plain


def pane_lines(app) -> list[str]:
    view = app.screen.query_one(LogPane).query_one(LogView)
    return [line.raw for line in view.buffer.window(view.buffer.first_index, view.buffer.appended)]


async def test_the_pane_says_live_and_shows_streamed_lines_as_plain_text():
    fake = healthy_fake()
    fake.live_tail_failure = None
    fake.log_events = [LogEvent("ev1", NOW_MS - 5000, "ecs/business/task1", "INFO before")]
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: "● live (Live Tail)" in status_line(app), "the pane to say live")
        assert pane_lines(app) == ["INFO before"]
        hostile = "ERROR [link=https://evil.example]click[/link] [bold red]x"
        fake.live_tails[-1].push(LiveTailUpdate((LogEvent("live:1", NOW_MS - 100, "ecs/business/task1", hostile),)))
        await until(pilot, lambda: pane_lines(app)[-1:] == [hostile], "the streamed line in the pane")
        view = app.screen.query_one(LogPane).query_one(LogView)

        def rendered() -> str:
            return "".join(segment.text for strip in view.render_lines(view.region.reset_offset) for segment in strip)

        # shown literally, never as markup
        await until(pilot, lambda: "[link=https://evil.example]click[/link] [bold red]x" in rendered(), "the line drawn")
        calls = fake.calls["filter_log_events"]
        await refresh(app, pilot, ["logs"])
        assert fake.calls["filter_log_events"] == calls  # live: the log source's poll sends nothing


async def test_a_refused_live_tail_says_polling_not_allowed_and_the_pane_keeps_polling():
    fake = healthy_fake()
    fake.live_tail_failure = AwsFailure(
        FailureKind.ACCESS_DENIED, "not authorized: logs:StartLiveTail", code="AccessDeniedException", operation="StartLiveTail"
    )
    app = make_app(fake, quiet_config(language="ja"))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: "ポーリング (Live Tail が許可されていません)" in status_line(app), "the fallback")
        fake.log_events = [LogEvent("ev2", NOW_MS - 1000, "ecs/business/task1", "WARN polled")]
        await refresh(app, pilot, ["logs"])
        assert pane_lines(app)[-1] == "WARN polled"
