"""``python -m benchmarks`` (``./dev.sh bench``): the log benchmark as the app runs — gc.freeze() after start-up."""

import sys

from benchmarks import bench_logs

if "--gc-freeze" not in sys.argv:
    sys.argv.insert(1, "--gc-freeze")
bench_logs.main()
