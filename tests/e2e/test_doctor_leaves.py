"""Issue 12 item 8 through the router: a doctor suspended by an admin, or whose account an
admin deactivates, disappears from search, refuses bookings (DOCTOR_NOT_BOOKABLE), and every
future appointment with them is cancelled (by ADMIN, reason stated) and announced to the
patient through the ordinary notifications."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from subgraphs.appointments.domain import DOCTOR_WITHDRAWN
from tests.e2e.test_patient_journey import DEMO_PASSWORD
from tests.support.graphql import GraphQLClient, GraphQLErrors
from tests.support.processes import free_ports, healthbook, wait_ready

pytestmark = pytest.mark.timeout(420)

FIND = """query($t: String!) { doctors(filter: {text: $t}, page: {first: 5}) {
  nodes { id userId name } } }"""
SLOTS = """query($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start } }"""
BOOK = """mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }"""
MINE = """query { myAppointments { items { id status statusReason
  history { action actorRole reason } } } }"""
SENT = """query($u: ID!) { notifications(filter: { userId: $u }, pageSize: 50) {
  items { channel template status } } }"""
ME = "query { me { id } }"
SUSPEND = """mutation($id: ID!) { suspendDoctor(id: $id, reason: "licence under review") {
  status } }"""
DEACTIVATE = """mutation($u: ID!) { deactivateUser(input: {userId: $u}) { user { active } } }"""


@dataclass(frozen=True)
class System:
    router: str


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    root = tmp_path_factory.mktemp("doctor-leaves")
    ports = free_ports()
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(root / "data"),
        "LOG_LEVEL": "WARNING",
        "OUTBOX_POLL_SECONDS": "0.2",
    }
    log = root / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        wait_ready(f"http://127.0.0.1:{ports['ROUTER_PORT']}/health/ready", process, log, 180)
        yield System(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql")


async def _book_with(router: str, surname: str) -> tuple[dict[str, Any], list[tuple[Any, str]]]:
    """The doctor found by `surname`, and one future booking with them by each demo patient
    (client, appointment id)."""
    anonymous = GraphQLClient(router)
    patients = [
        await anonymous.login(email, DEMO_PASSWORD)
        for email in ("patient@healthbook.local", "patient2@healthbook.local")
    ]
    doctor = (await patients[0].execute(FIND, t=surname))["doctors"]["nodes"][0]
    now = datetime.now(UTC)
    window = {
        "from": (now + timedelta(days=2)).isoformat(),
        "to": (now + timedelta(days=30)).isoformat(),
    }
    starts = [
        s["start"]
        for s in (await patients[0].execute(SLOTS, id=doctor["id"], **window))["availableSlots"]
    ]
    booked = []
    for index, patient in enumerate(patients):
        key = str(uuid.uuid4())
        done = await patient.execute(
            BOOK, i={"doctorId": doctor["id"], "start": starts[index * 3], "idempotencyKey": key}
        )
        booked.append((patient, done["bookAppointment"]["id"]))
    return doctor, booked


async def _cancelled(patient: GraphQLClient, appointment_id: str) -> dict[str, Any]:
    """The patient's appointment once CANCELLED (bounded wait: 60 s)."""
    deadline = time.monotonic() + 60
    found: dict[str, Any] = {}
    while time.monotonic() < deadline:
        items = (await patient.execute(MINE))["myAppointments"]["items"]
        found = next(a for a in items if a["id"] == appointment_id)
        if found["status"] == "CANCELLED":
            break
        await asyncio.sleep(0.2)
    return found


async def _told(admin: GraphQLClient, user_id: str) -> set[str]:
    """The channels on which `user_id` was sent `appointment_cancelled` (bounded: 60 s)."""
    deadline = time.monotonic() + 60
    sent: set[str] = set()
    while time.monotonic() < deadline:
        rows = (await admin.execute(SENT, u=user_id))["notifications"]["items"]
        sent = {
            r["channel"]
            for r in rows
            if r["template"] == "appointment_cancelled" and r["status"] == "SENT"
        }
        if {"EMAIL", "IN_APP"} <= sent:
            break
        await asyncio.sleep(0.2)
    return sent


async def _check_doctor_gone(
    router: str, admin: GraphQLClient, doctor: dict[str, Any], booked: list[tuple[Any, str]]
) -> None:
    for patient, appointment_id in booked:
        appointment = await _cancelled(patient, appointment_id)
        assert appointment["status"] == "CANCELLED"
        assert appointment["statusReason"] == DOCTOR_WITHDRAWN
        last = appointment["history"][-1]
        assert (last["action"], last["actorRole"], last["reason"]) == (
            "CANCELLED",
            "ADMIN",
            DOCTOR_WITHDRAWN,
        )
        me = (await patient.execute(ME))["me"]["id"]
        assert {"EMAIL", "IN_APP"} <= await _told(admin, me)
    patient = booked[0][0]
    names = [d["id"] for d in (await patient.execute(FIND, t=doctor["name"]))["doctors"]["nodes"]]
    assert doctor["id"] not in names
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    with pytest.raises(GraphQLErrors) as refused:
        await patient.execute(
            BOOK,
            i={"doctorId": doctor["id"], "start": start.isoformat(), "idempotencyKey": "late"},
        )
    assert refused.value.codes == ["DOCTOR_NOT_BOOKABLE"]


async def test_a_suspended_doctor_is_hidden_and_their_patients_are_told(system: System) -> None:
    admin = await GraphQLClient(system.router).login("admin@healthbook.local", DEMO_PASSWORD)
    doctor, booked = await _book_with(system.router, "Okafor")
    suspended = await admin.execute(SUSPEND, id=doctor["id"])
    assert suspended["suspendDoctor"]["status"] == "SUSPENDED"
    await _check_doctor_gone(system.router, admin, doctor, booked)


async def test_a_deactivated_doctor_is_hidden_and_their_patients_are_told(system: System) -> None:
    admin = await GraphQLClient(system.router).login("admin@healthbook.local", DEMO_PASSWORD)
    doctor, booked = await _book_with(system.router, "Tanaka")
    deactivated = await admin.execute(DEACTIVATE, u=doctor["userId"])
    assert deactivated["deactivateUser"]["user"]["active"] is False
    # Search hides the doctor once doctors has heard of the deactivation (an event).
    await _check_doctor_gone(system.router, admin, doctor, booked)
