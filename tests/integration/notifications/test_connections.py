"""The notification lists as Relay cursor connections: `first`/`after`, edges, pageInfo."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.shared.auth import Role
from subgraphs.shared.connections import encode_cursor
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.integration.notifications.api import Api, open_api

MINE = """query($first: Int, $after: String) {
  myNotifications(first: $first, after: $after) {
    totalCount edges { cursor node { id } } nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
ALL = """query($first: Int, $after: String) {
  notifications(first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
}"""  # noqa: E501


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    api = open_api(db, settings)
    async with api.client:
        yield api


async def _inbox_of_five(db: Database) -> tuple[uuid.UUID, list[str]]:
    user, start = uuid.uuid4(), datetime(2030, 1, 1, tzinfo=UTC)
    rows = [
        Notification(
            user_id=user,
            channel=Channel.IN_APP,
            template="appointment_booked",
            language="en",
            recipient=str(user),
            subject=f"n{i}",
            body="b",
            status=DeliveryStatus.SENT,
            created_at=start + timedelta(minutes=i),
        )
        for i in range(5)
    ]
    async with db.transaction() as session:
        session.add_all(rows)
    return user, [str(row.id) for row in reversed(rows)]  # newest first


async def _walk(api: Api, query: str, field: str, **who: Any) -> list[Any]:
    pages: list[Any] = []
    after: str | None = None
    while True:
        page = (await api.data(query, {"first": 2, "after": after}, **who))[field]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


async def test_my_notifications_page_forward_by_end_cursor_to_the_last_page(
    api: Api, db: Database
) -> None:
    user, newest_first = await _inbox_of_five(db)
    first = (await api.data(MINE, {"first": 2}, user=user))["myNotifications"]
    assert first["totalCount"] == 5
    assert [e["node"]["id"] for e in first["edges"]] == [n["id"] for n in first["nodes"]]
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    pages = await _walk(api, MINE, "myNotifications", user=user)
    assert [len(p["nodes"]) for p in pages] == [2, 2, 1]
    assert [n["id"] for p in pages for n in p["nodes"]] == newest_first
    assert pages[-1]["pageInfo"]["hasPreviousPage"] is True


async def test_a_bad_or_foreign_cursor_is_bad_user_input(api: Api, db: Database) -> None:
    user, _ = await _inbox_of_five(db)
    page = (await api.data(MINE, {"first": 2}, user=user))["myNotifications"]
    good = page["pageInfo"]["endCursor"]
    for cursor in (good[:-3], "nope", encode_cursor("notifications.all", 1)):
        variables = {"first": 2, "after": cursor}
        assert await api.error_code(MINE, variables, user=user) == "BAD_USER_INPUT"
    assert await api.error_code(MINE, {"first": 101}, user=user) == "BAD_USER_INPUT"
    mixed = "{ myNotifications(page: 1, first: 2) { totalCount } }"
    assert await api.error_code(mixed, user=user) == "BAD_USER_INPUT"


async def test_the_deprecated_page_numbers_still_work(api: Api, db: Database) -> None:
    user, newest_first = await _inbox_of_five(db)
    old = "{ myNotifications(page: 3, pageSize: 2) { items { id } total page hasNextPage } }"
    page = (await api.data(old, user=user))["myNotifications"]
    assert page == {"items": [{"id": newest_first[4]}], "total": 5, "page": 3, "hasNextPage": False}


async def test_the_admins_list_pages_by_cursor(api: Api, db: Database) -> None:
    _, newest_first = await _inbox_of_five(db)
    pages = await _walk(api, ALL, "notifications", user=uuid.uuid4(), role=Role.ADMIN)
    assert [n["id"] for p in pages for n in p["nodes"]] == newest_first
