"""Textual: the app, its screens and its (passive) widgets."""
