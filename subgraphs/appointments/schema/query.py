"""Reading appointments: one's own, a doctor's calendar and requests, an admin's search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from subgraphs.appointments.domain import Status
from subgraphs.appointments.schema.calendar_feed import CalendarFeedQuery
from subgraphs.appointments.schema.context import Info, actor, deps, parse_id
from subgraphs.appointments.schema.inputs import AppointmentFilter
from subgraphs.appointments.schema.paging import FirstArg, PageArg, read_window
from subgraphs.appointments.schema.statistics import StatisticsQuery
from subgraphs.appointments.schema.types import (
    AppointmentPage,
    AppointmentPageInput,
    AppointmentType,
    AppointmentWhen,
)
from subgraphs.appointments.schema.waitlist import WaitlistQuery
from subgraphs.appointments.service import queries
from subgraphs.shared.connections import AfterArg


def _filter(given: AppointmentFilter | None) -> queries.Filter:
    if given is None:
        return queries.Filter()
    return queries.Filter(
        doctor_id=parse_id(given.doctor_id, "doctorId") if given.doctor_id else None,
        patient_id=parse_id(given.patient_id, "patientId") if given.patient_id else None,
        statuses=tuple(Status(s.name) for s in given.statuses or ()),
        start=given.from_,
        end=given.to,
    )


@strawberry.type
class Query(StatisticsQuery, CalendarFeedQuery, WaitlistQuery):
    @strawberry.field(
        description="The signed-in user's appointments (a patient's bookings, a doctor's "
        "visits). After a subscription reconnects, query this to catch up."
    )
    async def my_appointments(
        self,
        info: Info,
        when: AppointmentWhen = AppointmentWhen.UPCOMING,
        page: Annotated[AppointmentPageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AppointmentPage:
        own = deps(info)
        p = read_window(
            list_name=f"appointments.mine.{when.name}", page=page, first=first, after=after
        )
        found = await queries.mine(
            db=own.db,
            actor=actor(info),
            upcoming=when is AppointmentWhen.UPCOMING,
            now=own.clock(),
            offset=p.offset,
            limit=p.limit,
        )
        return AppointmentPage.from_page(found, list_name=f"appointments.mine.{when.name}")

    @strawberry.field(description="One appointment the caller may see (else NOT_FOUND).")
    async def appointment(self, info: Info, id: strawberry.ID) -> AppointmentType:
        row = await queries.get(db=deps(info).db, actor=actor(info), appointment_id=parse_id(id))
        return AppointmentType.from_model(row)

    @strawberry.field(
        description="The signed-in doctor's appointments overlapping [from, to) (≤ 92 days)."
    )
    async def doctor_calendar(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[AppointmentType]:
        rows = await queries.calendar(db=deps(info).db, actor=actor(info), start=from_, end=to)
        return [AppointmentType.from_model(row) for row in rows]

    @strawberry.field(description="Requests waiting for the signed-in doctor, soonest first.")
    async def pending_appointment_requests(
        self,
        info: Info,
        page: Annotated[AppointmentPageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AppointmentPage:
        own = deps(info)
        p = read_window(list_name="appointments.pending", page=page, first=first, after=after)
        found = await queries.pending(
            db=own.db, actor=actor(info), now=own.clock(), offset=p.offset, limit=p.limit
        )
        return AppointmentPage.from_page(found, list_name="appointments.pending")

    @strawberry.field(description="Admins: all appointments matching the filter, latest first.")
    async def appointments(
        self,
        info: Info,
        filter: AppointmentFilter | None = None,
        page: Annotated[AppointmentPageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AppointmentPage:
        p = read_window(list_name="appointments.search", page=page, first=first, after=after)
        found = await queries.search(
            db=deps(info).db,
            actor=actor(info),
            filter=_filter(filter),
            offset=p.offset,
            limit=p.limit,
        )
        return AppointmentPage.from_page(found, list_name="appointments.search")
