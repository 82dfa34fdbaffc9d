"""Calendar feeds: one's private feed address, rotating it, and the feed the router renders.

The router serves `/calendar/<token>.ics` by asking `calendarFeed(token)` and writing the
iCalendar text; the token is the only credential, so the entries carry no reason, no
patient reference and nothing free-text.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from subgraphs.appointments import wiring
from subgraphs.appointments.schema.context import Info, actor, deps
from subgraphs.appointments.schema.entities import DoctorRef
from subgraphs.appointments.schema.types import AppointmentStatus
from subgraphs.appointments.service import feeds
from subgraphs.appointments.service.feeds import FeedEntry


@strawberry.enum(description="The feed owner's part in an appointment.")
class CalendarFeedRole(Enum):
    PATIENT = "PATIENT"
    DOCTOR = "DOCTOR"


@strawberry.type(
    description="One appointment in a calendar feed: times, status and doctor, nothing else."
)
class CalendarFeedEntry:
    id: strawberry.ID = strawberry.field(description="The appointment's id (a stable UID).")
    start: datetime
    end: datetime
    status: AppointmentStatus
    time_zone: str = strawberry.field(description="The doctor's IANA time zone.")
    updated_at: datetime
    role: CalendarFeedRole
    doctor: DoctorRef | None = strawberry.field(
        description="The doctor (null when the doctors subgraph cannot say)."
    )
    series_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The recurring series it is an occurrence of (null if none). Each "
        "occurrence is an entry of its own; the feed relates it to the series (RELATED-TO).",
    )

    @classmethod
    def from_entry(cls, entry: FeedEntry) -> Self:
        row = entry.row
        return cls(
            id=strawberry.ID(str(row.id)),
            start=row.starts_at,
            end=row.ends_at,
            status=AppointmentStatus(row.status),
            time_zone=row.time_zone,
            updated_at=row.updated_at,
            role=CalendarFeedRole.DOCTOR if entry.as_doctor else CalendarFeedRole.PATIENT,
            doctor=DoctorRef(id=strawberry.ID(str(row.doctor_id))),
            series_id=strawberry.ID(str(row.series_id)) if row.series_id else None,
        )


@strawberry.type(description="The appointments of one calendar feed, in start order.")
class CalendarFeed:
    entries: list[CalendarFeedEntry]


@strawberry.type
class CalendarFeedQuery:
    @strawberry.field(
        description="The signed-in patient's or doctor's private iCalendar feed address "
        "(subscribe to it in a calendar app; `rotateCalendarFeed` revokes it). Others: FORBIDDEN."
    )
    async def calendar_feed_url(self, info: Info) -> str:
        return await feeds.feed_url(
            db=deps(info).db, config=wiring.feed_config(info.context.resources), actor=actor(info)
        )

    @strawberry.field(
        description="The feed a feed token opens (what `/calendar/<token>.ics` renders): the "
        "owner's appointments from 30 days ago on, at most 2000. Null for a bad or revoked token."
    )
    async def calendar_feed(self, info: Info, token: str) -> CalendarFeed | None:
        own = deps(info)
        found = await feeds.entries(
            db=own.db,
            config=wiring.feed_config(info.context.resources),
            token=token,
            now=own.clock(),
        )
        if found is None:
            return None
        return CalendarFeed(entries=[CalendarFeedEntry.from_entry(entry) for entry in found])


@strawberry.type
class CalendarFeedMutation:
    @strawberry.mutation(
        description="A new private feed address for the signed-in patient or doctor; the old "
        "one stops working at once. Returns the new address."
    )
    async def rotate_calendar_feed(self, info: Info) -> str:
        own = deps(info)
        return await feeds.rotate(
            db=own.db,
            config=wiring.feed_config(info.context.resources),
            actor=actor(info),
            now=own.clock(),
        )
