"""``python -m kojan_tui.demo.server``: the embedded AWS alone, seeded and simulated, on 127.0.0.1.

Prints ``READY http://127.0.0.1:PORT`` once it answers; exits on SIGTERM/SIGINT and, when its stdin is
a pipe, when that pipe closes (so a parent that dies, even by SIGKILL, leaves no orphan).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any

from kojan_tui.core.config import Config, load_config
from kojan_tui.demo.config_codec import config_from_json
from kojan_tui.demo.control import ControlApp, is_loopback
from kojan_tui.demo.scenarios import DEFAULT_SCENARIO, SCENARIOS
from kojan_tui.demo.world import World


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kojan_tui.demo.server", description=__doc__)
    parser.add_argument("--port", type=int, default=4566, help="port to listen on (0: any free port; the READY line says which)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (127.0.0.1, ::1)")
    parser.add_argument("--scenario", default=DEFAULT_SCENARIO, choices=list(SCENARIOS), help="the scenario to start in")
    parser.add_argument("--tick", type=float, default=5.0, help="simulator tick in seconds")
    parser.add_argument("--config", default=None, help="a kojan-tui config.toml to take the resource names from")
    parser.add_argument("--config-json", default=None, help="the kojan-tui Config as JSON (EmbeddedAws passes it)")
    parser.add_argument(
        "--stdin-watch", choices=("auto", "on", "off"), default="auto", help="exit when stdin closes (auto: when stdin is a pipe)"
    )
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        print(f"kojan-demo-server: --host {args.host}: the embedded AWS listens on loopback addresses only", file=sys.stderr)
        raise SystemExit(2)
    if args.tick <= 0:
        parser.error("--tick must be positive")
    return args


def stdin_is_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def watch_stdin(stop: threading.Event) -> None:
    def run() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=run, name="kojan-demo-stdin", daemon=True).start()


class Handlers:
    """What the control API can do to the running world."""

    def __init__(self, world: World, simulator: Any):
        self.world, self.simulator = world, simulator

    def scenario(self) -> str:
        return self.world.scenario_name

    def set_scenario(self, name: str) -> None:
        from kojan_tui.demo.lifecycle import follow_scenario

        self.world.set_scenario(name)
        follow_scenario(self.world)

    def reset(self, name: str) -> None:
        from kojan_tui.demo.lifecycle import reset_world

        reset_world(self.world, self.simulator, name)

    def advance(self, seconds: float) -> dict[str, Any]:
        """The world's clock ``seconds`` on, every tick of the span done (ValueError: out of range)."""
        ticks = self.simulator.advance(seconds)
        return {"advanced_ticks": ticks, "clock_offset_seconds": self.world.clock.offset_seconds, "now": self.world.now()}

    def status(self) -> dict[str, Any]:
        from kojan_tui.demo.lifecycle import world_status

        return world_status(self.world, self.simulator)

    def app_health(self) -> tuple[int, dict[str, Any]]:
        from kojan_tui.demo.app_health import app_health

        return app_health(self.world)


def start_fleet(world: World, endpoint: str, tick: float):
    """The fleet's other services beside the simulated one, seeded and publishing (``kojan_tui.demo.fleet``)."""
    import boto3
    from moto.ecs import models as ecs_models

    from kojan_tui.demo.fleet import SidekickFleet
    from kojan_tui.demo.seed import clients

    backend = ecs_models.ecs_backends[world.account_id][world.region]
    c = clients(endpoint, world.region)
    c["cloudwatch"] = boto3.client(
        "cloudwatch", endpoint_url=endpoint, region_name=world.region, aws_access_key_id="demo", aws_secret_access_key="demo"
    )
    fleet = SidekickFleet(endpoint, world.config, c, backend, tick_seconds=tick, now=world.now)
    fleet.seed()
    fleet.start()
    return fleet


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log: stdout carries READY only
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # ~0.4 s less startup; the demo runs no instances
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    from kojan_tui.demo import fidelity, lifecycle
    from kojan_tui.demo.simulator import Simulator

    config = (
        config_from_json(args.config_json) if args.config_json else load_config(Path(args.config)) if args.config else Config()
    )
    world = World(config=config, tick_seconds=args.tick, scenario_name=args.scenario)
    fidelity.apply_all(world)
    simulator = Simulator(world)
    app = ControlApp(DomainDispatcherApplication(create_backend_app), Handlers(world, simulator))
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    host = f"[{args.host}]" if ":" in args.host else args.host
    endpoint = f"http://{host}:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="kojan-demo-http", daemon=True).start()

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if args.stdin_watch == "on" or (args.stdin_watch == "auto" and stdin_is_pipe()):
        watch_stdin(stop)

    lifecycle.build_world(world, simulator, endpoint)
    simulator.start()
    sidekicks = start_fleet(world, endpoint, args.tick) if config.fleet.services else None  # issue 26: --demo --fleet
    print(f"READY {endpoint}", flush=True)
    print(
        f"kojan-tui demo AWS: scenario {world.scenario_name}, tick {args.tick}s, ready in {time.monotonic() - started:.2f}s, "
        f"max RSS {lifecycle.max_rss_mib()} MiB",
        file=sys.stderr,
        flush=True,
    )
    while not stop.wait(0.1):
        pass
    simulator.stop()
    if sidekicks is not None:
        sidekicks.stop()
    server.server_close()  # the daemon serving thread dies with the process; the port is free at exit
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # skip tearing down moto's thousands of objects: the port is already closed
