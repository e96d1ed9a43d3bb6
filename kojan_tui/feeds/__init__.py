"""Feeds: async sources the app polls; each owns a cursor and a bounded buffer, and talks only to the Gateway."""
