"""Entities of other subgraphs, by key only, to which this subgraph contributes fields.

`Doctor` belongs to the doctors subgraph and `User` to identity: here they are key stubs
(`id`) with the appointment lists this subgraph knows; the router joins the rest.
"""

from __future__ import annotations

from typing import Annotated, Self

import strawberry

from subgraphs.appointments.schema.context import Info, deps, maybe_actor, parse_id
from subgraphs.appointments.schema.paging import FirstArg, PageArg, read_window
from subgraphs.appointments.schema.types import AppointmentPage, AppointmentPageInput
from subgraphs.appointments.service import queries
from subgraphs.shared.connections import AfterArg


@strawberry.federation.type(name="Doctor", keys=["id"])
class DoctorRef:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Self:
        return cls(id=id)

    @strawberry.field(
        description="This doctor's appointments the caller may see (the doctor and admins: "
        "all; a patient: their own with this doctor), latest first."
    )
    async def appointments(
        self,
        info: Info,
        page: Annotated[AppointmentPageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AppointmentPage:
        p = read_window(
            list_name=f"doctor:{self.id}:appointments", page=page, first=first, after=after
        )
        found = await queries.of_entity(
            db=deps(info).db,
            actor=maybe_actor(info),
            doctor_id=parse_id(self.id),
            offset=p.offset,
            limit=p.limit,
        )
        return AppointmentPage.from_page(found, list_name=f"doctor:{self.id}:appointments")

    @strawberry.field(
        description="Like `appointments`, but only those not yet ended, soonest first."
    )
    async def upcoming_appointments(
        self,
        info: Info,
        page: Annotated[AppointmentPageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AppointmentPage:
        own = deps(info)
        p = read_window(list_name=f"doctor:{self.id}:upcoming", page=page, first=first, after=after)
        found = await queries.of_entity(
            db=own.db,
            actor=maybe_actor(info),
            doctor_id=parse_id(self.id),
            after=own.clock(),
            offset=p.offset,
            limit=p.limit,
        )
        return AppointmentPage.from_page(found, list_name=f"doctor:{self.id}:upcoming")


@strawberry.federation.type(name="User", keys=["id"])
class UserRef:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Self:
        return cls(id=id)

    @strawberry.field(
        description="This user's appointments as a patient, as far as the caller may see them "
        "(the user and admins: all; a doctor: those with them), latest first."
    )
    async def appointments(
        self,
        info: Info,
        page: Annotated[AppointmentPageInput | None, PageArg] = None,
        first: Annotated[int | None, FirstArg] = None,
        after: Annotated[str | None, AfterArg] = None,
    ) -> AppointmentPage:
        p = read_window(
            list_name=f"user:{self.id}:appointments", page=page, first=first, after=after
        )
        found = await queries.of_entity(
            db=deps(info).db,
            actor=maybe_actor(info),
            patient_id=parse_id(self.id),
            offset=p.offset,
            limit=p.limit,
        )
        return AppointmentPage.from_page(found, list_name=f"user:{self.id}:appointments")
