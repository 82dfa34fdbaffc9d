"""The doctors part of the dashboard: `Statistics.doctors` (the entity is served by
appointments' `statistics` root field; the router reaches this through `_entities`)."""

from __future__ import annotations

from datetime import date
from typing import Self

import strawberry

from subgraphs.doctors.schema.context import Info
from subgraphs.doctors.service.statistics import doctor_figures
from subgraphs.shared.statistics import Window, require_admin


@strawberry.type
class DoctorStatusCount:
    status: str
    doctors: int


@strawberry.type
class DoctorGroupCount:
    value: str
    doctors: int


@strawberry.type(description="Doctor profiles created and first approvals, in one bucket.")
class DoctorBucket:
    start: date
    registrations: int
    approvals: int


@strawberry.type
class DoctorStatistics:
    by_status: list[DoctorStatusCount] = strawberry.field(description="Every doctor now.")
    approvals: int = strawberry.field(description="First approvals in the range.")
    approval_median_seconds: int | None = strawberry.field(
        description="Registration to first approval, nearest-rank median (range's approvals)."
    )
    approval_p90_seconds: int | None
    by_specialization: list[DoctorGroupCount] = strawberry.field(
        description="Approved doctors now per specialization code (top 50)."
    )
    by_city: list[DoctorGroupCount] = strawberry.field(
        description="Approved doctors now per city (top 50)."
    )
    buckets: list[DoctorBucket]


@strawberry.federation.type(name="Statistics", keys=["key"])
class StatisticsDoctors:
    key: str

    @classmethod
    def resolve_reference(cls, key: str) -> Self:
        return cls(key=key)

    @strawberry.field
    async def doctors(self, info: Info) -> DoctorStatistics:
        require_admin(info.context.principal)
        window = Window.from_key(self.key)
        found = await doctor_figures(db=info.context.resources.database, window=window)
        return DoctorStatistics(
            by_status=[
                DoctorStatusCount(status=s.value, doctors=n) for s, n in found.by_status.items()
            ],
            approvals=found.approvals,
            approval_median_seconds=found.approval_median_seconds,
            approval_p90_seconds=found.approval_p90_seconds,
            by_specialization=[
                DoctorGroupCount(value=v, doctors=n) for v, n in found.by_specialization
            ],
            by_city=[DoctorGroupCount(value=v, doctors=n) for v, n in found.by_city],
            buckets=[
                DoctorBucket(
                    start=s.first_day, registrations=b.registrations, approvals=b.approvals
                )
                for s, b in zip(window.spans(), found.buckets, strict=True)
            ],
        )
