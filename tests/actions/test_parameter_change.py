"""ModifyDBParameterGroup through AuditedActions: sent once (never retried), a lost answer is 'unknown'."""

from __future__ import annotations

from kojan_tui.actions.audited import ParameterChangeRequest
from tests.actions.silent_endpoint import actions_on_a_silent_endpoint


async def test_a_parameter_change_is_sent_once_and_a_lost_answer_is_unknown(tmp_path):
    async with actions_on_a_silent_endpoint(tmp_path) as (actions, trail, sent):
        outcome = await actions.modify_db_parameter(
            ParameterChangeRequest("kojan-map-mysql80", "slow_query_log", "1", before="0")
        )
    seen = sent.bodies
    assert len([body for body in seen if "Action=ModifyDBParameterGroup" in body]) == 1
    assert outcome.unknown and not outcome.done and "outcome unknown" in outcome.summary
    assert [e["outcome"] for e in trail.entries()] == ["confirmed", "unknown: timeout"]
