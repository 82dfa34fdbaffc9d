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
from subgraphs.doctors.schema.paging import FirstArg, PageArg, read_page
from subgraphs.doctors.schema.slot_check import SlotCheckType, WaitlistAreaType
from subgraphs.doctors.schema.types import SlotType, SpecializationType
from subgraphs.doctors.service import areas, onboarding, profiles, reads
from subgraphs.doctors.service.search import search_doctors
from subgraphs.shared.connections import AfterArg, ConnectionPageInfo, Edge, edges, page_facts


@strawberry.type(name="PageInfo", description="Where a page of doctors is in the whole result.")
class PageInfo(ConnectionPageInfo):
    offset: int = strawberry.field(
        deprecation_reason="Use `pageInfo.startCursor` / `endCursor` with `after`."
    )


@strawberry.type(description="One page of a doctor search and the total count.")
class DoctorConnection:
    edges: list[Edge[DoctorType]] = strawberry.field(
        description="The doctors of this page, each with its cursor."
    )
    nodes: list[DoctorType] = strawberry.field(description="The doctors of this page, in order.")
    total_count: int = strawberry.field(description="How many doctors match the search.")
    page_info: PageInfo = strawberry.field(
        description="Where this page is; pass `endCursor` as `after` for the next one."
    )

    @classmethod
    def of(cls, *, nodes: list[DoctorType], offset: int, total: int) -> DoctorConnection:
        facts = page_facts(list_name=rules.LIST_NAME, offset=offset, count=len(nodes), total=total)
        return cls(
            edges=edges(list_name=rules.LIST_NAME, offset=offset, rows=nodes, to_node=_same),
            nodes=nodes,
            total_count=total,
            page_info=PageInfo(
                has_next_page=facts.has_next_page,
                has_previous_page=facts.has_previous_page,
                start_cursor=facts.start_cursor,
                end_cursor=facts.end_cursor,
                offset=offset,
            ),
        )


def _same(node: DoctorType) -> DoctorType:
    return node


@strawberry.type
class Query:
    @strawberry.field(description="Search approved doctors.")
    async def doctors(
        self,
        info: Info,
        filter: DoctorFilter | None = None,
        sort: DoctorSortEnum = SortKey.NAME,  # type: ignore[valid-type]
        page: Annotated[PageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> DoctorConnection:
        limits = settings(info)
        paging = read_page(page=page, first=first, after=after, maximum=limits.page_size_max)
        result = await search_doctors(
            db=info.context.resources.database,
            cache=info.context.resources.cache,
            ttl_seconds=limits.search_cache_seconds,
            search=(filter or DoctorFilter()).to_filter(),
            sort=SortKey(sort),
            page=paging,
            now=now(info),
        )
        return DoctorConnection.of(
            nodes=[DoctorType.from_view(v) for v in result.items],
            offset=paging.offset,
            total=result.total,
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

    @strawberry.federation.field(
        description="Internal (appointments): the area of any approved doctor of "
        "`specialization` in `city`, for a waitlist entry. BAD_USER_INPUT for an unknown "
        "specialization or an empty city.",
        inaccessible=True,
    )
    async def waitlist_area(self, info: Info, specialization: str, city: str) -> WaitlistAreaType:
        area = await areas.waitlist_area(
            db=info.context.resources.database, specialization=specialization, city=city
        )
        return WaitlistAreaType.of(area)
