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
from subgraphs.appointments.models import SeriesRow
from subgraphs.appointments.schema.context import Info, actor, deps
from subgraphs.appointments.schema.entities import DoctorRef
from subgraphs.appointments.schema.types import AppointmentStatus
from subgraphs.appointments.service import feeds
from subgraphs.appointments.service.feeds import FeedEntry, refused_starts


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
        description="The recurring series it is an occurrence of (null if none); the feed "
        "writes it as an override (RECURRENCE-ID) of its series' master event.",
    )
    recurrence_start: datetime | None = strawberry.field(
        default=None,
        description="A series occurrence's rule instance: the start it was booked at, which "
        "moving it never changes (its RECURRENCE-ID). Null outside a series, or for an "
        "occurrence booked before it was recorded and not matched to its rule.",
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
            recurrence_start=row.recurrence_start,
        )


@strawberry.type(
    description="A recurring series some feed entries are occurrences of: what its master "
    "event (RRULE) needs."
)
class CalendarFeedSeries:
    id: strawberry.ID
    rule: str = strawberry.field(description="The RFC 5545 RRULE, for DTSTART `firstStart`.")
    first_start: datetime = strawberry.field(description="The rule's first instance.")
    time_zone: str = strawberry.field(description="The IANA zone the rule repeats in.")
    refused_starts: list[datetime] = strawberry.field(
        description="The rule's instances never booked (refused when it was booked)."
    )

    @classmethod
    def from_row(cls, row: SeriesRow) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            rule=row.rule,
            first_start=row.first_start,
            time_zone=row.time_zone,
            refused_starts=refused_starts(row),
        )


@strawberry.type(description="The appointments of one calendar feed, in start order.")
class CalendarFeed:
    entries: list[CalendarFeedEntry]
    series: list[CalendarFeedSeries] = strawberry.field(
        default_factory=list, description="The series of the entries that are occurrences."
    )


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
        return CalendarFeed(
            entries=[CalendarFeedEntry.from_entry(entry) for entry in found.entries],
            series=[CalendarFeedSeries.from_row(row) for row in found.series],
        )


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
