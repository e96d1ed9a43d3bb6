"""``python -m benchmarks [logs|app] [options]`` (``./dev.sh bench``): both by default.

``logs``: the log pipeline with gc.freeze() after start-up, as kojan-tui runs (benchmarks/bench_logs.py).
``app``: the whole app against the embedded AWS and the guide's CLI (benchmarks/bench_app.py).
``fleet``: one fleet refresh with 1, 5, 20 and 50 services against the embedded AWS (benchmarks/bench_fleet.py).
"""

import sys

from benchmarks import bench_app, bench_fleet, bench_logs


def run_logs(args: list[str]) -> None:
    sys.argv = [sys.argv[0], *(args if "--gc-freeze" in args else ["--gc-freeze", *args])]
    bench_logs.main()


which = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in ("logs", "app", "fleet") else "all"
rest = sys.argv[2:] if which != "all" else []
if which in ("logs", "all"):
    run_logs(rest if which == "logs" else [])
if which in ("app", "all"):
    bench_app.main(rest if which == "app" else [])
if which in ("fleet", "all"):
    bench_fleet.main(rest if which == "fleet" else [])
