"""A loopback proxy in front of the embedded AWS that forwards a mutation (it takes effect) and then loses its
answer: the connection reset, a 500 with an AWS error code, or a 200 whose body does not parse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from kojan_tui.actions.audited import AuditedActions
from kojan_tui.actions.lifecycle import Lifecycles
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import AwsSettings
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.demo.faults import FORWARD_500, FORWARD_MALFORMED, FORWARD_RESET, FaultPlan, FaultProxy

LOST_ANSWERS = (FORWARD_RESET, FORWARD_500, FORWARD_MALFORMED)


@contextmanager
def losing_answers_to(demo, operation: str, kind: str) -> Iterator[FaultProxy]:
    """Every ``operation`` call is forwarded to ``demo`` and its answer lost as ``kind``; the rest pass."""
    plan = FaultPlan(rate=1.0, kinds=(kind,), operations=frozenset({operation}), seed=1)
    with FaultProxy(demo.endpoint_url, plan) as proxy:
        yield proxy


@asynccontextmanager
async def lifecycles_through(proxy: FaultProxy, tmp_path: Path) -> AsyncIterator[tuple[Lifecycles, AuditTrail]]:
    """Lifecycles on a real gateway whose every call goes through ``proxy`` (retries on: mutations are never retried)."""
    trail = AuditTrail(tmp_path / "audit.jsonl")
    settings = AwsSettings(endpoint_url=proxy.endpoint_url, max_attempts=3, read_timeout=5.0)
    async with AwsGateway(settings, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)) as gateway:
        yield Lifecycles(AuditedActions(gateway, trail), read_back_interval_s=0.2, export_interval_s=0.2), trail
