"""`Statistics.notifications` through `_entities`, against hand-computed values, on both
stores. Europe/Berlin's 2026-10-25 lasts 25 hours: 22:30 UTC is still the 25th there."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from subgraphs.shared.statistics import Bucket, Window
from tests.integration.notifications.api import Api, open_api

ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on Statistics { notifications {
  totals { channel status count }
  buckets { start counts { channel status count } }
  latency { channel sent medianSeconds p90Seconds }
} } } }"""


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    opened = open_api(db, settings)
    async with opened.client:
        yield opened


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def seed(db: Database) -> None:
    rows = [  # channel, status, created, seconds to sent
        (Channel.EMAIL, DeliveryStatus.SENT, "2026-10-25T22:30", 60),
        (Channel.EMAIL, DeliveryStatus.SENT, "2026-10-24T10:00", 120),
        (Channel.EMAIL, DeliveryStatus.SENT, "2026-10-26T10:00", 600),
        (Channel.SMS, DeliveryStatus.DEAD, "2026-10-26T11:00", None),
        (Channel.SMS, DeliveryStatus.FAILED, "2026-10-24T21:30", None),
        (Channel.IN_APP, DeliveryStatus.SENT, "2026-10-26T23:30", 1),  # the 27th in Berlin
    ]
    async with db.transaction() as session:
        for channel, status, created, after in rows:
            at = utc(created)
            session.add(
                Notification(
                    user_id=uuid.uuid4(), channel=channel, template="appointment_booked",
                    language="en", recipient="someone", subject="s", body="b", status=status,
                    created_at=at, sent_at=None if after is None else at + timedelta(seconds=after),
                )
            )  # fmt: skip


def variables(first: date, last: date) -> dict[str, Any]:
    window = Window.checked(first=first, last=last, bucket=Bucket.DAY, zone="Europe/Berlin")
    return {"r": [{"__typename": "Statistics", "key": window.key}]}


def nonzero(counts: list[dict[str, Any]]) -> set[tuple[str, str, int]]:
    return {(c["channel"], c["status"], c["count"]) for c in counts if c["count"]}


async def test_notifications_figures_match_hand_counts_across_the_dst_change(
    api: Api, db: Database
) -> None:
    await seed(db)
    data = await api.data(
        ENTITIES, variables(date(2026, 10, 24), date(2026, 10, 27)), user=uuid.uuid4(),
        role=Role.ADMIN,
    )  # fmt: skip
    found = data["_entities"][0]["notifications"]
    assert nonzero(found["totals"]) == {
        ("EMAIL", "SENT", 3),
        ("SMS", "DEAD", 1),
        ("SMS", "FAILED", 1),
    }
    assert len(found["totals"]) == 12  # every channel and status, zeros included
    assert [(b["start"], nonzero(b["counts"])) for b in found["buckets"]] == [
        ("2026-10-24", {("EMAIL", "SENT", 1), ("SMS", "FAILED", 1)}),
        ("2026-10-25", {("EMAIL", "SENT", 1)}),
        ("2026-10-26", {("EMAIL", "SENT", 1), ("SMS", "DEAD", 1)}),
    ]
    # EMAIL latencies 60, 120, 600 s: nearest ranks 2 and 3.
    assert found["latency"] == [
        {"channel": "EMAIL", "sent": 3, "medianSeconds": 120, "p90Seconds": 600},
        {"channel": "SMS", "sent": 0, "medianSeconds": None, "p90Seconds": None},
        {"channel": "IN_APP", "sent": 0, "medianSeconds": None, "p90Seconds": None},
    ]


async def test_only_admins_read_notification_statistics(api: Api) -> None:
    day = date(2026, 10, 25)
    for role in (Role.PATIENT, Role.DOCTOR):
        code = await api.error_code(ENTITIES, variables(day, day), user=uuid.uuid4(), role=role)
        assert code == "FORBIDDEN"
