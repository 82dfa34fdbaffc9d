"""A recurring series through the router, against `healthbook up --seed`: a dry run, the
booking (each occurrence checked by the doctors subgraph), reading the series, the feed's
events related to it, and cancelling the rest."""

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
    related = {str(e["uid"]): str(e.get("related-to")) for e in events}
    for appointment_id in ids:
        assert related[f"appointment-{appointment_id}@healthbook"] == (
            f"series-{series['id']}@healthbook"
        )
    assert all("rrule" not in e for e in events)

    cancelled = (await who.execute(CANCEL_REST, series=series["id"]))["cancelAppointmentSeries"]
    assert [a["id"] for a in cancelled] == ids
    assert {a["status"] for a in cancelled} == {"CANCELLED"}


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
