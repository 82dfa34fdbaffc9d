"""`SlotCheck`: the answer the appointments subgraph gets before it books or reschedules;
`WaitlistArea`: the specialization in a city its waitlist entries may wait for."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from subgraphs.doctors.schema.types import id_of
from subgraphs.doctors.service.areas import Area, doctor_keys
from subgraphs.doctors.service.reads import SlotCheck


@strawberry.federation.type(
    name="SlotCheck",
    description="Whether a range can be booked with a doctor now, and why not (`reason`).",
    inaccessible=True,  # internal to the appointments subgraph, like `slotAvailability`
)
class SlotCheckType:
    doctor_id: strawberry.ID
    doctor_user_id: strawberry.ID = strawberry.field(description="The doctor's identity user.")
    approved: bool = strawberry.field(description="Approved (not pending/rejected/suspended).")
    available: bool = strawberry.field(
        description="All of approved, offered, free, notice, window."
    )
    offered: bool = strawberry.field(
        description="A published slot begins at `start` (and ends at `end` if given); "
        "schedule only: rules, ad-hoc slots, exceptions, not busy time."
    )
    slot_end: datetime | None = strawberry.field(
        description="The end of that offered slot; null when none is offered."
    )
    free: bool = strawberry.field(description="No other appointment's busy time (with buffers).")
    meets_notice: bool
    within_window: bool
    reason: str | None = strawberry.field(
        description="First failing check: DOCTOR_NOT_APPROVED, OUTSIDE_AVAILABILITY, TOO_LATE, "
        "TOO_FAR_AHEAD or SLOT_TAKEN; null when available."
    )
    time_zone: str
    minimum_notice_minutes: int
    booking_window_days: int
    earliest_start: datetime
    latest_start: datetime
    specializations: list[str] = strawberry.field(
        description="The doctor's specialization codes (folded as waitlist areas compare them)."
    )
    city_key: str = strawberry.field(description="The doctor's city, folded as areas compare it.")

    @classmethod
    def of(cls, check: SlotCheck) -> Self:
        doctor, verdict = check.doctor, check.verdict
        specializations, city_key = doctor_keys(doctor)
        return cls(
            doctor_id=id_of(doctor.id),
            doctor_user_id=id_of(doctor.user_id),
            approved=check.approved,
            available=check.available,
            offered=verdict.offered,
            slot_end=verdict.slot.end if verdict.slot else None,
            free=verdict.free,
            meets_notice=verdict.meets_notice,
            within_window=verdict.within_window,
            reason=check.reason,
            time_zone=doctor.time_zone,
            minimum_notice_minutes=doctor.minimum_notice_minutes,
            booking_window_days=doctor.booking_window_days,
            earliest_start=verdict.earliest_start,
            latest_start=verdict.latest_start,
            specializations=specializations,
            city_key=city_key,
        )


@strawberry.federation.type(
    name="WaitlistArea",
    description="Any approved doctor of a specialization in a city, as a waitlist waits for.",
    inaccessible=True,  # internal to the appointments subgraph, like `waitlistArea`
)
class WaitlistAreaType:
    specialization: str = strawberry.field(description="The specialization's code.")
    city: str = strawberry.field(description="The city as the area's doctors write it.")
    city_key: str
    time_zone: str | None = strawberry.field(
        description="The zone most of the area's doctors are in; null when it has none."
    )
    doctors: int = strawberry.field(description="How many approved doctors the area has.")

    @classmethod
    def of(cls, area: Area) -> Self:
        return cls(
            specialization=area.specialization,
            city=area.city,
            city_key=area.city_key,
            time_zone=area.time_zone,
            doctors=area.doctors,
        )
