"""`DoctorUtilization.offeredHours` and `utilization` through `_entities` (the router sends
the booked hours appointments computed), against hand-computed values, on both stores.

The window is the Berlin week of 2026-10-19 (Monday) to 2026-10-26, whose Sunday the 25th
lasts 25 hours (summer time ends at 03:00 → 02:00). The doctor works Monday to Friday
09:00-12:00 (30-minute slots: 3 h a day) and Sunday 01:00-05:00 (60-minute slots); on the
25th the 02:00 slot spans the change of offset and is not offered, so that Sunday offers
01:00, 03:00 and 04:00: 3 h. Wednesday is off, Thursday has changed hours 10:00-11:00 (1 h),
and an ad-hoc slot on Saturday adds 1.5 h; one after the window adds nothing:
3 + 3 + 0 + 1 + 3 + 1.5 + 3 = 14.5 h.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from subgraphs.doctors.domain.availability import ExceptionKind
from subgraphs.doctors.models import (
    AdHocSlotRow,
    AvailabilityExceptionRow,
    AvailabilityRuleRow,
    Doctor,
)
from subgraphs.shared.auth import Role
from subgraphs.shared.statistics import Bucket, Window, doctor_key
from tests.integration.doctors.helpers import Api, error_code

ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on DoctorUtilization { key offeredHours utilization } } }"""
WEEK = Window.checked(
    first=date(2026, 10, 19), last=date(2026, 10, 26), bucket=Bucket.WEEK, zone="Europe/Berlin"
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def doctor(api: Api, *, available: bool) -> uuid.UUID:
    row = Doctor(user_id=uuid.uuid4(), name="Dr Z", name_key="dr z", time_zone="Europe/Berlin")
    async with api.resources.database.transaction() as session:
        session.add(row)
        await session.flush()
        if not available:
            return row.id
        for weekday in range(5):
            session.add(AvailabilityRuleRow(
                doctor_id=row.id, weekday=weekday, start_time=time(9), end_time=time(12),
                slot_minutes=30,
            ))  # fmt: skip
        session.add(AvailabilityRuleRow(
            doctor_id=row.id, weekday=6, start_time=time(1), end_time=time(5), slot_minutes=60,
        ))  # fmt: skip
        session.add(AvailabilityExceptionRow(
            doctor_id=row.id, start_date=date(2026, 10, 21), end_date=date(2026, 10, 21),
            kind=ExceptionKind.UNAVAILABLE,
        ))  # fmt: skip
        session.add(AvailabilityExceptionRow(
            doctor_id=row.id, start_date=date(2026, 10, 22), end_date=date(2026, 10, 22),
            kind=ExceptionKind.CHANGED_HOURS, start_time=time(10), end_time=time(11),
            slot_minutes=30,
        ))  # fmt: skip
        session.add(AdHocSlotRow(
            doctor_id=row.id, start=utc("2026-10-24T14:00"), end=utc("2026-10-24T15:30"),
        ))  # fmt: skip
        session.add(AdHocSlotRow(
            doctor_id=row.id, start=utc("2026-10-25T23:00"), end=utc("2026-10-26T00:00"),
        ))  # fmt: skip
    return row.id


def representation(doctor_id: uuid.UUID, booked: float, window: Window = WEEK) -> dict[str, object]:
    return {"__typename": "DoctorUtilization", "key": doctor_key(window, doctor_id),
            "bookedHours": booked}  # fmt: skip


async def test_offered_hours_follow_rules_exceptions_and_adhoc_slots_across_the_dst_change(
    api: Api,
) -> None:
    busy, idle = await doctor(api, available=True), await doctor(api, available=False)
    variables = {"r": [representation(busy, 7.25), representation(idle, 2.0)]}
    data = await api.data(ENTITIES, variables, user=uuid.uuid4(), role=Role.ADMIN)
    assert data["_entities"] == [
        {"key": doctor_key(WEEK, busy), "offeredHours": 14.5, "utilization": 0.5},
        # No availability: nothing offered, and no ratio rather than a division by zero.
        {"key": doctor_key(WEEK, idle), "offeredHours": 0.0, "utilization": None},
    ]


async def test_the_sunday_of_the_change_offers_three_hours_and_an_empty_range_none(
    api: Api,
) -> None:
    busy = await doctor(api, available=True)
    sunday = Window.checked(
        first=date(2026, 10, 25), last=date(2026, 10, 26), bucket=Bucket.DAY, zone="Europe/Berlin"
    )
    empty = Window.checked(
        first=date(2026, 10, 25), last=date(2026, 10, 25), bucket=Bucket.DAY, zone="Europe/Berlin"
    )
    variables = {"r": [representation(busy, 3.0, sunday), representation(busy, 0.0, empty)]}
    data = await api.data(ENTITIES, variables, user=uuid.uuid4(), role=Role.ADMIN)
    assert [(e["offeredHours"], e["utilization"]) for e in data["_entities"]] == [
        (3.0, 1.0),
        (0.0, None),
    ]


async def test_only_admins_read_offered_hours_and_a_bad_key_is_refused(api: Api) -> None:
    busy = await doctor(api, available=True)
    for role in (Role.PATIENT, Role.DOCTOR):
        result = await api.call(
            ENTITIES, {"r": [representation(busy, 1.0)]}, user=uuid.uuid4(), role=role
        )
        assert error_code(result) == "FORBIDDEN"
    bad = {"r": [{"__typename": "DoctorUtilization", "key": "not-a-key", "bookedHours": 1.0}]}
    result = await api.call(ENTITIES, bad, user=uuid.uuid4(), role=Role.ADMIN)
    assert error_code(result) == "BAD_USER_INPUT"
