"""The Appointment entity, its history, pages and enums (with their FHIR mapping)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.appointments.domain import can_read
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.appointments.schema.context import Info, deps, maybe_actor
from subgraphs.appointments.service import queries
from subgraphs.shared.audit.reads import Read, recorder
from subgraphs.shared.auth import Role
from subgraphs.shared.connections import ConnectionPageInfo, Edge, edges, page_facts

if TYPE_CHECKING:
    from subgraphs.appointments.schema.entities import DoctorRef, UserRef
    from subgraphs.appointments.schema.series import AppointmentSeriesType


@strawberry.enum(
    description="Where an appointment stands. Each value maps to a FHIR R4 Appointment.status."
)
class AppointmentStatus(Enum):
    PENDING = strawberry.enum_value(
        "PENDING", description="Requested, waiting for the doctor. FHIR: `pending`."
    )
    CONFIRMED = strawberry.enum_value(
        "CONFIRMED", description="Accepted by the doctor (or auto-confirmed). FHIR: `booked`."
    )
    REJECTED = strawberry.enum_value(
        "REJECTED",
        description="Declined by the doctor. FHIR: `cancelled` (cancelationReason: declined).",
    )
    CANCELLED = strawberry.enum_value(
        "CANCELLED", description="Called off by the patient, doctor or an admin. FHIR: `cancelled`."
    )
    COMPLETED = strawberry.enum_value(
        "COMPLETED", description="The visit took place. FHIR: `fulfilled`."
    )
    NO_SHOW = strawberry.enum_value(
        "NO_SHOW", description="The patient did not come. FHIR: `noshow`."
    )


FHIR_STATUS = {
    "PENDING": "pending",
    "CONFIRMED": "booked",
    "REJECTED": "cancelled",
    "CANCELLED": "cancelled",
    "COMPLETED": "fulfilled",
    "NO_SHOW": "noshow",
}


@strawberry.enum(description="What happened to an appointment.")
class AppointmentAction(Enum):
    BOOKED = "BOOKED"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    RESCHEDULED = "RESCHEDULED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"
    MARKED_NO_SHOW = "MARKED_NO_SHOW"


@strawberry.enum(description="Which of one's appointments to list.")
class AppointmentWhen(Enum):
    UPCOMING = strawberry.enum_value("UPCOMING", description="Not yet ended; soonest first.")
    PAST = strawberry.enum_value("PAST", description="Already ended; latest first.")


@strawberry.input(
    description="Deprecated paging (use the field's `first`/`after`): skip `offset` items, "
    "return at most `limit`."
)
class AppointmentPageInput:
    offset: int = 0
    limit: int = 20


@strawberry.type(name="AppointmentChange", description="One step of an appointment's history.")
class AppointmentChangeType:
    action: AppointmentAction
    at: datetime
    actor_role: Role = strawberry.field(description="The role of whoever made the change.")
    from_status: AppointmentStatus | None
    to_status: AppointmentStatus
    from_start: datetime | None
    from_end: datetime | None
    to_start: datetime
    to_end: datetime
    reason: str | None

    @classmethod
    def from_model(cls, row: AppointmentChangeRow) -> Self:
        return cls(
            action=AppointmentAction(row.action),
            at=row.at,
            actor_role=Role(row.actor_role),
            from_status=AppointmentStatus(row.from_status) if row.from_status else None,
            to_status=AppointmentStatus(row.to_status),
            from_start=row.from_start,
            from_end=row.from_end,
            to_start=row.to_start,
            to_end=row.to_end,
            reason=row.reason,
        )


def _loader(info: Info) -> DataLoader[uuid.UUID, AppointmentRow | None]:
    loaders = info.context.loaders
    if "appointments" not in loaders:
        db = deps(info).db

        async def load(ids: list[uuid.UUID]) -> list[AppointmentRow | None]:
            found = await queries.by_ids(db, ids)
            return [found.get(key) for key in ids]

        loaders["appointments"] = DataLoader(load_fn=load)
    loader: DataLoader[uuid.UUID, AppointmentRow | None] = loaders["appointments"]
    return loader


async def _audit(
    info: Info, action: str, subject: str, patient: uuid.UUID | None, refused: str | None = None
) -> None:
    """Record a read of this appointment's patient data (once per request; not the patient's)."""
    audit = recorder(info.context.loaders, db=deps(info).db, component="appointments")
    await audit.load(Read(action, "Appointment", subject, patient, refused=refused))


@strawberry.federation.type(
    name="Appointment",
    keys=["id"],
    description="A booked visit of a patient (`User`) with a doctor (`Doctor`). Times are UTC "
    "(ISO 8601 with offset); `timeZone` is the doctor's, for display.",
)
class AppointmentType:
    id: strawberry.ID
    start: datetime
    end: datetime
    status: AppointmentStatus
    time_zone: str = strawberry.field(description="The doctor's IANA time zone.")
    reschedule_count: int
    created_at: datetime
    updated_at: datetime
    doctor_id: strawberry.Private[uuid.UUID]
    patient_id: strawberry.Private[uuid.UUID]
    doctor_user_id: strawberry.Private[uuid.UUID]
    private_reason: strawberry.Private[str | None]
    private_status_reason: strawberry.Private[str | None]
    series_id: strawberry.Private[uuid.UUID | None] = None
    # Looked up through `_entities` (not by a root field or list, which audit their reads).
    looked_up: strawberry.Private[bool] = False

    @classmethod
    def from_model(cls, row: AppointmentRow) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            start=row.starts_at,
            end=row.ends_at,
            status=AppointmentStatus(row.status),
            time_zone=row.time_zone,
            reschedule_count=row.reschedule_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
            doctor_id=row.doctor_id,
            patient_id=row.patient_id,
            doctor_user_id=row.doctor_user_id,
            private_reason=row.reason,
            private_status_reason=row.status_reason,
            series_id=row.series_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Self | None:
        """The appointment if the caller may read it; else null, audited as NOT_FOUND."""
        try:
            row = await _loader(info).load(uuid.UUID(str(id)))
        except ValueError:
            return None
        if row is None or not can_read(
            maybe_actor(info), patient_id=row.patient_id, doctor_user_id=row.doctor_user_id
        ):
            patient = None if row is None else row.patient_id
            await _audit(info, "AppointmentRead", str(id), patient, refused="NOT_FOUND")
            return None
        found = cls.from_model(row)
        found.looked_up = True
        return found

    def _readable(self, info: Info) -> bool:
        return can_read(
            maybe_actor(info), patient_id=self.patient_id, doctor_user_id=self.doctor_user_id
        )

    @strawberry.field(
        description="Until when the patient may cancel or reschedule online (start minus the "
        "deployment's cut-off); doctors and admins may change it at any time."
    )
    def patient_change_deadline(self, info: Info) -> datetime:
        return self.start - deps(info).policy.cutoff

    @strawberry.field(
        description="How many more times the patient may reschedule (the configured limit "
        "minus `rescheduleCount`, never below 0)."
    )
    def reschedules_remaining(self, info: Info) -> int:
        return max(0, deps(info).policy.max_reschedules - self.reschedule_count)

    @strawberry.field(description="The FHIR R4 Appointment.status of `status`.")
    def fhir_status(self) -> str:
        return FHIR_STATUS[self.status.name]

    @strawberry.field(description="The doctor, resolved by the doctors subgraph.")
    def doctor(
        self,
    ) -> Annotated[DoctorRef, strawberry.lazy("subgraphs.appointments.schema.entities")]:
        from subgraphs.appointments.schema.entities import DoctorRef

        return DoctorRef(id=strawberry.ID(str(self.doctor_id)))

    @strawberry.field(description="The patient, resolved by the identity subgraph.")
    def patient(
        self,
    ) -> Annotated[UserRef, strawberry.lazy("subgraphs.appointments.schema.entities")]:
        from subgraphs.appointments.schema.entities import UserRef

        return UserRef(id=strawberry.ID(str(self.patient_id)))

    async def _looked_up_read(self, info: Info) -> None:
        if self.looked_up:  # root fields and lists recorded their read already
            await _audit(info, "AppointmentRead", self.id, self.patient_id)

    @strawberry.field(description="Why the patient booked: only the patient, doctor and admins.")
    async def reason(self, info: Info) -> str | None:
        if not self._readable(info):
            return None
        await self._looked_up_read(info)
        return self.private_reason

    @strawberry.field(description="Why it was rejected or cancelled: participants and admins.")
    async def status_reason(self, info: Info) -> str | None:
        if not self._readable(info):
            return None
        await self._looked_up_read(info)
        return self.private_status_reason

    @strawberry.field(
        description="The recurring series this is an occurrence of: null if none, and for "
        "anyone but its patient, its doctor and admins."
    )
    async def series(
        self, info: Info
    ) -> (
        Annotated[AppointmentSeriesType, strawberry.lazy("subgraphs.appointments.schema.series")]
        | None
    ):
        if self.series_id is None:
            return None
        from subgraphs.appointments.schema.series import series_of

        return await series_of(info, self.series_id)

    @strawberry.field(description="Every change, oldest first: participants and admins.")
    async def history(self, info: Info) -> list[AppointmentChangeType]:
        if not self._readable(info):
            return []
        await _audit(info, "AppointmentHistoryRead", self.id, self.patient_id)
        rows = await queries.history(db=deps(info).db, appointment_id=uuid.UUID(self.id))
        return [AppointmentChangeType.from_model(row) for row in rows]


@strawberry.type(name="AppointmentPageInfo", description="Where a page of appointments is.")
class AppointmentPageInfo(ConnectionPageInfo):
    pass


_MOVED = "Use the connection's fields: "


@strawberry.type(
    description="A page of appointments: a Relay cursor connection (`edges`, `nodes`, "
    "`pageInfo`, `totalCount`); the older offset fields are deprecated."
)
class AppointmentPage:
    items: list[AppointmentType] = strawberry.field(deprecation_reason=_MOVED + "`nodes`.")
    total: int = strawberry.field(deprecation_reason=_MOVED + "`totalCount`.")
    offset: int = strawberry.field(
        deprecation_reason=_MOVED + "`pageInfo.startCursor` / `endCursor` with `after`."
    )
    limit: int = strawberry.field(deprecation_reason="Use the field's `first` argument.")
    edges: list[Edge[AppointmentType]] = strawberry.field(
        description="The appointments of this page, each with its cursor."
    )
    page_info: AppointmentPageInfo = strawberry.field(
        description="Where this page is; pass `endCursor` as `after` for the next one."
    )
    total_count: int = strawberry.field(description="How many appointments the list holds.")

    @strawberry.field(description="The appointments of this page, in order.")
    def nodes(self) -> list[AppointmentType]:
        return self.items

    @strawberry.field(
        description="Whether another page follows.",
        deprecation_reason=_MOVED + "`pageInfo.hasNextPage`.",
    )
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    @classmethod
    def from_page(cls, page: queries.Page, *, list_name: str) -> Self:
        nodes = [AppointmentType.from_model(row) for row in page.items]
        return cls(
            items=nodes,
            total=page.total,
            offset=page.offset,
            limit=page.limit,
            edges=edges(list_name=list_name, offset=page.offset, rows=nodes, to_node=_same),
            page_info=AppointmentPageInfo.of(
                page_facts(
                    list_name=list_name, offset=page.offset, count=len(nodes), total=page.total
                )
            ),
            total_count=page.total,
        )


def _same(node: AppointmentType) -> AppointmentType:
    return node


@strawberry.type(description="A change to one of the subscriber's appointments.")
class AppointmentUpdate:
    action: AppointmentAction
    appointment: AppointmentType
