"""Recurring series through the subgraph's API: dry run, modes, reading, cancelling the rest."""

from __future__ import annotations

import uuid
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.shared.auth import Role
from tests.integration.appointments.api import Api
from tests.integration.appointments.support import FakeAvailability, patient

BOOK = """mutation($input: BookAppointmentSeriesInput!) {
  bookAppointmentSeries(input: $input) {
    dryRun
    series { id rule timeZone firstStart occurrences { id start status } }
    occurrences { start end bookable refusal message appointment { id start } }
  }
}"""
SERIES_OF = """query($id: ID!) { appointment(id: $id) {
  id series { id rule occurrences { id } } } }"""
CANCEL_REST = """mutation($series: ID!, $from: ID) {
  cancelAppointmentSeries(seriesId: $series, fromAppointmentId: $from, reason: "Moved away") {
    id status statusReason
  }
}"""
CANCEL_ONE = "mutation($id: ID!) { cancelAppointment(input: {id: $id}) { id status } }"
FIRST = "2030-03-19T09:00:00+01:00"  # 09:00 in Berlin, twelve days before CEST begins


def request(doctor: uuid.UUID, **changes: Any) -> dict[str, Any]:
    return {
        "input": {
            "doctorId": str(doctor),
            "start": FIRST,
            "rule": {"frequency": "WEEKLY", "count": 4},
            "reason": "Physiotherapy",
            "idempotencyKey": "series-key",
            **changes,
        }
    }


async def booked(api: Api, who: Actor, doctor: uuid.UUID, **changes: Any) -> dict[str, Any]:
    data = await api.data(BOOK, request(doctor, **changes), as_=who)
    result: dict[str, Any] = data["bookAppointmentSeries"]
    return result


async def test_a_dry_run_reports_then_the_booking_follows_it(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    who = patient()
    report = await booked(api, who, doctor, dryRun=True)
    assert report["dryRun"] is True
    assert report["series"] is None
    assert [o["start"] for o in report["occurrences"]] == [
        "2030-03-19T08:00:00+00:00",
        "2030-03-26T08:00:00+00:00",
        "2030-04-02T07:00:00+00:00",  # still 09:00 in Berlin, now CEST
        "2030-04-09T07:00:00+00:00",
    ]
    assert {o["bookable"] for o in report["occurrences"]} == {True}
    assert {o["appointment"] for o in report["occurrences"]} == {None}
    mine = await api.data("{ myAppointments { totalCount } }", as_=who)
    assert mine["myAppointments"]["totalCount"] == 0

    result = await booked(api, who, doctor)
    series = result["series"]
    assert series["rule"] == "FREQ=WEEKLY;COUNT=4;BYDAY=TU"
    assert series["timeZone"] == "Europe/Berlin"
    assert [o["start"] for o in series["occurrences"]] == [
        o["start"] for o in report["occurrences"]
    ]
    again = await booked(api, who, doctor)  # the same key and request: the same series
    assert again["series"]["id"] == series["id"]


async def test_all_or_nothing_names_the_first_refused_occurrence(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    await api.book(patient(), doctor, "2030-03-26T09:00:00+01:00", key="other")
    body = await api.call(BOOK, request(doctor), as_=patient())
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SLOT_TAKEN"
    assert error["extensions"]["occurrence"] == 2
    assert error["extensions"]["occurrenceStart"] == "2030-03-26T08:00:00+00:00"

    result = await booked(api, patient(), doctor, mode="BOOK_AVAILABLE")
    assert [o["refusal"] for o in result["occurrences"]] == [None, "SLOT_TAKEN", None, None]
    assert len(result["series"]["occurrences"]) == 3


async def test_bad_rules_and_callers_get_stable_codes(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    both = {"frequency": "WEEKLY", "count": 3, "until": "2030-05-01"}
    body = await api.call(BOOK, request(doctor, rule=both), as_=patient())
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "rule.count",
    }
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    assert await api.error_code(BOOK, request(doctor), as_=admin) == "FORBIDDEN"
    assert await api.error_code(BOOK, request(doctor)) == "UNAUTHENTICATED"
    assert await api.error_code(BOOK, request(uuid.uuid4()), as_=patient()) == (
        "DOCTOR_NOT_BOOKABLE"
    )


async def test_the_series_is_read_by_its_patient_its_doctor_and_admins(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    who = patient()
    result = await booked(api, who, doctor)
    first = result["series"]["occurrences"][0]["id"]
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    for reader in (who, availability.user_of(doctor), admin):
        data = await api.data(SERIES_OF, {"id": first}, as_=reader)
        assert data["appointment"]["series"]["id"] == result["series"]["id"]
        assert len(data["appointment"]["series"]["occurrences"]) == 4
    stranger = patient()
    assert await api.error_code(SERIES_OF, {"id": first}, as_=stranger) == "NOT_FOUND"


async def test_one_occurrence_then_the_rest_are_cancelled(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    who = patient()
    result = await booked(api, who, doctor)
    series_id = result["series"]["id"]
    ids = [o["id"] for o in result["series"]["occurrences"]]
    one = await api.data(CANCEL_ONE, {"id": ids[1]}, as_=who)
    assert one["cancelAppointment"]["status"] == "CANCELLED"

    stranger = patient()
    code = await api.error_code(CANCEL_REST, {"series": series_id}, as_=stranger)
    assert code == "NOT_FOUND"
    code = await api.error_code(
        CANCEL_REST, {"series": series_id, "from": str(uuid.uuid4())}, as_=who
    )
    assert code == "BAD_USER_INPUT"

    data = await api.data(CANCEL_REST, {"series": series_id, "from": ids[1]}, as_=who)
    cancelled = data["cancelAppointmentSeries"]
    assert [a["id"] for a in cancelled] == ids[2:]  # the 2nd was cancelled already
    assert {a["statusReason"] for a in cancelled} == {"Moved away"}
    data = await api.data(SERIES_OF, {"id": ids[0]}, as_=who)
    assert data["appointment"]["series"]["id"] == series_id


FEED = """query($token: String!) {
  calendarFeed(token: $token) {
    entries { id start seriesId recurrenceStart }
    series { id rule firstStart timeZone refusedStarts }
  }
}"""


async def test_the_calendar_feed_lists_each_occurrence_with_its_series(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    who = patient()
    result = await booked(api, who, doctor)
    await api.book(who, doctor, "2030-05-07T09:00:00+02:00", key="single")
    url = (await api.data("{ calendarFeedUrl }", as_=who))["calendarFeedUrl"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    data = await api.data(FEED, {"token": token})
    entries = data["calendarFeed"]["entries"]
    series_id = result["series"]["id"]
    assert [e["seriesId"] for e in entries] == [series_id] * 4 + [None]
    assert [e["id"] for e in entries[:4]] == [o["id"] for o in result["series"]["occurrences"]]
    # Booked at its rule instance: the occurrence's start is its recurrence start.
    assert [e["recurrenceStart"] for e in entries] == [e["start"] for e in entries[:4]] + [None]
    assert data["calendarFeed"]["series"] == [
        {
            "id": series_id,
            "rule": result["series"]["rule"],
            "firstStart": entries[0]["start"],
            "timeZone": "Europe/Berlin",
            "refusedStarts": [],
        }
    ]


MOVE = """mutation($input: RescheduleAppointmentSeriesInput!) {
  rescheduleAppointmentSeries(input: $input) {
    dryRun
    series { id }
    occurrences { previousStart start end bookable refusal appointment { id start status } }
  }
}"""


async def test_the_rest_is_rescheduled_with_a_report_and_stable_codes(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add(time_zone="Europe/Berlin")
    who = patient()
    result = await booked(api, who, doctor)
    ids = [o["id"] for o in result["series"]["occurrences"]]
    move = {
        "seriesId": result["series"]["id"],
        "fromAppointmentId": ids[2],
        "start": "2030-04-03T16:00:00+02:00",  # Tuesday 09:00 to Wednesday 16:00, CEST
        "idempotencyKey": "move-key",
    }
    dry = await api.data(MOVE, {"input": {**move, "dryRun": True}}, as_=who)
    assert dry["rescheduleAppointmentSeries"]["series"] is None
    data = await api.data(MOVE, {"input": move}, as_=who)
    outcome = data["rescheduleAppointmentSeries"]
    assert outcome["dryRun"] is False
    assert [(o["previousStart"], o["start"], o["bookable"]) for o in outcome["occurrences"]] == [
        ("2030-04-02T07:00:00+00:00", "2030-04-03T14:00:00+00:00", True),
        ("2030-04-09T07:00:00+00:00", "2030-04-10T14:00:00+00:00", True),
    ]
    assert [o["appointment"]["id"] for o in outcome["occurrences"]] == ids[2:]
    assert [o["start"] for o in dry["rescheduleAppointmentSeries"]["occurrences"]] == [
        o["start"] for o in outcome["occurrences"]
    ]

    stranger = patient()
    assert await api.error_code(MOVE, {"input": move}, as_=stranger) == "NOT_FOUND"
    assert await api.error_code(MOVE, {"input": move}) == "UNAUTHENTICATED"
    far = {**move, "idempotencyKey": "far", "start": "2030-04-20T09:00:00+02:00"}
    body = await api.call(MOVE, {"input": far}, as_=who)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "start"}
    other = {**move, "start": "2030-04-03T17:00:00+02:00"}
    assert await api.error_code(MOVE, {"input": other}, as_=who) == "CONFLICT"
