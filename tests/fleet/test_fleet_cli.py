"""Issue 26, the command: a fleet config runs the fleet loop — the fleet screen first, then the app again on the
service the user opened; production's gateway refuses writes unless --allow-production-writes."""

from __future__ import annotations

from kojan_tui import cli
from kojan_tui.aws.fake import FakeGateway
from tests.fleet.builders import fleet_config


def run_loop(monkeypatch, choices: list[str | None], *, allow: bool):
    """``cli._run_fleet`` with each app run replaced by one that opens the next of ``choices`` (None: quit)."""
    runs = []

    def fake_run_app(config, gateway, demo, audit, notices=(), *, fleet=None, demo_state=None):
        runs.append((config, gateway.read_only, fleet.home, fleet.current))
        fleet.next_key = choices[len(runs) - 1]
        return 0

    monkeypatch.setattr(cli, "_run_app", fake_run_app)
    assert cli._run_fleet(fleet_config(3), FakeGateway(), None, None, allow, ()) == 0
    return runs


def test_the_fleet_screen_first_then_the_chosen_service_and_production_read_only(monkeypatch):
    runs = run_loop(monkeypatch, ["staging/svc-1", "production/svc-2", None], allow=False)
    assert [(home, current) for _, _, home, current in runs] == [
        (True, "production/svc-0"),  # the fleet screen is home at start
        (False, "staging/svc-1"),  # then the chosen service's dashboard
        (False, "production/svc-2"),
    ]
    assert [config.service.name for config, *_ in runs] == ["svc-0", "svc-1", "svc-2"]
    assert [read_only for _, read_only, *_ in runs] == [True, False, True]  # the gateway's backstop too
    assert [config.ui.read_only for config, *_ in runs] == [True, False, True]


def test_allow_production_writes_lifts_the_guard(monkeypatch):
    runs = run_loop(monkeypatch, [None], allow=True)
    assert runs[0][1] is False and runs[0][0].ui.read_only is False


def test_the_flag_parses():
    args = cli.build_parser().parse_args(["--allow-production-writes"])
    assert args.allow_production_writes is True
    assert cli.build_parser().parse_args([]).allow_production_writes is False
