"""The poller's pause (team mode: a source fed by the collector's frames polls nothing) and resume (at once)."""

from kojan_tui.sources.poller import Poller
from tests.fixtures.builders import NOW
from tests.fixtures.waits import until_true
from tests.sources.test_poller import Probe


async def test_a_source_paused_before_start_never_polls_refreshes_skip_it_and_resume_polls_at_once():
    paused, other = Probe(), Probe()
    poller = Poller(clock=lambda: NOW)
    poller.register("paused", 3600, paused.fetch, paused.delivered.append)
    poller.register("other", 3600, other.fetch, other.delivered.append)
    poller.pause(["paused"])
    poller.start()
    await poller.refresh_now(wait=True)  # returns: the paused source is not waited for
    await poller.refresh_now(wait=True)
    assert paused.calls == 0 and other.calls == 2
    poller.resume(["paused"])
    await until_true(lambda: paused.calls == 1, "the resumed source to poll at once (its interval is an hour)")
    poller.pause(["paused"])
    await poller.refresh_now(wait=True)
    await poller.stop()
    assert paused.calls == 1 and other.calls == 3
