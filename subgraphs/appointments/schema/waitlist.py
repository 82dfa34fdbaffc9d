"""The waitlist: joining a doctor's line, one's place in it, leaving, and taking an offer.

Patients only, each their own entries and offers (another's are NOT_FOUND). Resolvers are
thin: the rules are in `waitlist/rules.py`, the use cases in `service/waitlist*.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Self

import strawberry

from subgraphs.appointments.models import WaitlistOfferRow
from subgraphs.appointments.schema.context import Info, actor, deps, parse_id
from subgraphs.appointments.schema.entities import DoctorRef
from subgraphs.appointments.schema.types import AppointmentType
from subgraphs.appointments.service import waitlist, waitlist_offers
from subgraphs.appointments.waitlist.rules import MAX_RANGE_DAYS, Wish


@strawberry.enum(description="Where a waitlist entry stands.")
class WaitlistEntryState(Enum):
    WAITING = strawberry.enum_value("WAITING", description="In line for freed slots.")
    LEFT = strawberry.enum_value("LEFT", description="The patient left the waitlist.")
    BOOKED = strawberry.enum_value("BOOKED", description="The patient accepted an offer.")
    ENDED = strawberry.enum_value("ENDED", description="Its last day passed without a booking.")


@strawberry.enum(description="Where an offer of a freed slot stands.")
class WaitlistOfferState(Enum):
    OFFERED = strawberry.enum_value("OFFERED", description="Held for the patient until expiresAt.")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="The patient booked the slot.")
    EXPIRED = strawberry.enum_value(
        "EXPIRED", description="The hold ran out or the slot went: passed to the next in line."
    )
    DECLINED = strawberry.enum_value(
        "DECLINED", description="The patient let it go to the next in line."
    )


@strawberry.type(description="A freed slot offered to the patient, held for them until it expires.")
class WaitlistOffer:
    id: strawberry.ID
    start: datetime
    end: datetime
    time_zone: str = strawberry.field(description="The doctor's IANA time zone.")
    expires_at: datetime = strawberry.field(
        description="Until when the slot is held: accept it by then (acceptWaitlistOffer)."
    )
    state: WaitlistOfferState
    doctor: DoctorRef

    @classmethod
    def from_model(cls, row: WaitlistOfferRow) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            start=row.slot_start,
            end=row.slot_end,
            time_zone=row.time_zone,
            expires_at=row.expires_at,
            state=WaitlistOfferState(row.state),
            doctor=DoctorRef(id=strawberry.ID(str(row.doctor_id))),
        )


@strawberry.type(
    description="The patient's place on a doctor's waitlist (or on the waitlist for any doctor "
    "of a specialization in a city): the days and daily hours (in the doctor's time zone) they "
    "accept, where they stand in line and the offer open to them."
)
class WaitlistEntry:
    id: strawberry.ID
    doctor: DoctorRef | None = strawberry.field(
        description="The doctor waited for; null when waiting for any doctor of `specialization` "
        "in `city` (myWaitlist lists those only with includeAreas)."
    )
    specialization: str | None = strawberry.field(
        description="Waiting for any doctor of this specialization (its code) in `city`; null "
        "for one doctor's waitlist."
    )
    city: str | None = strawberry.field(
        description="The city of a specialization's waitlist; null for one doctor's waitlist."
    )
    first_day: date
    last_day: date
    earliest: time = strawberry.field(description="A slot starts at or after this local time.")
    latest: time | None = strawberry.field(
        description="A slot ends by this local time (null: by the end of the day)."
    )
    time_zone: str = strawberry.field(
        description="The doctor's IANA zone the days are read in (for a specialization in a "
        "city: its doctors' zone)."
    )
    state: WaitlistEntryState
    position: int | None = strawberry.field(
        description="1 for the first in line among the doctor's waiting patients (or those "
        "waiting for the specialization in the city); null once the entry no longer waits. "
        "Slots are offered in joining order across both kinds of waitlist."
    )
    offer: WaitlistOffer | None = strawberry.field(
        description="The freed slot held for the patient now, if any."
    )
    created_at: datetime

    @classmethod
    def from_place(cls, place: waitlist.Place) -> Self:
        entry = place.entry
        return cls(
            id=strawberry.ID(str(entry.id)),
            doctor=DoctorRef(id=strawberry.ID(str(entry.doctor_id))) if entry.doctor_id else None,
            specialization=entry.specialization,
            city=entry.city,
            first_day=entry.first_day,
            last_day=entry.last_day,
            earliest=entry.earliest,
            latest=entry.latest,
            time_zone=entry.time_zone,
            state=WaitlistEntryState(entry.state),
            position=place.position,
            offer=WaitlistOffer.from_model(place.offer) if place.offer else None,
            created_at=entry.created_at,
        )


@strawberry.input(
    description="Join a doctor's waitlist, or the waitlist for any doctor of a specialization "
    "in a city: give `doctorId`, or `specialization` and `city` (exactly one of the two), and "
    "the days and daily hours you accept."
)
class JoinWaitlistInput:
    doctor_id: strawberry.ID | None = strawberry.field(
        default=None, description="The doctor to wait for (or give specialization and city)."
    )
    specialization: str | None = strawberry.field(
        default=None,
        description="Wait for any approved doctor of this specialization (a code from the "
        "specializations query) in `city`, instead of one doctor.",
    )
    city: str | None = strawberry.field(
        default=None, description="The city, with `specialization`."
    )
    first_day: date = strawberry.field(
        description="The first day (doctor's zone) a slot may be on: today or later."
    )
    last_day: date = strawberry.field(
        description=f"The last day; at most {MAX_RANGE_DAYS} days from firstDay, both included."
    )
    earliest: time | None = strawberry.field(
        default=None, description="Local time a slot may start at, at the earliest (default 00:00)."
    )
    latest: time | None = strawberry.field(
        default=None, description="Local time a slot must end by (default: the end of the day)."
    )


@strawberry.type
class WaitlistQuery:
    @strawberry.field(
        description="The signed-in patient's waiting entries, oldest first, each with its "
        "position in line and the offer held for them (if any). Others: FORBIDDEN."
    )
    async def my_waitlist(
        self,
        info: Info,
        include_areas: Annotated[
            bool,
            strawberry.argument(
                description="Also the waitlists for any doctor of a specialization in a city "
                "(their `doctor` is null); without it, only doctors' waitlists."
            ),
        ] = False,
    ) -> list[WaitlistEntry]:
        places = await waitlist.mine(deps=deps(info), actor=actor(info))
        return [
            WaitlistEntry.from_place(place)
            for place in places
            if include_areas or place.entry.doctor_id is not None
        ]


@strawberry.type
class WaitlistMutation:
    @strawberry.mutation(
        description="Join a doctor's waitlist, or the waitlist for any doctor of a "
        "specialization in a city (patients): when a slot that suits the days and hours frees "
        "up or opens, the first in line gets it offered for a while. Errors: BAD_USER_INPUT "
        "(field named; also for both or neither of doctorId and specialization/city, an "
        "unknown specialization, a city without such doctors), ALREADY_ON_WAITLIST, "
        "DOCTOR_NOT_BOOKABLE, FORBIDDEN."
    )
    async def join_waitlist(self, info: Info, input: JoinWaitlistInput) -> WaitlistEntry:
        area = (
            waitlist.AreaWish(specialization=input.specialization or "", city=input.city or "")
            if input.specialization is not None or input.city is not None
            else None
        )
        place = await waitlist.join(
            deps=deps(info),
            actor=actor(info),
            doctor_id=parse_id(input.doctor_id, "doctorId") if input.doctor_id else None,
            area=area,
            wish=Wish(
                first_day=input.first_day,
                last_day=input.last_day,
                earliest=input.earliest or time(0, 0),
                latest=input.latest,
            ),
        )
        return WaitlistEntry.from_place(place)

    @strawberry.mutation(
        description="Leave a waitlist (again: the same answer); an offer held for you passes "
        "to the next in line. Another patient's entry: NOT_FOUND."
    )
    async def leave_waitlist(self, info: Info, id: strawberry.ID) -> WaitlistEntry:
        place = await waitlist.leave(deps=deps(info), actor=actor(info), entry_id=parse_id(id))
        return WaitlistEntry.from_place(place)

    @strawberry.mutation(
        description="Book the slot a waitlist offer holds for you, with every booking rule "
        "(again, or concurrently: the same appointment). Errors: OFFER_EXPIRED, OFFER_CLOSED "
        "(declined or accepted), NOT_FOUND (not yours), SLOT_TAKEN, OUTSIDE_AVAILABILITY, "
        "TOO_LATE, DOCTOR_NOT_BOOKABLE, SERVICE_UNAVAILABLE."
    )
    async def accept_waitlist_offer(self, info: Info, offer_id: strawberry.ID) -> AppointmentType:
        row = await waitlist_offers.accept(
            deps=deps(info), actor=actor(info), offer_id=parse_id(offer_id, "offerId")
        )
        return AppointmentType.from_model(row)

    @strawberry.mutation(
        description="Let a held slot go to the next in line; you stay in line for others."
    )
    async def decline_waitlist_offer(self, info: Info, offer_id: strawberry.ID) -> WaitlistOffer:
        offer = await waitlist_offers.decline(
            deps=deps(info), actor=actor(info), offer_id=parse_id(offer_id, "offerId")
        )
        return WaitlistOffer.from_model(offer)
