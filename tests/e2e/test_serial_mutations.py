"""Through the router in front of Healthbook's own subgraphs (`healthbook up`), as a client:
serial mutation fields stop at the first failure that nulls the response, so a batch of
aliased logins around another mutation checks one password and runs nothing after it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.graphql import GraphQLClient
from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"
PATIENT, OTHER = "patient@healthbook.local", "patient2@healthbook.local"
BATCH = """
mutation {
  a0: login(input: {email: "patient2@healthbook.local", password: "a wrong guess"}) {
    accessToken
  }
  n0: markNotificationsRead(all: true) { updated unreadCount }
  a1: login(input: {email: "patient@healthbook.local", password: "another wrong guess"}) {
    accessToken
  }
}"""
UNREAD = "{ unreadNotificationCount }"
SEARCH = '{ doctors(filter: {text: "Silva"}, page: {first: 1}) { nodes { id } } }'
SLOTS = """
query($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start }
}"""
BOOK = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }"
AUDIT = """
query($since: DateTime!) {
  auditEvents(filter: {action: LOGIN, since: $since}, first: 100) {
    nodes { outcome email reason }
  }
}"""


@pytest.fixture(scope="module")
def router(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("serial-mutations")
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp / "data"), "LOG_LEVEL": "WARNING"}
    with healthbook(["up", "--seed"], env, tmp / "up.log") as process:
        base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
        wait_ready(f"{base}/health/ready", process, tmp / "up.log", 180)
        yield f"{base}/graphql"


async def _unread_after_a_booking(patient: GraphQLClient) -> int:
    """Book the demo doctor's first open slot; the patient's unread count once its in-app
    notification arrived."""
    (doctor,) = (await patient.execute(SEARCH))["doctors"]["nodes"]
    now = datetime.now(UTC)
    window = {
        "from": (now + timedelta(days=1)).isoformat(),
        "to": (now + timedelta(days=15)).isoformat(),
    }
    slots = (await patient.execute(SLOTS, id=doctor["id"], **window))["availableSlots"]
    booking = {
        "doctorId": doctor["id"],
        "start": slots[0]["start"],
        "idempotencyKey": str(uuid.uuid4()),
    }
    await patient.execute(BOOK, input=booking)
    for _ in range(150):  # a bound against hanging, not a timing assertion
        unread = int((await patient.execute(UNREAD))["unreadNotificationCount"])
        if unread:
            return unread
        await asyncio.sleep(0.1)
    raise AssertionError("the booking's in-app notification never arrived")


@pytest.mark.timeout(300)
async def test_a_failed_login_stops_the_mutations_after_it(router: str) -> None:
    anonymous = GraphQLClient(router)
    admin = await anonymous.login("admin@healthbook.local", DEMO_PASSWORD)
    patient = await anonymous.login(PATIENT, DEMO_PASSWORD)
    unread = await _unread_after_a_booking(patient)
    since = datetime.now(UTC).isoformat()

    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            router, json={"query": BATCH}, headers={"Authorization": f"Bearer {patient.token}"}
        )
    body = response.json()
    assert body["data"] is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"], body
    # markNotificationsRead(all: true) did not run: the notification is still unread.
    assert int((await patient.execute(UNREAD))["unreadNotificationCount"]) >= unread
    # One password checked: a0's; a1 never reached identity.
    nodes = (await admin.execute(AUDIT, since=since))["auditEvents"]["nodes"]
    assert [(n["outcome"], n["email"], n["reason"]) for n in nodes] == [
        ("FAILURE", OTHER, "bad_password")
    ], nodes
