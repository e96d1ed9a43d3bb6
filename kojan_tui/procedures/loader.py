"""Load procedures from TOML files: the package's own (``kojan_tui/content``) and the user's config dir.

Every mistake in a file (TOML syntax, unknown or missing key, wrong type, unknown check or action,
duplicate step id, bad language, kind or trigger) rejects that file with one ``ProcedureFileError``
naming the file and the field; the other files still load. A user file whose id and language match a
shipped procedure replaces it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kojan_tui.core.readings import ERRORS, METRIC_SPECS
from kojan_tui.procedures.models import FileField, Kind, Language, Procedure, Step, Triggers

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SUBDIRS = {Kind.RUNBOOK: "runbooks", Kind.CHECKLIST: "checklists"}
ALERT_KEYS = frozenset({spec.key for spec in METRIC_SPECS} | {ERRORS.key, "service"})
ROLLBACK_CODES = frozenset({"all_failing", "db_down", "memory", "cpu"})
MAX_FILE_BYTES = 256 * 1024

TOP_KEYS = {"id", "kind", "language", "title", "symptom", "guide_item", "triggers", "steps"}
REQUIRED_TOP = ("id", "kind", "language", "title", "steps")
TRIGGER_KEYS = {"alerts", "rollback_reasons", "log_patterns"}
STEP_KEYS = {"id", "text", "check", "action", "budget_minutes", "files"}
FILE_KEYS = {"id", "label", "show"}
MAX_BUDGET_MINUTES = 7 * 24 * 60


class ProcedureFileError(Exception):
    """One mistake in one file: ``<file>: <field>: <what is wrong>``."""

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}" if self.field else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    procedures: tuple[Procedure, ...]
    errors: tuple[ProcedureFileError, ...]

    def by_id(self, procedure_id: str, language: Language | str | None = None) -> Procedure | None:
        """The procedure ``procedure_id`` in ``language`` (else in any language)."""
        matches = [p for p in self.procedures if p.id == procedure_id]
        preferred = [p for p in matches if language is None or p.language.value == str(getattr(language, "value", language))]
        return (preferred or matches or [None])[0]

    def in_language(self, language: Language | str, kind: Kind | None = None) -> list[Procedure]:
        """One procedure per id: the one in ``language`` when it exists, else the other language's."""
        lang = str(getattr(language, "value", language))
        chosen: dict[str, Procedure] = {}
        for procedure in self.procedures:
            if kind is not None and procedure.kind is not kind:
                continue
            current = chosen.get(procedure.id)
            if current is None or (procedure.language.value == lang and current.language.value != lang):
                chosen[procedure.id] = procedure
        return list(chosen.values())


def user_dirs() -> dict[Kind, Path]:
    import platformdirs

    base = platformdirs.user_config_path("kojan-tui")
    return {kind: base / sub for kind, sub in SUBDIRS.items()}


def load_procedures(
    kinds: Iterable[Kind] = (Kind.RUNBOOK, Kind.CHECKLIST),
    *,
    content_dir: Path = CONTENT_DIR,
    user_dir: Path | None | bool = True,
    checks: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
) -> LoadResult:
    """Shipped files, then the user's (``user_dir``: True for the platform's config dir, a path for tests,
    None/False for none). ``checks``/``actions``: the known ids (default: the registries, all loaded)."""
    known_checks, known_actions = _known(checks, actions)
    dirs: list[tuple[Path, Kind]] = [(content_dir / SUBDIRS[k], k) for k in kinds]
    if user_dir is True:
        user = user_dirs()
        dirs += [(user[k], k) for k in kinds]
    elif user_dir:
        dirs += [(Path(user_dir) / SUBDIRS[k], k) for k in kinds]
    loaded: dict[tuple[str, str], Procedure] = {}
    errors: list[ProcedureFileError] = []
    for directory, kind in dirs:
        seen_here: dict[tuple[str, str], str] = {}
        for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
            try:
                procedure = parse_file(path, kind, known_checks, known_actions)
            except ProcedureFileError as error:
                errors.append(error)
                continue
            key = (procedure.id, procedure.language.value)
            if key in seen_here:
                errors.append(
                    ProcedureFileError(
                        path, "id", f"{procedure.id!r} ({procedure.language.value}) is also defined in {seen_here[key]}"
                    )
                )
                continue
            seen_here[key] = path.name
            loaded[key] = procedure  # a user file replaces the shipped one with the same id and language
    return LoadResult(tuple(loaded.values()), tuple(errors))


def _known(checks: Iterable[str] | None, actions: Iterable[str] | None) -> tuple[frozenset[str], frozenset[str]]:
    if checks is None:
        from kojan_tui.procedures.checks import CHECKS
        from kojan_tui.procedures.library import load_all

        load_all()
        checks = CHECKS
    if actions is None:
        from kojan_tui.procedures.actions import ACTIONS
        from kojan_tui.procedures.library import load_all

        load_all()
        actions = ACTIONS
    return frozenset(checks), frozenset(actions)


def parse_file(path: Path, kind: Kind, checks: frozenset[str], actions: frozenset[str]) -> Procedure:
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise ProcedureFileError(path, "", f"cannot read the file ({error.strerror or error})") from None
    if len(raw_bytes) > MAX_FILE_BYTES:
        raise ProcedureFileError(path, "", f"file too large ({len(raw_bytes)} bytes; at most {MAX_FILE_BYTES})")
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProcedureFileError(path, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ProcedureFileError(path, "", f"invalid TOML: {error}") from None
    return parse_procedure(data, path, kind, checks, actions)


def parse_procedure(
    data: dict[str, Any], path: Path | str, kind: Kind, checks: frozenset[str], actions: frozenset[str]
) -> Procedure:
    def fail(field: str, message: str) -> ProcedureFileError:
        return ProcedureFileError(path, field, message)

    _unknown_keys(data, TOP_KEYS, "", fail)
    for key in REQUIRED_TOP:
        if key not in data:
            raise fail(key, "missing (required)")
    procedure_id = _text(data, "id", "id", fail)
    if not all(c.isalnum() or c in "-_." for c in procedure_id):
        raise fail("id", f"{procedure_id!r}: use letters, digits, '-', '_' or '.'")
    kind_text = _text(data, "kind", "kind", fail)
    if kind_text not in {k.value for k in Kind}:
        raise fail("kind", f"{kind_text!r} is not a kind; choose runbook or checklist")
    if Kind(kind_text) is not kind:
        raise fail("kind", f"{kind_text!r} does not belong in the {SUBDIRS[kind]} directory")
    language = _text(data, "language", "language", fail)
    if language not in {lang.value for lang in Language}:
        raise fail("language", f"{language!r} is not supported; choose ja or en")
    triggers = _triggers(data.get("triggers", {}), fail)
    raw_steps = data["steps"]
    if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        raise fail("steps", "must be an array of tables ([[steps]])")
    if not raw_steps:
        raise fail("steps", "at least one step is required")
    steps: list[Step] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_steps, start=1):
        where = f"steps[{index}]"
        _unknown_keys(raw, STEP_KEYS, where + ".", fail)
        for key in ("id", "text"):
            if key not in raw:
                raise fail(f"{where}.{key}", "missing (required)")
        step_id = _text(raw, "id", f"{where}.id", fail)
        if step_id in seen:
            raise fail(f"{where}.id", f"duplicate step id {step_id!r}")
        seen.add(step_id)
        check_id = _optional_text(raw, "check", f"{where}.check", fail)
        if check_id is not None and check_id not in checks:
            raise fail(f"{where}.check", f"unknown check {check_id!r}{_close(check_id, checks)}")
        action_id = _optional_text(raw, "action", f"{where}.action", fail)
        if action_id is not None and action_id not in actions:
            raise fail(f"{where}.action", f"unknown action {action_id!r}{_close(action_id, actions)}")
        budget = raw.get("budget_minutes")
        if budget is not None and (
            isinstance(budget, bool) or not isinstance(budget, int) or not 0 < budget <= MAX_BUDGET_MINUTES
        ):
            raise fail(
                f"{where}.budget_minutes", f"must be a whole number of minutes from 1 to {MAX_BUDGET_MINUTES}, got {budget!r}"
            )
        files = _files(raw.get("files", []), f"{where}.files", fail)
        steps.append(Step(step_id, _text(raw, "text", f"{where}.text", fail), check_id, action_id, budget, files))
    return Procedure(
        id=procedure_id,
        kind=kind,
        language=Language(language),
        title=_text(data, "title", "title", fail),
        symptom=_optional_text(data, "symptom", "symptom", fail) or "",
        steps=tuple(steps),
        triggers=triggers,
        guide_item=_optional_text(data, "guide_item", "guide_item", fail) or "",
        source=str(path),
    )


def _files(raw: object, where: str, fail) -> tuple[FileField, ...]:
    """A step's ``[[steps.files]]``: each with an ``id`` (unique in the step), a ``label``, ``show`` (keep its text)."""
    if not isinstance(raw, list) or not all(isinstance(f, dict) for f in raw):
        raise fail(where, f"must be an array of tables ([[steps.files]]), got {_type(raw)}")
    fields: list[FileField] = []
    for index, entry in enumerate(raw, start=1):
        here = f"{where}[{index}]"
        _unknown_keys(entry, FILE_KEYS, here + ".", fail)
        for key in ("id", "label"):
            if key not in entry:
                raise fail(f"{here}.{key}", "missing (required)")
        file_id = _text(entry, "id", f"{here}.id", fail)
        if any(f.id == file_id for f in fields):
            raise fail(f"{here}.id", f"duplicate file id {file_id!r}")
        show = entry.get("show", False)
        if not isinstance(show, bool):
            raise fail(f"{here}.show", f"must be true or false, got {_type(show)}")
        fields.append(FileField(file_id, _text(entry, "label", f"{here}.label", fail), show))
    return tuple(fields)


def _triggers(raw: object, fail) -> Triggers:
    if not isinstance(raw, dict):
        raise fail("triggers", f"must be a table, got {_type(raw)}")
    _unknown_keys(raw, TRIGGER_KEYS, "triggers.", fail)
    lists: dict[str, tuple[str, ...]] = {}
    for key in TRIGGER_KEYS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"triggers.{key}", f"must be an array of non-empty strings, got {_type(value)}")
        lists[key] = tuple(value)
    for alert in lists["alerts"]:
        if alert not in ALERT_KEYS:
            raise fail("triggers.alerts", f"unknown alert key {alert!r}; known: {', '.join(sorted(ALERT_KEYS))}")
    for code in lists["rollback_reasons"]:
        if code not in ROLLBACK_CODES:
            raise fail("triggers.rollback_reasons", f"unknown S25 reason {code!r}; known: {', '.join(sorted(ROLLBACK_CODES))}")
    return Triggers(lists["alerts"], lists["rollback_reasons"], lists["log_patterns"])


def _unknown_keys(raw: dict, allowed: set[str], prefix: str, fail) -> None:
    for key in raw:
        if key not in allowed:
            raise fail(prefix + key, f"unknown key{_close(key, allowed)}")


def _text(raw: dict, key: str, field: str, fail) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise fail(field, f"must be a string, got {_type(value)}")
    if not value.strip():
        raise fail(field, "must not be empty")
    return value.strip() if key != "text" else value.strip("\n")


def _optional_text(raw: dict, key: str, field: str, fail) -> str | None:
    return _text(raw, key, field, fail) if key in raw else None


def _type(value: object) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _close(name: str, known: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
