"""Issue 20: the top line always says which config file is in use, the endpoint when it is not AWS's own, and
READ-WRITE or READ-ONLY."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.endpoints import EndpointSetting
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.ui.harness import healthy_fake, make_app, quiet_config, refresh, until


class ProxiedFake(type(healthy_fake())):
    def endpoint_settings(self):
        return (EndpointSetting("http://127.0.0.1:4566", "AWS_ENDPOINT_URL"),)


def _proxied() -> ProxiedFake:
    fake = ProxiedFake()
    fake.__dict__.update(healthy_fake().__dict__)
    return fake


async def test_the_bar_names_config_endpoint_and_read_write():
    config = replace(quiet_config(), source="/home/oncall/.config/kojan-tui/config.toml")
    app = make_app(_proxied(), config=config)
    async with app.run_test(size=(200, 48)) as pilot:
        await refresh(app, pilot)
        bar = app.screen.query_one(ContextBar)
        await until(pilot, lambda: bar.context is not None, "the context bar")
        text = bar.render().plain
        assert "READ-WRITE" in text and "READ-ONLY" not in text
        assert "config /home/oncall/.config/kojan-tui/config.toml" in text
        assert "endpoint http://127.0.0.1:4566 (from AWS_ENDPOINT_URL)" in text


async def test_the_bar_says_defaults_aws_and_read_only():
    fake = healthy_fake()
    fake.read_only = True
    app = make_app(fake, config=quiet_config(read_only=True))
    async with app.run_test(size=(200, 48)) as pilot:
        await refresh(app, pilot)
        bar = app.screen.query_one(ContextBar)
        await until(pilot, lambda: bar.context is not None, "the context bar")
        text = bar.render().plain
        assert "READ-ONLY" in text and "READ-WRITE" not in text
        assert "config: defaults" in text and "endpoint" not in text


async def test_the_clock_shows_the_configured_zone_with_its_abbreviation():
    """[ui] timezone: the top line's clock in Asia/Tokyo (b.NOW is 13:00 UTC); the default is the machine's (UTC
    under test)."""
    app = make_app(config=quiet_config(timezone="Asia/Tokyo"))
    async with app.run_test(size=(200, 48)) as pilot:
        bar = app.screen.query_one(ContextBar)
        await until(pilot, lambda: bar.context is not None and bar.context.clock_text, "the context bar")
        assert bar.render().plain.endswith("│ 22:00 JST")
    app = make_app()
    async with app.run_test(size=(200, 48)) as pilot:
        bar = app.screen.query_one(ContextBar)
        await until(pilot, lambda: bar.context is not None and bar.context.clock_text, "the context bar")
        assert bar.render().plain.endswith("│ 13:00 UTC")
