"""The GraphQL API: a user's inbox and preferences, admins' tracking view, the live feed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col

from subgraphs.notifications.channels import Channels
from subgraphs.notifications.domain import Channel, DeliveryStatus, ReminderStatus
from subgraphs.notifications.models import Notification, Reminder
from subgraphs.notifications.service import delivery, intake
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.graphql import Context
from subgraphs.shared.metrics import GraphQLMetrics
from subgraphs.shared.settings import Settings
from tests.integration.notifications.api import Api, open_api
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast

INBOX = """query($unread: Boolean!) { myNotifications(unreadOnly: $unread, pageSize: 10) {
  total items { id channel template title body read status } } unreadNotificationCount }"""


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    api = open_api(db, settings)
    async with api.client:
        yield api


async def delivered_booking(db: Database, channels: Channels, api: Api) -> Cast:
    """A booking whose in-app notifications are delivered (the rest stays PENDING)."""
    cast = Cast()
    for event in [*cast.setup_events(), cast.appointment("AppointmentBooked")]:
        for notification_id, channel in await intake.apply_event(
            db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True
        ):
            if channel is Channel.IN_APP:
                await delivery.deliver(
                    db=db,
                    notification_id=notification_id,
                    channels=channels,
                    pubsub=api.resources.pubsub,
                    now=NOW,
                )
    return cast


async def test_a_user_reads_their_inbox_and_marks_it_read(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    data = await api.data(INBOX, {"unread": True}, user=cast.patient_id)
    [item] = data["myNotifications"]["items"]
    assert item["template"] == "appointment_booked"
    assert item["channel"] == "IN_APP"
    assert item["read"] is False
    assert data["unreadNotificationCount"] == 1
    marked = await api.data(
        "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) { updated unreadCount } }",
        {"ids": [item["id"]]},
        user=cast.patient_id,
    )
    assert marked["markNotificationsRead"] == {"updated": 1, "unreadCount": 0}
    after = await api.data(INBOX, {"unread": True}, user=cast.patient_id)
    assert after["myNotifications"]["total"] == 0


async def test_nobody_reads_or_marks_another_users_notifications(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    mine = await api.data(INBOX, {"unread": False}, user=cast.patient_id)
    item_id = mine["myNotifications"]["items"][0]["id"]
    stranger = uuid.uuid4()
    theirs = await api.data(INBOX, {"unread": False}, user=stranger)
    assert theirs["myNotifications"]["total"] == 0
    marked = await api.data(
        "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) { updated } }",
        {"ids": [item_id]},
        user=stranger,
    )
    assert marked["markNotificationsRead"]["updated"] == 0
    entity = await api.data(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id } } }",
        {"r": [{"__typename": "Notification", "id": item_id}]},
        user=stranger,
    )
    assert entity["_entities"] == [None]


async def test_the_owner_resolves_the_notification_entity(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    mine = await api.data(INBOX, {"unread": False}, user=cast.patient_id)
    item_id = mine["myNotifications"]["items"][0]["id"]
    entity = await api.data(
        "query($r: [_Any!]!) { _entities(representations: $r) {"
        " ... on Notification { id template } } }",
        {"r": [{"__typename": "Notification", "id": item_id}]},
        user=cast.patient_id,
    )
    assert entity["_entities"] == [{"id": item_id, "template": "appointment_booked"}]


async def test_mark_read_needs_ids_or_all(api: Api) -> None:
    code = await api.error_code("mutation { markNotificationsRead { updated } }", user=uuid.uuid4())
    assert code == "BAD_USER_INPUT"


async def test_anonymous_callers_are_refused(api: Api) -> None:
    assert await api.error_code(INBOX, {"unread": False}) == "UNAUTHENTICATED"


PREFS = """{ notificationPreferences {
  emailEnabled smsEnabled inAppEnabled reminderLeadMinutes language } }"""
UPDATE = """mutation($input: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) { smsEnabled reminderLeadMinutes language } }"""


async def test_preferences_default_then_change_and_replan_reminders(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    before = await api.data(PREFS, user=cast.patient_id)
    assert before["notificationPreferences"] == {
        "emailEnabled": True,
        "smsEnabled": True,
        "inAppEnabled": True,
        "reminderLeadMinutes": [1440, 120],
        "language": None,
    }
    changed = await api.data(
        UPDATE,
        {"input": {"smsEnabled": True, "reminderLeadMinutes": [60], "language": "de"}},
        user=cast.patient_id,
    )
    assert changed["updateNotificationPreferences"] == {
        "smsEnabled": True,
        "reminderLeadMinutes": [60],
        "language": "de",
    }
    async with db.session() as session:
        from sqlmodel import select

        rows = (
            await session.exec(
                select(Reminder).where(
                    col(Reminder.user_id) == cast.patient_id,
                    col(Reminder.status) == ReminderStatus.SCHEDULED,
                )
            )
        ).all()
    assert [r.lead_minutes for r in rows] == [60]


@pytest.mark.parametrize(
    "bad",
    [
        {"reminderLeadMinutes": [0]},
        {"language": "tlh"},
        {"reminderLeadMinutes": [1, 2, 3, 4, 5, 6]},
    ],
)
async def test_bad_preferences_are_refused(api: Api, bad: dict[str, Any]) -> None:
    assert await api.error_code(UPDATE, {"input": bad}, user=uuid.uuid4()) == "BAD_USER_INPUT"


ADMIN_LIST = """query($filter: NotificationFilter) { notifications(filter: $filter) {
  total items { channel status recipient attempts lastError template } } }"""
STATS = "{ notificationStats { channel status count } }"


async def test_admins_filter_every_notification_and_count_by_channel_and_status(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    async with db.transaction() as session:
        await session.exec(
            update(Notification)
            .where(col(Notification.channel) == Channel.SMS)
            .values(status=DeliveryStatus.DEAD, attempts=5, last_error="retries exhausted")
        )
    admin = uuid.uuid4()
    dead = await api.data(ADMIN_LIST, {"filter": {"status": "DEAD"}}, user=admin, role=Role.ADMIN)
    assert dead["notifications"]["total"] == 1
    [item] = dead["notifications"]["items"]
    assert item == {
        "channel": "SMS",
        "status": "DEAD",
        "recipient": "+15550001111",
        "attempts": 5,
        "lastError": "retries exhausted",
        "template": "appointment_booked",
    }
    stats = await api.data(STATS, user=admin, role=Role.ADMIN)
    counts = {(s["channel"], s["status"]): s["count"] for s in stats["notificationStats"]}
    assert counts == {("EMAIL", "PENDING"): 2, ("SMS", "DEAD"): 1, ("IN_APP", "SENT"): 2}
    assert await api.error_code(STATS, user=cast.patient_id) == "FORBIDDEN"
    assert await api.error_code(ADMIN_LIST, user=cast.patient_id) == "FORBIDDEN"


async def test_the_subscription_streams_the_users_new_notifications(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = Cast()
    for event in cast.setup_events():
        await intake.apply_event(db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True)
    planned = await intake.apply_event(
        db=db,
        envelope=cast.appointment("AppointmentBooked"),
        now=NOW,
        config=CONFIG,
        enqueue_soon=True,
    )
    owners = {i: await _owner(db, i) for i, c in planned if c is Channel.IN_APP}
    [in_app] = [i for i, owner in owners.items() if owner == cast.patient_id]
    from subgraphs.notifications.app import SPEC
    from subgraphs.shared.auth import Principal

    schema = SPEC.schema(GraphQLMetrics("notifications-test"))
    context = Context(
        request=None,  # type: ignore[arg-type]
        response=None,
        resources=api.resources,
        principal=Principal(user_id=cast.patient_id, role=Role.PATIENT),
    )
    stream = await schema.subscribe(
        "subscription { notificationReceived { id template title } }", context_value=context
    )
    assert not isinstance(stream, Exception)
    assert hasattr(stream, "__anext__")
    first = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0)  # let the subscription register before the delivery
    for _ in range(50):
        if api.resources.pubsub._subscribers:  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.01)
    await delivery.deliver(
        db=db, notification_id=in_app, channels=channels, pubsub=api.resources.pubsub, now=NOW
    )
    result = await asyncio.wait_for(first, 10)
    assert result.errors is None
    assert result.data == {
        "notificationReceived": {
            "id": str(in_app),
            "template": "appointment_booked",
            "title": "Appointment booked",
        }
    }
    await stream.aclose()


async def _owner(db: Database, notification_id: uuid.UUID) -> uuid.UUID:
    async with db.session() as session:
        row = await session.get(Notification, notification_id)
        assert row is not None
        return row.user_id
