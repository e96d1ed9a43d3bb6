"""Presence items on the team table (``core.presence``): ``PRESENCE#<cluster>/<service>`` / ``CONSOLE#<console>``,
each console's own, overwritten by it every refresh, ``expires_at`` minutes later (DynamoDB's TTL drops it)."""

from __future__ import annotations

from kojan_tui.aws.protocol import DynamoDbApi
from kojan_tui.core.frames import expires_at
from kojan_tui.core.presence import PRESENCE_TTL, Presence, presence_pk
from kojan_tui.core.secret_rule import mask_text

CONSOLE_PREFIX = "CONSOLE#"


class PresenceTable:
    def __init__(self, api: DynamoDbApi, table: str, cluster: str, service: str) -> None:
        self.api = api
        self.table = table
        self.pk = presence_pk(cluster, service)

    async def put(self, presence: Presence) -> None:
        item = {
            "pk": self.pk,
            "sk": CONSOLE_PREFIX + presence.console,
            **{k: mask_text(v) for k, v in presence.to_item().items()},
            "expires_at": expires_at(presence.at, PRESENCE_TTL),
        }
        await self.api.dynamodb_put_item(self.table, item)

    async def everyone(self) -> list[Presence]:
        items = await self.api.dynamodb_query(self.table, self.pk, sk_prefix=CONSOLE_PREFIX)
        found = []
        for item in items:
            try:
                found.append(Presence.from_item(item))
            except (KeyError, ValueError, TypeError):
                continue
        return found
