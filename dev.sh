#!/usr/bin/env bash
# The one entry point for a fresh clone: sets up .venv (first run, or when pyproject.toml changes)
# and then runs what you ask. Usage: ./dev.sh demo [app flags] | test [pytest args] | bench | run [app flags] | i18n
# `./dev.sh test` with no arguments also runs ruff (lint, format) and the import-linter contracts, then the whole
# suite on one worker per core; with arguments, exactly what you ask (e.g. -m unit, a file, -n 2).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.kojan-installed

setup() {
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "kojan-tui needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1). Set PYTHON=/path/to/python3.11." >&2
        exit 2
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating $VENV" >&2
        "$PYTHON" -m venv "$VENV"
    fi
    if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
        echo "==> installing kojan-tui and its test tools into $VENV (first run takes a minute)" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
        touch "$STAMP"
    fi
}

command=${1:-help}
[ $# -gt 0 ] && shift
case "$command" in
    demo)  # the repo's own config.toml, named (kojan-tui never picks up ./config.toml unasked; see README)
        setup
        case " $* " in *" --config"*) exec "$VENV/bin/kojan-tui" --demo "$@" ;; esac
        exec "$VENV/bin/kojan-tui" --demo --config config.toml "$@" ;;
    run)   setup; exec "$VENV/bin/kojan-tui" "$@" ;;
    test)
        setup
        if [ $# -eq 0 ]; then  # the whole suite: lint, format and the layering contracts first
            echo "==> ruff check, ruff format --check, lint-imports" >&2
            "$VENV/bin/ruff" check --quiet kojan_tui tests benchmarks scripts
            "$VENV/bin/ruff" format --check --quiet kojan_tui tests benchmarks scripts
            "$VENV/bin/lint-imports" --no-cache >/dev/null || "$VENV/bin/lint-imports" --no-cache
            # One worker per core (pytest-xdist), each test file on one worker: a file's tests share its world.
            # The 15 slowest tests are printed at the end: where the next minutes of issue 22 are.
            set -- -n auto --dist loadfile --durations=15
        fi
        exec "$VENV/bin/python" -m pytest "$@" ;;
    bench) setup; exec "$VENV/bin/python" -m benchmarks "$@" ;;
    i18n)  # after changing a tr()/ntr()/N_() string: re-extract, merge into the Japanese catalog, compile the .mo
        setup; exec "$VENV/bin/python" -m scripts.i18n "$@" ;;
    *)
        sed -n '2,4p' "$0" | sed 's/^# //'
        exit 0 ;;
esac
