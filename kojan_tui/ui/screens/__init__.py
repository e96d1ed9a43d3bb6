"""Screens: they decide what widgets show."""
