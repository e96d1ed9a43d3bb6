"""Mutating flows (plan → confirm → execute → watch → verify), each step written to the audit trail.

Nothing else calls a mutating gateway method: screens ask an action here, after a typed confirmation.
"""
