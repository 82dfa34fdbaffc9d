"""Read use cases: one doctor, entity references, availability details, open slots, checks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from subgraphs.doctors.domain import access
from subgraphs.doctors.domain.availability import AdHocSlot, AvailabilityException, WeeklyRule
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.domain.slots import (
    Schedule,
    Slot,
    SlotVerdict,
    check_slot,
    next_open_slot,
    open_slots,
)
from subgraphs.doctors.models import (
    AdHocSlotRow,
    AvailabilityExceptionRow,
    AvailabilityRuleRow,
    Doctor,
)
from subgraphs.doctors.service.store import (
    adhoc_of,
    doctor_or_404,
    doctors_by_ids,
    exception_of,
    rule_of,
    schedule_for,
    schedules_for,
)
from subgraphs.shared.auth import Principal
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, NotFound

SLOT_RANGE_MAX = timedelta(days=93)


async def visible_doctor(
    *, db: Database, doctor_id: uuid.UUID, principal: Principal | None
) -> Doctor | None:
    """The doctor if the caller may see them (approved, or admin, or the doctor themself)."""
    async with db.session() as session:
        doctor = await session.get(Doctor, doctor_id)
    if doctor is None or not access.can_view(
        DoctorStatus(doctor.status), doctor.user_id, principal
    ):
        return None
    return doctor


async def referenced_doctors(
    *, db: Database, ids: Sequence[uuid.UUID], principal: Principal | None
) -> list[Doctor | None]:
    """Doctors by key for `_entities`, in order; None for unknown or hidden ones."""
    async with db.session() as session:
        found = await doctors_by_ids(session, list(dict.fromkeys(ids)))
    result: list[Doctor | None] = []
    for doctor_id in ids:
        doctor = found.get(doctor_id)
        visible = doctor is not None and access.can_view(
            DoctorStatus(doctor.status), doctor.user_id, principal, by_reference=True
        )
        result.append(doctor if visible else None)
    return result


@dataclass(frozen=True)
class AvailabilityDetails:
    rules: list[WeeklyRule]
    exceptions: list[AvailabilityException]
    slots: list[AdHocSlot]


async def availability_details(
    *, db: Database, doctor_id: uuid.UUID, user_id: uuid.UUID, principal: Principal | None
) -> AvailabilityDetails | None:
    """Rules, exceptions and ad-hoc slots as defined (admins and the doctor themself)."""
    if not access.can_see_private(user_id, principal):
        return None
    async with db.session() as session:
        await doctor_or_404(session, doctor_id)
        rules = await session.exec(
            select(AvailabilityRuleRow)
            .where(col(AvailabilityRuleRow.doctor_id) == doctor_id)
            .order_by(col(AvailabilityRuleRow.weekday), col(AvailabilityRuleRow.start_time))
        )
        exceptions = await session.exec(
            select(AvailabilityExceptionRow)
            .where(col(AvailabilityExceptionRow.doctor_id) == doctor_id)
            .order_by(col(AvailabilityExceptionRow.start_date))
        )
        slots = await session.exec(
            select(AdHocSlotRow)
            .where(col(AdHocSlotRow.doctor_id) == doctor_id)
            .order_by(col(AdHocSlotRow.start))
        )
        return AvailabilityDetails(
            rules=[rule_of(row) for row in rules],
            exceptions=[exception_of(row) for row in exceptions],
            slots=[adhoc_of(row) for row in slots],
        )


def check_range(start: datetime, end: datetime) -> None:
    """BAD_USER_INPUT for naive, inverted or too long time ranges."""
    if start.tzinfo is None or end.tzinfo is None:
        raise BadUserInput("Give times with a UTC offset (ISO 8601).", field="from")
    if end <= start:
        raise BadUserInput("The range must end after it starts.", field="to")
    if end - start > SLOT_RANGE_MAX:
        raise BadUserInput(f"Ask for at most {SLOT_RANGE_MAX.days} days at once.", field="to")


async def load_schedules(
    *, db: Database, doctor_ids: Sequence[uuid.UUID], now: datetime
) -> list[Schedule | None]:
    """Schedules by doctor id, in order (a DataLoader's batch function)."""
    async with db.session() as session:
        doctors = await doctors_by_ids(session, list(dict.fromkeys(doctor_ids)))
        schedules = await schedules_for(session, doctors.values(), since=now)
    return [schedules.get(doctor_id) for doctor_id in doctor_ids]


async def available_slots_with_zone(
    *,
    db: Database,
    doctor_id: uuid.UUID,
    start: datetime,
    end: datetime,
    now: datetime,
    principal: Principal | None,
) -> tuple[list[Slot], str]:
    """Bookable slots of a visible doctor starting in [start, end) (none unless approved),
    and the doctor's zone."""
    check_range(start, end)
    doctor = await visible_doctor(db=db, doctor_id=doctor_id, principal=principal)
    if doctor is None:
        raise NotFound("No such doctor.", doctorId=str(doctor_id))
    if doctor.status != DoctorStatus.APPROVED:
        return [], doctor.time_zone
    async with db.session() as session:
        schedule = await schedule_for(session, doctor, since=min(start, now))
    return open_slots(schedule, start, end, now=now), doctor.time_zone


def next_slot(schedule: Schedule | None, *, now: datetime) -> Slot | None:
    return None if schedule is None else next_open_slot(schedule, now=now)


@dataclass(frozen=True)
class SlotCheck:
    """The answer to "may [start, end) be booked with this doctor now?" (see README)."""

    doctor: Doctor
    approved: bool
    verdict: SlotVerdict

    @property
    def available(self) -> bool:
        return self.approved and self.verdict.available

    @property
    def reason(self) -> str | None:
        return "DOCTOR_NOT_APPROVED" if not self.approved else self.verdict.reason


async def slot_check(
    *,
    db: Database,
    doctor_id: uuid.UUID,
    start: datetime,
    end: datetime | None,
    now: datetime,
    ignore_appointment: uuid.UUID | None,
    principal: Principal | None,
) -> SlotCheck:
    """Check one requested range (or the slot starting at `start`) against the doctor's
    published availability. Pending and rejected doctors are NOT_FOUND except to admins and
    themselves; suspended ones answer `approved: false`."""
    check_range(start, end or start + timedelta(minutes=1))
    async with db.session() as session:
        doctor = await session.get(Doctor, doctor_id)
        if doctor is None or not access.can_view(
            DoctorStatus(doctor.status), doctor.user_id, principal, by_reference=True
        ):
            raise NotFound("No such doctor.", doctorId=str(doctor_id))
        schedule = await schedule_for(session, doctor, since=start)
    verdict = check_slot(
        schedule,
        start,
        end,
        now=now,
        ignore_appointment=str(ignore_appointment) if ignore_appointment else None,
    )
    return SlotCheck(
        doctor=doctor, approved=doctor.status == DoctorStatus.APPROVED, verdict=verdict
    )
