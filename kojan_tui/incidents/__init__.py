"""Incident records (S23, S24): opening one, a timeline that fills itself from the event bus, a recording of
the dashboard for replay, and the exports (a row in ``er.md``, a full report). No Textual.
"""
