"""The message catalogs: extract every ``tr()``/``ntr()``/``N_()`` string of the app, merge it into the Japanese
catalog (translations kept, strings no longer used dropped), and compile the ``.mo`` that ships.

    ./dev.sh i18n            # after changing strings; then fill the new empty msgstr in the .po and run it again
    python -m scripts.i18n --check   # what tests/test_i18n_catalogs.py checks, for a quick look

The .po has no source locations and is sorted by message, so two branches that add strings conflict only where
they add the same one. Babel is a test dependency; the app reads the compiled .mo with stdlib gettext.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kojan_tui"
PO = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "kojan_tui.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"tr": (1,), "N_": None, "ntr": (1, 2)}
METHOD_MAP = [("**.py", "python")]


def extracted() -> dict[str | tuple[str, str], list[str]]:
    """Every marked message of the app → the modules it appears in."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHOD_MAP, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        if isinstance(message, tuple):  # ntr: (singular, plural)
            message = (message[0], message[1])
        found.setdefault(message, []).append(filename)
    return found


def read_catalog(path: Path = PO) -> Catalog:
    if not path.exists():
        return Catalog(locale="ja", project="kojan-tui", fuzzy=False)
    with path.open("rb") as file:
        return read_po(file, locale="ja")


def merged(old: Catalog, messages: dict) -> Catalog:
    """A new catalog of exactly ``messages``, with the translations ``old`` had for them."""
    new = Catalog(
        locale="ja",
        project="kojan-tui",
        version="",
        fuzzy=False,
        header_comment="# kojan-tui: the Japanese UI (English is the source text). Made by ./dev.sh i18n.",
        msgid_bugs_address="the kojan-tui issues",
        last_translator="the kojan-tui team",
        language_team="the kojan-tui team",
    )
    new.creation_date = new.revision_date = old.creation_date  # no date churn between runs
    for message in sorted(messages, key=lambda m: m if isinstance(m, str) else m[0]):
        previous = old.get(message[0] if isinstance(message, tuple) else message)
        translation = previous.string if previous is not None else ("", "") if isinstance(message, tuple) else ""
        if isinstance(message, tuple) and isinstance(translation, str):
            translation = (translation, translation)
        new.add(message, translation, flags=())
    return new


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, no_location=True, sort_output=True, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update() -> int:
    catalog = merged(read_catalog(), extracted())
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_bytes(catalog))
    MO.write_bytes(mo_bytes(read_catalog()))
    missing = untranslated(catalog)
    total = sum(1 for m in catalog if m.id)
    print(f"{PO.relative_to(ROOT)}: {total} messages, {len(missing)} without Japanese", file=sys.stderr)
    for message in missing[:20]:
        print(f"  untranslated: {message!r}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say what is missing or out of date")
    args = parser.parse_args(argv)
    if not args.check:
        return update()
    catalog = read_catalog()
    problems = [f"untranslated: {m!r}" for m in untranslated(catalog)]
    if po_bytes(merged(catalog, extracted())) != PO.read_bytes():
        problems.append("the .po is not what ./dev.sh i18n makes of the code (run it)")
    if not MO.exists() or MO.read_bytes() != mo_bytes(catalog):
        problems.append("the .mo is not compiled from the .po (run ./dev.sh i18n)")
    print("\n".join(problems) or "catalogs up to date", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
