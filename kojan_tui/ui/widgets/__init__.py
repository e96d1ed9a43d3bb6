"""Passive widgets: they render what they are given."""
