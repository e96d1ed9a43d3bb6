"""Log UI tests see every poll at once: LogView's repaint throttle is off unless a test turns it on."""

import pytest

from kojan_tui.ui.widgets.log_view import LogView


@pytest.fixture(autouse=True)
def immediate_log_sync(monkeypatch):
    monkeypatch.setattr(LogView, "sync_interval", 0.0)
