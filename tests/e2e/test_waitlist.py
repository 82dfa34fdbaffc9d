"""The waitlist through the router, against `healthbook up --seed`: a patient waits for a
doctor, another cancels, the slot is offered to the waiting one (through the event bus),
held for them, and booked when they accept; the offer reaches their in-app inbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.graphql import GraphQLClient, GraphQLErrors, eventually, register
from tests.support.processes import free_ports, healthbook, wait_ready

SEARCH = """
query Search($filter: DoctorFilter) {
  doctors(filter: $filter, sort: NEXT_AVAILABLE, page: {first: 5}) { nodes { id name } }
}"""
SLOTS = """
query Slots($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start end }
}"""
BOOK = """
mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { id start } }"""
CANCEL = "mutation($id: ID!) { cancelAppointment(input: {id: $id}) { status } }"
JOIN = """
mutation Join($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) { id position timeZone doctor { id name } }
}"""
MINE = "query { myWaitlist { id position offer { id start expiresAt state } } }"
ACCEPT = """
mutation($id: ID!) { acceptWaitlistOffer(offerId: $id) { id start status doctor { name } } }"""
INBOX = "query Inbox { myNotifications { items { template channel } } }"


async def waitlist_journey(router: str) -> None:
    anonymous = GraphQLClient(router)
    booker = await register(anonymous, "Bo Booker", time_zone="Europe/Lisbon")
    waiter = await register(anonymous, "Wen Waiter", time_zone="Europe/Lisbon")
    silva = (await booker.execute(SEARCH, filter={"text": "Silva"}))["doctors"]["nodes"][0]
    now = datetime.now(UTC)
    window = {
        "from": (now + timedelta(days=2)).isoformat(),
        "to": (now + timedelta(days=15)).isoformat(),
    }
    chosen = (await booker.execute(SLOTS, id=silva["id"], **window))["availableSlots"][0]
    booking = {"doctorId": silva["id"], "start": chosen["start"], "idempotencyKey": "first"}
    booked = (await booker.execute(BOOK, input=booking))["bookAppointment"]

    wish = {
        "doctorId": silva["id"],
        "firstDay": (now + timedelta(days=1)).date().isoformat(),
        "lastDay": (now + timedelta(days=20)).date().isoformat(),
    }
    joined = (await waiter.execute(JOIN, input=wish))["joinWaitlist"]
    assert joined["position"] == 1
    assert joined["doctor"]["name"] == silva["name"]  # resolved by the doctors subgraph

    await booker.execute(CANCEL, id=booked["id"])
    mine = await eventually(
        lambda: waiter.execute(MINE),
        lambda answer: answer["myWaitlist"][0]["offer"] is not None,
    )
    offer = mine["myWaitlist"][0]["offer"]
    assert offer is not None, "the freed slot is offered to the patient waiting"
    assert (offer["start"], offer["state"]) == (chosen["start"], "OFFERED")

    # Held for the waiting patient: the one who cancelled cannot take it back meanwhile.
    with pytest.raises(GraphQLErrors) as refused:
        await booker.execute(BOOK, input={**booking, "idempotencyKey": "again"})
    assert refused.value.codes == ["SLOT_TAKEN"]

    accepted = (await waiter.execute(ACCEPT, id=offer["id"]))["acceptWaitlistOffer"]
    assert accepted["start"] == chosen["start"]
    assert accepted["doctor"]["name"] == silva["name"]
    again = (await waiter.execute(ACCEPT, id=offer["id"]))["acceptWaitlistOffer"]
    assert again["id"] == accepted["id"]
    assert (await waiter.execute(MINE))["myWaitlist"] == []

    inbox = await eventually(
        lambda: waiter.execute(INBOX),
        lambda answer: (
            "waitlist_offer" in {n["template"] for n in answer["myNotifications"]["items"]}
        ),
    )
    assert "waitlist_offer" in {n["template"] for n in inbox["myNotifications"]["items"]}


async def test_a_freed_slot_goes_to_the_waiting_patient_through_the_router(
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
        await waitlist_journey(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql")
