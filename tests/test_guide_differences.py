"""Where the product deliberately differs from the guide, said next to the number in both languages: the S25 CPU
rule in the S25 check, the S12 scan of the running image (not :latest) in the findings check on the embedded AWS,
and the S02 "none expected" beside the errors panel's warning level."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kojan_tui.core.guide_differences import cpu_rule_note, errors_warning_note, scanned_image_note
from kojan_tui.core.thresholds import Threshold
from kojan_tui.procedures import checks_security  # noqa: F401 - registers ecr.findings
from kojan_tui.procedures.checks import CheckContext, Verdict, run_check
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from tests.fixtures import builders as b
from tests.procedures.test_s25_check_unknown import state_with
from tests.security.helpers import CONFIG, demo_gateway
from tests.ui.harness import healthy_fake, make_app, quiet_config, refresh


def in_language(config, language: str):
    return replace(config, ui=replace(config.ui, language=language))


def test_the_notes_in_both_languages():
    assert cpu_rule_note(99.0, 300.0, "en").startswith("the guide says CPU at 100 % (sustained); judged here as ≥ 99 % for 5 min")
    assert cpu_rule_note(98.0, 600.0, "ja").startswith("ガイドは CPU 100 %（継続）; ここでは 98 % 以上が 10 分続くことで判定")
    assert ":latest" in scanned_image_note("en") and "実行中のイメージ" in scanned_image_note("ja")
    assert errors_warning_note(0, "en") == "guide: none expected" and errors_warning_note(0, "ja") == "ガイド: 0 件が期待値"
    assert errors_warning_note(3, "en") == ""  # a team that changed the level: nothing to explain


@pytest.mark.parametrize(("language", "words"), [("en", "judged here as ≥ 99 % for 5 min"), ("ja", "99 % 以上が 5 分続く")])
async def test_the_s25_check_says_how_the_cpu_condition_is_judged(language, words):
    config = in_language(quiet_config(), language)
    result = await run_check("s25.conditions", CheckContext(healthy_fake(), config, lambda: b.NOW, state=state_with(False)))
    assert result.verdict is Verdict.PASS
    cpu = result.evidence.index("✓ ECS CPU at 100 % (sustained)")
    assert words in result.evidence[cpu + 1]  # the line after the guide's condition


@pytest.mark.parametrize(("language", "words"), [("en", "the guide scans :latest"), ("ja", "ガイドは :latest をスキャン")])
async def test_the_findings_check_says_it_scans_the_running_image(demo_world, language, words):
    async with demo_gateway(demo_world) as gw:
        result = await run_check("ecr.findings", CheckContext(gateway=gw, config=in_language(CONFIG, language)))
    assert result.verdict is Verdict.PASS and "v1.5.1" in result.summary
    assert result.evidence[0].startswith("image      ") and words in result.evidence[1]


@pytest.mark.parametrize(
    ("language", "warn", "shown"),
    [
        ("en", 0, "warn >0 (guide: none expected)  alert >10"),
        ("ja", 0, "警告 >0 (ガイド: 0 件が期待値)  アラート >10"),  # the whole panel in Japanese
        ("en", 2, "warn >2  alert >10"),
    ],
)
async def test_the_errors_panel_says_the_guide_expects_none_beside_the_warning_level(language, warn, shown):
    config = quiet_config(language=language)
    config = replace(config, thresholds=replace(config.thresholds, errors_last_hour=Threshold(warn, 10)))
    app = make_app(config=config)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = app.screen.query_one(ErrorsPanel)
        lines = [str(line) for line in panel.render().renderables]
        assert lines[1] == shown
