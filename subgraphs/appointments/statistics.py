"""The appointments part of the dashboard: counts per bucket, rates, lead time, top doctors.

Every figure is one aggregate query in the store (GROUP BY in the database); rows are never
loaded to be counted. Appointments are counted in the bucket their start falls in.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.sqltypes import UTCDateTime

from subgraphs.appointments.domain import Status
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.shared.database import Database
from subgraphs.shared.statistics import Window, at_rank, bucket_table, seconds_between

TOP_DOCTORS: Final = 10
BOOKED: Final = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)
"""Statuses whose time was held for the patient: these count as booked hours."""


@dataclass
class Counts:
    """Appointments by status, and cancellations by the role of who cancelled."""

    by_status: dict[Status, int] = field(default_factory=dict)
    cancelled_by: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def of(self, status: Status) -> int:
        return self.by_status.get(status, 0)


@dataclass(frozen=True)
class DoctorLoad:
    doctor_id: uuid.UUID
    appointments: int
    booked_seconds: int


@dataclass(frozen=True)
class AppointmentFigures:
    buckets: list[Counts]
    totals: Counts
    lead_median_seconds: int | None
    lead_p90_seconds: int | None
    top_doctors: list[DoctorLoad]

    @property
    def cancellation_rate(self) -> float | None:
        """Cancelled ÷ all appointments starting in the range (None when there are none)."""
        total = self.totals.total
        return None if total == 0 else self.totals.of(Status.CANCELLED) / total

    @property
    def no_show_rate(self) -> float | None:
        """No-shows ÷ visits that took place or were missed (completed + no-show)."""
        held = self.totals.of(Status.COMPLETED) + self.totals.of(Status.NO_SHOW)
        return None if held == 0 else self.totals.of(Status.NO_SHOW) / held


def _in(window: Window) -> Any:
    starts = col(AppointmentRow.starts_at)
    return and_(starts >= window.start, starts < window.end)


async def _per_bucket(session: AsyncSession, window: Window, dialect: str) -> list[Counts]:
    spans = window.spans()
    buckets = [Counts() for _ in spans]
    table = bucket_table(window, dialect=dialect, type_=UTCDateTime())
    starts = col(AppointmentRow.starts_at)
    joined = and_(starts >= table.c.lo, starts < table.c.hi)
    by_status = (
        select(table.c.idx, AppointmentRow.status, func.count())
        .select_from(table)
        .join(AppointmentRow, joined)
        .group_by(table.c.idx, AppointmentRow.status)
    )
    for idx, status, count in (await session.exec(by_status)).all():
        buckets[idx].by_status[Status(status)] = count
    cancelled = (
        select(table.c.idx, AppointmentChangeRow.actor_role, func.count())
        .select_from(table)
        .join(AppointmentRow, joined)
        .join(
            AppointmentChangeRow,
            and_(
                col(AppointmentChangeRow.appointment_id) == col(AppointmentRow.id),
                col(AppointmentChangeRow.to_status) == Status.CANCELLED.value,
            ),
        )
        .where(col(AppointmentRow.status) == Status.CANCELLED.value)
        .group_by(table.c.idx, AppointmentChangeRow.actor_role)
    )
    for idx, role, count in (await session.exec(cancelled)).all():
        buckets[idx].cancelled_by[role] = count
    return buckets


async def _lead_time(
    session: AsyncSession, window: Window, dialect: str
) -> tuple[int | None, int | None]:
    """Median and p90 (nearest rank: of 4 leads the 2nd) of start minus booking time, in SQL."""
    lead = seconds_between(
        col(AppointmentRow.starts_at), col(AppointmentRow.created_at), dialect=dialect
    )
    ranked = (
        select(
            lead.label("value"),
            func.row_number().over(order_by=lead).label("rank"),
            func.count().over().label("n"),
        )
        .where(_in(window))
        .subquery("ranked")
    )
    picked = select(
        func.min(at_rank(ranked, 1, 2)),
        func.min(at_rank(ranked, 9, 10)),
    )
    median, p90 = (await session.exec(picked)).one()
    return _seconds(median), _seconds(p90)


def _seconds(value: object) -> int | None:
    return None if value is None else round(float(str(value)))


async def _top_doctors(
    session: AsyncSession,
    window: Window,
    dialect: str,
    *,
    limit: int = TOP_DOCTORS,
    doctor_id: uuid.UUID | None = None,
) -> list[DoctorLoad]:
    held = seconds_between(
        col(AppointmentRow.ends_at), col(AppointmentRow.starts_at), dialect=dialect
    )
    booked_seconds = func.sum(held).label("booked")
    statement = (
        select(AppointmentRow.doctor_id, func.count(), booked_seconds)
        .where(_in(window), col(AppointmentRow.status).in_([s.value for s in BOOKED]))
        .group_by(col(AppointmentRow.doctor_id))
        .order_by(booked_seconds.desc(), col(AppointmentRow.doctor_id))
        .limit(limit)
    )
    if doctor_id is not None:
        statement = statement.where(col(AppointmentRow.doctor_id) == doctor_id)
    return [
        DoctorLoad(doctor_id=doctor, appointments=count, booked_seconds=_seconds(total) or 0)
        for doctor, count, total in (await session.exec(statement)).all()
    ]


async def most_booked(*, db: Database, window: Window, top: int) -> list[DoctorLoad]:
    """The `top` doctors with the most booked hours in `window` (ties by id)."""
    async with db.session() as session:
        return await _top_doctors(session, window, db.dialect, limit=top)


async def booked_of(*, db: Database, window: Window, doctor_id: uuid.UUID) -> DoctorLoad:
    """One doctor's booked time in `window` (zero when none)."""
    async with db.session() as session:
        found = await _top_doctors(session, window, db.dialect, limit=1, doctor_id=doctor_id)
    return found[0] if found else DoctorLoad(doctor_id, appointments=0, booked_seconds=0)


def _sum(buckets: list[Counts]) -> Counts:
    by_status: dict[Status, int] = defaultdict(int)
    cancelled_by: dict[str, int] = defaultdict(int)
    for bucket in buckets:
        for status, count in bucket.by_status.items():
            by_status[status] += count
        for role, count in bucket.cancelled_by.items():
            cancelled_by[role] += count
    return Counts(by_status=dict(by_status), cancelled_by=dict(cancelled_by))


async def figures(*, db: Database, window: Window) -> AppointmentFigures:
    """Every appointments figure of the dashboard over `window` (the caller checked the role)."""
    async with db.session() as session:
        buckets = await _per_bucket(session, window, db.dialect)
        median, p90 = await _lead_time(session, window, db.dialect)
        top = await _top_doctors(session, window, db.dialect)
    return AppointmentFigures(
        buckets=buckets,
        totals=_sum(buckets),
        lead_median_seconds=median,
        lead_p90_seconds=p90,
        top_doctors=top,
    )
