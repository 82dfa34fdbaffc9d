"""The notifications subgraph's subscription: a user's new in-app notifications."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from subgraphs.notifications.schema.types import (
    Info,
    NotificationType,
    parse_id,
)
from subgraphs.notifications.service import delivery
from subgraphs.notifications.service import inbox as service
from subgraphs.shared.auth import IsAuthenticated


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=[IsAuthenticated], description="Your in-app notifications, live."
    )
    async def notification_received(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        user = info.context.require().user_id
        resources = info.context.resources
        async with resources.pubsub.subscription(delivery.user_channel(user)) as stream:
            async for message in stream:
                found = await service.notifications_by_ids(
                    db=resources.database, ids=[parse_id(str(message.get("id")))]
                )
                for row in found:
                    if row.user_id == user:
                        yield NotificationType.from_model(row)
