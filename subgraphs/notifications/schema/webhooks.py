"""Admins' webhooks: their GraphQL types, and the queries listing endpoints and deliveries.

The mutations are in `webhook_mutations`.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Self

import strawberry

from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.schema.types import Info, parse_id
from subgraphs.notifications.webhooks import registry
from subgraphs.shared.connections import (
    AfterArg,
    ConnectionPageInfo,
    Edge,
    edges,
    page_facts,
    window,
)


@strawberry.enum(
    description="Events an endpoint can hear; a body's `type` is the value's dotted name "
    "(APPOINTMENT_BOOKED: `appointment.booked`)."
)
class WebhookEventType(Enum):
    APPOINTMENT_BOOKED = "appointment.booked"
    APPOINTMENT_CONFIRMED = "appointment.confirmed"
    APPOINTMENT_REJECTED = "appointment.rejected"
    APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
    APPOINTMENT_CANCELLED = "appointment.cancelled"
    APPOINTMENT_COMPLETED = "appointment.completed"
    APPOINTMENT_NO_SHOW = "appointment.no_show"
    DOCTOR_APPROVED = "doctor.approved"


@strawberry.enum(description="Where a webhook delivery stands.")
class WebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Waiting for its (next) attempt.")
    SENT = strawberry.enum_value("SENT", description="The endpoint answered 2xx.")
    FAILED = strawberry.enum_value("FAILED", description="Last attempt failed; retried.")
    DEAD = strawberry.enum_value("DEAD", description="Retries exhausted or endpoint disabled.")


@strawberry.type(name="Webhook", description="An endpoint that hears events (admins only).")
class WebhookType:
    id: strawberry.ID
    url: str
    description: str
    event_types: list[WebhookEventType]
    enabled: bool = strawberry.field(
        description="False once an admin disabled it or WEBHOOK_DISABLE_AFTER_FAILURES attempts "
        "in a row failed; updateWebhook(enabled: true) or a successful replay enables it again."
    )
    consecutive_failures: int
    disabled_at: datetime | None
    created_at: datetime
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation: until when the previous secret still signs beside the "
        "new one (a second `v1,` signature); null when only the current secret signs."
    )
    deleted_at: datetime | None = strawberry.field(
        description="Set once deleted: nothing is sent any more; its deliveries stay listed."
    )

    @classmethod
    def from_model(cls, row: WebhookEndpoint) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            url=row.url,
            description=row.description,
            event_types=[WebhookEventType(value) for value in row.event_types],
            enabled=row.enabled,
            consecutive_failures=row.consecutive_failures,
            disabled_at=row.disabled_at,
            created_at=row.created_at,
            previous_secret_expires_at=row.previous_secret_expires_at,
            deleted_at=row.deleted_at,
        )


@strawberry.type(description="A registered endpoint and its signing secret (shown only once).")
class RegisteredWebhook:
    webhook: WebhookType
    secret: str = strawberry.field(
        description="The Standard Webhooks secret (`whsec_` + base64) to verify signatures with."
    )


@strawberry.type(name="WebhookDelivery", description="One event sent (or to send) to one endpoint.")
class WebhookDeliveryType:
    id: strawberry.ID = strawberry.field(description="Also the `webhook-id` header: msg_<hex>.")
    webhook_id: strawberry.ID
    event_type: WebhookEventType
    status: WebhookDeliveryStatus
    attempts: int
    last_error: str | None
    last_status_code: int | None
    created_at: datetime
    attempted_at: datetime | None
    sent_at: datetime | None
    body: str = strawberry.field(description="The exact JSON body that is signed and sent.")

    @classmethod
    def from_model(cls, row: WebhookDelivery) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            webhook_id=strawberry.ID(str(row.endpoint_id)),
            event_type=WebhookEventType(row.event_type),
            status=WebhookDeliveryStatus(row.status),
            attempts=row.attempts,
            last_error=row.last_error,
            last_status_code=row.last_status_code,
            created_at=row.created_at,
            attempted_at=row.attempted_at,
            sent_at=row.sent_at,
            body=row.body,
        )


@strawberry.type(name="WebhookDeliveryPageInfo", description="Where a page of deliveries is.")
class WebhookDeliveryPageInfo(ConnectionPageInfo):
    pass


@strawberry.type(description="An endpoint's deliveries, newest first (Relay cursor connection).")
class WebhookDeliveryConnection:
    edges: list[Edge[WebhookDeliveryType]]
    nodes: list[WebhookDeliveryType]
    page_info: WebhookDeliveryPageInfo
    total_count: int


def _same(node: WebhookDeliveryType) -> WebhookDeliveryType:
    return node


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="Admins: every registered webhook endpoint (FORBIDDEN else).")
    async def webhooks(
        self,
        info: Info,
        include_deleted: Annotated[
            bool, strawberry.argument(description="Also deleted ones (their history).")
        ] = False,
    ) -> list[WebhookType]:
        rows = await registry.endpoints(
            db=info.context.resources.database,
            principal=info.context.principal,
            include_deleted=include_deleted,
        )
        return [WebhookType.from_model(row) for row in rows]

    @strawberry.field(description="Admins: one endpoint's deliveries, newest first.")
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: strawberry.ID,
        first: Annotated[
            int | None, strawberry.argument(description="How many (1 to 100; 20 if not given).")
        ] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> WebhookDeliveryConnection:
        registry.require_admin(info.context.principal)
        endpoint_id = parse_id(webhook_id, "webhookId")
        list_name = f"webhook:{endpoint_id}:deliveries"
        w = window(list_name=list_name, first=first, after=after, default_size=20, maximum=100)
        page = await registry.deliveries(
            db=info.context.resources.database,
            principal=info.context.principal,
            endpoint_id=endpoint_id,
            offset=w.offset,
            limit=w.limit,
        )
        nodes = [WebhookDeliveryType.from_model(row) for row in page.items]
        facts = page_facts(list_name=list_name, offset=w.offset, count=len(nodes), total=page.total)
        return WebhookDeliveryConnection(
            edges=edges(list_name=list_name, offset=w.offset, rows=nodes, to_node=_same),
            nodes=nodes,
            page_info=WebhookDeliveryPageInfo.of(facts),
            total_count=page.total,
        )
