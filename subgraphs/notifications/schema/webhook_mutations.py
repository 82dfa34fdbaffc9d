"""Admins' webhook mutations: register, edit, enable or disable, rotate, delete, replay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from subgraphs.notifications.schema.types import Info, parse_id
from subgraphs.notifications.schema.webhooks import (
    RegisteredWebhook,
    WebhookDeliveryType,
    WebhookEventType,
    WebhookType,
)
from subgraphs.notifications.webhooks import jobs, lifecycle, registry
from subgraphs.notifications.wiring import settings_of, webhook_enqueue_of


@strawberry.input(description="What to change on a webhook; omitted fields stay as they are.")
class WebhookUpdateInput:
    url: str | None = None
    event_types: list[WebhookEventType] | None = None
    description: str | None = None
    enabled: bool | None = strawberry.field(
        default=None,
        description="false: nothing is sent (unsent deliveries end DEAD, replayable); true: "
        "sent again, its failure count reset.",
    )

    def to_changes(self) -> lifecycle.Changes:
        types = None if self.event_types is None else [t.value for t in self.event_types]
        return lifecycle.Changes(
            url=self.url, event_types=types, description=self.description, enabled=self.enabled
        )


@strawberry.type(description="A webhook's new signing secret (shown only once).")
class RotatedWebhookSecret:
    webhook: WebhookType
    secret: str = strawberry.field(
        description="The new `whsec_` secret; the previous one also signs until the webhook's "
        "`previousSecretExpiresAt` (WEBHOOK_SECRET_ROLLOVER_HOURS), unless revoked."
    )


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="Admins: register an endpoint for event types. HTTPS only (http://127.0.0.1 "
        "where WEBHOOKS_ALLOW_LOCAL_HTTP is set). Returns the signing secret once."
    )
    async def register_webhook(
        self,
        info: Info,
        url: str,
        event_types: list[WebhookEventType],
        description: str | None = None,
    ) -> RegisteredWebhook:
        resources = info.context.resources
        done = await registry.register(
            db=resources.database,
            principal=info.context.principal,
            url=url,
            event_types=[value.value for value in event_types],
            description=description,
            allow_local_http=settings_of(resources).webhooks_allow_local_http,
            now=_now(),
        )
        return RegisteredWebhook(webhook=WebhookType.from_model(done.endpoint), secret=done.secret)

    @strawberry.mutation(
        description="Admins: change a webhook's URL, event types, description or whether it is "
        "enabled (same checks as registerWebhook)."
    )
    async def update_webhook(
        self, info: Info, id: strawberry.ID, input: WebhookUpdateInput
    ) -> WebhookType:
        resources = info.context.resources
        registry.require_admin(info.context.principal)
        row = await lifecycle.update(
            db=resources.database,
            principal=info.context.principal,
            endpoint_id=parse_id(id),
            changes=input.to_changes(),
            allow_local_http=settings_of(resources).webhooks_allow_local_http,
            now=_now(),
        )
        return WebhookType.from_model(row)

    @strawberry.mutation(
        description="Admins: a new signing secret, returned once; the previous one keeps "
        "signing beside it for WEBHOOK_SECRET_ROLLOVER_HOURS unless revokePrevious."
    )
    async def rotate_webhook_secret(
        self,
        info: Info,
        id: strawberry.ID,
        revoke_previous: Annotated[
            bool, strawberry.argument(description="Stop signing with the old secret at once.")
        ] = False,
    ) -> RotatedWebhookSecret:
        resources = info.context.resources
        registry.require_admin(info.context.principal)
        done = await lifecycle.rotate_secret(
            db=resources.database,
            principal=info.context.principal,
            endpoint_id=parse_id(id),
            rollover=settings_of(resources).webhook_secret_rollover,
            revoke_previous=revoke_previous,
            now=_now(),
        )
        webhook = WebhookType.from_model(done.endpoint)
        return RotatedWebhookSecret(webhook=webhook, secret=done.secret)

    @strawberry.mutation(
        description="Admins: delete a webhook. Nothing is sent to it any more (unsent deliveries "
        "end DEAD); it and its deliveries stay readable as history (webhooks(includeDeleted))."
    )
    async def delete_webhook(self, info: Info, id: strawberry.ID) -> WebhookType:
        registry.require_admin(info.context.principal)
        row = await lifecycle.delete(
            db=info.context.resources.database,
            principal=info.context.principal,
            endpoint_id=parse_id(id),
            now=_now(),
        )
        return WebhookType.from_model(row)

    @strawberry.mutation(
        description="Admins: send a delivery again (same webhook-id and body, signed afresh), "
        "even to a disabled endpoint; a success enables the endpoint again."
    )
    async def replay_webhook_delivery(self, info: Info, id: strawberry.ID) -> WebhookDeliveryType:
        resources = info.context.resources
        row = await registry.replay(
            db=resources.database, principal=info.context.principal, delivery_id=parse_id(id)
        )
        enqueue = webhook_enqueue_of(resources)
        if enqueue is not None:
            await jobs.submit(enqueue, [uuid.UUID(str(row.id))])
        return WebhookDeliveryType.from_model(row)
