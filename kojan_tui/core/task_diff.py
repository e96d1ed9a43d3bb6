"""The S26 diff of two task definitions: image, sizes, environment (secret-looking values masked), secret
references by name only, ports and health check. Pure: what the rollback screen and its dry run show."""

from __future__ import annotations

from dataclasses import dataclass

from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.core.secret_rule import is_secret_name, mask_text

HIDDEN = "•••• (value hidden)"


def looks_secret(name: str) -> bool:
    return is_secret_name(name)  # the one rule (core.secret_rule)


@dataclass(frozen=True)
class DiffLine:
    """One difference; ``None`` on a side means absent there."""

    field: str  # "image", "task cpu", "env DB_MAX_OPEN_CONNS", "secret JWT_SECRET", "ports"…
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def text(self) -> str:
        if self.kind == "added":
            return f"+ {self.field}: {self.after}"
        if self.kind == "removed":
            return f"- {self.field}: {self.before}"
        return f"~ {self.field}: {self.before} → {self.after}"


def _text(value: object) -> str | None:
    return None if value is None or value == () else str(value)


def _pair(lines: list[DiffLine], field: str, before: object, after: object) -> None:
    b, a = _text(before), _text(after)
    if b != a:
        lines.append(DiffLine(field, b if b is not None else None, a if a is not None else None))


def _containers(
    running: TaskDefinition, chosen: TaskDefinition
) -> list[tuple[str, ContainerDefinition | None, ContainerDefinition | None]]:
    names = [c.name for c in running.containers] + [
        c.name for c in chosen.containers if c.name not in {x.name for x in running.containers}
    ]
    by_before = {c.name: c for c in running.containers}
    by_after = {c.name: c for c in chosen.containers}
    return [(name, by_before.get(name), by_after.get(name)) for name in names]


def container_diff(prefix: str, before: ContainerDefinition | None, after: ContainerDefinition | None) -> list[DiffLine]:
    lines: list[DiffLine] = []
    if before is None or after is None:
        present = before or after
        assert present is not None
        lines.append(DiffLine(f"{prefix}container", present.image if before else None, present.image if after else None))
        return lines
    _pair(lines, f"{prefix}image", before.image, after.image)
    _pair(lines, f"{prefix}cpu", before.cpu, after.cpu)
    _pair(lines, f"{prefix}memory", before.memory, after.memory)
    old_env, new_env = dict(before.environment), dict(after.environment)
    for name in sorted(old_env.keys() | new_env.keys()):
        old, new = old_env.get(name), new_env.get(name)
        if old == new:
            continue
        if looks_secret(name):  # the name says secret: never its value, not even its length
            old = HIDDEN if old is not None else None
            new = (HIDDEN + ", changed" if old is not None else HIDDEN) if new is not None else None
        else:  # credential-shaped parts (a password in a URL, a key) masked, the rest shown
            shown_old, shown_new = (mask_text(v) if v is not None else None for v in (old, new))
            if shown_old == shown_new:
                shown_new = f"{shown_new} (hidden part changed)"
            old, new = shown_old, shown_new
        lines.append(DiffLine(f"{prefix}env {name}", old, new))
    old_secrets, new_secrets = dict(before.secrets), dict(after.secrets)
    for name in sorted(old_secrets.keys() | new_secrets.keys()):
        old_ref, new_ref = old_secrets.get(name), new_secrets.get(name)
        if old_ref == new_ref:
            continue
        lines.append(
            DiffLine(
                f"{prefix}secret {name}",
                "referenced" if old_ref is not None else None,
                ("referenced (another source)" if old_ref is not None else "referenced") if new_ref is not None else None,
            )
        )
    _pair(lines, f"{prefix}ports", ", ".join(before.ports) or None, ", ".join(after.ports) or None)
    _pair(lines, f"{prefix}health check", before.health_check, after.health_check)
    return lines


def task_definition_diff(running: TaskDefinition, chosen: TaskDefinition) -> tuple[DiffLine, ...]:
    """What changes when ``chosen`` replaces ``running`` (empty: the same definition in every shown field)."""
    lines: list[DiffLine] = []
    _pair(lines, "task cpu", running.cpu, chosen.cpu)
    _pair(lines, "task memory", running.memory, chosen.memory)
    pairs = _containers(running, chosen)
    for name, before, after in pairs:
        lines += container_diff(f"{name}: " if len(pairs) > 1 else "", before, after)
    return tuple(lines)
