"""`Statistics.users` through `_entities`, against hand-computed values, on both stores.

Europe/Berlin leaves summer time on 2026-10-25 (a 25-hour day): 22:30 UTC that day is
23:30 local, still the 25th.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, update

from subgraphs.identity.models import Session, User
from subgraphs.shared.auth import Role
from subgraphs.shared.statistics import Bucket, Window
from tests.integration.identity.conftest import Api

ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on Statistics { users {
  byRole { role active deactivated }
  registrations activeUsers
  buckets { start registrations patientRegistrations doctorRegistrations adminRegistrations
            activeUsers }
} } } }"""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def admin_token(api: Api) -> str:
    """An admin who registered today (outside the tested range) and signed in today."""
    await api.register("admin@example.org")
    async with api.ident.db.transaction() as session:
        await session.exec(
            update(User).where(col(User.email) == "admin@example.org").values(role=Role.ADMIN)
        )
    token: str = (await api.login("admin@example.org"))["accessToken"]
    return token


async def seed(api: Api) -> None:
    people = {
        "u1": (Role.PATIENT, True, "2026-10-25T22:30", ["2026-10-25T22:40", "2026-10-26T09:00"]),
        "u2": (Role.PATIENT, False, "2026-10-24T21:30", []),
        "u3": (Role.DOCTOR, True, "2026-10-26T08:00", ["2026-10-26T10:00"]),
        "u4": (Role.PATIENT, True, "2026-10-26T23:30", ["2026-10-26T23:40"]),  # 27th local
    }
    async with api.ident.db.transaction() as session:
        for name, (role, active, created, sign_ins) in people.items():
            user = User(
                email=f"{name}@example.org", role=role, name=name, active=active,
                created_at=utc(created),
            )  # fmt: skip
            session.add(user)
            await session.flush()
            for at in sign_ins:
                started = utc(at)
                session.add(
                    Session(
                        id=uuid.uuid4(), user_id=user.id, created_at=started,
                        expires_at=started + timedelta(days=30), last_used_at=started,
                    )
                )  # fmt: skip


async def users(api: Api, token: str, window: Window) -> dict[str, Any]:
    variables = {"r": [{"__typename": "Statistics", "key": window.key}]}
    data = await api.ok(ENTITIES, variables, token=token)
    found: dict[str, Any] = data["_entities"][0]["users"]
    return found


async def test_users_figures_match_hand_counts_across_the_dst_change(api: Api) -> None:
    token = await admin_token(api)
    await seed(api)
    window = Window.checked(
        first=utc("2026-10-24T00:00").date(),
        last=utc("2026-10-27T00:00").date(),
        bucket=Bucket.DAY,
        zone="Europe/Berlin",
    )
    found = await users(api, token, window)
    assert found["byRole"] == [
        {"role": "PATIENT", "active": 2, "deactivated": 1},
        {"role": "DOCTOR", "active": 1, "deactivated": 0},
        {"role": "ADMIN", "active": 1, "deactivated": 0},
    ]
    assert (found["registrations"], found["activeUsers"]) == (3, 2)
    assert [
        (b["start"], b["registrations"], b["patientRegistrations"], b["doctorRegistrations"],
         b["activeUsers"])
        for b in found["buckets"]
    ] == [
        ("2026-10-24", 1, 1, 0, 0),
        ("2026-10-25", 1, 1, 0, 1),
        ("2026-10-26", 1, 0, 1, 2),
    ]  # fmt: skip


async def test_an_empty_range_counts_nothing_but_the_totals_now(api: Api) -> None:
    token = await admin_token(api)
    await seed(api)
    day = utc("2026-10-25T00:00").date()
    window = Window.checked(first=day, last=day, bucket=Bucket.WEEK, zone="Europe/Berlin")
    found = await users(api, token, window)
    assert (found["registrations"], found["activeUsers"], found["buckets"]) == (0, 0, [])
    assert sum(r["active"] + r["deactivated"] for r in found["byRole"]) == 5


async def test_only_admins_read_user_statistics(api: Api) -> None:
    await api.register("pat@example.org")
    token = (await api.login("pat@example.org"))["accessToken"]
    day = utc("2026-10-25T00:00").date()
    window = Window.checked(first=day, last=day, bucket=Bucket.DAY, zone="UTC")
    variables = {"r": [{"__typename": "Statistics", "key": window.key}]}
    error = await api.error(ENTITIES, variables, token=token)
    assert error["extensions"]["code"] == "FORBIDDEN"
