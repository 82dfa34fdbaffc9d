"""The notifications subgraph's queries: a user's inbox and preferences, admin tracking."""

from __future__ import annotations

from typing import Annotated

import strawberry

from subgraphs.notifications.schema.paging import (
    FirstArg,
    PageArg,
    PageSizeArg,
    read_window,
)
from subgraphs.notifications.schema.types import (
    Info,
    NotificationCount,
    NotificationFilter,
    NotificationPage,
    NotificationPreferences,
)
from subgraphs.notifications.schema.webhooks import WebhookQuery
from subgraphs.notifications.service import inbox as service
from subgraphs.notifications.wiring import plan_config
from subgraphs.shared.auth import IsAuthenticated, Role, has_role
from subgraphs.shared.connections import AfterArg


@strawberry.type
class Query(WebhookQuery):
    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Your in-app notifications."
    )
    async def my_notifications(
        self,
        info: Info,
        page: Annotated[int | None, PageArg] = None,
        page_size: Annotated[int | None, PageSizeArg] = None,
        unread_only: bool = False,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> NotificationPage:
        user = info.context.require().user_id
        name = "notifications.mine.unread" if unread_only else "notifications.mine"
        found = await service.my_notifications(
            db=info.context.resources.database,
            user_id=user,
            window=read_window(name, page, page_size, first, after),
            unread_only=unread_only,
        )
        return NotificationPage.from_page(found, list_name=name)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Your unread count.")
    async def unread_notification_count(self, info: Info) -> int:
        user = info.context.require().user_id
        return await service.unread_count(db=info.context.resources.database, user_id=user)

    @strawberry.field(permission_classes=[IsAuthenticated], description="How you are notified.")
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        resources = info.context.resources
        view = await service.preferences(
            db=resources.database,
            user_id=info.context.require().user_id,
            config=plan_config(resources),
        )
        return NotificationPreferences.from_view(view)

    @strawberry.field(
        permission_classes=[has_role(Role.ADMIN)], description="Every notification (admins)."
    )
    async def notifications(
        self,
        info: Info,
        filter: NotificationFilter | None = None,
        page: Annotated[int | None, PageArg] = None,
        page_size: Annotated[int | None, PageSizeArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> NotificationPage:
        where = (filter or NotificationFilter()).to_filter()
        found = await service.list_notifications(
            db=info.context.resources.database,
            where=where,
            window=read_window("notifications.all", page, page_size, first, after),
        )
        return NotificationPage.from_page(found, list_name="notifications.all")

    @strawberry.field(
        permission_classes=[has_role(Role.ADMIN)], description="Counts by channel and status."
    )
    async def notification_stats(
        self, info: Info, filter: NotificationFilter | None = None
    ) -> list[NotificationCount]:
        where = (filter or NotificationFilter()).to_filter()
        rows = await service.stats(db=info.context.resources.database, where=where)
        return [NotificationCount(channel=c, status=s, count=n) for c, s, n in rows]
