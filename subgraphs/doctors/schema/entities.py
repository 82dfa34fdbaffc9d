"""The `Doctor` entity: its public profile, private onboarding details and open slots."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

import strawberry

from subgraphs.doctors.domain import access, profile
from subgraphs.doctors.domain.slots import Schedule
from subgraphs.doctors.models import Doctor
from subgraphs.doctors.schema.context import Info, loader, now, parse_id
from subgraphs.doctors.schema.types import (
    AdHocSlotType,
    AvailabilityExceptionType,
    AvailabilityType,
    BookingPolicyType,
    DoctorStatusChangeType,
    DoctorStatusEnum,
    SlotType,
    SpecializationType,
    WeeklyRuleType,
    id_of,
)
from subgraphs.doctors.service import onboarding, profiles, reads
from subgraphs.doctors.service.views import DoctorView


async def _specializations(info: Info) -> dict[str, SpecializationType]:
    async def load(keys: Sequence[str]) -> list[dict[str, SpecializationType]]:
        rows = await profiles.all_specializations(db=info.context.resources.database)
        table = {row.code: SpecializationType.from_model(row) for row in rows}
        return [table for _ in keys]

    table: dict[str, SpecializationType] = await loader(info, "doctors.specializations", load).load(
        "all"
    )
    return table


async def _schedule(info: Info, doctor_id: uuid.UUID) -> Schedule | None:
    async def load(keys: Sequence[uuid.UUID]) -> list[Schedule | None]:
        db = info.context.resources.database
        return await reads.load_schedules(db=db, doctor_ids=keys, now=now(info))

    schedule: Schedule | None = await loader(info, "doctors.schedules", load).load(doctor_id)
    return schedule


@strawberry.federation.type(
    name="Doctor", keys=["id"], description="A doctor patients can find and book."
)
class DoctorType:
    id: strawberry.ID
    user_id: strawberry.ID = strawberry.field(description="The doctor's identity user.")
    name: str
    city: str
    clinic_address: str
    clinic_phone: str | None
    languages: list[str] = strawberry.field(description="BCP 47 tags, e.g. en, de, pt-br.")
    bio: str
    consultation_minutes: int
    fee: Decimal
    currency: str = strawberry.field(description="ISO 4217 code of the fee.")
    accepted_insurance: list[str]
    photo_url: str | None
    time_zone: str = strawberry.field(description="IANA time zone of the doctor's hours.")
    accepting_new_patients: bool
    status: DoctorStatusEnum  # type: ignore[valid-type]
    booking_policy: BookingPolicyType
    view: strawberry.Private[DoctorView]

    @classmethod
    def from_view(cls, view: DoctorView) -> Self:
        return cls(
            id=id_of(view.id),
            user_id=id_of(view.user_id),
            name=view.name,
            city=view.city,
            clinic_address=view.clinic_address,
            clinic_phone=view.clinic_phone,
            languages=list(view.languages),
            bio=view.bio,
            consultation_minutes=view.consultation_minutes,
            fee=profile.fee_of(view.fee_cents),
            currency=view.currency,
            accepted_insurance=list(view.accepted_insurance),
            photo_url=view.photo_url,
            time_zone=view.time_zone,
            accepting_new_patients=view.accepting_new_patients,
            status=view.status,
            booking_policy=BookingPolicyType(
                buffer_before_minutes=view.buffer_before_minutes,
                buffer_after_minutes=view.buffer_after_minutes,
                minimum_notice_minutes=view.minimum_notice_minutes,
                booking_window_days=view.booking_window_days,
            ),
            view=view,
        )

    @classmethod
    def from_model(cls, row: Doctor) -> Self:
        return cls.from_view(DoctorView.of(row))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Self | None:
        async def load(keys: Sequence[uuid.UUID]) -> list[Doctor | None]:
            db, principal = info.context.resources.database, info.context.principal
            return await reads.referenced_doctors(db=db, ids=keys, principal=principal)

        row = await loader(info, "doctors.references", load).load(parse_id(id))
        return cls.from_model(row) if row is not None else None

    @strawberry.field(description="Chosen from the managed list (see `specializations`).")
    async def specializations(self, info: Info) -> list[SpecializationType]:
        table = await _specializations(info)
        return [table[c] for c in self.view.specializations if c in table]

    @strawberry.field(description="Why the doctor was rejected or suspended (admins, self).")
    def status_reason(self, info: Info) -> str | None:
        visible = access.can_see_private(self.view.user_id, info.context.principal)
        return self.view.status_reason if visible else None

    @strawberry.field(description="The audited onboarding history (admins and self; else []).")
    async def status_history(self, info: Info) -> list[DoctorStatusChangeType]:
        rows = await onboarding.status_history(
            db=info.context.resources.database,
            doctor_id=self.view.id,
            user_id=self.view.user_id,
            principal=info.context.principal,
        )
        return [DoctorStatusChangeType.from_model(row) for row in rows]

    @strawberry.field(description="Rules, exceptions and ad-hoc slots (admins and self).")
    async def availability(self, info: Info) -> AvailabilityType | None:
        details = await reads.availability_details(
            db=info.context.resources.database,
            doctor_id=self.view.id,
            user_id=self.view.user_id,
            principal=info.context.principal,
        )
        if details is None:
            return None
        return AvailabilityType(
            rules=[WeeklyRuleType.of(r) for r in details.rules],
            exceptions=[AvailabilityExceptionType.of(e) for e in details.exceptions],
            slots=[AdHocSlotType.of(s) for s in details.slots],
        )

    @strawberry.field(description="Bookable slots starting in [from, to), in UTC.")
    async def available_slots(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[SlotType]:
        slots, _ = await reads.available_slots_with_zone(
            db=info.context.resources.database,
            doctor_id=self.view.id,
            start=from_,
            end=to,
            now=now(info),
            principal=info.context.principal,
        )
        return SlotType.many(slots, self.view.time_zone)

    @strawberry.field(description="The first bookable slot (null when none in the window).")
    async def next_available(self, info: Info) -> SlotType | None:
        if self.view.next_available_known:
            slot = self.view.next_available
        elif self.view.status.value != "APPROVED":
            slot = None
        else:
            slot = reads.next_slot(await _schedule(info, self.view.id), now=now(info))
        return SlotType.of(slot, self.view.time_zone) if slot else None
