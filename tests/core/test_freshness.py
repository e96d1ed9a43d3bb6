"""Source freshness: stale after a failure (age and reason shown), fresh again after a success."""

from datetime import timedelta

from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.freshness import SourceFreshness, format_age, next_delay
from tests.fixtures.builders import NOW


def test_stale_then_recovers():
    f = SourceFreshness("metrics")
    f.record_success(NOW)
    assert not f.stale and f.stale_text(NOW) is None
    f.record_failure(NOW + timedelta(seconds=30), AwsFailure(FailureKind.THROTTLED, "Rate exceeded"))
    assert f.stale
    assert f.stale_text(NOW + timedelta(seconds=42)) == "STALE 42s — throttled"
    f.record_success(NOW + timedelta(seconds=60))
    assert not f.stale and f.consecutive_failures == 0


def test_never_loaded():
    f = SourceFreshness("service")
    f.record_failure(NOW, AwsFailure(FailureKind.ACCESS_DENIED, "no"))
    assert f.stale_text(NOW) == "STALE never loaded — access denied"


def test_non_aws_errors_are_named_not_shown():
    f = SourceFreshness("x")
    f.record_failure(NOW, KeyError("secret-ish detail"))
    assert f.failure_reason == "internal error: KeyError"


def test_throttling_backs_off_other_failures_do_not():
    f = SourceFreshness("metrics")
    assert next_delay(30, f) == 30
    f.record_failure(NOW, AwsFailure(FailureKind.THROTTLED, "slow down"))
    assert next_delay(30, f) == 60
    for _ in range(5):
        f.record_failure(NOW, AwsFailure(FailureKind.THROTTLED, "slow down"))
    assert next_delay(30, f) == 240
    f.record_failure(NOW, AwsFailure(FailureKind.UNAVAILABLE, "down"))
    assert next_delay(30, f) == 30


def test_format_age():
    assert (format_age(5), format_age(150), format_age(10000)) == ("5s", "2m", "2h")


def test_a_success_older_than_twice_the_interval_shows_its_age_while_a_poll_is_out():
    f = SourceFreshness("metrics", interval_s=30)
    f.record_success(NOW)
    f.in_flight_since = NOW + timedelta(seconds=31)
    assert f.stale_text(NOW + timedelta(seconds=59)) is None
    assert f.stale_text(NOW + timedelta(seconds=61)) == "STALE 61s — waiting for AWS"


def test_a_first_poll_that_never_answers_is_not_shown_as_fine():
    f = SourceFreshness("service", interval_s=10)
    f.in_flight_since = NOW
    assert not f.measured
    assert f.stale_text(NOW + timedelta(seconds=25)) == "STALE never loaded — waiting for AWS"


def test_stale_reasons_name_failures_first_then_an_overdue_poll_and_nothing_when_fresh():
    from datetime import UTC, datetime

    from kojan_tui.core.alerts import AlertUpdate
    from kojan_tui.core.config import Config
    from kojan_tui.core.dashboard import DashboardData, build_view
    from kojan_tui.core.state import AppContext, DashboardState

    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    overdue = SourceFreshness("service", interval_s=10.0)
    overdue.record_success(now - timedelta(seconds=48))  # a poll has been out for 28 s past twice its interval
    failed = SourceFreshness("metrics", interval_s=30.0)
    failed.record_failure(now, AwsFailure(FailureKind.THROTTLED, "Rate exceeded"))
    fresh = SourceFreshness("errors", interval_s=60.0)
    fresh.record_success(now - timedelta(seconds=5))
    data = DashboardData()
    context = AppContext(None, None, "ap-northeast-1", "kojan-map-production", "kojan-map-business", False, None, "1h")
    freshness = {"service": overdue, "metrics": failed, "errors": fresh}
    state = DashboardState(data, build_view(data, Config(), now), AlertUpdate((), ()), context, freshness)
    assert overdue.stale_reason(now) == "waiting for AWS" and fresh.stale_reason(now) is None
    assert state.stale_reasons(("service", "metrics", "errors"), now) == [FailureKind.THROTTLED.value, "waiting for AWS"]
    assert state.stale_reasons(("errors",), now) == []


def test_a_wait_for_the_request_limit_is_named_and_a_failure_still_comes_first():
    start = NOW
    fresh = SourceFreshness("logs", interval_s=2.0, last_success=start)
    fresh.waiting_for_limit = "FilterLogEvents"
    assert fresh.stale_reason(start + timedelta(seconds=1.9)) is None
    assert fresh.stale_reason(start + timedelta(seconds=2.5)) == "waiting for the request limit (FilterLogEvents)"
    fresh.waiting_for_limit = ""
    assert fresh.stale_reason(start + timedelta(seconds=2.5)) is None  # an unexplained wait gets two intervals
    assert fresh.stale_reason(start + timedelta(seconds=4.5)) == "waiting for AWS"
    fresh.record_failure(start + timedelta(seconds=5), RuntimeError("x"))
    fresh.waiting_for_limit = "FilterLogEvents"
    assert fresh.stale_reason(start + timedelta(seconds=6)) == "internal error: RuntimeError"
