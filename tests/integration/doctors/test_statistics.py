"""`Statistics.doctors` through `_entities`, against hand-computed values, on both stores.

Europe/Berlin leaves summer time on 2026-10-25 (a 25-hour day): an approval at 22:30 UTC
that day is 23:30 local, still the 25th.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import Doctor, DoctorStatusChange, DoctorTag
from subgraphs.shared.auth import Role
from subgraphs.shared.statistics import Bucket, Window
from tests.integration.doctors.helpers import Api, error_code

ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on Statistics { doctors {
  byStatus { status doctors } approvals approvalMedianSeconds approvalP90Seconds
  bySpecialization { value doctors } byCity { value doctors }
  buckets { start registrations approvals }
} } } }"""
P, A, R, S = (DoctorStatus.PENDING, DoctorStatus.APPROVED, DoctorStatus.REJECTED,
              DoctorStatus.SUSPENDED)  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def seed(api: Api) -> None:
    doctors = [  # status, created, city, specializations, [(from, to, at)]
        (A, "2026-10-20T10:00", "Berlin", ["cardiology"], [(P, A, "2026-10-25T22:30")]),
        (A, "2026-10-24T10:00", "Berlin", ["cardiology", "dermatology"],
         [(P, A, "2026-10-24T12:00")]),
        (P, "2026-10-26T08:00", "Munich", ["cardiology"], []),
        (S, "2026-01-01T00:00", "Paris", ["cardiology"],
         [(P, A, "2026-02-01T00:00"), (A, S, "2026-10-26T09:00")]),
        (R, "2026-10-25T09:00", "Lyon", [], [(P, R, "2026-10-25T10:00")]),
    ]  # fmt: skip
    async with api.resources.database.transaction() as session:
        for i, (status, created, city, specializations, changes) in enumerate(doctors):
            doctor = Doctor(
                user_id=uuid.uuid4(), name=f"Dr {i}", name_key=f"dr {i}", city=city,
                city_key=city.lower(), status=status, created_at=utc(created),
            )  # fmt: skip
            session.add(doctor)
            await session.flush()
            for value in specializations:
                session.add(DoctorTag(doctor_id=doctor.id, kind="specialization", value=value))
            for before, after, at in changes:
                session.add(
                    DoctorStatusChange(
                        doctor_id=doctor.id, from_status=before, to_status=after,
                        changed_at=utc(at),
                    )
                )  # fmt: skip


def variables(first: date, last: date) -> dict[str, object]:
    window = Window.checked(first=first, last=last, bucket=Bucket.DAY, zone="Europe/Berlin")
    return {"r": [{"__typename": "Statistics", "key": window.key}]}


async def test_doctors_figures_match_hand_counts_across_the_dst_change(api: Api) -> None:
    await seed(api)
    data = await api.data(
        ENTITIES, variables(date(2026, 10, 24), date(2026, 10, 27)), user=uuid.uuid4(),
        role=Role.ADMIN,
    )  # fmt: skip
    found = data["_entities"][0]["doctors"]
    assert found["byStatus"] == [
        {"status": "PENDING", "doctors": 1},
        {"status": "APPROVED", "doctors": 2},
        {"status": "REJECTED", "doctors": 1},
        {"status": "SUSPENDED", "doctors": 1},
    ]
    assert found["approvals"] == 2  # the suspension and the February approval are not counted
    # Waits 7,200 s and 477,000 s (5 d 12 h 30 min): nearest ranks 1 and 2.
    assert (found["approvalMedianSeconds"], found["approvalP90Seconds"]) == (7200, 477000)
    assert found["bySpecialization"] == [
        {"value": "cardiology", "doctors": 2},
        {"value": "dermatology", "doctors": 1},
    ]
    assert found["byCity"] == [{"value": "Berlin", "doctors": 2}]
    assert found["buckets"] == [
        {"start": "2026-10-24", "registrations": 1, "approvals": 1},
        {"start": "2026-10-25", "registrations": 1, "approvals": 1},
        {"start": "2026-10-26", "registrations": 1, "approvals": 0},
    ]


async def test_an_empty_range_has_no_approval_time(api: Api) -> None:
    await seed(api)
    day = date(2026, 10, 25)
    data = await api.data(ENTITIES, variables(day, day), user=uuid.uuid4(), role=Role.ADMIN)
    found = data["_entities"][0]["doctors"]
    assert (found["approvals"], found["approvalMedianSeconds"], found["buckets"]) == (0, None, [])


async def test_only_admins_read_doctor_statistics(api: Api) -> None:
    day = date(2026, 10, 25)
    for role in (Role.PATIENT, Role.DOCTOR):
        result = await api.call(ENTITIES, variables(day, day), user=uuid.uuid4(), role=role)
        assert error_code(result) == "FORBIDDEN"
