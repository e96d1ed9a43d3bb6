"""DynamoDB: the team's own table (team mode), read and written with plain Python values.

Items go in and come out as dicts of str/int/bytes/bool/None/lists/dicts (numbers come back as ``int``);
the attribute-value encoding is botocore's business and stays here. A failed condition is not a failure of
the store: it is the answer "someone else was first", returned as ``False`` / ``None``, never raised.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure

CONDITION_FAILED = "ConditionalCheckFailedException"
TTL_ATTRIBUTE = "expires_at"  # epoch seconds; DynamoDB deletes the item some time after it (reads still filter)
MAX_QUERY_PAGES = 20

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


class DynamoDbCalls(AwsBase):
    async def dynamodb_table_status(self, table: str) -> str:
        """DescribeTable's TableStatus (ACTIVE, CREATING…); NOT_FOUND when the table does not exist."""
        raw = await self._call("dynamodb", "DescribeTable", TableName=table)
        return str(raw["Table"]["TableStatus"])

    async def dynamodb_create_table(self, table: str) -> None:
        """CreateTable with string keys ``pk``/``sk``, on-demand; then TTL on ``expires_at`` (UpdateTimeToLive)."""
        await self._call(
            "dynamodb",
            "CreateTable",
            mutation=True,
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        )
        await self.dynamodb_enable_ttl(table)

    async def dynamodb_enable_ttl(self, table: str) -> None:
        await self._call(
            "dynamodb",
            "UpdateTimeToLive",
            mutation=True,
            TableName=table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )

    async def dynamodb_put_item(
        self, table: str, item: dict[str, Any], *, condition: str | None = None, values: dict[str, Any] | None = None
    ) -> bool:
        """PutItem; False when ``condition`` did not hold (nothing written)."""
        params: dict[str, Any] = {"TableName": table, "Item": encode(item)}
        params.update(_condition(condition, values))
        return await self._conditional("PutItem", params) is not None

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
        """UpdateItem; the item as it is after the update, or None when ``condition`` did not hold."""
        params: dict[str, Any] = {"TableName": table, "Key": encode(key), "UpdateExpression": update, "ReturnValues": "ALL_NEW"}
        params.update(_condition(condition, values))
        if names:
            params["ExpressionAttributeNames"] = names
        raw = await self._conditional("UpdateItem", params)
        return None if raw is None else decode(raw.get("Attributes", {}))

    async def dynamodb_get_item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """GetItem, strongly consistent (a colleague's write is seen at once)."""
        raw = await self._call("dynamodb", "GetItem", TableName=table, Key=encode(key), ConsistentRead=True)
        return decode(raw["Item"]) if raw.get("Item") else None

    async def dynamodb_query(self, table: str, pk: str, *, sk_prefix: str = "") -> list[dict[str, Any]]:
        """Every item of partition ``pk`` (whose sort key starts with ``sk_prefix``), in sort-key order,
        strongly consistent, at most MAX_QUERY_PAGES pages."""
        condition = "pk = :pk" + (" AND begins_with(sk, :prefix)" if sk_prefix else "")
        values = {":pk": pk, **({":prefix": sk_prefix} if sk_prefix else {})}
        items: list[dict[str, Any]] = []
        start: dict | None = None
        for _ in range(MAX_QUERY_PAGES):
            raw = await self._call(
                "dynamodb",
                "Query",
                TableName=table,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=encode(values),
                ConsistentRead=True,
                **({"ExclusiveStartKey": start} if start else {}),
            )
            items += [decode(item) for item in raw.get("Items", []) or []]
            start = raw.get("LastEvaluatedKey")
            if not start:
                break
        return items

    async def _conditional(self, operation: str, params: dict[str, Any]) -> dict | None:
        try:
            return await self._call("dynamodb", operation, **params)
        except AwsFailure as failure:
            if failure.code == CONDITION_FAILED:
                return None
            raise


def _condition(condition: str | None, values: dict[str, Any] | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if condition:
        params["ConditionExpression"] = condition
    if values:
        params["ExpressionAttributeValues"] = encode(values)
    return params


def encode(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _SERIALIZER.serialize(value) for name, value in values.items()}


def decode(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain(_DESERIALIZER.deserialize(value)) for name, value in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), bytes):  # boto3's Binary
        return bytes(value.value)
    return value
