"""Webhooks through the router against `healthbook up --seed`: an admin registers a local
receiver, a patient books, the receiver gets a delivery signed per Standard Webhooks with
ids only, and the admin sees it SENT."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.processes import free_ports, healthbook, wait_ready
from tests.support.webhook_receiver import WebhookReceiver

DEMO_PASSWORD = "healthbook-demo"
PATIENT = "patient@healthbook.local"
ADMIN = "admin@healthbook.local"
SILVA = str(uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:doctor:dr.silva@healthbook.local"))


def call(base: str, email: str | None, query: str, **variables: Any) -> dict[str, Any]:
    headers = {}
    if email:
        login = {
            "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            "variables": {"i": {"email": email, "password": DEMO_PASSWORD}},
        }
        token = httpx.post(f"{base}/graphql", json=login, timeout=30).json()
        headers["authorization"] = f"Bearer {token['data']['login']['accessToken']}"
    answer = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=30,
    ).json()
    assert isinstance(answer, dict)
    return answer


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("webhooks")
    ports = free_ports()
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(tmp / "data"),
        "LOG_LEVEL": "WARNING",
        "WEBHOOKS_ALLOW_LOCAL_HTTP": "true",
    }
    log = tmp / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        url = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
        wait_ready(f"{url}/health/ready", process, log, 180)
        yield url


def test_a_booking_reaches_the_admin_s_endpoint_signed_and_minimal(base: str) -> None:
    with WebhookReceiver() as receiver:
        registered = call(
            base,
            ADMIN,
            "mutation($u: String!) { registerWebhook(url: $u, eventTypes: [APPOINTMENT_BOOKED])"
            " { secret webhook { id } } }",
            u=receiver.url,
        )["data"]["registerWebhook"]
        receiver.secret = registered["secret"]
        refused = call(base, PATIENT, "{ webhooks { id } }")
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        now = datetime.now(UTC)
        slots = call(
            base,
            None,
            "query($d: ID!, $f: DateTime!, $t: DateTime!) "
            "{ availableSlots(doctorId: $d, from: $f, to: $t) { start } }",
            d=SILVA,
            f=(now + timedelta(days=2)).isoformat(),
            t=(now + timedelta(days=16)).isoformat(),
        )["data"]["availableSlots"]
        booking = {
            "doctorId": SILVA,
            "start": slots[0]["start"],
            "reason": "Persistent cough",
            "idempotencyKey": str(uuid.uuid4()),
        }
        booked = call(
            base,
            PATIENT,
            "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }",
            i=booking,
        )["data"]["bookAppointment"]
        deadline = time.monotonic() + 60
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.2)
        [got] = receiver.received
        [body] = receiver.bodies()
    assert got.verified
    assert body["type"] == "appointment.booked"
    assert body["data"]["appointmentId"] == booked["id"]
    assert b"cough" not in got.body
    query = "query($w: ID!) { webhookDeliveries(webhookId: $w) { nodes { status attempts } } }"
    deadline = time.monotonic() + 30
    while True:  # the worker records SENT just after the receiver answered
        answer = call(base, ADMIN, query, w=registered["webhook"]["id"])
        deliveries = answer["data"]["webhookDeliveries"]["nodes"]
        if deliveries[0]["status"] == "SENT" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert deliveries == [{"status": "SENT", "attempts": 1}]
