"""Runbooks and checklists: one engine over data files (``kojan_tui/content``), with a registry of named,
read-only checks (id → async check → verdict and evidence) and named, confirmed, audited actions.
"""
