"""The waitlist against the real doctors subgraph app (in memory), on SQLite and PostgreSQL:
new availability offered through the real `availableSlots` (aliased ranges, signed), and
the offers' holds shown as busy by the doctors subgraph for exactly the hold."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, time, timedelta

import pytest

from subgraphs.appointments.service import waitlist, waitlist_offers, waitlist_openings
from subgraphs.appointments.service.openings import HttpOpeningsFinder
from subgraphs.appointments.service.waitlist import AreaWish
from subgraphs.appointments.waitlist.rules import Wish
from subgraphs.shared.errors import DomainError
from tests.integration.appointments.support import Clock, patient
from tests.integration.appointments.test_with_doctors import (
    KEY,
    TUESDAY_9_BERLIN,
    World,
    deliver_our_events,
    world,
)
from tests.integration.doctors.helpers import SET_RULES, approved_doctor, weekdays

__all__ = ["world"]  # the fixture, shared with test_with_doctors

SLOTS = """query($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start } }"""
HALF_PAST = TUESDAY_9_BERLIN + timedelta(minutes=30)


async def open_tuesday_morning(world: World, doctor_id: str) -> list[datetime]:
    window = {
        "from": TUESDAY_9_BERLIN.isoformat(),
        "to": (HALF_PAST + timedelta(hours=1)).isoformat(),
    }
    data = await world.doctors.data(SLOTS, {"id": doctor_id, **window})
    return [datetime.fromisoformat(s["start"]) for s in data["availableSlots"]]


async def test_new_hours_are_offered_and_held_slots_are_busy_for_the_doctors(
    world: World,
) -> None:
    finder = HttpOpeningsFinder(
        "http://doctors/graphql",
        timeout_seconds=10,
        signing_key=KEY,
        transport=world.doctors_app,
    )
    deps = dataclasses.replace(world.deps, openings=finder)
    doctor = await approved_doctor(world.doctors)  # no hours yet
    doctor_id = uuid.UUID(doctor.id)
    first, second = patient(), patient()
    day = TUESDAY_9_BERLIN.date()
    for who in (first, second):
        await waitlist.join(
            deps=deps, actor=who, doctor_id=doctor_id, wish=Wish(day, day, time(9), time(10))
        )
        assert isinstance(deps.clock, Clock)
        deps.clock.advance(timedelta(seconds=1))  # the line is in joining order
    assert await waitlist_openings.availability_changed(deps, doctor_id=doctor_id) == []

    await world.doctors.admin(
        SET_RULES, {"doctorId": doctor.id, "rules": weekdays("09:00", "12:00", 30)}
    )
    made = await waitlist_openings.availability_changed(deps, doctor_id=doctor_id)
    assert sorted((o.patient_id, o.slot_start) for o in made) == sorted(
        [(first.user_id, TUESDAY_9_BERLIN), (second.user_id, HALF_PAST)]
    )
    assert TUESDAY_9_BERLIN in await open_tuesday_morning(world, doctor.id)
    await deliver_our_events(world)  # the doctors hear of the offers: both held
    assert TUESDAY_9_BERLIN not in await open_tuesday_morning(world, doctor.id)
    assert HALF_PAST not in await open_tuesday_morning(world, doctor.id)

    by_patient = {o.patient_id: o for o in made}
    await waitlist_offers.decline(deps=deps, actor=second, offer_id=by_patient[second.user_id].id)
    booked = await waitlist_offers.accept(
        deps=deps, actor=first, offer_id=by_patient[first.user_id].id
    )
    assert booked.starts_at == TUESDAY_9_BERLIN
    await deliver_our_events(world)  # declined: free again; accepted: busy as a booking
    slots = await open_tuesday_morning(world, doctor.id)
    assert HALF_PAST in slots
    assert TUESDAY_9_BERLIN not in slots


async def test_an_area_entry_is_learnt_from_and_matched_by_the_doctors_subgraph(
    world: World,
) -> None:
    finder = HttpOpeningsFinder(
        "http://doctors/graphql", timeout_seconds=10, signing_key=KEY, transport=world.doctors_app
    )
    deps = dataclasses.replace(world.deps, openings=finder)
    cardiologist = await approved_doctor(
        world.doctors, rules=weekdays("09:00", "12:00", 30)
    )  # cardiology, Berlin, Europe/Berlin
    dermatologist = await approved_doctor(
        world.doctors,
        "Derma Tologist",
        profile={"specializations": ["dermatology"]},
        rules=weekdays("09:00", "12:00", 30),
    )
    day = TUESDAY_9_BERLIN.date()
    wish = Wish(day, day, time(9), time(10))
    for area, field in (
        (AreaWish("astrology", "Berlin"), "specialization"),
        (AreaWish("cardiology", "Hamburg"), "city"),
    ):
        with pytest.raises(DomainError) as error:
            await waitlist.join(deps=deps, actor=patient(), area=area, wish=wish)
        assert (error.value.code, error.value.details["field"]) == ("BAD_USER_INPUT", field)
    waiting = patient()
    place = await waitlist.join(
        deps=deps, actor=waiting, area=AreaWish("Cardiology", " berlin"), wish=wish
    )
    assert (place.entry.city, place.entry.city_key, place.entry.time_zone) == (
        "Berlin",
        "berlin",
        "Europe/Berlin",
    )
    # Slots of the dermatologist do not suit it; the cardiologist's do.
    for doctor in (dermatologist, cardiologist):
        await world.doctors.admin(
            SET_RULES, {"doctorId": doctor.id, "rules": weekdays("09:00", "12:00", 30)}
        )
    assert (
        await waitlist_openings.availability_changed(deps, doctor_id=uuid.UUID(dermatologist.id))
        == []
    )
    [offer] = await waitlist_openings.availability_changed(
        deps, doctor_id=uuid.UUID(cardiologist.id)
    )
    assert (offer.patient_id, offer.slot_start) == (waiting.user_id, TUESDAY_9_BERLIN)
