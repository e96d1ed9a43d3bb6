"""Persistence: what must survive a killed process or a lost SSH session (procedure runs, incidents,
recordings). Features talk to a small protocol of their own (``store/protocol.py``); SQLite is the
implementation for one engineer, and a shared store for a whole on-call team can be a second one.
"""
