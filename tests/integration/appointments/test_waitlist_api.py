"""The waitlist through the subgraph's API: join, place in line, an offer, accept, leave."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.service import waitlist_offers
from subgraphs.shared.database import Database
from tests.integration.appointments.api import Api
from tests.integration.appointments.support import (
    NOW,
    Clock,
    FakeAvailability,
    at,
    make_deps,
    patient,
)

JOIN = """mutation($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) {
    id state position firstDay lastDay earliest latest timeZone doctor { id } offer { id }
  }
}"""
MINE = """{ myWaitlist { id state position
  offer { id start end timeZone expiresAt state doctor { id } } } }"""
LEAVE = "mutation($id: ID!) { leaveWaitlist(id: $id) { id state position } }"
ACCEPT = "mutation($id: ID!) { acceptWaitlistOffer(offerId: $id) { id start status } }"
DECLINE = "mutation($id: ID!) { declineWaitlistOffer(offerId: $id) { id state } }"
CANCEL = "mutation($id: ID!) { cancelAppointment(input: {id: $id}) { id } }"


def wish(doctor: uuid.UUID, **changes: Any) -> dict[str, Any]:
    day = NOW.date()
    return {
        "input": {
            "doctorId": str(doctor),
            "firstDay": day.isoformat(),
            "lastDay": (day + timedelta(days=6)).isoformat(),
            "earliest": "08:00",
            "latest": "12:00",
            **changes,
        }
    }


async def free_a_slot(
    api: Api, db: Database, availability: FakeAvailability, clock: Clock, doctor: uuid.UUID
) -> str:
    """Book 09:00 in two days, let the doctor cancel it, and hand the freed slot out (as the
    subgraph's own consumer of AppointmentCancelled does)."""
    booked = await api.book(patient(), doctor, at(2, 9).isoformat(), key=uuid.uuid4().hex)
    await api.data(CANCEL, {"id": booked}, as_=availability.user_of(doctor))
    deps = make_deps(db, availability=availability, clock=clock)
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=at(2, 9), appointment_id=uuid.UUID(booked)
    )
    assert offer is not None
    return str(offer.id)


async def test_join_see_the_offer_accept_it_and_leave_through_the_api(
    api: Api, db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()
    first, second = patient(), patient()
    joined = (await api.data(JOIN, wish(doctor), as_=first))["joinWaitlist"]
    assert joined["state"] == "WAITING"
    assert joined["position"] == 1
    assert (joined["earliest"], joined["latest"]) == ("08:00:00", "12:00:00")
    assert joined["timeZone"] == "Europe/Lisbon"
    assert joined["doctor"] == {"id": str(doctor)}
    assert joined["offer"] is None
    clock.advance(timedelta(seconds=1))
    later = (await api.data(JOIN, wish(doctor), as_=second))["joinWaitlist"]
    assert later["position"] == 2

    offer_id = await free_a_slot(api, db, availability, clock, doctor)
    [mine] = (await api.data(MINE, as_=first))["myWaitlist"]
    assert mine["offer"] == {
        "id": offer_id,
        "start": at(2, 9).isoformat(),
        "end": at(2, 9, 30).isoformat(),
        "timeZone": "Europe/Lisbon",
        "expiresAt": (clock.now + timedelta(minutes=15)).isoformat(),
        "state": "OFFERED",
        "doctor": {"id": str(doctor)},
    }
    assert (await api.data(MINE, as_=second))["myWaitlist"][0]["offer"] is None
    assert await api.error_code(ACCEPT, {"id": offer_id}, as_=second) == "NOT_FOUND"

    accepted = await asyncio.gather(
        *(api.data(ACCEPT, {"id": offer_id}, as_=first) for _ in range(3))
    )
    assert len({a["acceptWaitlistOffer"]["id"] for a in accepted}) == 1
    assert accepted[0]["acceptWaitlistOffer"]["start"] == at(2, 9).isoformat()
    assert (await api.data(MINE, as_=first))["myWaitlist"] == []
    assert (await api.data(MINE, as_=second))["myWaitlist"][0]["position"] == 1

    left = (await api.data(LEAVE, {"id": later["id"]}, as_=second))["leaveWaitlist"]
    assert (left["state"], left["position"]) == ("LEFT", None)
    assert (await api.data(MINE, as_=second))["myWaitlist"] == []


async def test_an_expired_or_declined_offer_has_a_stable_code(
    api: Api, db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()
    late, decliner = patient(), patient()
    await api.data(JOIN, wish(doctor), as_=late)
    clock.advance(timedelta(seconds=1))
    await api.data(JOIN, wish(doctor), as_=decliner)
    offer_id = await free_a_slot(api, db, availability, clock, doctor)
    clock.advance(timedelta(minutes=15))
    # Past its hold it neither shows nor books, even before the sweep records it.
    assert (await api.data(MINE, as_=late))["myWaitlist"][0]["offer"] is None
    assert await api.error_code(ACCEPT, {"id": offer_id}, as_=late) == "OFFER_EXPIRED"

    [passed] = await waitlist_offers.expire_due(
        make_deps(db, availability=availability, clock=clock)
    )
    assert passed.patient_id == decliner.user_id
    declined = await api.data(DECLINE, {"id": str(passed.id)}, as_=decliner)
    assert declined["declineWaitlistOffer"]["state"] == "DECLINED"
    assert await api.error_code(ACCEPT, {"id": str(passed.id)}, as_=decliner) == "OFFER_CLOSED"


async def test_bad_wishes_and_callers_get_stable_codes(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    past = (NOW.date() - timedelta(days=1)).isoformat()
    body = await api.call(JOIN, wish(doctor, firstDay=past), as_=who)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "firstDay"}
    assert (
        await api.error_code(JOIN, wish(doctor, earliest="12:00", latest="08:00"), as_=who)
        == "BAD_USER_INPUT"
    )
    assert await api.error_code(JOIN, wish(doctor, doctorId="nope"), as_=who) == "BAD_USER_INPUT"
    await api.data(JOIN, wish(doctor), as_=who)
    assert await api.error_code(JOIN, wish(doctor), as_=who) == "ALREADY_ON_WAITLIST"
    doctor_user: Actor = availability.user_of(doctor)
    assert await api.error_code(MINE, as_=doctor_user) == "FORBIDDEN"
    assert await api.error_code(JOIN, wish(doctor), as_=doctor_user) == "FORBIDDEN"
    assert await api.error_code(MINE) == "UNAUTHENTICATED"
    mine = (await api.data(MINE, as_=who))["myWaitlist"]
    assert await api.error_code(LEAVE, {"id": mine[0]["id"]}, as_=patient()) == "NOT_FOUND"
    assert await api.error_code(ACCEPT, {"id": str(uuid.uuid4())}, as_=who) == "NOT_FOUND"
