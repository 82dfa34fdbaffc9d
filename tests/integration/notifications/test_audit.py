"""Notifications' part of the audit trail: its own state changes and others' reads of contents."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from subgraphs.notifications.channels import Channels
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.integration.notifications.api import Api, open_api
from tests.integration.notifications.test_api import INBOX, UPDATE, delivered_booking
from tests.integration.shared.audit_support import recorded

ENTITY = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id } } }"
LIST = "{ notifications(pageSize: 50) { total items { id } } }"


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    api = open_api(db, settings)
    async with api.client:
        yield api


async def _since(db: Database, before: int) -> list[tuple[object, ...]]:
    return [
        (e["action"], e["outcome"], e["actor_role"], e["subject_type"], e["patient_id"])
        for e in (await recorded(db))[before:]
    ]


async def test_preference_changes_and_marking_read_are_each_one_entry(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    patient = str(cast.patient_id)
    before = len(await recorded(db))
    await api.data(UPDATE, {"input": {"reminderLeadMinutes": [60]}}, user=cast.patient_id)
    await api.data(
        "mutation { markNotificationsRead(all: true) { updated } }", user=cast.patient_id
    )
    await api.data(
        "mutation { markNotificationsRead(all: true) { updated } }", user=cast.patient_id
    )
    await api.data(INBOX, {"unread": False}, user=cast.patient_id)  # their own: not recorded
    assert await _since(db, before) == [
        ("NotificationPreferencesChanged", "ALLOWED", "PATIENT", "User", patient),
        ("NotificationsMarkedRead", "ALLOWED", "PATIENT", "User", patient),
    ]  # the second marking changed nothing


async def test_a_refused_preference_change_leaves_no_entry(api: Api, db: Database) -> None:
    before = len(await recorded(db))
    code = await api.error_code(UPDATE, {"input": {"reminderLeadMinutes": [-5]}}, user=uuid.uuid4())
    assert code == "BAD_USER_INPUT"
    assert await _since(db, before) == []


async def test_an_admin_listing_notifications_is_recorded_per_recipient(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    before = len(await recorded(db))
    listed = await api.data(LIST, user=uuid.uuid4(), role=Role.ADMIN)
    assert listed["notifications"]["total"] >= 1
    entries = await _since(db, before)
    assert ("NotificationsListed", "ALLOWED", "ADMIN", "Notification", str(cast.patient_id)) in (
        entries
    )
    assert len(entries) == len(set(entries))  # one per recipient, not per notification


async def test_reading_a_notification_by_id_is_recorded_allowed_or_refused(
    api: Api, db: Database, channels: Channels
) -> None:
    cast = await delivered_booking(db, channels, api)
    mine = await api.data(INBOX, {"unread": False}, user=cast.patient_id)
    item = mine["myNotifications"]["items"][0]["id"]
    before = len(await recorded(db))
    await api.data(
        ENTITY, {"r": [{"__typename": "Notification", "id": item}]}, user=cast.patient_id
    )
    assert await _since(db, before) == []  # the recipient's own read
    stranger = await api.data(
        ENTITY, {"r": [{"__typename": "Notification", "id": item}]}, user=uuid.uuid4()
    )
    assert stranger["_entities"] == [None]
    await api.data(
        ENTITY,
        {"r": [{"__typename": "Notification", "id": item}]},
        user=uuid.uuid4(),
        role=Role.ADMIN,
    )
    entries = (await recorded(db))[before:]
    assert [(e["action"], e["outcome"], e["reason"], e["subject_id"]) for e in entries] == [
        ("NotificationRead", "REFUSED", "NOT_FOUND", item),
        ("NotificationRead", "ALLOWED", None, item),
    ]
    assert entries[1]["patient_id"] == str(cast.patient_id)
