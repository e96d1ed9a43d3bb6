"""The plotext metric chart: threshold rows, bar styles by level, exact size, time axis, no state between renders."""

import plotext
import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from kojan_tui.core.readings import ECS_CPU, MetricReading
from kojan_tui.core.thresholds import Threshold
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.plot import _draw, chart_lines, y_ticks
from tests.ui.harness import plain

T = Threshold(70, 80)
KIND_STYLES = {
    kind: Style(color=f"color({n})")
    for n, kind in enumerate(("ok", "warning", "alert", "warn-line", "alert-line", "muted", "deploy"), 1)
}


def style_for(kind: str) -> Style:
    return KIND_STYLES[kind]


def style_at(line: Text, index: int) -> Style:
    styles = [span.style for span in line.spans if span.start <= index < span.end]
    assert len(styles) == 1, f"cell {index} of {line.plain!r} has {styles}"
    return styles[0]


def render(values, width=40, height=12, threshold=T, top=100.0, window="1h"):
    return chart_lines(values, width, height, threshold, top=top, window_label=window, style_for=style_for)


def test_threshold_lines_sit_on_their_rows_with_their_value_and_line_style():
    lines = render([10] * 36)  # 10 canvas rows for 0…100, a row every 11.1: 80 → 7.2 → row 7 from the bottom, 70 → 6
    assert [line.plain[:4] for line in lines[:5]] == ["100┤", "   │", " 80┼", " 70┼", "   │"]
    alert, warn = lines[2], lines[3]
    assert alert.plain[4:] == "━" * 36 and warn.plain[4:] == "┈" * 36  # told apart without colour
    assert style_at(alert, 1) == style_at(alert, 20) == KIND_STYLES["alert-line"]
    assert style_at(warn, 1) == style_at(warn, 20) == KIND_STYLES["warn-line"]
    assert lines[9].plain.startswith("  0┤") and style_at(lines[0], 0) == KIND_STYLES["muted"]


def test_bars_take_the_style_of_their_own_level():
    # 36 canvas columns (40 minus "100" and the axis): one value per column
    lines = render([50] * 34 + [75, 95])
    bottom = lines[9]
    assert bottom.plain[4:] == "█" * 36
    assert style_at(bottom, 4) == style_at(bottom, 37) == KIND_STYLES["ok"]
    assert style_at(bottom, 38) == KIND_STYLES["warning"]
    assert style_at(bottom, 39) == KIND_STYLES["alert"]
    assert lines[0].plain[39] == "█" and lines[0].plain[38] == " "  # 95 reaches the top row, 75 does not
    assert lines[2].plain[4:38] == "━" * 34  # the alert line shows where no bar covers it


def test_a_bar_is_as_high_as_its_value():
    lines = render([0.0] * 34 + [45, 100])
    column = lambda c: "".join(line.plain[c] for line in lines[:10])  # top to bottom
    assert column(39) == "█" * 10  # 100 fills the whole canvas
    assert column(38) == "  ━┈ █████"  # 45 → 4.05 → rows 0…4, under the threshold lines
    assert column(4) == "  ━┈      "  # zero draws no bar


@pytest.mark.parametrize("width,height", [(40, 12), (23, 4), (71, 9), (150, 14)])
def test_the_chart_fills_exactly_the_given_size(width, height):
    lines = render([float(i % 97) for i in range(300)], width, height)
    assert len(lines) == height
    assert [line.cell_len for line in lines] == [width] * height


def test_the_time_axis_runs_from_the_window_to_now():
    lines = render([10, 20, 30], window="24h")
    assert lines[-1].plain.strip().startswith("-24h") and lines[-1].plain.endswith("now")
    assert lines[-2].plain.startswith("   └┬")


def test_too_small_gives_no_chart():
    assert render([10], height=3) == [] and render([10], width=9) == []


def test_warn_and_alert_on_one_row_both_stay_visible():
    ticks = {label: (row, kind) for row, label, kind in y_ticks(T, 100, 6)}  # 70 → 3.5 and 80 → 4.0 share row 4
    assert ticks["80"] == (4, "alert-line") and ticks["70"] == (3, "warn-line")
    assert "0" in ticks and "100" in ticks
    lines = render([10] * 36, height=8)
    assert "━" in lines[1].plain and "┈" in lines[2].plain


def test_repeated_renders_are_identical_and_leave_plotext_alone():
    values = [30.0] * 20 + [75.0, 90.0]
    first = render(values)
    render([1.0, 99.0], 60, 10, Threshold(0.5, 1), top=120, window="3h")  # another chart in between
    _draw.cache_clear()  # force plotext to draw it again
    again = render(values)
    assert [line.plain for line in again] == [line.plain for line in first]
    assert [line.spans for line in again] == [line.spans for line in first]
    assert plotext.figure.size() == type(plotext.terminal)()._master.size()  # the module-level figure is untouched


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MetricPanel(ECS_CPU)


async def test_panel_chart_uses_the_theme_styles_and_notes_empty_data():
    app = PanelApp()
    async with app.run_test(size=(44, 16)) as pilot:
        panel = app.query_one(MetricPanel)
        panel.show(MetricReading(ECS_CPU, T, values=(), latest=None), "1h")
        await pilot.pause()
        assert "no datapoints in this window" in plain(panel.render())
        panel.show(MetricReading(ECS_CPU, T, values=(20.0,) * 50 + (95.0,), latest=95.0), "1h")
        await pilot.pause()
        rendered = panel.render()
        lines = [r for r in rendered.renderables if isinstance(r, Text)]
        bottom = next(line for line in lines if line.plain.lstrip().startswith("0┤"))
        assert style_at(bottom, len(bottom) - 1) == panel.style_for("alert")
        assert style_at(bottom, len(bottom) - 2) == panel.style_for("ok")
        alert_row = next(line for line in lines if line.plain.lstrip().startswith("80┼"))
        assert style_at(alert_row, 0) == panel.style_for("alert-line") != panel.style_for("alert")
        assert "-1h" in plain(rendered) and "no datapoints" not in plain(rendered)


def test_a_deploy_marker_is_a_vertical_line_at_its_time() -> None:
    from datetime import timedelta

    from kojan_tui.core.deploy_markers import deploy_times, marker_fractions
    from kojan_tui.ui.widgets.plot import DEPLOY_MARK
    from tests.fixtures import builders as b

    stamps = [b.NOW - timedelta(minutes=59 - i) for i in range(60)]
    service = b.service()  # its PRIMARY deployment was created 2 h ago: outside this hour
    assert marker_fractions(stamps, deploy_times(service)) == ()
    halfway = marker_fractions(stamps, [b.NOW - timedelta(minutes=29, seconds=30)])
    assert halfway == (0.5,)
    threshold = Threshold(70, 85)
    lines = chart_lines([40.0] * 60, 60, 10, threshold, top=100, window_label="1h", style_for=style_for, markers=halfway)
    canvas = [line.plain for line in lines[:-2]]
    columns = {line.index(DEPLOY_MARK) for line in canvas}
    assert len(columns) == 1 and all(line.count(DEPLOY_MARK) == 1 for line in canvas)
    plain = chart_lines([40.0] * 60, 60, 10, threshold, top=100, window_label="1h", style_for=style_for)
    assert all(DEPLOY_MARK not in line.plain for line in plain)
    assert lines[-1].plain == plain[-1].plain  # the time axis keeps its labels
