"""The UI language: the dashboard's panels speak Japanese in ``ja`` and English in ``en`` (the S03 actions in the
guide's words), ``--lang`` and the palette switch it, and the palette finds things in both languages and by id."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandPalette

from kojan_tui.cli import main
from kojan_tui.core import metrics_catalog as q
from kojan_tui.ui.commands import KojanCommands
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel
from kojan_tui.ui.widgets.slo_panel import SloPanel
from tests.fixtures import builders as b
from tests.ui.harness import alert_fake, make_app, plain, quiet_config, refresh, until

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji

# What each panel says in the bad hour of ``alert_fake`` (the S03 actions in the guide's own words).
WORDS = {
    "ja": ["ログ確認、DB接続確認", "スケーリング検討", "メモリリーク調査", "タスク 1/2 実行中", "デプロイ", "アラート"],
    "en": ["check logs, check DB connection", "consider scaling", "investigate a memory leak", "1 of 2 tasks running"],
}


def all_failing_fake():
    fake = alert_fake()
    fake.metrics[q.ALB_5XX] = b.flat(q.ALB_5XX, 1000)  # S25: every request failing
    return fake


def dashboard_text(app) -> dict[str, str]:
    screen = app.screen
    texts = {
        "metrics": "\n".join(f"{p.border_title}\n{plain(p.render())}" for p in screen.query(MetricPanel)),
        "service": f"{screen.query_one(ServicePanel).border_title}\n{plain(screen.query_one(ServicePanel).render())}",
        "alerts": plain(screen.query_one(AlertBar).render()),
        "errors": f"{screen.query_one(ErrorsPanel).border_title}\n{plain(screen.query_one(ErrorsPanel).render())}",
        "banner": plain(screen.query_one(RollbackBanner).render()),
        "context": plain(screen.query_one(ContextBar).render()),
        "slo": str(screen.query_one(SloPanel).border_title),
    }
    return texts


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words: what a Japanese UI must not show outside names, ids and AWS values."""
    return re.findall(r"\b[a-z]{3,}(?: [a-z]{2,}){2,}\b", text)


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_the_dashboard_panels_speak_the_configured_language(language) -> None:
    app = make_app(all_failing_fake(), quiet_config(language=language))
    async with app.run_test(size=(180, 60)) as pilot:
        await refresh(app, pilot)
        texts = dashboard_text(app)
        everything = "\n".join(texts.values())
        for words in WORDS[language]:
            assert words in everything, (words, everything)
        if language == "ja":
            assert "今すぐロールバック" in texts["banner"] and "すべてのリクエストが失敗" in texts["banner"]
            assert "S25: ガイドの「即時ロールバック」条件に該当" in texts["banner"]
            assert "ALB p99 レイテンシ" in texts["metrics"] and "ECS サービス" in texts["service"]
            for name, text in texts.items():
                assert english_sentences(text) == [], (name, text)
        else:
            assert "ROLL BACK NOW" in texts["banner"] and "every request is failing" in texts["banner"]
            for name, text in texts.items():
                assert not JAPANESE.search(text), (name, text)


async def test_the_palette_switches_the_whole_ui_live() -> None:
    app = make_app(all_failing_fake(), quiet_config(language="en"))
    async with app.run_test(size=(180, 60)) as pilot:
        await refresh(app, pilot)
        assert "check logs, check DB connection" in dashboard_text(app)["metrics"]
        command = next(c for c in app.palette_commands() if c.title == "Language: 日本語")
        command.callback()
        await pilot.pause()
        assert app.config.ui.language == "ja" and app.services.config.ui.language == "ja"
        await until(pilot, lambda: "ログ確認、DB接続確認" in dashboard_text(app)["metrics"])
        texts = dashboard_text(app)
        assert "今すぐロールバック" in texts["banner"] and "アラート" not in texts["context"]
        assert "check logs" not in "\n".join(texts.values())
        assert any(c.title == "言語: English" for c in app.palette_commands())  # the palette speaks it too
        next(c for c in app.palette_commands() if c.title == "言語: English").callback()
        await until(pilot, lambda: "check logs, check DB connection" in dashboard_text(app)["metrics"])


async def palette_titles(app, pilot, query: str) -> list[str]:
    provider = KojanCommands(app.screen)
    return [hit.text async for hit in provider.search(query)]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("query", ["runbook auth", "認証", "s07", "Runbook S07", "authentication"])
async def test_the_palette_finds_the_s07_runbook_in_both_languages_and_by_id(language, query) -> None:
    app = make_app(config=quiet_config(language=language))
    async with app.run_test(size=(140, 40)) as pilot:
        titles = await palette_titles(app, pilot, query)
        s07 = [t for t in titles if "S07" in t]
        assert s07, (query, titles)
        wanted = "S07 認証エラー" if language == "ja" else "S07 Authentication errors"
        assert wanted in s07[0]


@pytest.mark.parametrize(
    ("language", "query", "found"),
    [
        ("ja", "refresh", "今すぐ更新"),
        ("ja", "今すぐ更新", "今すぐ更新"),
        ("en", "今すぐ更新", "Refresh now"),
        ("en", "language", "Language: 日本語"),
        ("ja", "english", "言語: English"),
        ("en", "言語", "Language: English"),
        ("ja", "checklist daily", "S11"),
    ],
)
async def test_the_palette_finds_commands_by_their_words_in_either_language(language, query, found) -> None:
    app = make_app(config=quiet_config(language=language))
    async with app.run_test(size=(140, 40)) as pilot:
        titles = await palette_titles(app, pilot, query)
        assert any(found in t for t in titles), (query, titles)


async def test_a_query_in_no_language_finds_nothing_extra() -> None:
    app = make_app(config=quiet_config(language="ja"))
    async with app.run_test(size=(140, 40)) as pilot:
        assert await palette_titles(app, pilot, "zzqx") == []


async def test_the_palette_on_screen_runs_the_language_command() -> None:
    app = make_app(config=quiet_config(language="ja"))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"English")
        from tests.ui.harness import palette_highlights

        await until(pilot, lambda: palette_highlights(app, "言語: English"))
        await pilot.press("enter")
        await until(pilot, lambda: app.config.ui.language == "en")


def test_lang_flag_overrides_the_config_and_a_bad_value_exits_2(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert main(["--lang", "fr", "--check"]) == 2
    err = capsys.readouterr().err
    assert "--lang" in err and "'fr'" in err and "ja, en" in err


def test_lang_flag_sets_the_ui_language() -> None:
    from kojan_tui.core.config import ConfigOverrides, load_config

    assert load_config(None, ConfigOverrides(language="en")).ui.language == "en"
    assert load_config(None, ConfigOverrides(language="ja")).ui.language == "ja"
    assert load_config(None).ui.language == "ja"  # the guide's language by default
