"""Managing webhooks on both stores: edit with registration's checks, disable and re-enable,
rotate the secret with a rollover the receiver verifies, soft delete; admins only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.schema.webhooks import WebhookEventType
from subgraphs.notifications.webhooks import delivery, jobs
from subgraphs.notifications.wiring import SETTINGS_KEY, settings_of
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.settings import Settings
from tests.integration.notifications.api import Api, open_api
from tests.integration.notifications.scenario import Cast
from tests.support.webhook_receiver import WebhookReceiver, verify

ADMIN = uuid.uuid4()
AS_ADMIN: dict[str, Any] = {"user": ADMIN, "role": Role.ADMIN}
ALL_TYPES = [t.name for t in WebhookEventType]
REGISTER = """mutation($url: String!, $types: [WebhookEventType!]!) {
  registerWebhook(url: $url, eventTypes: $types, description: "ERP") { secret webhook { id } }
}"""
FIELDS = "id url description eventTypes enabled consecutiveFailures disabledAt deletedAt"
UPDATE = f"""mutation($id: ID!, $input: WebhookUpdateInput!) {{
  updateWebhook(id: $id, input: $input) {{ {FIELDS} }}
}}"""
ROTATE = """mutation($id: ID!, $revoke: Boolean! = false) {
  rotateWebhookSecret(id: $id, revokePrevious: $revoke) {
    secret webhook { id previousSecretExpiresAt }
  }
}"""
DELETE = f"mutation($id: ID!) {{ deleteWebhook(id: $id) {{ {FIELDS} }} }}"
LIST = "query($all: Boolean! = false) { webhooks(includeDeleted: $all) { id deletedAt } }"
DELIVERIES = """query($id: ID!) {
  webhookDeliveries(webhookId: $id) { nodes { id status lastError } }
}"""
REPLAY = "mutation($id: ID!) { replayWebhookDelivery(id: $id) { id status } }"


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    opened = open_api(db, settings)
    own = settings_of(opened.resources)
    opened.resources.extras[SETTINGS_KEY] = replace(own, webhooks_allow_local_http=True)
    async with opened.client:
        yield opened


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as running:
        yield running


async def register(api: Api, receiver: WebhookReceiver) -> str:
    done = (await api.data(REGISTER, {"url": receiver.url, "types": ALL_TYPES}, **AS_ADMIN))[
        "registerWebhook"
    ]
    receiver.secret = done["secret"]
    webhook_id: str = done["webhook"]["id"]
    return webhook_id


async def attempt(db: Database, delivery_id: uuid.UUID) -> str:
    return await delivery.attempt(
        db=db, delivery_id=delivery_id, post=jobs.http_post(5), now=_now(), disable_after=20
    )


async def planned(db: Database) -> list[uuid.UUID]:
    return await delivery.plan(db, Cast().appointment("AppointmentBooked"), now=_now())


async def stored(db: Database, webhook_id: str) -> WebhookEndpoint:
    async with db.session() as session:
        row = await session.get(WebhookEndpoint, uuid.UUID(webhook_id))
    assert row is not None
    return row


async def statuses(db: Database) -> list[tuple[str, str | None]]:
    async with db.session() as session:
        rows = (await session.exec(select(WebhookDelivery))).all()
    return sorted((row.status, row.last_error) for row in rows)


async def test_only_admins_change_rotate_or_delete_a_webhook(
    api: Api, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    cases: list[tuple[str, dict[str, Any]]] = [
        (UPDATE, {"id": webhook_id, "input": {"enabled": False}}),
        (ROTATE, {"id": webhook_id}),
        (DELETE, {"id": webhook_id}),
    ]
    for query, variables in cases:
        for role in (Role.PATIENT, Role.DOCTOR):
            code = await api.error_code(query, variables, user=uuid.uuid4(), role=role)
            assert code == "FORBIDDEN"
        assert await api.error_code(query, variables) == "FORBIDDEN"
        unknown = {**variables, "id": str(uuid.uuid4())}
        assert await api.error_code(query, unknown, **AS_ADMIN) == "NOT_FOUND"
        assert await api.error_code(query, {**variables, "id": "x"}, **AS_ADMIN) == (
            "BAD_USER_INPUT"
        )
    listed = (await api.data(LIST, **AS_ADMIN))["webhooks"]
    assert listed == [{"id": webhook_id, "deletedAt": None}], "nothing changed"


async def test_an_edit_is_checked_like_a_registration_and_changes_only_what_is_given(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    refused = [
        ({"url": "http://clinic.example/hook"}, "url"),
        ({"url": "https://user:pw@clinic.example/hook"}, "url"),
        ({"eventTypes": []}, "eventTypes"),
        ({"description": "x" * 501}, "description"),
        ({"url": "https://ok.example/h", "description": "x" * 501}, "description"),
    ]
    for change, field in refused:
        body = await api.call(UPDATE, {"id": webhook_id, "input": change}, **AS_ADMIN)
        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["field"]) == (
            "BAD_USER_INPUT",
            field,
        )
    assert (await stored(db, webhook_id)).url == receiver.url, "nothing half-written"
    change = {"url": " https://erp.example/hooks ", "eventTypes": ["DOCTOR_APPROVED"]}
    done = (await api.data(UPDATE, {"id": webhook_id, "input": change}, **AS_ADMIN))[
        "updateWebhook"
    ]
    assert (done["url"], done["eventTypes"], done["description"]) == (
        "https://erp.example/hooks",
        ["DOCTOR_APPROVED"],
        "ERP",
    )
    done = (await api.data(UPDATE, {"id": webhook_id, "input": {"description": ""}}, **AS_ADMIN))[
        "updateWebhook"
    ]
    assert (done["url"], done["description"], done["enabled"]) == (
        "https://erp.example/hooks",
        "",
        True,
    )
    async with db.session() as session:
        audited = (
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.event_type) == "AuditRecorded")
            )
        ).all()
    actions = sorted(m.payload["action"] for m in audited)
    assert actions == ["WebhookRegistered", "WebhookUpdated", "WebhookUpdated"]
    assert all(m.payload["subject_id"] == webhook_id for m in audited)
    assert "erp.example" not in str([m.payload for m in audited])


async def test_a_disabled_endpoint_gets_nothing_until_it_is_enabled_again(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    receiver.fail_next(2, status=503)
    [failing] = await planned(db)
    for _ in range(2):
        with pytest.raises(delivery.DeliveryFailed):
            await attempt(db, failing)
    [waiting] = await planned(db)
    off = await api.data(UPDATE, {"id": webhook_id, "input": {"enabled": False}}, **AS_ADMIN)
    assert off["updateWebhook"]["enabled"] is False
    assert off["updateWebhook"]["disabledAt"] is not None
    assert await statuses(db) == [("DEAD", "the endpoint is disabled")] * 2
    assert await attempt(db, waiting) == "DEAD", "a job already queued sends nothing"
    assert await attempt(db, failing) == "DEAD"
    assert await planned(db) == [], "no new event is planned for it"
    assert len(receiver.received) == 2
    assert (await stored(db, webhook_id)).consecutive_failures == 2
    on = await api.data(UPDATE, {"id": webhook_id, "input": {"enabled": True}}, **AS_ADMIN)
    assert (on["updateWebhook"]["enabled"], on["updateWebhook"]["consecutiveFailures"]) == (
        True,
        0,
    )
    assert on["updateWebhook"]["disabledAt"] is None
    [fresh] = await planned(db)
    assert await attempt(db, fresh) == "SENT"
    assert len(receiver.received) == 3
    assert receiver.received[-1].verified
    assert receiver.received[-1].headers["webhook-id"] == delivery.message_id(fresh)


async def test_a_deleted_endpoint_gets_nothing_and_keeps_its_history(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    [sent] = await planned(db)
    assert await attempt(db, sent) == "SENT"
    [waiting] = await planned(db)
    deleted = (await api.data(DELETE, {"id": webhook_id}, **AS_ADMIN))["deleteWebhook"]
    assert deleted["deletedAt"] is not None
    assert deleted["enabled"] is False
    assert await attempt(db, waiting) == "DEAD", "a job already queued sends nothing"
    assert await planned(db) == []
    assert len(receiver.received) == 1
    row = await stored(db, webhook_id)
    assert (row.secret, row.previous_secret) == ("", None), "its secrets are gone"
    assert (await api.data(LIST, **AS_ADMIN))["webhooks"] == []
    [kept] = (await api.data(LIST, {"all": True}, **AS_ADMIN))["webhooks"]
    assert kept == {"id": webhook_id, "deletedAt": deleted["deletedAt"]}
    history = (await api.data(DELIVERIES, {"id": webhook_id}, **AS_ADMIN))["webhookDeliveries"]
    assert sorted((n["status"], n["lastError"]) for n in history["nodes"]) == [
        ("DEAD", "the endpoint was deleted"),
        ("SENT", None),
    ]
    for query in (DELETE, ROTATE):
        assert await api.error_code(query, {"id": webhook_id}, **AS_ADMIN) == "NOT_FOUND"
    enable = {"id": webhook_id, "input": {"enabled": True}}
    assert await api.error_code(UPDATE, enable, **AS_ADMIN) == "NOT_FOUND"
    assert await api.error_code(REPLAY, {"id": str(sent)}, **AS_ADMIN) == "CONFLICT"
    assert await attempt(db, sent) == "SENT"
    assert len(receiver.received) == 1


async def test_a_rotated_secret_verifies_and_the_old_one_too_until_the_rollover_ends(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    old = receiver.secret
    rotated = (await api.data(ROTATE, {"id": webhook_id}, **AS_ADMIN))["rotateWebhookSecret"]
    new = rotated["secret"]
    assert new.startswith("whsec_")
    assert new != old
    until = datetime.fromisoformat(rotated["webhook"]["previousSecretExpiresAt"])
    assert timedelta(hours=23) < until - _now() <= timedelta(hours=24)
    assert "secret" not in str((await api.data(LIST, **AS_ADMIN))["webhooks"])
    [first] = await planned(db)
    assert await attempt(db, first) == "SENT", "the receiver still holds the old secret"
    got = receiver.received[-1]
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert verify(old, got.headers, got.body)
    assert verify(new, got.headers, got.body)
    receiver.secret = new
    [second] = await planned(db)
    assert await attempt(db, second) == "SENT"
    async with db.transaction() as session:
        row = await session.get(WebhookEndpoint, uuid.UUID(webhook_id))
        assert row is not None
        row.previous_secret_expires_at = _now() - timedelta(seconds=1)
        session.add(row)
    [third] = await planned(db)
    assert await attempt(db, third) == "SENT"
    got = receiver.received[-1]
    assert verify(new, got.headers, got.body)
    assert not verify(old, got.headers, got.body)
    assert got.headers["webhook-signature"].count("v1,") == 1


async def test_a_revoked_or_zero_rollover_rotation_replaces_the_secret_at_once(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    old = receiver.secret
    revoked = await api.data(ROTATE, {"id": webhook_id, "revoke": True}, **AS_ADMIN)
    assert revoked["rotateWebhookSecret"]["webhook"]["previousSecretExpiresAt"] is None
    [first] = await planned(db)
    with pytest.raises(delivery.DeliveryFailed, match="HTTP 401"):
        await attempt(db, first)
    assert not receiver.received[-1].verified, "the old secret no longer signs"
    receiver.secret = revoked["rotateWebhookSecret"]["secret"]
    assert await attempt(db, first) == "SENT"
    own = settings_of(api.resources)
    api.resources.extras[SETTINGS_KEY] = replace(own, webhook_secret_rollover_hours=0)
    again = (await api.data(ROTATE, {"id": webhook_id}, **AS_ADMIN))["rotateWebhookSecret"]
    assert again["webhook"]["previousSecretExpiresAt"] is None
    receiver.secret = again["secret"]
    [second] = await planned(db)
    assert await attempt(db, second) == "SENT"
    got = receiver.received[-1]
    assert not verify(old, got.headers, got.body)
    assert got.headers["webhook-signature"].count("v1,") == 1


def _now() -> datetime:
    return datetime.now(UTC)
