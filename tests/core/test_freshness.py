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
