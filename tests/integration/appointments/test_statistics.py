"""The appointments figures of `statistics`, against hand-computed values, on both stores.

Europe/Berlin leaves summer time on 2026-10-25: that local day lasts 25 hours, so a visit
at 23:30 local (22:30 UTC) belongs to the 25th, not to the 26th as a fixed +01:00/+02:00
offset would say.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from tests.integration.appointments.api import Api

D1, D2 = uuid.UUID(int=1), uuid.UUID(int=2)
ADMIN = Actor(uuid.uuid4(), Role.ADMIN)
QUERY = """
query($range: StatisticsRange!, $bucket: StatisticsBucket!, $tz: String!) {
  statistics(range: $range, bucket: $bucket, timeZone: $tz) {
    from to bucket timeZone
    appointments {
      totals { total pending confirmed rejected cancelled completed noShow
               cancelledByPatient cancelledByDoctor cancelledByAdmin }
      buckets { start startsAt endsAt counts { total cancelled rejected completed noShow
                                                confirmed cancelledByPatient } }
      cancellationRate noShowRate
      leadTime { medianSeconds p90Seconds }
      topDoctors { doctor { id } appointments bookedHours }
    }
  }
}"""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def add(
    db: Database,
    doctor: uuid.UUID,
    start: str,
    minutes: int,
    status: str,
    booked: str,
    cancelled_by: Role | None = None,
) -> None:
    starts = utc(start)
    row = AppointmentRow(
        id=uuid.uuid4(),
        doctor_id=doctor,
        doctor_user_id=doctor,
        patient_id=uuid.uuid4(),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        status=status,
        time_zone="Europe/Berlin",
        created_at=utc(booked),
    )
    async with db.transaction() as session:
        session.add(row)
        await session.flush()
        if cancelled_by is not None:
            session.add(
                AppointmentChangeRow(
                    appointment_id=row.id,
                    action="CANCELLED",
                    at=utc(booked),
                    actor_id=uuid.uuid4(),
                    actor_role=cancelled_by.value,
                    from_status="CONFIRMED",
                    to_status="CANCELLED",
                    to_start=row.starts_at,
                    to_end=row.ends_at,
                )
            )


async def seed(db: Database) -> None:
    await add(db, D1, "2026-10-25T22:30", 30, "COMPLETED", "2026-10-20T22:30")  # lead 5 d
    await add(db, D1, "2026-10-24T21:30", 60, "CANCELLED", "2026-10-24T20:30", Role.PATIENT)
    await add(db, D2, "2026-10-26T08:00", 60, "NO_SHOW", "2026-10-25T08:00")  # lead 1 d
    await add(db, D2, "2026-10-26T10:00", 30, "CONFIRMED", "2026-10-26T08:00")  # lead 2 h
    await add(db, D1, "2026-10-26T23:30", 30, "CONFIRMED", "2026-10-20T00:00")  # 27th local
    await add(db, D1, "2026-10-24T10:00", 30, "REJECTED", "2026-10-23T10:00")  # lead 1 d


async def dashboard(api: Api, start: str, end: str, bucket: str) -> dict[str, Any]:
    variables = {"range": {"from": start, "to": end}, "bucket": bucket, "tz": "Europe/Berlin"}
    data = await api.data(QUERY, variables, as_=ADMIN)
    found: dict[str, Any] = data["statistics"]
    return found


async def test_day_buckets_follow_the_dst_change_and_figures_match_hand_counts(
    api: Api, db: Database
) -> None:
    await seed(db)
    found = await dashboard(api, "2026-10-24", "2026-10-27", "DAY")
    assert (found["from"], found["to"], found["bucket"]) == ("2026-10-24", "2026-10-27", "DAY")
    figures = found["appointments"]
    buckets = figures["buckets"]
    assert [b["start"] for b in buckets] == ["2026-10-24", "2026-10-25", "2026-10-26"]
    assert [(b["startsAt"], b["endsAt"]) for b in buckets][1] == (
        "2026-10-24T22:00:00+00:00",
        "2026-10-25T23:00:00+00:00",
    )
    assert [b["counts"]["total"] for b in buckets] == [2, 1, 2]
    assert buckets[0]["counts"] == {
        "total": 2, "cancelled": 1, "rejected": 1, "completed": 0, "noShow": 0,
        "confirmed": 0, "cancelledByPatient": 1,
    }  # fmt: skip
    assert buckets[1]["counts"]["completed"] == 1  # 23:30 on the 25-hour day
    assert (buckets[2]["counts"]["noShow"], buckets[2]["counts"]["confirmed"]) == (1, 1)
    assert figures["totals"] == {
        "total": 5, "pending": 0, "confirmed": 1, "rejected": 1, "cancelled": 1,
        "completed": 1, "noShow": 1, "cancelledByPatient": 1, "cancelledByDoctor": 0,
        "cancelledByAdmin": 0,
    }  # fmt: skip
    assert figures["cancellationRate"] == 0.2
    assert figures["noShowRate"] == 0.5
    # Leads 3600, 7200, 86400, 86400, 432000: nearest rank 3 and 5.
    assert figures["leadTime"] == {"medianSeconds": 86400, "p90Seconds": 432000}
    assert figures["topDoctors"] == [
        {"doctor": {"id": str(D2)}, "appointments": 2, "bookedHours": 1.5},
        {"doctor": {"id": str(D1)}, "appointments": 1, "bookedHours": 0.5},
    ]


async def test_week_buckets_start_on_monday_and_clip_to_the_range(api: Api, db: Database) -> None:
    await seed(db)
    found = await dashboard(api, "2026-10-24", "2026-11-03", "WEEK")
    buckets = found["appointments"]["buckets"]
    assert [b["start"] for b in buckets] == ["2026-10-24", "2026-10-26", "2026-11-02"]
    assert [b["counts"]["total"] for b in buckets] == [3, 3, 0]


async def test_an_empty_range_has_no_bucket_and_no_rate(api: Api, db: Database) -> None:
    await seed(db)
    figures = (await dashboard(api, "2026-10-24", "2026-10-24", "MONTH"))["appointments"]
    assert figures["buckets"] == []
    assert figures["totals"]["total"] == 0
    assert (figures["cancellationRate"], figures["noShowRate"]) == (None, None)
    assert figures["leadTime"] == {"medianSeconds": None, "p90Seconds": None}
    assert figures["topDoctors"] == []


async def test_only_admins_read_statistics(api: Api) -> None:
    variables = {"range": {"from": "2026-10-01", "to": "2026-11-01"}, "bucket": "DAY", "tz": "UTC"}
    for role in (Role.PATIENT, Role.DOCTOR):
        assert await api.error_code(QUERY, variables, as_=Actor(uuid.uuid4(), role)) == "FORBIDDEN"
    assert await api.error_code(QUERY, variables) == "UNAUTHENTICATED"


async def test_a_bad_window_is_refused_with_a_stable_code(api: Api) -> None:
    for range_, tz in (
        ({"from": "2026-10-02", "to": "2026-10-01"}, "UTC"),
        ({"from": "2026-10-01", "to": "2029-10-01"}, "UTC"),
        ({"from": "2026-10-01", "to": "2026-10-02"}, "Mars/Olympus"),
    ):
        variables = {"range": range_, "bucket": "DAY", "tz": tz}
        assert await api.error_code(QUERY, variables, as_=ADMIN) == "BAD_USER_INPUT"


UTILIZATION = """
query($range: StatisticsRange!, $bucket: StatisticsBucket!, $tz: String!, $top: Int!) {
  statistics(range: $range, bucket: $bucket, timeZone: $tz) {
    utilization(top: $top) { key doctor { id } appointments bookedHours }
  }
}"""
ENTITY = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on DoctorUtilization { key doctor { id } appointments bookedHours } } }"""


async def test_utilization_lists_the_most_booked_doctors_with_their_booked_hours(
    api: Api, db: Database
) -> None:
    await seed(db)
    variables = {
        "range": {"from": "2026-10-24", "to": "2026-10-28"},
        "bucket": "WEEK",
        "tz": "Europe/Berlin",
        "top": 10,
    }
    found = (await api.data(UTILIZATION, variables, as_=ADMIN))["statistics"]["utilization"]
    # D1: 30 min completed + 30 min confirmed (the cancelled and the rejected hold no time).
    assert [(u["doctor"]["id"], u["appointments"], u["bookedHours"]) for u in found] == [
        (str(D2), 2, 1.5),
        (str(D1), 2, 1.0),
    ]
    top = (await api.data(UTILIZATION, {**variables, "top": 1}, as_=ADMIN))["statistics"]
    assert [u["doctor"]["id"] for u in top["utilization"]] == [str(D2)]
    # The key names the window and the doctor: the entity answers the same figures.
    entities = await api.data(ENTITY, {"r": [{"__typename": "DoctorUtilization",
                                              "key": found[1]["key"]}]}, as_=ADMIN)  # fmt: skip
    assert entities["_entities"] == [found[1]]


async def test_utilization_refuses_a_top_out_of_bounds_and_non_admins(api: Api) -> None:
    variables = {
        "range": {"from": "2026-10-01", "to": "2026-11-01"},
        "bucket": "DAY",
        "tz": "UTC",
        "top": 0,
    }
    assert await api.error_code(UTILIZATION, variables, as_=ADMIN) == "BAD_USER_INPUT"
    patient = Actor(uuid.uuid4(), Role.PATIENT)
    assert await api.error_code(UTILIZATION, {**variables, "top": 5}, as_=patient) == "FORBIDDEN"
