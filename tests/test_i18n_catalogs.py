"""The message catalogs: every marked string has Japanese, the shipped .mo is compiled from the .po, the .po is
what the code's strings make of it, and each translation keeps its English's placeholders."""

from __future__ import annotations

import string

from kojan_tui.core.i18n import normalize, ntr, tr
from scripts import i18n


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_marked_string_has_japanese_and_the_shipped_files_are_current():
    catalog = i18n.read_catalog()
    assert i18n.untranslated(catalog) == []
    assert i18n.po_bytes(i18n.merged(catalog, i18n.extracted())) == i18n.PO.read_bytes(), "run ./dev.sh i18n"
    assert i18n.MO.read_bytes() == i18n.mo_bytes(catalog), "run ./dev.sh i18n"


def test_translations_keep_the_placeholders_of_their_english():
    for message in i18n.read_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translation in strings:
            assert fields(translation) == fields(ids[0]), (message.id, translation)


def test_the_catalog_is_read_at_run_time_english_is_the_source():
    assert tr("Search cleared", "ja") == "検索を解除しました"
    assert tr("Search cleared", "en") == "Search cleared"
    assert tr("Search cleared", None) == "検索を解除しました"  # the default language is the guide's
    assert tr("a string nobody marked", "ja") == "a string nobody marked"
    assert ntr("{n} line", "{n} lines", 2, "en") == "{n} lines"
    assert [normalize(x) for x in ("ja_JP.UTF-8", "EN", "en_US", "fr", None)] == ["ja", "en", "en", "ja", "ja"]
