"""The notifications GraphQL types and their mapping from the store's rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Self

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.notifications.service import auditing
from subgraphs.notifications.service import inbox as service
from subgraphs.shared.connections import ConnectionPageInfo, Edge, edges, page_facts
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.graphql import Context

Info = strawberry.Info[Context, None]

NotificationChannel = strawberry.enum(
    Channel, name="NotificationChannel", description="Where a notification is delivered."
)
NotificationStatus = strawberry.enum(
    DeliveryStatus,
    name="NotificationStatus",
    description="PENDING until sent; FAILED between retries; DEAD once given up.",
)


def parse_id(value: strawberry.ID | str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise BadUserInput(f"{field} is not a valid id.", field=field) from None


def _loader(info: Info) -> DataLoader[uuid.UUID, Notification | None]:
    loaders = info.context.loaders
    if "notification" not in loaders:
        db = info.context.resources.database

        async def load(ids: list[uuid.UUID]) -> list[Notification | None]:
            found = {row.id: row for row in await service.notifications_by_ids(db=db, ids=ids)}
            return [found.get(key) for key in ids]

        loaders["notification"] = DataLoader(load_fn=load)
    loader: DataLoader[uuid.UUID, Notification | None] = loaders["notification"]
    return loader


@strawberry.federation.type(
    name="Notification", keys=["id"], description="One message to one user on one channel."
)
class NotificationType:
    id: strawberry.ID
    user_id: strawberry.ID
    channel: Channel
    template: str = strawberry.field(
        description="What the message is about, e.g. appointment_booked."
    )
    status: DeliveryStatus
    title: str = strawberry.field(description="Subject (email) or title (SMS, in-app).")
    body: str = strawberry.field(
        description="The text; redacted once sent when it held a secret link."
    )
    recipient: str = strawberry.field(description="Email address, phone number or user id.")
    attempts: int
    provider_message_id: str | None
    last_error: str | None
    appointment_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    read_at: datetime | None

    @strawberry.field(description="Whether the user has read it (in-app).")
    def read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def from_model(cls, row: Notification) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            user_id=strawberry.ID(str(row.user_id)),
            channel=row.channel,
            template=row.template,
            status=row.status,
            title=row.subject,
            body=row.body,
            recipient=row.recipient,
            attempts=row.attempts,
            provider_message_id=row.provider_message_id,
            last_error=row.last_error,
            appointment_id=strawberry.ID(str(row.appointment_id)) if row.appointment_id else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            sent_at=row.sent_at,
            read_at=row.read_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Self | None:
        principal = info.context.require()
        row = await _loader(info).load(parse_id(id))
        if row is None:
            return None
        allowed = principal.is_admin or row.user_id == principal.user_id
        await auditing.looked_up(info.context.resources.database, row, allowed=allowed)
        return cls.from_model(row) if allowed else None


@strawberry.type(name="NotificationPageInfo", description="Where a page of notifications is.")
class NotificationPageInfo(ConnectionPageInfo):
    pass


_MOVED = "Use the connection's fields: "


@strawberry.type(
    description="A page of notifications: a Relay cursor connection (`edges`, `nodes`, "
    "`pageInfo`, `totalCount`); the older page-number fields are deprecated."
)
class NotificationPage:
    items: list[NotificationType] = strawberry.field(deprecation_reason=_MOVED + "`nodes`.")
    total: int = strawberry.field(deprecation_reason=_MOVED + "`totalCount`.")
    page: int = strawberry.field(deprecation_reason="Use `first`/`after` and `pageInfo`.")
    page_size: int = strawberry.field(deprecation_reason="Use the field's `first` argument.")
    edges: list[Edge[NotificationType]] = strawberry.field(
        description="The notifications of this page, each with its cursor."
    )
    page_info: NotificationPageInfo = strawberry.field(
        description="Where this page is; pass `endCursor` as `after` for the next one."
    )
    total_count: int = strawberry.field(description="How many notifications the list holds.")
    offset: strawberry.Private[int]

    @strawberry.field(description="The notifications of this page, in order.")
    def nodes(self) -> list[NotificationType]:
        return self.items

    @strawberry.field(deprecation_reason=_MOVED + "`pageInfo.hasNextPage`.")
    def has_next_page(self) -> bool:
        return self.offset + len(self.items) < self.total

    @classmethod
    def from_page(cls, page: service.Page, *, list_name: str) -> Self:
        nodes = [NotificationType.from_model(row) for row in page.items]
        facts = page_facts(
            list_name=list_name, offset=page.offset, count=len(nodes), total=page.total
        )
        return cls(
            items=nodes,
            total=page.total,
            page=page.number,
            page_size=page.size,
            edges=edges(list_name=list_name, offset=page.offset, rows=nodes, to_node=_same),
            page_info=NotificationPageInfo.of(facts),
            total_count=page.total,
            offset=page.offset,
        )


def _same(node: NotificationType) -> NotificationType:
    return node


CHANNELS_MOVED = (
    "Channels are chosen in the profile: read and change User.notificationChannels "
    "(updateProfile); this field restates that choice."
)


@strawberry.type(description="How a user wants to be notified.")
class NotificationPreferences:
    email_enabled: bool = strawberry.field(deprecation_reason=CHANNELS_MOVED)
    sms_enabled: bool = strawberry.field(
        deprecation_reason=CHANNELS_MOVED,
        description="SMS only with an explicit opt-in (SMS in notificationChannels) and a phone.",
    )
    in_app_enabled: bool = strawberry.field(deprecation_reason=CHANNELS_MOVED)
    reminder_lead_minutes: list[int] = strawberry.field(
        description="Minutes before each appointment a reminder goes out, longest first."
    )
    language: str | None = strawberry.field(description="Templates' language; null: the profile's.")

    @classmethod
    def from_view(cls, view: service.PreferencesView) -> Self:
        return cls(
            email_enabled=view.email_enabled,
            sms_enabled=view.sms_enabled,
            in_app_enabled=view.in_app_enabled,
            reminder_lead_minutes=view.reminder_lead_minutes,
            language=view.language,
        )


@strawberry.input(description="Preferences to change; omitted fields stay as they are.")
class NotificationPreferencesInput:
    email_enabled: bool | None = strawberry.field(
        default=None, deprecation_reason=CHANNELS_MOVED + " A different value is refused."
    )
    sms_enabled: bool | None = strawberry.field(
        default=None, deprecation_reason=CHANNELS_MOVED + " A different value is refused."
    )
    in_app_enabled: bool | None = strawberry.field(
        default=None, deprecation_reason=CHANNELS_MOVED + " A different value is refused."
    )
    reminder_lead_minutes: list[int] | None = None
    language: str | None = None


@strawberry.input(description="Admin filter over every notification; empty matches all.")
class NotificationFilter:
    channel: Channel | None = None
    status: DeliveryStatus | None = None
    template: str | None = None
    user_id: strawberry.ID | None = None
    recipient: str | None = strawberry.field(default=None, description="Substring match.")
    created_after: datetime | None = None
    created_before: datetime | None = None

    def to_filter(self) -> service.Filter:
        return service.Filter(
            channel=self.channel,
            status=self.status,
            template=self.template,
            user_id=parse_id(self.user_id, "userId") if self.user_id else None,
            recipient=self.recipient,
            created_after=self.created_after,
            created_before=self.created_before,
        )


@strawberry.type(description="How many notifications have one channel and status.")
class NotificationCount:
    channel: Channel
    status: DeliveryStatus
    count: int


@strawberry.type
class MarkNotificationsReadPayload:
    updated: int
    unread_count: int
