"""kojan-tui: a live terminal console for the kojan-map business backend on AWS."""

__version__ = "0.1.0"
