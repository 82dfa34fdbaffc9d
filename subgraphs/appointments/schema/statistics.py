"""The dashboard's root field and the appointments figures of the `Statistics` entity.

`Statistics` is keyed by an opaque `key` encoding range, bucket and time zone; this subgraph
owns the root field `statistics` and every other subgraph adds its figures to the entity
through `_entities`, so the router answers the dashboard in one request.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Self

import strawberry

from subgraphs.appointments import statistics
from subgraphs.appointments.domain import Status
from subgraphs.appointments.schema.context import Info, deps
from subgraphs.appointments.schema.entities import DoctorRef
from subgraphs.appointments.schema.utilization import DoctorUtilizationType, most_booked
from subgraphs.shared.statistics import Bucket, Window, require_admin


@strawberry.enum(name="StatisticsBucket")
class BucketType(Enum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


@strawberry.input(name="StatisticsRange", description="Local dates [from, to) in the time zone.")
class RangeInput:
    from_: date = strawberry.field(name="from")
    to: date


@strawberry.type
class AppointmentCounts:
    total: int
    pending: int
    confirmed: int
    rejected: int
    cancelled: int
    completed: int
    no_show: int
    cancelled_by_patient: int
    cancelled_by_doctor: int
    cancelled_by_admin: int

    @classmethod
    def of(cls, counts: statistics.Counts) -> Self:
        return cls(
            total=counts.total,
            pending=counts.of(Status.PENDING),
            confirmed=counts.of(Status.CONFIRMED),
            rejected=counts.of(Status.REJECTED),
            cancelled=counts.of(Status.CANCELLED),
            completed=counts.of(Status.COMPLETED),
            no_show=counts.of(Status.NO_SHOW),
            cancelled_by_patient=counts.cancelled_by.get("PATIENT", 0),
            cancelled_by_doctor=counts.cancelled_by.get("DOCTOR", 0),
            cancelled_by_admin=counts.cancelled_by.get("ADMIN", 0),
        )


@strawberry.type(description="Appointments starting in one bucket.")
class AppointmentBucket:
    start: date = strawberry.field(description="The bucket's first local date.")
    starts_at: datetime
    ends_at: datetime
    counts: AppointmentCounts


@strawberry.type(description="Time from booking to the visit's start, nearest-rank percentiles.")
class BookingLeadTime:
    median_seconds: int | None
    p90_seconds: int | None


@strawberry.type(description="A doctor's booked time in the range (pending to no-show).")
class DoctorWorkload:
    doctor: DoctorRef
    appointments: int
    booked_hours: float


@strawberry.type
class AppointmentStatistics:
    totals: AppointmentCounts
    buckets: list[AppointmentBucket]
    cancellation_rate: float | None = strawberry.field(
        description="Cancelled ÷ all appointments starting in the range (null if none)."
    )
    no_show_rate: float | None = strawberry.field(
        description="No-shows ÷ (completed + no-shows) in the range (null if none)."
    )
    lead_time: BookingLeadTime
    top_doctors: list[DoctorWorkload] = strawberry.field(
        description="Up to 10 doctors with the most booked hours."
    )


def _window(key: str) -> Window:
    return Window.from_key(key)


@strawberry.federation.type(
    name="Statistics", keys=["key"], description="The admin dashboard's figures for one window."
)
class StatisticsType:
    key: str = strawberry.field(description="Opaque: encodes range, bucket and time zone.")

    @classmethod
    def resolve_reference(cls, key: str) -> Self:
        return cls(key=key)

    @strawberry.field(name="from")
    def from_(self) -> date:
        return _window(self.key).first

    @strawberry.field
    def to(self) -> date:
        return _window(self.key).last

    @strawberry.field
    def bucket(self) -> BucketType:
        return BucketType(_window(self.key).bucket.value)

    @strawberry.field
    def time_zone(self) -> str:
        return _window(self.key).zone

    @strawberry.field
    async def appointments(self, info: Info) -> AppointmentStatistics:
        require_admin(info.context.principal)
        window = _window(self.key)
        found = await statistics.figures(db=deps(info).db, window=window)
        spans = window.spans()
        return AppointmentStatistics(
            totals=AppointmentCounts.of(found.totals),
            buckets=[
                AppointmentBucket(
                    start=s.first_day,
                    starts_at=s.start,
                    ends_at=s.end,
                    counts=AppointmentCounts.of(c),
                )
                for s, c in zip(spans, found.buckets, strict=True)
            ],
            cancellation_rate=found.cancellation_rate,
            no_show_rate=found.no_show_rate,
            lead_time=BookingLeadTime(
                median_seconds=found.lead_median_seconds, p90_seconds=found.lead_p90_seconds
            ),
            top_doctors=[
                DoctorWorkload(
                    doctor=DoctorRef(id=strawberry.ID(str(d.doctor_id))),
                    appointments=d.appointments,
                    booked_hours=d.booked_seconds / 3600,
                )
                for d in found.top_doctors
            ],
        )

    @strawberry.field(
        description="Utilization of the `top` doctors with the most booked hours in the range "
        "(most first): booked hours here, offered hours and the ratio from their availability."
    )
    async def utilization(self, info: Info, top: int = 10) -> list[DoctorUtilizationType]:
        return await most_booked(info, _window(self.key), top)


@strawberry.type
class StatisticsQuery:
    @strawberry.field(
        description="Admins: the dashboard's figures over local dates [from, to) in `timeZone`, "
        "cut into buckets. Every subgraph adds its part; FORBIDDEN for others."
    )
    def statistics(
        self,
        info: Info,
        range: RangeInput,
        bucket: BucketType,
        time_zone: Annotated[str, strawberry.argument(name="timeZone")],
    ) -> StatisticsType:
        require_admin(info.context.require())
        window = Window.checked(
            first=range.from_, last=range.to, bucket=Bucket(bucket.value), zone=time_zone
        )
        return StatisticsType(key=window.key)
