"""Run by test_resume_after_kill: the app (headless) forces a new deployment through its lifecycle against
``endpoint`` (a proxy that forwards it, then never answers), prints READY and waits for the answer until it is
killed with SIGKILL. Arguments: endpoint, database path, audit path."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from kojan_tui.actions.audited import DeployRequest
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import Config
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.app import KojanApp


async def main(endpoint: str, database: str, audit: str) -> None:
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=endpoint, profile=None, read_timeout=300.0, max_attempts=1),
        ui=replace(config.ui, bell=False, notify=False),
    )
    gateway = AwsGateway(config.aws, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))
    app = KojanApp(config, gateway, database=LazyDatabase(Path(database)), audit=AuditTrail(audit))
    async with app.run_test(size=(120, 40)):
        lifecycle = await app.services.lifecycles.open(
            DeployRequest(config.service.cluster, config.service.name, "force-new-deployment", force_new_deployment=True)
        )
        print("READY", lifecycle.request.id, flush=True)
        await lifecycle.send()  # the proxy forwards it and never answers: killed while waiting here
        print("ANSWERED", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
