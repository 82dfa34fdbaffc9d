"""New availability reaches the waitlist through the router, against `healthbook up --seed`:
a patient waits for any cardiologist in Berlin at an hour nobody offers; Dr. Haddad (the
seed's Berlin cardiologist) adds a slot then; the event bus offers it to the waiting patient;
while it is held, doctor search and the doctor's open slots no longer list it; declined
(nobody else waits), they list it again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support.graphql import GraphQLClient, eventually, register
from tests.support.processes import free_ports, healthbook, wait_ready

BERLIN = ZoneInfo("Europe/Berlin")
DEMO_PASSWORD = "healthbook-demo"  # the seed's documented demo credential
JOIN = """
mutation Join($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) { id position timeZone specialization city doctor { id } }
}"""
MINE = """query { myWaitlist(includeAreas: true) {
  id city offer { id start state doctor { id name } } } }"""
DECLINE = "mutation($id: ID!) { declineWaitlistOffer(offerId: $id) { state } }"
ADD_SLOT = """
mutation($start: DateTime!, $end: DateTime!) { addSlot(start: $start, end: $end) { id } }"""
SEARCH = """
query { doctors(filter: {specialization: "cardiology", city: "Berlin"}) { nodes { id name } } }"""
SLOTS = """
query Slots($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start }
}"""


async def openings_journey(router: str) -> None:
    anonymous = GraphQLClient(router)
    waiter = await register(anonymous, "Ari Area", time_zone="Europe/Berlin")
    haddad_login = await anonymous.login("dr.haddad@healthbook.local", DEMO_PASSWORD)
    [haddad] = (await waiter.execute(SEARCH))["doctors"]["nodes"]
    assert haddad["name"] == "Dr. Haddad"

    # Three weeks ahead at 06:00 Berlin: before any of the seed's hours.
    day = (datetime.now(UTC) + timedelta(days=21)).astimezone(BERLIN).date()
    start = datetime.combine(day, time(6, 0), tzinfo=BERLIN).astimezone(UTC)
    end = start + timedelta(minutes=30)
    joined = (
        await waiter.execute(
            JOIN,
            input={
                "specialization": "cardiology",
                "city": " berlin ",
                "firstDay": day.isoformat(),
                "lastDay": day.isoformat(),
                "earliest": "06:00",
                "latest": "07:00",
            },
        )
    )["joinWaitlist"]
    assert (joined["position"], joined["city"], joined["doctor"]) == (1, "Berlin", None)
    assert joined["timeZone"] == "Europe/Berlin"

    window = {"id": haddad["id"], "from": start.isoformat(), "to": end.isoformat()}

    async def open_starts() -> list[datetime]:
        slots = (await anonymous.execute(SLOTS, **window))["availableSlots"]
        return [datetime.fromisoformat(s["start"]) for s in slots]

    assert await open_starts() == []
    await haddad_login.execute(ADD_SLOT, start=start.isoformat(), end=end.isoformat())
    assert await open_starts() == [start]  # open at once, before any event is handled

    mine = await eventually(
        lambda: waiter.execute(MINE), lambda answer: answer["myWaitlist"][0]["offer"] is not None
    )
    offer = mine["myWaitlist"][0]["offer"]
    assert offer is not None, "the new slot is offered to the patient waiting for the area"
    assert datetime.fromisoformat(offer["start"]) == start
    assert (offer["state"], offer["doctor"]["name"]) == ("OFFERED", "Dr. Haddad")

    held = await eventually(open_starts, lambda starts: starts == [])
    assert held == [], "a slot held for a waitlist offer is not listed as open"

    await waiter.execute(DECLINE, id=offer["id"])  # nobody else waits: the hold just ends
    again = await eventually(open_starts, lambda starts: starts == [start])
    assert again == [start], "the hold ended: the slot is listed as open again"


async def test_new_availability_is_offered_to_an_area_waitlist_and_held(
    tmp_path: Path,
) -> None:
    ports = free_ports()
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "WARNING",
        "OUTBOX_POLL_SECONDS": "0.2",
    }
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        router_ready = f"http://127.0.0.1:{ports['ROUTER_PORT']}/health/ready"
        await asyncio.to_thread(wait_ready, router_ready, process, log, 180)
        await openings_journey(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql")
