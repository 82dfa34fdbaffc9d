"""Mutations of the doctors subgraph: profile, onboarding and availability."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.schema.context import Info, parse_id
from subgraphs.doctors.schema.entities import DoctorType
from subgraphs.doctors.schema.inputs import (
    AvailabilityExceptionInput,
    BookingPolicyInput,
    DoctorProfileInput,
    WeeklyRuleInput,
)
from subgraphs.doctors.schema.types import AdHocSlotType, AvailabilityExceptionType, WeeklyRuleType
from subgraphs.doctors.service import availability, onboarding, profiles


async def _doctor_id(info: Info, given: strawberry.ID | None) -> uuid.UUID:
    """The given doctor id, or the signed-in doctor's own."""
    if given is not None:
        return parse_id(given, "doctorId")
    own = await profiles.own_profile(
        db=info.context.resources.database, principal=info.context.principal
    )
    return own.id


async def _set_status(
    info: Info, id: strawberry.ID, target: DoctorStatus, reason: str | None
) -> DoctorType:
    row = await onboarding.change_status(
        db=info.context.resources.database,
        cache=info.context.resources.cache,
        doctor_id=parse_id(id),
        target=target,
        reason=reason,
        principal=info.context.principal,
    )
    return DoctorType.from_model(row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Edit a profile (your own if `id` is omitted; admins any).")
    async def update_doctor_profile(
        self, info: Info, input: DoctorProfileInput, id: strawberry.ID | None = None
    ) -> DoctorType:
        row = await profiles.update_profile(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            doctor_id=await _doctor_id(info, id),
            changes=input.to_changes(),
            principal=info.context.principal,
        )
        return DoctorType.from_model(row)

    @strawberry.mutation(description="Approve a pending, rejected or suspended doctor (admins).")
    async def approve_doctor(self, info: Info, id: strawberry.ID) -> DoctorType:
        return await _set_status(info, id, DoctorStatus.APPROVED, None)

    @strawberry.mutation(description="Reject a pending doctor, with a reason (admins).")
    async def reject_doctor(self, info: Info, id: strawberry.ID, reason: str) -> DoctorType:
        return await _set_status(info, id, DoctorStatus.REJECTED, reason)

    @strawberry.mutation(description="Suspend an approved doctor (admins).")
    async def suspend_doctor(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> DoctorType:
        return await _set_status(info, id, DoctorStatus.SUSPENDED, reason)

    @strawberry.mutation(description="Replace the weekly rules (overlaps are refused).")
    async def set_weekly_availability(
        self, info: Info, rules: list[WeeklyRuleInput], doctor_id: strawberry.ID | None = None
    ) -> list[WeeklyRuleType]:
        saved = await availability.set_weekly_rules(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            doctor_id=await _doctor_id(info, doctor_id),
            rules=[rule.to_rule() for rule in rules],
            principal=info.context.principal,
        )
        return [WeeklyRuleType.of(rule) for rule in saved]

    @strawberry.mutation(description="Add days off or changed hours.")
    async def add_availability_exception(
        self,
        info: Info,
        input: AvailabilityExceptionInput,
        doctor_id: strawberry.ID | None = None,
    ) -> AvailabilityExceptionType:
        saved = await availability.add_exception(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            doctor_id=await _doctor_id(info, doctor_id),
            exception=input.to_exception(),
            principal=info.context.principal,
        )
        return AvailabilityExceptionType.of(saved)

    @strawberry.mutation(description="Remove an exception; returns its doctor's id.")
    async def remove_availability_exception(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        doctor_id = await availability.remove_exception(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            exception_id=parse_id(id),
            principal=info.context.principal,
        )
        return strawberry.ID(str(doctor_id))

    @strawberry.mutation(description="Offer one extra slot (times with offsets).")
    async def add_slot(
        self, info: Info, start: datetime, end: datetime, doctor_id: strawberry.ID | None = None
    ) -> AdHocSlotType:
        saved = await availability.add_slot(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            doctor_id=await _doctor_id(info, doctor_id),
            start=start,
            end=end,
            principal=info.context.principal,
        )
        return AdHocSlotType.of(saved)

    @strawberry.mutation(description="Move an ad-hoc slot.")
    async def update_slot(
        self, info: Info, id: strawberry.ID, start: datetime, end: datetime
    ) -> AdHocSlotType:
        saved = await availability.update_slot(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            slot_id=parse_id(id),
            start=start,
            end=end,
            principal=info.context.principal,
        )
        return AdHocSlotType.of(saved)

    @strawberry.mutation(description="Delete an ad-hoc slot; returns its doctor's id.")
    async def remove_slot(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        doctor_id = await availability.remove_slot(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            slot_id=parse_id(id),
            principal=info.context.principal,
        )
        return strawberry.ID(str(doctor_id))

    @strawberry.mutation(description="Set buffers, minimum notice and booking window.")
    async def update_booking_policy(
        self, info: Info, input: BookingPolicyInput, doctor_id: strawberry.ID | None = None
    ) -> DoctorType:
        row = await availability.update_policy(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            doctor_id=await _doctor_id(info, doctor_id),
            policy=input.to_policy(),
            principal=info.context.principal,
        )
        return DoctorType.from_model(row)
