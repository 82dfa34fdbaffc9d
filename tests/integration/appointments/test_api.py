"""The GraphQL API: operations, error codes and per-object authorization."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.shared.auth import Role
from tests.integration.appointments.api import APPOINTMENT_FIELDS, Api
from tests.integration.appointments.support import Clock, FakeAvailability, at, patient

BOOK = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status } }"
GET = f"query($id: ID!) {{ appointment(id: $id) {{ {APPOINTMENT_FIELDS} }} }}"
MINE = f"""query($when: AppointmentWhen!) {{
  myAppointments(when: $when) {{ total hasMore items {{ {APPOINTMENT_FIELDS} }} }}
}}"""


def booking(doctor: uuid.UUID, start: str, key: str = "k", **extra: object) -> dict[str, Any]:
    return {"input": {"doctorId": str(doctor), "start": start, "idempotencyKey": key, **extra}}


async def test_a_patient_books_and_finds_it_among_their_upcoming_appointments(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    booked = await api.data(BOOK, booking(doctor, "2030-03-06T10:00:00+01:00"), as_=who)
    assert booked["bookAppointment"]["status"] == "PENDING"
    mine = (await api.data(MINE, {"when": "UPCOMING"}, as_=who))["myAppointments"]
    [item] = mine["items"]
    assert (mine["total"], mine["hasMore"]) == (1, False)
    assert item["start"] == "2030-03-06T09:00:00+00:00"
    assert (item["fhirStatus"], item["timeZone"]) == ("pending", "Europe/Lisbon")
    past = (await api.data(MINE, {"when": "PAST"}, as_=who))["myAppointments"]
    assert past["total"] == 0


async def test_booking_refusals_carry_stable_codes(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(offers=lambda start: start.hour < 12)
    suspended = availability.add(approved=False)
    who = patient()
    await api.data(BOOK, booking(doctor, at(2, 9).isoformat()), as_=who)
    cases: list[tuple[dict[str, Any], Actor, str]] = [
        (booking(doctor, at(2, 9, 15).isoformat(), "b"), patient(), "SLOT_TAKEN"),
        (booking(doctor, at(2, 15).isoformat(), "c"), patient(), "OUTSIDE_AVAILABILITY"),
        (booking(doctor, at(0, 7).isoformat(), "d"), patient(), "TOO_LATE"),
        (booking(suspended, at(2, 9).isoformat(), "e"), patient(), "DOCTOR_NOT_BOOKABLE"),
        (booking(doctor, "2030-03-06T09:00:00", "f"), patient(), "BAD_USER_INPUT"),
        (booking(doctor, at(2, 10).isoformat(), ""), patient(), "BAD_USER_INPUT"),
        (
            {"input": {"doctorId": "nope", "start": at(2, 10).isoformat(), "idempotencyKey": "g"}},
            patient(),
            "BAD_USER_INPUT",
        ),
        (booking(doctor, at(2, 10).isoformat(), "h"), availability.user_of(doctor), "FORBIDDEN"),
        (booking(doctor, at(2, 11).isoformat(), "k"), who, "CONFLICT"),
    ]
    for variables, actor, code in cases:
        assert await api.error_code(BOOK, variables, as_=actor) == code, code
    assert await api.error_code(BOOK, booking(doctor, at(2, 10).isoformat())) == "UNAUTHENTICATED"


async def test_patients_see_only_their_own_and_doctors_only_theirs(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, other_doctor = availability.add(), availability.add()
    who = patient()
    appointment_id = await api.book(who, doctor, at(2, 9).isoformat())
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    for reader in (who, availability.user_of(doctor), admin):
        seen = (await api.data(GET, {"id": appointment_id}, as_=reader))["appointment"]
        assert seen["reason"] == "Persistent cough"
    for stranger in (patient(), availability.user_of(other_doctor)):
        assert await api.error_code(GET, {"id": appointment_id}, as_=stranger) == "NOT_FOUND"
    assert await api.error_code(GET, {"id": appointment_id}) == "UNAUTHENTICATED"
    cancel = "mutation($id: ID!) { cancelAppointment(input: {id: $id}) { id } }"
    assert await api.error_code(cancel, {"id": appointment_id}, as_=patient()) == "NOT_FOUND"


async def test_appointment_entities_resolve_only_for_those_who_may_see_them(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    appointment_id = await api.book(who, doctor, at(2, 9).isoformat())
    query = """query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Appointment { id status reason doctor { id } patient { id } }
      }
    }"""
    reps = {"reps": [{"__typename": "Appointment", "id": appointment_id}]}
    [entity] = (await api.data(query, reps, as_=availability.user_of(doctor)))["_entities"]
    assert entity["doctor"] == {"id": str(doctor)}
    assert entity["patient"] == {"id": str(who.user_id)}
    assert entity["reason"] == "Persistent cough"
    assert (await api.data(query, reps, as_=patient()))["_entities"] == [None]


async def test_doctor_and_user_entities_list_the_appointments_the_caller_may_see(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    alice, bob = patient(), patient()
    await api.book(alice, doctor, at(2, 9).isoformat())
    await api.book(bob, doctor, at(2, 10).isoformat())
    query = """query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Doctor { id appointments { total } upcomingAppointments { total items { id } } }
        ... on User { id appointments { total } }
      }
    }"""
    reps = {
        "reps": [
            {"__typename": "Doctor", "id": str(doctor)},
            {"__typename": "User", "id": str(alice.user_id)},
        ]
    }
    as_doctor = (await api.data(query, reps, as_=availability.user_of(doctor)))["_entities"]
    assert as_doctor[0]["appointments"]["total"] == 2
    assert as_doctor[0]["upcomingAppointments"]["total"] == 2
    assert as_doctor[1]["appointments"]["total"] == 1
    as_alice = (await api.data(query, reps, as_=alice))["_entities"]
    assert as_alice[0]["appointments"]["total"] == 1
    as_bob = (await api.data(query, reps, as_=bob))["_entities"]
    assert as_bob[1]["appointments"]["total"] == 0


async def test_the_doctor_sees_requests_and_calendar_and_answers_them(
    api: Api, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()
    dr = availability.user_of(doctor)
    first = await api.book(patient(), doctor, at(2, 9).isoformat())
    second = await api.book(patient(), doctor, at(2, 10).isoformat())
    pending = """{ pendingAppointmentRequests { total items { id } } }"""
    assert (await api.data(pending, as_=dr))["pendingAppointmentRequests"]["total"] == 2
    assert await api.error_code(pending, as_=patient()) == "FORBIDDEN"
    await api.data(
        "mutation($id: ID!) { confirmAppointment(id: $id) { id } }", {"id": first}, as_=dr
    )
    rejected = await api.data(
        'mutation($id: ID!) { rejectAppointment(input: {id: $id, reason: "Fully booked"}) '
        "{ status statusReason history { action fromStatus toStatus actorRole reason } } }",
        {"id": second},
        as_=dr,
    )
    history = rejected["rejectAppointment"]["history"]
    assert [h["action"] for h in history] == ["BOOKED", "REJECTED"]
    assert history[1] == {
        "action": "REJECTED",
        "fromStatus": "PENDING",
        "toStatus": "REJECTED",
        "actorRole": "DOCTOR",
        "reason": "Fully booked",
    }
    calendar = """query($from: DateTime!, $to: DateTime!) {
      doctorCalendar(from: $from, to: $to) { id status }
    }"""
    window = {"from": at(2, 0).isoformat(), "to": at(3, 0).isoformat()}
    days = (await api.data(calendar, window, as_=dr))["doctorCalendar"]
    assert [(d["id"], d["status"]) for d in days] == [(first, "CONFIRMED"), (second, "REJECTED")]
    clock.now = at(2, 9, 40)
    done = await api.data(
        "mutation($id: ID!) { completeAppointment(id: $id) { status fhirStatus } }",
        {"id": first},
        as_=dr,
    )
    assert done["completeAppointment"] == {"status": "COMPLETED", "fhirStatus": "fulfilled"}
    again = "mutation($id: ID!) { markNoShow(id: $id) { status } }"
    assert await api.error_code(again, {"id": first}, as_=dr) == "CONFLICT"


async def test_patients_reschedule_and_cancel_through_the_api(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    appointment_id = await api.book(who, doctor, at(3, 9).isoformat())
    moved = await api.data(
        "mutation($id: ID!, $start: DateTime!) { rescheduleAppointment(input: {id: $id, "
        "start: $start}) { start end rescheduleCount } }",
        {"id": appointment_id, "start": at(4, 11).isoformat()},
        as_=who,
    )
    assert moved["rescheduleAppointment"] == {
        "start": at(4, 11).isoformat(),
        "end": at(4, 11, 30).isoformat(),
        "rescheduleCount": 1,
    }
    cancelled = await api.data(
        'mutation($id: ID!) { cancelAppointment(input: {id: $id, reason: "Better"}) '
        "{ status statusReason } }",
        {"id": appointment_id},
        as_=who,
    )
    assert cancelled["cancelAppointment"] == {"status": "CANCELLED", "statusReason": "Better"}


async def test_patients_see_their_change_deadline_and_reschedules_left(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    appointment_id = await api.book(who, doctor, at(3, 9).isoformat())
    query = (
        "query($id: ID!) { appointment(id: $id) { patientChangeDeadline reschedulesRemaining } }"
    )
    before = await api.data(query, {"id": appointment_id}, as_=who)
    # The default policy: 24 h cut-off, 3 reschedules.
    assert before["appointment"] == {
        "patientChangeDeadline": (at(3, 9) - timedelta(hours=24)).isoformat(),
        "reschedulesRemaining": 3,
    }
    await api.data(
        "mutation($id: ID!, $start: DateTime!) { rescheduleAppointment(input: {id: $id, "
        "start: $start}) { id } }",
        {"id": appointment_id, "start": at(4, 11).isoformat()},
        as_=who,
    )
    after = await api.data(query, {"id": appointment_id}, as_=who)
    assert after["appointment"]["reschedulesRemaining"] == 2


async def test_admins_search_everything_and_others_may_not(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, other = availability.add(), availability.add()
    await api.book(patient(), doctor, at(2, 9).isoformat())
    await api.book(patient(), other, at(2, 9).isoformat())
    query = """query($filter: AppointmentFilter) {
      appointments(filter: $filter, page: {limit: 1}) { total hasMore items { id } }
    }"""
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    everything = (await api.data(query, {"filter": None}, as_=admin))["appointments"]
    assert (everything["total"], everything["hasMore"], len(everything["items"])) == (2, True, 1)
    filtered = await api.data(
        query, {"filter": {"doctorId": str(doctor), "statuses": ["PENDING"]}}, as_=admin
    )
    assert filtered["appointments"]["total"] == 1
    assert await api.error_code(query, {"filter": None}, as_=patient()) == "FORBIDDEN"
    big = "{ appointments(page: {limit: 1000}) { total } }"
    assert await api.error_code(big, as_=admin) == "BAD_USER_INPUT"


async def test_the_sdl_declares_the_entities_and_contributed_fields(api: Api) -> None:
    sdl = (await api.data("{ _service { sdl } }"))["_service"]["sdl"]
    assert 'type Appointment @key(fields: "id")' in sdl
    assert 'type Doctor @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "upcomingAppointments" in sdl
