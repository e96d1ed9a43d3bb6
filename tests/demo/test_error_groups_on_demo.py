"""S05 grouped against the embedded AWS: the ERROR-lines Insights query, grouped, agrees with the guide's query."""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core.log_groups import group_lines, lines_of_rows
from kojan_tui.core.logquery import ERROR_LINES_QUERY, ERROR_SUMMARY_QUERY
from tests.demo.test_gateway_on_demo import SERVICE, gateway
from tests.fixtures.waits import advance_until

WANTED = 200  # ERROR lines to wait for before comparing


async def test_db_outage_error_lines_group_into_a_few_groups_that_match_the_guides_count(demo_world, tmp_path):
    gw = gateway(demo_world, tmp_path)
    try:
        demo_world.set_scenario("db-outage")

        async def enough_lines():
            nonlocal end
            end = demo_world.clock() - timedelta(seconds=2)  # a closed window: both queries see the same lines
            result = await gw.run_insights_query(SERVICE.log_group, ERROR_LINES_QUERY, start=end - timedelta(hours=1), end=end)
            return result if len(result.rows) >= WANTED else None

        end = demo_world.clock()
        # the simulator writes lines every tick: the world's time moves on until there are enough of them
        lines_result = await advance_until(demo_world, enough_lines, f"{WANTED} ERROR lines", step_s=5.0, limit_s=120.0)
        raw_result = await gw.run_insights_query(SERVICE.log_group, ERROR_SUMMARY_QUERY, start=end - timedelta(hours=1), end=end)
    finally:
        await gw.close()
    assert lines_result.status == raw_result.status == "Complete"
    lines = lines_of_rows(lines_result.rows)
    assert len(lines) >= WANTED and all(at > 0 for at, _ in lines)
    raw_total = sum(int(float(row["count()"])) for row in raw_result.rows)
    assert raw_total == len(lines)  # the same window, the same ERROR lines
    assert len(raw_result.rows) > len(lines) // 2  # the guide's query: about one row per line
    groups = group_lines(lines)
    assert 1 < len(groups) <= 10 and sum(g.count for g in groups) == len(lines)
    assert any(g.key.startswith("database connection") for g in groups)
