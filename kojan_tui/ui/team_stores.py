"""The app's one set of stores for incidents and acknowledgements: SQLite, or the team table when
``[team] table`` names one (``store/team.py``); made once, on first use, and kept in the services."""

from __future__ import annotations

from kojan_tui.store.database import LazyDatabase
from kojan_tui.store.team import Stores, stores_for
from kojan_tui.ui.services import AppServices

EXTENSION = "stores"


def app_stores(services: AppServices) -> Stores:
    stores = services.extensions.get(EXTENSION)
    if stores is None:
        database = services.database or LazyDatabase(None)
        stores = stores_for(services.config.team, services.config.aws.region, services.gateway, database, services.clock)
        services.extensions[EXTENSION] = stores
    return stores
