"""Every string a person reads, in Japanese and English, from message catalogs (stdlib gettext).

The English text is the message id, written where it is used: ``tr("Rolling back…", language)``. A string
defined before the language is known (a module constant, a table row) is marked with ``N_("…")`` (which
returns it unchanged) and passed through ``tr`` where it is shown. Placeholders are ``str.format`` fields,
filled after translation: ``tr("{n} tasks running", language).format(n=3)``.

The Japanese catalog is ``kojan_tui/locale/ja/LC_MESSAGES/kojan_tui.po``, extracted from the code and compiled
to ``.mo`` with Babel (``./dev.sh i18n``); the compiled file ships with the package, so the app needs no Babel.
``tests/test_i18n_catalogs.py`` fails when a marked string has no Japanese, when the ``.mo`` is older than the
``.po``, or when a translation's placeholders differ from its English.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "kojan_tui"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"  # the team's guide is Japanese


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (it is translated where it is shown)."""
    return message


def normalize(language: str | None) -> str:
    """``ja`` or ``en``; anything else (``None``, ``ja_JP``, ``EN``) to the nearest of the two."""
    text = (language or DEFAULT_LANGUAGE).strip().lower()
    return "en" if text.startswith("en") else "ja"


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == "en":  # English is the source text
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])


def tr(message: str, language: str | None) -> str:
    """``message`` (English) in ``language``; an untranslated message stays English (the catalog test fails)."""
    return _catalog(normalize(language)).gettext(message)


def ntr(singular: str, plural: str, n: int, language: str | None) -> str:
    """The singular or plural form for ``n`` in ``language`` (Japanese has one form)."""
    return _catalog(normalize(language)).ngettext(singular, plural, n)
