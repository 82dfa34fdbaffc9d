"""The notifications subgraph's mutations: marking read, preferences."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from subgraphs.notifications.schema.types import (
    Info,
    MarkNotificationsReadPayload,
    NotificationPreferences,
    NotificationPreferencesInput,
    parse_id,
)
from subgraphs.notifications.schema.webhook_mutations import WebhookMutation
from subgraphs.notifications.service import inbox as service
from subgraphs.notifications.wiring import plan_config
from subgraphs.shared.auth import IsAuthenticated
from subgraphs.shared.errors import BadUserInput


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class Mutation(WebhookMutation):
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Mark the given in-app notifications (or all of them) read.",
    )
    async def mark_notifications_read(
        self, info: Info, ids: list[strawberry.ID] | None = None, all: bool = False
    ) -> MarkNotificationsReadPayload:
        if (ids is None) == (not all):
            raise BadUserInput("Give either ids or all: true.", field="ids")
        user, db = info.context.require().user_id, info.context.resources.database
        chosen = None if all else [parse_id(value, "ids") for value in ids or []]
        updated = await service.mark_read(db=db, user_id=user, ids=chosen, now=_now())
        unread = await service.unread_count(db=db, user_id=user)
        return MarkNotificationsReadPayload(updated=updated, unread_count=unread)

    @strawberry.mutation(permission_classes=[IsAuthenticated], description="Change preferences.")
    async def update_notification_preferences(
        self, info: Info, input: NotificationPreferencesInput
    ) -> NotificationPreferences:
        resources = info.context.resources
        view = await service.update_preferences(
            db=resources.database,
            user_id=info.context.require().user_id,
            config=plan_config(resources),
            now=_now(),
            **vars(input),
        )
        return NotificationPreferences.from_view(view)
