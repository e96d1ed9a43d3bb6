"""Save an SVG screenshot of the dashboard running against the embedded demo AWS (for docs/ and reviews).

.venv/bin/python scripts/demo_screenshot.py --scenario memory-leak --wait 60 --out docs/dashboard.svg
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace

from kojan_tui import cli
from kojan_tui.core.config import Config
from kojan_tui.ui.app import KojanApp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="healthy")
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to let the scenario develop")
    parser.add_argument("--theme", default="kojan-dark")
    parser.add_argument("--size", default="160x48", help="COLUMNSxROWS")
    parser.add_argument("--out", default="dashboard.svg")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    config = Config()
    config = replace(config, ui=replace(config.ui, theme=args.theme, bell=False, notify=False))
    demo, code = cli._start_demo("healthy", config)
    if demo is None:
        raise SystemExit(code)
    config = replace(config, aws=replace(config.aws, endpoint_url=demo.endpoint_url, profile=None))
    gateway = cli._make_gateway(config, cli.DEMO_CREDENTIALS, demo=True)

    async def shoot() -> None:
        app = KojanApp(config, gateway, demo=demo)
        async with app.run_test(size=(width, height)) as pilot:
            await app.poller.refresh_now(wait=True)
            app.switch_scenario(args.scenario)
            await asyncio.sleep(args.wait)
            await app.poller.refresh_now(wait=True)
            await pilot.pause(0.5)
            app.save_screenshot(args.out)

    try:
        asyncio.run(shoot())
    finally:
        demo.stop()
    print(args.out)


if __name__ == "__main__":
    main()
