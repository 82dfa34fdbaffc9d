"""Queries of the doctors subgraph."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from subgraphs.doctors.domain import search as rules
from subgraphs.doctors.domain.search import SortKey
from subgraphs.doctors.schema.context import Info, now, parse_id, settings
from subgraphs.doctors.schema.entities import DoctorType
from subgraphs.doctors.schema.inputs import DoctorFilter, DoctorSortEnum, PageInput
from subgraphs.doctors.schema.slot_check import SlotCheckType
from subgraphs.doctors.schema.types import SlotType, SpecializationType
from subgraphs.doctors.service import onboarding, profiles, reads
from subgraphs.doctors.service.search import search_doctors


@strawberry.type(description="Where a page is in the whole result.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None
    offset: int


@strawberry.type(description="One page of a doctor search and the total count.")
class DoctorConnection:
    nodes: list[DoctorType]
    total_count: int
    page_info: PageInfo


@strawberry.type
class Query:
    @strawberry.field(description="Search approved doctors.")
    async def doctors(
        self,
        info: Info,
        filter: DoctorFilter | None = None,
        sort: DoctorSortEnum = SortKey.NAME,  # type: ignore[valid-type]
        page: PageInput | None = None,
    ) -> DoctorConnection:
        wanted = page or PageInput()
        limits = settings(info)
        paging = rules.check_page(
            first=wanted.first,
            after=wanted.after,
            offset=wanted.offset,
            maximum=limits.page_size_max,
        )
        result = await search_doctors(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            ttl_seconds=limits.search_cache_seconds,
            search=(filter or DoctorFilter()).to_filter(),
            sort=SortKey(sort),
            page=paging,
            now=now(info),
        )
        last = paging.offset + len(result.items)
        return DoctorConnection(
            nodes=[DoctorType.from_view(v) for v in result.items],
            total_count=result.total,
            page_info=PageInfo(
                has_next_page=result.has_next,
                end_cursor=rules.encode_cursor(last) if result.items else None,
                offset=paging.offset,
            ),
        )

    @strawberry.field(description="One doctor (null if unknown or not visible to you).")
    async def doctor(self, info: Info, id: strawberry.ID) -> DoctorType | None:
        row = await reads.visible_doctor(
            db=info.context.resources.database,
            doctor_id=parse_id(id),
            principal=info.context.principal,
        )
        return DoctorType.from_model(row) if row else None

    @strawberry.field(description="The managed list of specializations.")
    async def specializations(self, info: Info) -> list[SpecializationType]:
        rows = await profiles.all_specializations(db=info.context.resources.database)
        return [SpecializationType.from_model(row) for row in rows]

    @strawberry.field(description="Bookable slots of a doctor starting in [from, to), in UTC.")
    async def available_slots(
        self,
        info: Info,
        doctor_id: strawberry.ID,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[SlotType]:
        doctor = parse_id(doctor_id, "doctorId")
        slots, zone = await reads.available_slots_with_zone(
            db=info.context.resources.database,
            doctor_id=doctor,
            start=from_,
            end=to,
            now=now(info),
            principal=info.context.principal,
        )
        return SlotType.many(slots, zone)

    @strawberry.field(description="Doctors waiting for approval, oldest first (admins).")
    async def pending_doctors(self, info: Info) -> list[DoctorType]:
        rows = await onboarding.pending_doctors(
            db=info.context.resources.database, principal=info.context.principal
        )
        return [DoctorType.from_model(row) for row in rows]

    @strawberry.field(description="The signed-in doctor's own profile, whatever its status.")
    async def my_doctor_profile(self, info: Info) -> DoctorType:
        row = await profiles.own_profile(
            db=info.context.resources.database, principal=info.context.principal
        )
        return DoctorType.from_model(row)

    # @inaccessible: the appointments subgraph asks doctors directly (signed); the router's
    # API schema leaves it out, so clients can neither see nor call it.
    @strawberry.federation.field(
        description="Internal (appointments): may [start, end) be booked with this doctor now? "
        "Without `end`: the slot that begins at `start`. `ignoreAppointmentId` leaves that "
        "appointment's busy time out (rescheduling). NOT_FOUND for unknown or hidden doctors.",
        inaccessible=True,
    )
    async def slot_availability(
        self,
        info: Info,
        doctor_id: strawberry.ID,
        start: datetime,
        end: datetime | None = None,
        ignore_appointment_id: strawberry.ID | None = None,
    ) -> SlotCheckType:
        check = await reads.slot_check(
            db=info.context.resources.database,
            doctor_id=parse_id(doctor_id, "doctorId"),
            start=start,
            end=end,
            now=now(info),
            ignore_appointment=parse_id(ignore_appointment_id, "ignoreAppointmentId")
            if ignore_appointment_id
            else None,
            principal=info.context.principal,
        )
        return SlotCheckType.of(check)
