"""Fake DynamoDB: tables of items keyed by (pk, sk), with the few expressions the team store writes.

Conditions: ``attribute_not_exists(a)``, ``attribute_exists(a)``, ``a = :v``, ``a < :v`` joined by one
``OR`` or ``AND``; updates: ``SET a = :v, b = :w`` and ``ADD n :v``. Anything else raises, so a store that
grows a new expression finds out in its first test on the fake (the moto tests prove the real meaning).
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.errors import AwsFailure, FailureKind

_TERM = re.compile(r"^(?:(attribute_not_exists|attribute_exists)\((#?\w+)\)|(#?\w+)\s*(=|<)\s*(:\w+))$")


class FakeDynamoDb(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tables: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        self.ttl: dict[str, str] = {}

    def _table(self, table: str) -> dict[tuple[str, str], dict[str, Any]]:
        if table not in self.tables:
            raise AwsFailure(FailureKind.NOT_FOUND, f"table {table} not found", code="ResourceNotFoundException")
        return self.tables[table]

    async def dynamodb_table_status(self, table: str) -> str:
        await self._enter("dynamodb_table_status")
        self._table(table)
        return "ACTIVE"

    async def dynamodb_create_table(self, table: str) -> None:
        await self._enter("dynamodb_create_table")
        if table in self.tables:
            raise AwsFailure(FailureKind.INVALID_REQUEST, f"table {table} exists", code="ResourceInUseException")
        self.tables[table] = {}
        self.ttl[table] = "expires_at"

    async def dynamodb_enable_ttl(self, table: str) -> None:
        await self._enter("dynamodb_enable_ttl")
        self._table(table)
        self.ttl[table] = "expires_at"

    async def dynamodb_put_item(
        self, table: str, item: dict[str, Any], *, condition: str | None = None, values: dict[str, Any] | None = None
    ) -> bool:
        await self._enter("dynamodb_put_item")
        items = self._table(table)
        key = (item["pk"], item["sk"])
        if condition and not _holds(condition, items.get(key), values or {}, {}):
            return False
        items[key] = deepcopy(item)
        return True

    async def dynamodb_update_item(
        self,
        table: str,
        key: dict[str, Any],
        update: str,
        *,
        condition: str | None = None,
        values: dict[str, Any] | None = None,
        names: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        await self._enter("dynamodb_update_item")
        items = self._table(table)
        where = (key["pk"], key["sk"])
        current = items.get(where)
        values, names = values or {}, names or {}
        if condition and not _holds(condition, current, values, names):
            return None
        item = deepcopy(current) if current else dict(key)
        verb, _, rest = update.strip().partition(" ")
        if verb == "SET":
            for assignment in rest.split(","):
                name, _, value = (part.strip() for part in assignment.partition("="))
                item[names.get(name, name)] = values[value]
        elif verb == "ADD":
            name, value = rest.split()
            item[names.get(name, name)] = item.get(names.get(name, name), 0) + values[value]
        else:
            raise ValueError(f"the fake does not know the update {update!r}")
        items[where] = item
        return deepcopy(item)

    async def dynamodb_get_item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        await self._enter("dynamodb_get_item")
        item = self._table(table).get((key["pk"], key["sk"]))
        return deepcopy(item) if item else None

    async def dynamodb_query(self, table: str, pk: str, *, sk_prefix: str = "") -> list[dict[str, Any]]:
        await self._enter("dynamodb_query")
        found = [(k, v) for k, v in self._table(table).items() if k[0] == pk and k[1].startswith(sk_prefix)]
        return [deepcopy(v) for _, v in sorted(found, key=lambda kv: kv[0][1])]


def _holds(condition: str, item: dict[str, Any] | None, values: dict[str, Any], names: dict[str, str]) -> bool:
    for joiner, combine in ((" OR ", any), (" AND ", all)):
        if joiner in condition:
            return combine(_holds(part, item, values, names) for part in condition.split(joiner))
    match = _TERM.match(condition.strip())
    if match is None:
        raise ValueError(f"the fake does not know the condition {condition!r}")
    function, tested, name, operator, value = match.groups()
    attributes = item or {}
    if function:
        present = names.get(tested, tested) in attributes
        return present if function == "attribute_exists" else not present
    actual = attributes.get(names.get(name, name))
    if actual is None:
        return False
    return actual == values[value] if operator == "=" else actual < values[value]
