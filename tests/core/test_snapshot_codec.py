"""Recorded dashboard data comes back equal, and small."""

from kojan_tui.core import snapshot_codec
from kojan_tui.core.dashboard import DashboardData
from tests.fixtures import builders as b


def test_dashboard_data_round_trips_exactly():
    data = DashboardData(
        identity=None,
        service=b.service(running=1, desired=2),
        task_definition=b.task_definition(),
        metrics=b.healthy_metrics(),
        metrics_period=60,
        db_instance=b.db_instance(),
        errors_last_hour=12,
        db_connection_errors=3,
    )
    payload = snapshot_codec.encode(data)
    assert snapshot_codec.decode(payload) == data
    assert len(payload) < 8_000  # an hour of seven 1-minute series, compressed


def test_empty_data_round_trips():
    assert snapshot_codec.decode(snapshot_codec.encode(DashboardData())) == DashboardData()


def test_the_stop_counts_round_trip_with_their_causes():
    from kojan_tui.core.task_stops import StopCause, StopCounts

    data = DashboardData(task_stops=StopCounts(((StopCause.OUT_OF_MEMORY, 3), (StopCause.SCALED_IN, 1)), complete=False))
    back = snapshot_codec.decode(snapshot_codec.encode(data))
    assert back == data and back.task_stops.by_cause[0][0] is StopCause.OUT_OF_MEMORY
