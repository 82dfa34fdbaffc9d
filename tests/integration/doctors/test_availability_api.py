"""Availability through the API: rules, exceptions, ad-hoc slots, policy, DST, authorization."""

from __future__ import annotations

import uuid
from typing import Any

from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import (
    SET_RULES,
    Api,
    approved_doctor,
    error_code,
    published,
    registered_doctor,
    weekdays,
)

SLOTS = """query($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start end localStart localEnd } }"""
NEXT = "query($id: ID!) { doctor(id: $id) { nextAvailable { start localStart } } }"
ADD_EXCEPTION = """mutation($id: ID, $input: AvailabilityExceptionInput!) {
  addAvailabilityException(doctorId: $id, input: $input) { id startDate endDate kind } }"""
REMOVE_EXCEPTION = "mutation($id: ID!) { removeAvailabilityException(id: $id) }"
ADD_SLOT = """mutation($id: ID, $start: DateTime!, $end: DateTime!) {
  addSlot(doctorId: $id, start: $start, end: $end) { id start end } }"""
UPDATE_SLOT = """mutation($id: ID!, $start: DateTime!, $end: DateTime!) {
  updateSlot(id: $id, start: $start, end: $end) { id start end } }"""
REMOVE_SLOT = "mutation($id: ID!) { removeSlot(id: $id) }"
POLICY = """mutation($id: ID, $input: BookingPolicyInput!) {
  updateBookingPolicy(doctorId: $id, input: $input) { bookingPolicy { minimumNoticeMinutes } } }"""
AVAILABILITY = """query($id: ID!) { doctor(id: $id) { availability {
  rules { id weekday start end } exceptions { id reason } slots { id start } } } }"""
CHECK = """query($id: ID!, $start: DateTime!, $end: DateTime!, $ignore: ID) {
  slotAvailability(doctorId: $id, start: $start, end: $end, ignoreAppointmentId: $ignore) {
    doctorId doctorUserId approved available offered slotEnd free meetsNotice withinWindow reason
    timeZone minimumNoticeMinutes bookingWindowDays } }"""

APPOINTMENTS_QUERY = """
query SlotAvailability($doctorId: ID!, $start: DateTime!, $end: DateTime,
                       $ignoreAppointmentId: ID) {
  slotAvailability(doctorId: $doctorId, start: $start, end: $end,
                   ignoreAppointmentId: $ignoreAppointmentId) {
    approved
    offered
    timeZone
    doctorUserId
    slotEnd
  }
}
"""


async def slots(api: Api, doctor_id: str, start: str, end: str) -> list[dict[str, Any]]:
    data = await api.data(SLOTS, {"id": doctor_id, "from": start, "to": end})
    found: list[dict[str, Any]] = data["availableSlots"]
    return found


async def test_slots_keep_local_hours_across_the_berlin_spring_change(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "10:00", 60))
    found = await slots(api, doctor.id, "2027-03-25T00:00:00Z", "2027-03-30T00:00:00Z")
    assert [(s["start"], s["localStart"]) for s in found] == [
        ("2027-03-25T08:00:00+00:00", "2027-03-25T09:00:00+01:00"),
        ("2027-03-26T08:00:00+00:00", "2027-03-26T09:00:00+01:00"),
        ("2027-03-29T07:00:00+00:00", "2027-03-29T09:00:00+02:00"),
    ]


async def test_new_york_doctor_seen_from_tokyo_across_the_us_change(api: Api) -> None:
    doctor = await approved_doctor(
        api,
        profile={"timeZone": "America/New_York", "city": "New York"},
        rules=weekdays("09:00", "10:00", 60),
    )
    found = await slots(api, doctor.id, "2027-03-12T00:00:00+09:00", "2027-03-16T12:00:00+09:00")
    assert [s["start"] for s in found] == [
        "2027-03-12T14:00:00+00:00",
        "2027-03-15T13:00:00+00:00",
    ]
    assert found[1]["localStart"] == "2027-03-15T09:00:00-04:00"


async def test_notice_applies_to_the_first_slots(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("07:00", "12:00", 60))
    # now = Monday 06:00 UTC = 07:00 Berlin; 2 h notice → 09:00 Berlin is the first.
    data = await api.data(NEXT, {"id": doctor.id})
    assert data["doctor"]["nextAvailable"]["localStart"] == "2027-01-04T09:00:00+01:00"


async def test_overlapping_or_inverted_rules_are_refused_with_a_clear_message(api: Api) -> None:
    doctor = await approved_doctor(api)
    rules = [
        {"weekday": "MONDAY", "start": "09:00", "end": "12:00", "slotMinutes": 30},
        {"weekday": "MONDAY", "start": "11:00", "end": "13:00", "slotMinutes": 30},
    ]
    result = await doctor.call(api, SET_RULES, {"rules": rules})
    assert error_code(result) == "BAD_USER_INPUT"
    assert "overlaps" in result["errors"][0]["message"]
    inverted = [{"weekday": "MONDAY", "start": "12:00", "end": "09:00", "slotMinutes": 30}]
    result = await doctor.call(api, SET_RULES, {"rules": inverted})
    assert error_code(result) == "BAD_USER_INPUT"


async def test_a_doctor_cannot_edit_another_doctors_availability(api: Api) -> None:
    mine = await approved_doctor(api, "Mine")
    theirs = await approved_doctor(api, "Theirs", rules=weekdays())
    result = await mine.call(api, SET_RULES, {"doctorId": theirs.id, "rules": []})
    assert error_code(result) == "FORBIDDEN"
    result = await mine.call(
        api,
        ADD_EXCEPTION,
        {"id": theirs.id, "input": {"startDate": "2027-01-05", "endDate": "2027-01-05"}},
    )
    assert error_code(result) == "FORBIDDEN"
    patient = await api.call(SET_RULES, {"doctorId": theirs.id, "rules": []}, user=uuid.uuid4())
    assert error_code(patient) == "FORBIDDEN"
    hidden = await mine.call(api, AVAILABILITY, {"id": theirs.id})
    assert hidden["data"]["doctor"]["availability"] is None


async def test_exceptions_and_adhoc_slots_change_the_open_slots(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "10:00", 60))
    window = ("2027-01-11T00:00:00Z", "2027-01-13T00:00:00Z")  # Monday and Tuesday
    assert len(await slots(api, doctor.id, *window)) == 2
    off = await doctor.call(
        api,
        ADD_EXCEPTION,
        {"input": {"startDate": "2027-01-11", "endDate": "2027-01-11", "reason": "Conference"}},
    )
    exception_id = off["data"]["addAvailabilityException"]["id"]
    added = await doctor.call(
        api, ADD_SLOT, {"start": "2027-01-12T17:00:00+01:00", "end": "2027-01-12T17:45:00+01:00"}
    )
    slot_id = added["data"]["addSlot"]["id"]
    assert [s["start"] for s in await slots(api, doctor.id, *window)] == [
        "2027-01-12T08:00:00+00:00",
        "2027-01-12T16:00:00+00:00",
    ]
    moved = await doctor.call(
        api,
        UPDATE_SLOT,
        {"id": slot_id, "start": "2027-01-12T18:00:00Z", "end": "2027-01-12T18:30:00Z"},
    )
    assert moved["data"]["updateSlot"]["start"] == "2027-01-12T18:00:00+00:00"
    details = await doctor.call(api, AVAILABILITY, {"id": doctor.id})
    assert details["data"]["doctor"]["availability"]["exceptions"][0]["reason"] == "Conference"
    rules = details["data"]["doctor"]["availability"]["rules"]
    assert [r["weekday"] for r in rules] == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    assert all(uuid.UUID(r["id"]) for r in rules)
    await doctor.call(api, REMOVE_EXCEPTION, {"id": exception_id})
    await doctor.call(api, REMOVE_SLOT, {"id": slot_id})
    assert len(await slots(api, doctor.id, *window)) == 2
    # rules, exception added, slot added, moved, exception removed, slot removed
    assert len(await published(api, "AvailabilityChanged")) == 6


async def test_overlapping_exceptions_and_slots_are_refused(api: Api) -> None:
    doctor = await approved_doctor(api)
    days = {"startDate": "2027-02-01", "endDate": "2027-02-05"}
    await doctor.call(api, ADD_EXCEPTION, {"input": days})
    again = await doctor.call(api, ADD_EXCEPTION, {"input": {**days, "startDate": "2027-02-05"}})
    assert error_code(again) == "BAD_USER_INPUT"
    inverted = await doctor.call(
        api, ADD_EXCEPTION, {"input": {"startDate": "2027-03-05", "endDate": "2027-03-01"}}
    )
    assert error_code(inverted) == "BAD_USER_INPUT"
    span = {"start": "2027-02-10T10:00:00Z", "end": "2027-02-10T11:00:00Z"}
    await doctor.call(api, ADD_SLOT, span)
    overlap = await doctor.call(
        api, ADD_SLOT, {**span, "start": "2027-02-10T10:30:00Z", "end": "2027-02-10T11:30:00Z"}
    )
    assert error_code(overlap) == "BAD_USER_INPUT"
    backwards = await doctor.call(api, ADD_SLOT, {"start": span["end"], "end": span["start"]})
    assert error_code(backwards) == "BAD_USER_INPUT"


async def test_booking_policy_changes_notice(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("07:00", "12:00", 60))
    policy = {"minimumNoticeMinutes": 0, "bookingWindowDays": 30}
    data = await doctor.call(api, POLICY, {"input": policy})
    assert data["data"]["updateBookingPolicy"]["bookingPolicy"]["minimumNoticeMinutes"] == 0
    nxt = await api.data(NEXT, {"id": doctor.id})
    assert nxt["doctor"]["nextAvailable"]["localStart"] == "2027-01-04T07:00:00+01:00"  # = now


async def test_slot_check_for_the_appointments_subgraph(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("07:00", "12:00", 30))
    appointment = str(uuid.uuid4())
    start, end = "2027-01-05T09:00:00+01:00", "2027-01-05T09:30:00+01:00"
    check = (await api.data(CHECK, {"id": doctor.id, "start": start, "end": end}))[
        "slotAvailability"
    ]
    assert check["available"] is True
    assert check["reason"] is None
    assert check["doctorUserId"] == str(doctor.user_id)
    assert check["slotEnd"] == "2027-01-05T08:30:00+00:00"
    assert check["timeZone"] == "Europe/Berlin"
    assert (check["minimumNoticeMinutes"], check["bookingWindowDays"]) == (120, 90)
    await api.deliver(
        "AppointmentBooked",
        {
            "appointment_id": appointment,
            "doctor_id": doctor.id,
            "start": "2027-01-05T08:00:00+00:00",
            "end": "2027-01-05T08:30:00+00:00",
        },
        source="appointments",
    )
    taken = (await api.data(CHECK, {"id": doctor.id, "start": start, "end": end}))[
        "slotAvailability"
    ]
    assert (taken["available"], taken["reason"]) == (False, "SLOT_TAKEN")
    variables = {"id": doctor.id, "start": start, "end": end, "ignore": appointment}
    own = (await api.data(CHECK, variables))["slotAvailability"]
    assert own["available"] is True
    off_grid = {
        "id": doctor.id,
        "start": "2027-01-05T09:10:00+01:00",
        "end": "2027-01-05T09:40:00+01:00",
    }
    assert (await api.data(CHECK, off_grid))["slotAvailability"]["reason"] == "OUTSIDE_AVAILABILITY"
    soon = {
        "id": doctor.id,
        "start": "2027-01-04T07:30:00+01:00",
        "end": "2027-01-04T08:00:00+01:00",
    }
    assert (await api.data(CHECK, soon))["slotAvailability"]["reason"] == "TOO_LATE"


async def test_slot_check_says_when_a_doctor_is_not_approved(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays())
    await api.admin("mutation($id: ID!) { suspendDoctor(id: $id) { id } }", {"id": doctor.id})
    variables = {"id": doctor.id, "start": "2027-01-05T08:00:00Z", "end": "2027-01-05T08:30:00Z"}
    check = (await api.data(CHECK, variables, user=uuid.uuid4(), role=Role.PATIENT))[
        "slotAvailability"
    ]
    assert (check["approved"], check["available"], check["reason"]) == (
        False,
        False,
        "DOCTOR_NOT_APPROVED",
    )
    assert check["doctorUserId"] == str(doctor.user_id)


async def test_slot_check_hides_pending_doctors(api: Api) -> None:
    pending = await registered_doctor(api)
    variables = {"id": pending.id, "start": "2027-01-05T08:00:00Z", "end": "2027-01-05T08:30:00Z"}
    assert error_code(await api.call(CHECK, variables)) == "NOT_FOUND"


async def test_slot_check_answers_the_appointments_subgraphs_query(api: Api) -> None:
    """The exact document `subgraphs/appointments/service/availability.py` sends (no `end`)."""
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 45))
    variables = {
        "doctorId": doctor.id,
        "start": "2027-01-05T08:45:00+00:00",
        "end": None,
        "ignoreAppointmentId": None,
    }
    answer = (await api.data(APPOINTMENTS_QUERY, variables))["slotAvailability"]
    assert answer == {
        "approved": True,
        "offered": True,
        "timeZone": "Europe/Berlin",
        "doctorUserId": str(doctor.user_id),
        "slotEnd": "2027-01-05T09:30:00+00:00",
    }
    off_grid = {**variables, "start": "2027-01-05T08:50:00+00:00"}
    answer = (await api.data(APPOINTMENTS_QUERY, off_grid))["slotAvailability"]
    assert (answer["offered"], answer["slotEnd"]) == (False, None)


async def test_bad_slot_ranges_are_bad_input(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays())
    result = await api.call(
        SLOTS, {"id": doctor.id, "from": "2027-01-05T00:00:00Z", "to": "2027-01-04T00:00:00Z"}
    )
    assert error_code(result) == "BAD_USER_INPUT"
    result = await api.call(
        SLOTS, {"id": doctor.id, "from": "2027-01-05T00:00:00", "to": "2027-01-06T00:00:00"}
    )
    assert error_code(result) == "BAD_USER_INPUT"
