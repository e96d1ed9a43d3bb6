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
    """``message`` (English) in ``language``; an untranslated message stays English (the catalog test fails).
    The empty message stays empty (gettext would answer it with the catalog's header)."""
    return _catalog(normalize(language)).gettext(message) if message else message


def ntr(singular: str, plural: str, n: int, language: str | None) -> str:
    """The singular or plural form for ``n`` in ``language`` (Japanese has one form)."""
    return _catalog(normalize(language)).ngettext(singular, plural, n)


class Phrase(str):
    """A sentence made in core before the language is known: English as a ``str`` (logs, tests, audit records keep
    it), and its message id and values so it can be shown in any language: ``say(phrase, "ja")``.

    ``Phrase(N_("{n} of {desired} tasks running"), n=1, desired=2) == "1 of 2 tasks running"``. A value that is a
    tuple of phrases is shown joined by ``"; "``, each in the language.
    """

    message: str
    values: dict[str, object]

    def __new__(cls, message: str, /, **values: object) -> Phrase:
        english = {k: "; ".join(v) if isinstance(v, tuple) else v for k, v in values.items()}
        phrase = super().__new__(cls, message.format(**english) if values else message)
        phrase.message, phrase.values = message, values
        return phrase

    def in_language(self, language: str | None) -> str:
        values = {
            k: "; ".join(say(part, language) for part in v)
            if isinstance(v, tuple)
            else say(v, language)
            if isinstance(v, Phrase)
            else v
            for k, v in self.values.items()
        }
        return tr(self.message, language).format(**values) if values else tr(self.message, language)


def say(text: str, language: str | None) -> str:
    """``text`` in ``language``: a ``Phrase`` with its values, a plain message id through the catalog."""
    return text.in_language(language) if isinstance(text, Phrase) else tr(text, language)


@cache
def _english_by_japanese() -> dict[str, str]:
    catalog = getattr(_catalog("ja"), "_catalog", {})  # GNUTranslations' msgid → msgstr
    return {ja: en for en, ja in catalog.items() if isinstance(en, str) and en and isinstance(ja, str)}


def english_of(text: str) -> str:
    """The English a Japanese ``text`` was translated from (``text`` itself when the catalog has no such entry):
    the palette finds a Japanese title by its English words."""
    return _english_by_japanese().get(text, text)
