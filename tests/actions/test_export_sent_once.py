"""S27's CreateExportTask is a mutation: sent once (never retried by botocore), a lost answer is an unknown outcome."""

from __future__ import annotations

from kojan_tui.actions.audited import ExportRequest
from tests.actions.silent_endpoint import actions_on_a_silent_endpoint


async def test_a_lost_export_answer_is_unknown_and_the_request_went_out_once(tmp_path):
    request = ExportRequest("/ecs/kojan-map-business", "kojan-map-log-archive", "ecs/kojan-map-business/2026-10", 0, 1, "t")
    async with actions_on_a_silent_endpoint(tmp_path) as (actions, trail, sent):
        outcome = await actions.export_logs(request)
    seen = sent.targets
    assert [t for t in seen if t.endswith("CreateExportTask")] == ["Logs_20140328.CreateExportTask"]
    assert outcome.unknown and not outcome.done and "outcome unknown" in outcome.summary
    assert [e["outcome"] for e in trail.entries()] == ["confirmed", "unknown: timeout"]
