"""Allows ``python -m kojan_tui``."""

from kojan_tui.cli import main

raise SystemExit(main())
