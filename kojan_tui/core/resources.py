"""What the runbooks' checks read beyond the dashboard: S3 objects, security groups, a secret's length (never
its value), a DB parameter. Plain dataclasses the gateway returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    last_modified: datetime | None


@dataclass(frozen=True)
class IngressRule:
    protocol: str  # "tcp", "-1" (all)...
    from_port: int | None
    to_port: int | None
    source_groups: tuple[str, ...] = ()
    cidrs: tuple[str, ...] = ()

    def allows_port(self, port: int) -> bool:
        if self.protocol == "-1":
            return True
        if self.protocol not in ("tcp", "6") or self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    name: str
    ingress: tuple[IngressRule, ...] = ()


@dataclass(frozen=True)
class SecretLength:
    """A secret's length and dates: the value itself never leaves the gateway."""

    name: str
    length: int
    last_changed: datetime | None


@dataclass(frozen=True)
class DbParameter:
    name: str
    value: str | None  # None: not set (the engine default applies)
    source: str = ""
    apply_type: str = ""  # static | dynamic
