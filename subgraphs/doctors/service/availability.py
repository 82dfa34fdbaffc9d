"""Availability use cases: weekly rules, exceptions, ad-hoc slots and the booking policy.

Each change is validated by the domain, written in one transaction with an
`AvailabilityChanged` event, and then invalidates the search cache.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlmodel import SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.doctors.domain import access
from subgraphs.doctors.domain.availability import (
    AdHocSlot,
    AvailabilityException,
    BookingPolicy,
    WeeklyRule,
    validate_adhoc_slot,
    validate_exception,
    validate_policy,
    validate_rules,
)
from subgraphs.doctors.models import (
    AdHocSlotRow,
    AvailabilityExceptionRow,
    AvailabilityRuleRow,
    Doctor,
)
from subgraphs.doctors.service.publishing import availability_changed
from subgraphs.doctors.service.store import (
    NAMESPACE,
    adhoc_of,
    doctor_or_404,
    exception_of,
    rule_of,
)
from subgraphs.shared.auth import Principal
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database
from subgraphs.shared.errors import NotFound

Row = TypeVar("Row", bound=SQLModel)


async def _managed(
    session: AsyncSession, doctor_id: uuid.UUID, principal: Principal | None
) -> Doctor:
    doctor = await doctor_or_404(session, doctor_id)
    access.require_manage(doctor.user_id, principal)
    return doctor


async def _owned_row(
    session: AsyncSession, model: type[Row], row_id: uuid.UUID, principal: Principal | None
) -> tuple[Row, Doctor]:
    row = await session.get(model, row_id)
    if row is None:
        raise NotFound("No such availability entry.", id=str(row_id))
    doctor = await _managed(session, getattr(row, "doctor_id"), principal)  # noqa: B009
    return row, doctor


async def set_weekly_rules(
    *,
    db: Database,
    cache: Cache,
    doctor_id: uuid.UUID,
    rules: Sequence[WeeklyRule],
    principal: Principal | None,
) -> list[WeeklyRule]:
    """Replace the doctor's weekly rules with `rules` (validated together)."""
    validate_rules(rules)
    async with db.transaction() as session:
        doctor = await _managed(session, doctor_id, principal)
        await session.exec(
            delete(AvailabilityRuleRow).where(col(AvailabilityRuleRow.doctor_id) == doctor.id)
        )
        rows = [
            AvailabilityRuleRow(
                doctor_id=doctor.id,
                weekday=r.weekday,
                start_time=r.start,
                end_time=r.end,
                slot_minutes=r.slot_minutes,
                valid_from=r.valid_from,
                valid_until=r.valid_until,
            )
            for r in rules
        ]
        session.add_all(rows)
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return [rule_of(row) for row in rows]


async def add_exception(
    *,
    db: Database,
    cache: Cache,
    doctor_id: uuid.UUID,
    exception: AvailabilityException,
    principal: Principal | None,
) -> AvailabilityException:
    """Add days off or changed hours; refuses overlaps with the doctor's other exceptions."""
    async with db.transaction() as session:
        doctor = await _managed(session, doctor_id, principal)
        existing = await session.exec(
            select(AvailabilityExceptionRow).where(
                col(AvailabilityExceptionRow.doctor_id) == doctor.id
            )
        )
        validate_exception(exception, [exception_of(row) for row in existing])
        row = AvailabilityExceptionRow(
            doctor_id=doctor.id,
            start_date=exception.start_date,
            end_date=exception.end_date,
            kind=exception.kind,
            start_time=exception.start,
            end_time=exception.end,
            slot_minutes=exception.slot_minutes,
            reason=exception.reason,
        )
        session.add(row)
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return exception_of(row)


async def remove_exception(
    *, db: Database, cache: Cache, exception_id: uuid.UUID, principal: Principal | None
) -> uuid.UUID:
    async with db.transaction() as session:
        row, doctor = await _owned_row(session, AvailabilityExceptionRow, exception_id, principal)
        await session.delete(row)
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return doctor.id


async def _slots_of(session: AsyncSession, doctor_id: uuid.UUID) -> list[AdHocSlot]:
    rows = await session.exec(select(AdHocSlotRow).where(col(AdHocSlotRow.doctor_id) == doctor_id))
    return [adhoc_of(row) for row in rows]


async def add_slot(
    *,
    db: Database,
    cache: Cache,
    doctor_id: uuid.UUID,
    start: datetime,
    end: datetime,
    principal: Principal | None,
) -> AdHocSlot:
    """Offer one extra slot; refuses inverted, naive or overlapping ranges."""
    slot = AdHocSlot(start=start, end=end)
    validate_adhoc_slot(slot, [])
    async with db.transaction() as session:
        doctor = await _managed(session, doctor_id, principal)
        validate_adhoc_slot(slot, await _slots_of(session, doctor.id))
        row = AdHocSlotRow(
            id=slot.id, doctor_id=doctor.id, start=start.astimezone(UTC), end=end.astimezone(UTC)
        )
        session.add(row)
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return adhoc_of(row)


async def update_slot(
    *,
    db: Database,
    cache: Cache,
    slot_id: uuid.UUID,
    start: datetime,
    end: datetime,
    principal: Principal | None,
) -> AdHocSlot:
    slot = AdHocSlot(id=slot_id, start=start, end=end)
    validate_adhoc_slot(slot, [])
    async with db.transaction() as session:
        row, doctor = await _owned_row(session, AdHocSlotRow, slot_id, principal)
        validate_adhoc_slot(slot, await _slots_of(session, doctor.id))
        row.start, row.end = start.astimezone(UTC), end.astimezone(UTC)
        session.add(row)
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return adhoc_of(row)


async def remove_slot(
    *, db: Database, cache: Cache, slot_id: uuid.UUID, principal: Principal | None
) -> uuid.UUID:
    async with db.transaction() as session:
        row, doctor = await _owned_row(session, AdHocSlotRow, slot_id, principal)
        await session.delete(row)
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return doctor.id


async def update_policy(
    *,
    db: Database,
    cache: Cache,
    doctor_id: uuid.UUID,
    policy: BookingPolicy,
    principal: Principal | None,
) -> Doctor:
    """Change buffers, minimum notice and booking window."""
    validate_policy(policy)
    async with db.transaction() as session:
        doctor = await _managed(session, doctor_id, principal)
        doctor.buffer_before_minutes = policy.buffer_before_minutes
        doctor.buffer_after_minutes = policy.buffer_after_minutes
        doctor.minimum_notice_minutes = policy.minimum_notice_minutes
        doctor.booking_window_days = policy.booking_window_days
        availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return doctor
