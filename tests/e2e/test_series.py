"""A recurring series through the router, against `healthbook up --seed`: a dry run, the
booking (each occurrence checked by the doctors subgraph), reading the series, the feed's
events related to it, rescheduling the rest and cancelling it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from icalendar import Calendar

from tests.support.graphql import GraphQLClient
from tests.support.processes import free_ports, healthbook, wait_ready

SEARCH = """
query Search($filter: DoctorFilter) {
  doctors(filter: $filter, sort: NEXT_AVAILABLE, page: {first: 5}) { nodes { id name } }
}"""
SLOTS = """
query Slots($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start end }
}"""
REGISTER = """
mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }"""
BOOK = """
mutation Book($input: BookAppointmentSeriesInput!) {
  bookAppointmentSeries(input: $input) {
    dryRun
    series { id rule timeZone }
    occurrences { start bookable refusal appointment { id } }
  }
}"""
READ = """query($id: ID!) { appointment(id: $id) {
  doctor { name } series { id rule occurrences { id status } } } }"""
MOVE = """
mutation Move($input: RescheduleAppointmentSeriesInput!) {
  rescheduleAppointmentSeries(input: $input) {
    dryRun
    occurrences { previousStart start bookable refusal appointment { id start } }
  }
}"""
CANCEL_REST = """mutation($series: ID!) {
  cancelAppointmentSeries(seriesId: $series, reason: "Moving away") { id status }
}"""


async def series_journey(router: str) -> None:
    anonymous = GraphQLClient(router)
    email, password = f"{uuid.uuid4().hex[:12]}@example.org", "again and again"
    await anonymous.execute(
        REGISTER,
        input={"email": email, "password": password, "name": "Ria Repeat", "timeZone": "UTC"},
    )
    who = await anonymous.login(email, password)
    silva = (await who.execute(SEARCH, filter={"text": "Silva"}))["doctors"]["nodes"][0]
    now = datetime.now(UTC)
    window = {
        "from": (now + timedelta(days=2)).isoformat(),
        "to": (now + timedelta(days=9)).isoformat(),
    }
    chosen = (await who.execute(SLOTS, id=silva["id"], **window))["availableSlots"][0]
    request: dict[str, Any] = {
        "doctorId": silva["id"],
        "start": chosen["start"],
        "rule": {"frequency": "WEEKLY", "count": 3},
        "idempotencyKey": "weekly",
        "mode": "BOOK_AVAILABLE",
    }
    report = (await who.execute(BOOK, input={**request, "dryRun": True}))["bookAppointmentSeries"]
    assert report["dryRun"] is True
    assert report["series"] is None
    assert len(report["occurrences"]) == 3
    assert report["occurrences"][0]["bookable"] is True, "the first start is an offered slot"

    booked = (await who.execute(BOOK, input=request))["bookAppointmentSeries"]
    series = booked["series"]
    assert series["rule"].startswith("FREQ=WEEKLY;COUNT=3;BYDAY=")
    zone = ZoneInfo(series["timeZone"])
    walls = {
        datetime.fromisoformat(o["start"]).astimezone(zone).time() for o in booked["occurrences"]
    }
    assert len(walls) == 1, "every occurrence at the same local time"
    assert [o["bookable"] for o in booked["occurrences"]] == [
        o["bookable"] for o in report["occurrences"]
    ], "the booking follows the dry run's report"
    ids = [o["appointment"]["id"] for o in booked["occurrences"] if o["appointment"]]

    read = (await who.execute(READ, id=ids[0]))["appointment"]
    assert read["doctor"]["name"] == silva["name"]  # resolved by the doctors subgraph
    assert read["series"]["id"] == series["id"]
    assert [o["id"] for o in read["series"]["occurrences"]] == ids

    url = (await who.execute("{ calendarFeedUrl }"))["calendarFeedUrl"]
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(url)
    assert response.status_code == 200, response.text
    events = Calendar.from_ical(response.content).walk("VEVENT")
    mine = [e for e in events if str(e["uid"]) == f"series-{series['id']}@healthbook"]
    masters = [e for e in mine if "recurrence-id" not in e]
    assert len(masters) == 1, "one master event for the series"
    master: Any = masters[0]
    assert master["rrule"].to_ical().decode() == series["rule"]
    overrides = {
        e.decoded("recurrence-id").astimezone(UTC): e.decoded("dtstart").astimezone(UTC)
        for e in mine
        if "recurrence-id" in e
    }
    booked_starts = [
        datetime.fromisoformat(o["start"]) for o in booked["occurrences"] if o["appointment"]
    ]
    assert overrides == {start: start for start in booked_starts}, "one override each"

    starts = {o["appointment"]["id"]: o["start"] for o in booked["occurrences"] if o["appointment"]}
    await move_the_rest(who, silva["id"], series["id"], ids[1], starts[ids[1]], zone)

    cancelled = (await who.execute(CANCEL_REST, series=series["id"]))["cancelAppointmentSeries"]
    assert [a["id"] for a in cancelled] == ids
    assert {a["status"] for a in cancelled} == {"CANCELLED"}


async def move_the_rest(
    who: GraphQLClient, doctor_id: str, series_id: str, pivot: str, at: str, zone: ZoneInfo
) -> None:
    """The rest from the 2nd occurrence on to the doctor's next offered slot after it: a dry
    run, then the move as reported, each new time checked by the doctors subgraph again."""
    since = datetime.fromisoformat(at)
    window = {
        "from": (since + timedelta(hours=1)).isoformat(),
        "to": (since + timedelta(days=3)).isoformat(),
    }
    target = (await who.execute(SLOTS, id=doctor_id, **window))["availableSlots"][0]["start"]
    request: dict[str, Any] = {
        "seriesId": series_id,
        "fromAppointmentId": pivot,
        "start": target,
        "idempotencyKey": "move",
        "mode": "BOOK_AVAILABLE",
    }
    report = await who.execute(MOVE, input={**request, "dryRun": True})
    planned = report["rescheduleAppointmentSeries"]["occurrences"]
    assert planned[0]["bookable"] is True, "the pivot goes to an offered slot"
    assert {o["appointment"] for o in planned} == {None}
    moved = (await who.execute(MOVE, input=request))["rescheduleAppointmentSeries"]["occurrences"]
    assert [(o["start"], o["bookable"]) for o in moved] == [
        (o["start"], o["bookable"]) for o in planned
    ], "the move follows the dry run's report"
    assert datetime.fromisoformat(moved[0]["previousStart"]) == since
    new_wall = datetime.fromisoformat(target).astimezone(zone).time()
    for occurrence in moved:
        if occurrence["appointment"]:
            start = datetime.fromisoformat(occurrence["appointment"]["start"])
            assert start.astimezone(zone).time() == new_wall, "each at the new local time"


async def test_a_weekly_series_through_the_router(tmp_path: Path) -> None:
    ports = free_ports()
    base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "WARNING",
        "PUBLIC_APP_URL": base,
    }
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        await asyncio.to_thread(wait_ready, f"{base}/health/ready", process, log, 180)
        await series_journey(f"{base}/graphql")
