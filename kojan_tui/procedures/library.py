"""``load_all()``: import every check and action module so they register (``checks_*.py``, ``actions_*.py``).

Checks live by domain in ``kojan_tui/procedures/checks_<domain>.py`` (``@check`` from ``procedures.checks``);
actions in ``actions_<domain>.py``. A new module is found by its name: nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil

import kojan_tui.procedures as package

_loaded = False


def load_all() -> None:
    global _loaded
    if _loaded:
        return
    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module.startswith(("checks_", "actions_")):
            importlib.import_module(f"{package.__name__}.{module}")
    _loaded = True
