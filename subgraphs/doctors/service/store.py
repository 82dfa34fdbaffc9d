"""Loading and writing doctors' rows inside a caller's session (no transactions of its own)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol

from sqlalchemy import select as sa_select
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.doctors.domain import profile
from subgraphs.doctors.domain.availability import (
    AdHocSlot,
    AvailabilityException,
    BookingPolicy,
    ExceptionKind,
    WeeklyRule,
)
from subgraphs.doctors.domain.slots import Busy, Schedule
from subgraphs.doctors.models import (
    AdHocSlotRow,
    AvailabilityExceptionRow,
    AvailabilityRuleRow,
    BusyTime,
    Doctor,
    DoctorTag,
    SlotHold,
    Specialization,
)
from subgraphs.shared.errors import NotFound

NAMESPACE = "doctors"
CHUNK = 500
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def doctor_or_404(
    session: AsyncSession, doctor_id: uuid.UUID, *, lock: bool = False
) -> Doctor:
    """The doctor, or NOT_FOUND; `lock` holds its row until the transaction ends (PostgreSQL),
    so that writers of one profile and its tags take turns."""
    doctor = await session.get(Doctor, doctor_id, with_for_update=lock)
    if doctor is None:
        raise NotFound("No such doctor.", doctorId=str(doctor_id))
    return doctor


async def doctor_of_user(session: AsyncSession, user_id: uuid.UUID) -> Doctor | None:
    return (await session.exec(select(Doctor).where(col(Doctor.user_id) == user_id))).first()


async def doctors_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Doctor]:
    found: dict[uuid.UUID, Doctor] = {}
    for i in range(0, len(ids), CHUNK):
        rows = await session.exec(select(Doctor).where(col(Doctor.id).in_(ids[i : i + CHUNK])))
        found.update({row.id: row for row in rows})
    return found


async def specialization_codes(session: AsyncSession) -> set[str]:
    return set((await session.exec(select(Specialization.code))).all())


async def write_tags(session: AsyncSession, doctor: Doctor) -> None:
    """Replace the doctor's searchable list values with the profile's current ones."""
    await session.exec(delete(DoctorTag).where(col(DoctorTag.doctor_id) == doctor.id))
    values = (
        {("specialization", profile.tag_key(v)) for v in doctor.specializations}
        | {("language", profile.tag_key(v)) for v in doctor.languages}
        | {("insurance", profile.tag_key(v)[:100]) for v in doctor.accepted_insurance}
    )
    for kind, value in sorted(values):
        session.add(DoctorTag(doctor_id=doctor.id, kind=kind, value=value))


def rule_of(row: AvailabilityRuleRow) -> WeeklyRule:
    return WeeklyRule(
        id=row.id,
        weekday=row.weekday,
        start=row.start_time,
        end=row.end_time,
        slot_minutes=row.slot_minutes,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def exception_of(row: AvailabilityExceptionRow) -> AvailabilityException:
    return AvailabilityException(
        id=row.id,
        start_date=row.start_date,
        end_date=row.end_date,
        kind=ExceptionKind(row.kind),
        start=row.start_time,
        end=row.end_time,
        slot_minutes=row.slot_minutes,
        reason=row.reason,
    )


def adhoc_of(row: AdHocSlotRow) -> AdHocSlot:
    return AdHocSlot(id=row.id, start=row.start.astimezone(UTC), end=row.end.astimezone(UTC))


class ScheduleOwner(Protocol):
    """What a schedule needs of a doctor (a `Doctor` row, or a light `DoctorKey`)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def consultation_minutes(self) -> int: ...
    @property
    def buffer_before_minutes(self) -> int: ...
    @property
    def buffer_after_minutes(self) -> int: ...
    @property
    def minimum_notice_minutes(self) -> int: ...
    @property
    def booking_window_days(self) -> int: ...


class DoctorKey(NamedTuple):
    """The columns search ranks by, loaded without building ORM objects."""

    id: uuid.UUID
    name_key: str
    fee_cents: int
    time_zone: str
    consultation_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_minutes: int
    booking_window_days: int


DOCTOR_KEY_COLUMNS = tuple(getattr(Doctor, name) for name in DoctorKey._fields)


def policy_of(doctor: ScheduleOwner) -> BookingPolicy:
    return BookingPolicy(
        buffer_before_minutes=doctor.buffer_before_minutes,
        buffer_after_minutes=doctor.buffer_after_minutes,
        minimum_notice_minutes=doctor.minimum_notice_minutes,
        booking_window_days=doctor.booking_window_days,
    )


async def schedules_for(
    session: AsyncSession, doctors: Iterable[ScheduleOwner], *, since: datetime | None = None
) -> dict[uuid.UUID, Schedule]:
    """Each doctor's schedule; ad-hoc slots, busy time and holds only from `since` (a day
    slack). Holds for waitlist offers are busy time with an end (`Busy.until`)."""
    by_id = {d.id: d for d in doctors}
    rules: dict[uuid.UUID, list[WeeklyRule]] = defaultdict(list)
    exceptions: dict[uuid.UUID, list[AvailabilityException]] = defaultdict(list)
    adhoc: dict[uuid.UUID, list[AdHocSlot]] = defaultdict(list)
    busy: dict[uuid.UUID, list[Busy]] = defaultdict(list)
    floor = (since or EPOCH) - timedelta(days=1)
    ids = list(by_id)
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        for doctor_id, weekday, start, end, minutes, valid_from, valid_until in (
            await (await session.connection()).execute(
                sa_select(
                    col(AvailabilityRuleRow.doctor_id),
                    col(AvailabilityRuleRow.weekday),
                    col(AvailabilityRuleRow.start_time),
                    col(AvailabilityRuleRow.end_time),
                    col(AvailabilityRuleRow.slot_minutes),
                    col(AvailabilityRuleRow.valid_from),
                    col(AvailabilityRuleRow.valid_until),
                ).where(col(AvailabilityRuleRow.doctor_id).in_(part))
            )
        ).all():
            rules[doctor_id].append(
                WeeklyRule(weekday, start, end, minutes, valid_from, valid_until)
            )
        for exc in await session.exec(
            select(AvailabilityExceptionRow).where(
                col(AvailabilityExceptionRow.doctor_id).in_(part),
                col(AvailabilityExceptionRow.end_date) >= floor.date(),
            )
        ):
            exceptions[exc.doctor_id].append(exception_of(exc))
        for slot in await session.exec(
            select(AdHocSlotRow).where(
                col(AdHocSlotRow.doctor_id).in_(part), col(AdHocSlotRow.end) > floor
            )
        ):
            adhoc[slot.doctor_id].append(adhoc_of(slot))
        for taken in await session.exec(
            select(BusyTime).where(
                col(BusyTime.doctor_id).in_(part),
                col(BusyTime.active).is_(True),
                col(BusyTime.end) > floor,
            )
        ):
            busy[taken.doctor_id].append(
                Busy(
                    start=taken.start.astimezone(UTC),
                    end=taken.end.astimezone(UTC),
                    appointment_id=str(taken.appointment_id),
                )
            )
        for held in await session.exec(
            select(SlotHold).where(
                col(SlotHold.doctor_id).in_(part),
                col(SlotHold.active).is_(True),
                col(SlotHold.held_until) > floor,
            )
        ):
            busy[held.doctor_id].append(
                Busy(
                    start=held.start.astimezone(UTC),
                    end=held.end.astimezone(UTC),
                    until=held.held_until.astimezone(UTC),
                )
            )
    return {
        doctor_id: Schedule(
            time_zone=profile.zone(doctor.time_zone),
            rules=tuple(sorted(rules[doctor_id], key=lambda r: (r.weekday, r.start))),
            exceptions=tuple(exceptions[doctor_id]),
            adhoc=tuple(adhoc[doctor_id]),
            busy=tuple(busy[doctor_id]),
            policy=policy_of(doctor),
            default_slot_minutes=doctor.consultation_minutes,
        )
        for doctor_id, doctor in by_id.items()
    }


async def schedule_for(
    session: AsyncSession, doctor: ScheduleOwner, *, since: datetime | None = None
) -> Schedule:
    return (await schedules_for(session, [doctor], since=since))[doctor.id]
