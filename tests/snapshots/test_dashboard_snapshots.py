"""Snapshots of the dashboard, healthy and in alert, compact (80×24) and wide (160×48).

Frozen clock (13:00:00 UTC) and frozen fake data; run with ``--snapshot-update`` to accept a change
after looking at it (pytest writes an HTML report of differences).
"""

from tests.ui.harness import alert_fake, healthy_fake, make_app


async def loaded(pilot) -> None:
    await pilot.app.poller.refresh_now(wait=True)
    await pilot.pause()


def test_dashboard_healthy_80x24(snap_compare):
    assert snap_compare(make_app(healthy_fake()), terminal_size=(80, 24), run_before=loaded)


def test_dashboard_healthy_160x48(snap_compare):
    assert snap_compare(make_app(healthy_fake()), terminal_size=(160, 48), run_before=loaded)


def test_dashboard_alert_80x24(snap_compare):
    assert snap_compare(make_app(alert_fake()), terminal_size=(80, 24), run_before=loaded)


def test_dashboard_alert_160x48(snap_compare):
    assert snap_compare(make_app(alert_fake()), terminal_size=(160, 48), run_before=loaded)
