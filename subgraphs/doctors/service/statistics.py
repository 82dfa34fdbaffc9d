"""The doctors part of the dashboard: onboarding states, time to approval, where and what.

Each figure is one aggregate query in the doctors store (GROUP BY in the database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.sql.sqltypes import UTCDateTime

from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import Doctor, DoctorStatusChange, DoctorTag
from subgraphs.shared.database import Database
from subgraphs.shared.statistics import Window, at_rank, bucket_table, seconds_between

TOP: Final = 50


@dataclass
class DoctorBucket:
    registrations: int = 0
    approvals: int = 0


@dataclass(frozen=True)
class DoctorFigures:
    by_status: dict[DoctorStatus, int]
    buckets: list[DoctorBucket]
    approval_median_seconds: int | None
    approval_p90_seconds: int | None
    by_specialization: list[tuple[str, int]]
    by_city: list[tuple[str, int]]
    approvals: int = field(default=0)


def _seconds(value: object) -> int | None:
    return None if value is None else round(float(str(value)))


async def doctor_figures(*, db: Database, window: Window) -> DoctorFigures:
    """Every doctors figure of the dashboard over `window` (the caller checked the role).

    Approvals are first approvals (PENDING → APPROVED) in the range; time to approval runs
    from the profile's creation. Specializations and cities count approved doctors now.
    """
    table = bucket_table(window, dialect=db.dialect, type_=UTCDateTime())
    created, changed = col(Doctor.created_at), col(DoctorStatusChange.changed_at)
    first_approval = and_(
        col(DoctorStatusChange.to_status) == DoctorStatus.APPROVED.value,
        col(DoctorStatusChange.from_status) == DoctorStatus.PENDING.value,
    )
    by_status = select(Doctor.status, func.count()).group_by(col(Doctor.status))
    registrations = (
        select(table.c.idx, func.count())
        .select_from(table)
        .join(Doctor, and_(created >= table.c.lo, created < table.c.hi))
        .group_by(table.c.idx)
    )
    approvals = (
        select(table.c.idx, func.count())
        .select_from(table)
        .join(DoctorStatusChange, and_(changed >= table.c.lo, changed < table.c.hi))
        .where(first_approval)
        .group_by(table.c.idx)
    )
    waited = seconds_between(changed, created, dialect=db.dialect)
    ranked = (
        select(
            waited.label("value"),
            func.row_number().over(order_by=waited).label("rank"),
            func.count().over().label("n"),
        )
        .select_from(DoctorStatusChange)
        .join(Doctor, col(Doctor.id) == col(DoctorStatusChange.doctor_id))
        .where(first_approval, changed >= window.start, changed < window.end)
        .subquery("ranked")
    )
    percentiles = select(func.min(at_rank(ranked, 1, 2)), func.min(at_rank(ranked, 9, 10)))
    approved = col(Doctor.status) == DoctorStatus.APPROVED.value
    doctors = func.count().label("doctors")
    specializations = (
        select(DoctorTag.value, doctors)
        .join(Doctor, col(Doctor.id) == col(DoctorTag.doctor_id))
        .where(col(DoctorTag.kind) == "specialization", approved)
        .group_by(col(DoctorTag.value))
        .order_by(doctors.desc(), col(DoctorTag.value))
        .limit(TOP)
    )
    cities = (
        select(Doctor.city, doctors)
        .where(approved)
        .group_by(col(Doctor.city))
        .order_by(doctors.desc(), col(Doctor.city))
        .limit(TOP)
    )
    buckets = [DoctorBucket() for _ in window.spans()]
    async with db.session() as session:
        statuses = {DoctorStatus(s): n for s, n in (await session.exec(by_status)).all()}
        for idx, count in (await session.exec(registrations)).all():
            buckets[idx].registrations = count
        for idx, count in (await session.exec(approvals)).all():
            buckets[idx].approvals = count
        median, p90 = (await session.exec(percentiles)).one()
        by_specialization = [(v, n) for v, n in (await session.exec(specializations)).all()]
        by_city = [(c, n) for c, n in (await session.exec(cities)).all()]
    return DoctorFigures(
        by_status={status: statuses.get(status, 0) for status in DoctorStatus},
        buckets=buckets,
        approval_median_seconds=_seconds(median),
        approval_p90_seconds=_seconds(p90),
        by_specialization=by_specialization,
        by_city=by_city,
        approvals=sum(b.approvals for b in buckets),
    )
