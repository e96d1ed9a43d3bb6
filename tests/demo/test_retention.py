"""Retention: log events and streams older than the window are dropped, live streams are kept."""

from __future__ import annotations

from types import SimpleNamespace

from kojan_tui.demo.logs_patch import prune_group


def stream(*timestamps: int) -> SimpleNamespace:
    return SimpleNamespace(
        events=[SimpleNamespace(timestamp=t, message="x" * 10) for t in timestamps], stored_bytes=10 * len(timestamps)
    )


def test_prune_drops_old_events_and_emptied_streams_of_stopped_tasks():
    group = SimpleNamespace(streams={"old-task": stream(1, 2, 3), "live-task": stream(2, 5, 9), "idle-live-task": stream(1)})
    dropped = prune_group(group, before_ms=5, keep_streams={"live-task", "idle-live-task"})
    assert dropped == 5
    assert set(group.streams) == {"live-task", "idle-live-task"}  # a running task keeps its (empty) stream
    assert [e.timestamp for e in group.streams["live-task"].events] == [5, 9]
    assert group.streams["live-task"].stored_bytes == 20
    assert prune_group(group, before_ms=5, keep_streams=set()) == 0  # nothing older is left


def test_the_server_does_not_keep_every_moto_object_alive():
    """moto tracks each model instance for its dashboard; the demo server turns that off so pruning frees memory.

    Checked in a child interpreter: the patch is process-wide, and this test process runs other moto servers.
    """
    import subprocess
    import sys

    code = (
        "import gc, weakref\n"
        "from moto.logs.models import LogEvent\n"
        "from kojan_tui.demo.fidelity import stop_tracking_model_instances\n"
        "tracked = LogEvent(1, {'timestamp': 1, 'message': 'm'})\n"
        "assert LogEvent.instances_tracked == [tracked]\n"
        "stop_tracking_model_instances()\n"
        "event = LogEvent(1, {'timestamp': 2, 'message': 'm'})\n"
        "ref = weakref.ref(event)\n"
        "del event; gc.collect()\n"
        "assert ref() is None and LogEvent.instances_tracked == []\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
