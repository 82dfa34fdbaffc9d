"""A patient's journey through the router, as the apps make it: register, find a doctor,
see open slots, book; the doctor confirms; the slot is no longer offered; the patient hears
of it by email (with the visit as an .ics), SMS and in the app."""

from __future__ import annotations

import asyncio
import json
import mailbox
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path

import pytest

from tests.support.graphql import GraphQLClient, GraphQLErrors
from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"
SEARCH = """
query Search($filter: DoctorFilter) {
  doctors(filter: $filter, sort: NEXT_AVAILABLE, page: {first: 5}) {
    totalCount
    nodes { id name city userId specializations { code name } }
  }
}"""
SLOTS = """
query Slots($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start end }
}"""
BOOK = """
mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id status start doctor { name city } }
}"""
MINE = """
query Mine { myAppointments { items { id status start doctor { name } } } }"""


REGISTER = """
mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }"""
INBOX = """
query Inbox { myNotifications { items { template channel } } }"""
PATIENT = "journey@example.org"


async def journey(router: str, data: Path) -> None:
    anonymous = GraphQLClient(router)
    await anonymous.execute(
        REGISTER,
        input={
            "email": PATIENT,
            "password": "a journey of many steps",
            "name": "Jo Journey",
            "phone": "+4915100000099",
            "timeZone": "Europe/Lisbon",
        },
    )
    patient = await anonymous.login(PATIENT, "a journey of many steps")
    # SMS only with an explicit opt-in in the profile (the default is EMAIL and IN_APP).
    await patient.execute(
        "mutation { updateProfile(input: { notificationChannels: [EMAIL, SMS, IN_APP] })"
        " { user { id } } }"
    )
    doctor = await anonymous.login("dr.silva@healthbook.local", DEMO_PASSWORD)

    found = (await patient.execute(SEARCH, filter={"text": "Silva"}))["doctors"]
    assert found["totalCount"] >= 1
    silva = found["nodes"][0]
    now = datetime.now(UTC)
    window = {
        "from": (now + timedelta(days=1)).isoformat(),
        "to": (now + timedelta(days=15)).isoformat(),
    }
    slots = (await patient.execute(SLOTS, id=silva["id"], **window))["availableSlots"]
    assert slots, "the demo doctor publishes open slots"
    chosen = slots[0]

    booking = {
        "doctorId": silva["id"],
        "start": chosen["start"],
        "reason": "Persistent cough",
        "idempotencyKey": str(uuid.uuid4()),
    }
    booked = (await patient.execute(BOOK, input=booking))["bookAppointment"]
    assert booked["status"] == "PENDING"
    assert booked["doctor"]["name"] == silva["name"]  # resolved by the doctors subgraph

    # Booking the same slot again with another key is refused by the store.
    again = {**booking, "idempotencyKey": str(uuid.uuid4())}
    with pytest.raises(GraphQLErrors) as refused:
        await patient.execute(BOOK, input=again)
    assert refused.value.codes[0] in {"SLOT_TAKEN", "OUTSIDE_AVAILABILITY"}

    confirmed = await doctor.execute(
        "mutation($id: ID!) { confirmAppointment(id: $id) { status } }", id=booked["id"]
    )
    assert confirmed["confirmAppointment"]["status"] == "CONFIRMED"
    mine = (await patient.execute(MINE))["myAppointments"]["items"]
    assert any(a["id"] == booked["id"] and a["status"] == "CONFIRMED" for a in mine)

    # The doctors subgraph learns of the booking through the event bus.
    for _ in range(100):
        open_now = (await patient.execute(SLOTS, id=silva["id"], **window))["availableSlots"]
        if chosen["start"] not in [s["start"] for s in open_now]:
            break
        await asyncio.sleep(0.1)
    assert chosen["start"] not in [s["start"] for s in open_now]

    # The patient hears of it: in the app, by email with the visit attached, and by SMS.
    for _ in range(150):
        inbox = (await patient.execute(INBOX))["myNotifications"]["items"]
        if {"appointment_booked", "appointment_confirmed"} <= {n["template"] for n in inbox}:
            break
        await asyncio.sleep(0.1)
    assert {"appointment_booked", "appointment_confirmed"} <= {n["template"] for n in inbox}
    mails = await asyncio.to_thread(wait_for_mail, data / "mail.mbox", PATIENT, 2)
    assert any(part.get_content_type() == "text/calendar" for m in mails for part in m.walk())
    texts = await asyncio.to_thread(wait_for_sms, data / "sms-sink.jsonl", "+4915100000099")
    assert texts
    assert all("cough" not in text.lower() for text in texts)  # nothing medical in an SMS


def wait_for_mail(path: Path, recipient: str, count: int) -> list[Message]:
    """The messages to `recipient` in the mbox once `count` arrived (or after 15 s)."""
    found: list[Message] = []
    for _ in range(150):
        if path.exists():
            box = mailbox.mbox(path)
            try:
                found = [m for m in box if recipient in str(m.get("To", ""))]
            finally:
                box.close()
            if len(found) >= count:
                break
        time.sleep(0.1)
    return found


def wait_for_sms(path: Path, number: str) -> list[str]:
    """The texts sent to `number` by the local SMS sink (waits up to 15 s for the first)."""
    texts: list[str] = []
    for _ in range(150):
        if path.exists():
            lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            texts = [str(line.get("body", "")) for line in lines if line.get("to") == number]
            if texts:
                break
        time.sleep(0.1)
    return texts


@pytest.mark.timeout(420)
async def test_a_patient_finds_books_and_the_doctor_confirms_through_the_router(
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
        await journey(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql", tmp_path / "data")
