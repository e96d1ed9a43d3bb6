"""Benchmarks: run each with one command, e.g. ``.venv/bin/python -m benchmarks.bench_logs``."""
