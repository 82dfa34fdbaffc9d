"""Webhooks on both stores: admins only, signed per Standard Webhooks (checked by a local
receiver), minimal bodies, a receiver that fails then recovers, disabling, replay."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.schema.webhooks import WebhookEventType
from subgraphs.notifications.webhooks import delivery, events, jobs
from subgraphs.notifications.wiring import SETTINGS_KEY, settings_of
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.integration.notifications.api import Api, open_api
from tests.integration.notifications.scenario import Cast
from tests.support.webhook_receiver import WebhookReceiver

ADMIN = uuid.uuid4()
REGISTER = """mutation($url: String!, $types: [WebhookEventType!]!, $d: String) {
  registerWebhook(url: $url, eventTypes: $types, description: $d) {
    secret webhook { id url eventTypes enabled consecutiveFailures }
  }
}"""
LIST = "{ webhooks { id url enabled } }"
DELIVERIES = """query($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(webhookId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id status attempts lastError lastStatusCode eventType body }
  }
}"""
REPLAY = "mutation($id: ID!) { replayWebhookDelivery(id: $id) { id status } }"
ALL_TYPES = [t.name for t in WebhookEventType]


@pytest.fixture
async def api(db: Database, settings: Settings) -> AsyncIterator[Api]:
    opened = open_api(db, settings)
    own = settings_of(opened.resources)
    opened.resources.extras[SETTINGS_KEY] = replace(own, webhooks_allow_local_http=True)
    async with opened.client:
        yield opened


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as running:
        yield running


async def register(api: Api, receiver: WebhookReceiver, types: list[str] | None = None) -> str:
    done = (
        await api.data(
            REGISTER,
            {"url": receiver.url, "types": types or ALL_TYPES, "d": "clinic ERP"},
            user=ADMIN,
            role=Role.ADMIN,
        )
    )["registerWebhook"]
    assert done["secret"].startswith("whsec_")
    receiver.secret = done["secret"]
    webhook_id: str = done["webhook"]["id"]
    return webhook_id


async def attempt(db: Database, delivery_id: uuid.UUID, *, disable_after: int = 20) -> str:
    return await delivery.attempt(
        db=db,
        delivery_id=delivery_id,
        post=jobs.http_post(5),
        now=datetime.now(UTC),
        disable_after=disable_after,
    )


async def endpoint(db: Database, webhook_id: str) -> WebhookEndpoint:
    async with db.session() as session:
        row = await session.get(WebhookEndpoint, uuid.UUID(webhook_id))
    assert row is not None
    return row


async def test_only_admins_manage_webhooks(api: Api, receiver: WebhookReceiver) -> None:
    webhook_id = await register(api, receiver)
    someone = uuid.uuid4()
    cases: list[tuple[str, dict[str, Any]]] = [
        (REGISTER, {"url": "https://x.example/h", "types": ALL_TYPES}),
        (LIST, {}),
        (DELIVERIES, {"id": webhook_id}),
        (REPLAY, {"id": str(uuid.uuid4())}),
    ]
    for query, variables in cases:
        for role in (Role.PATIENT, Role.DOCTOR):
            assert await api.error_code(query, variables, user=someone, role=role) == "FORBIDDEN"
        assert await api.error_code(query, variables) == "FORBIDDEN"
    listed = (await api.data(LIST, user=ADMIN, role=Role.ADMIN))["webhooks"]
    assert listed == [{"id": webhook_id, "url": receiver.url, "enabled": True}]
    assert "secret" not in str(listed)


async def test_endpoints_are_https_unless_local_http_is_allowed(
    api: Api, receiver: WebhookReceiver
) -> None:
    as_admin: dict[str, Any] = {"user": ADMIN, "role": Role.ADMIN}
    refused = [
        "http://clinic.example/hook",
        "ftp://clinic.example/hook",
        "https://user:pw@clinic.example/hook",
        "https:///nohost",
        "https://clinic.example:99999/hook",
        "not a url",
    ]
    for url in refused:
        code = await api.error_code(REGISTER, {"url": url, "types": ALL_TYPES}, **as_admin)
        assert code == "BAD_USER_INPUT", url
    empty = await api.error_code(REGISTER, {"url": receiver.url, "types": []}, **as_admin)
    assert empty == "BAD_USER_INPUT"
    ok = await api.data(
        REGISTER, {"url": "https://clinic.example/h", "types": ["DOCTOR_APPROVED"]}, **as_admin
    )
    assert ok["registerWebhook"]["webhook"]["eventTypes"] == ["DOCTOR_APPROVED"]
    strict = settings_of(api.resources)
    api.resources.extras[SETTINGS_KEY] = replace(strict, webhooks_allow_local_http=False)
    code = await api.error_code(REGISTER, {"url": receiver.url, "types": ALL_TYPES}, **as_admin)
    assert code == "BAD_USER_INPUT"
    assert len((await api.data(LIST, **as_admin))["webhooks"]) == 1, "nothing half-written"


async def test_a_delivery_is_signed_per_the_spec_and_carries_ids_times_and_status_only(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver, ["APPOINTMENT_CANCELLED"])
    cast = Cast()
    event = cast.appointment(
        "AppointmentCancelled",
        status="CANCELLED",
        reason="Anxiety about results",
        cancelled_by="PATIENT",
    )
    assert await delivery.plan(db, cast.appointment("AppointmentBooked"), now=cast.start) == []
    [planned] = await delivery.plan(db, event, now=cast.start)
    assert await delivery.plan(db, event, now=cast.start) == [], "a redelivered event: once"
    assert await attempt(db, planned) == "SENT"
    [got] = receiver.received
    assert got.verified
    assert got.headers["webhook-id"] == delivery.message_id(planned)
    [body] = receiver.bodies()
    assert body["type"] == "appointment.cancelled"
    assert body["data"] == {
        "appointmentId": str(cast.appointment_id),
        "doctorId": str(cast.doctor_id),
        "patientId": str(cast.patient_id),
        "start": event.payload["start"],
        "end": event.payload["end"],
        "status": "CANCELLED",
        "cancelledBy": "PATIENT",
    }
    assert b"Anxiety" not in got.body
    page = await api.data(DELIVERIES, {"id": webhook_id}, user=ADMIN, role=Role.ADMIN)
    [node] = page["webhookDeliveries"]["nodes"]
    assert (node["status"], node["attempts"], node["eventType"]) == (
        "SENT",
        1,
        "APPOINTMENT_CANCELLED",
    )
    assert await attempt(db, planned) == "SENT", "a duplicate job sends nothing more"
    assert len(receiver.received) == 1


async def test_an_endpoint_hears_only_events_that_occur_after_its_registration(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    await register(api, receiver, ["APPOINTMENT_BOOKED"])
    cast = Cast()
    earlier = cast.appointment("AppointmentBooked", at=before)
    assert await delivery.plan(db, earlier, now=datetime.now(UTC)) == [], "still in an outbox"
    later = cast.appointment("AppointmentBooked", at=datetime.now(UTC) + timedelta(seconds=1))
    assert len(await delivery.plan(db, later, now=datetime.now(UTC))) == 1


async def test_a_receiver_that_fails_then_recovers_gets_the_delivery_once_it_answers(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    receiver.fail_next(2, status=503)
    [planned] = await delivery.plan(db, Cast().appointment("AppointmentBooked"), now=_now())
    for _ in range(2):
        with pytest.raises(delivery.DeliveryFailed, match="HTTP 503"):
            await attempt(db, planned)
    assert (await endpoint(db, webhook_id)).consecutive_failures == 2
    assert await attempt(db, planned) == "SENT"
    assert [r.verified for r in receiver.received] == [True, True, True]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    async with db.session() as session:
        row = await session.get(WebhookDelivery, planned)
    assert row is not None
    assert (row.status, row.attempts, row.last_error) == ("SENT", 3, None)
    assert (await endpoint(db, webhook_id)).consecutive_failures == 0


async def test_repeated_failure_disables_the_endpoint_and_a_replay_recovers_it(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    receiver.fail_next(-1, status=500)
    cast = Cast()
    [first] = await delivery.plan(db, cast.appointment("AppointmentBooked"), now=_now())
    [second] = await delivery.plan(db, cast.appointment("AppointmentConfirmed"), now=_now())
    for planned in (first, first, second):
        with pytest.raises(delivery.DeliveryFailed):
            await attempt(db, planned, disable_after=3)
    assert not (await endpoint(db, webhook_id)).enabled
    assert await delivery.plan(db, cast.appointment("AppointmentCompleted"), now=_now()) == []
    assert await attempt(db, second, disable_after=3) == "DEAD", "no retry to a disabled one"
    assert len(receiver.received) == 3
    nodes = (await api.data(DELIVERIES, {"id": webhook_id}, user=ADMIN, role=Role.ADMIN))[
        "webhookDeliveries"
    ]["nodes"]
    errors = {n["status"]: n["lastError"] for n in nodes}
    assert errors == {
        "FAILED": "the endpoint answered HTTP 500",
        "DEAD": "the endpoint is disabled",
    }
    receiver.fail_next(0)
    replayed = await api.data(REPLAY, {"id": str(first)}, user=ADMIN, role=Role.ADMIN)
    assert replayed["replayWebhookDelivery"]["status"] == "PENDING"
    assert await attempt(db, first, disable_after=3) == "SENT"
    assert receiver.received[-1].verified
    assert receiver.received[-1].headers["webhook-id"] == delivery.message_id(first)
    again = await endpoint(db, webhook_id)
    assert (again.enabled, again.consecutive_failures, again.disabled_at) == (True, 0, None)
    code = await api.error_code(REPLAY, {"id": str(uuid.uuid4())}, user=ADMIN, role=Role.ADMIN)
    assert code == "NOT_FOUND"


async def test_deliveries_page_by_cursor_newest_first(
    api: Api, db: Database, receiver: WebhookReceiver
) -> None:
    webhook_id = await register(api, receiver)
    for _ in range(3):
        await delivery.plan(db, Cast().appointment("AppointmentBooked"), now=_now())
    seen: list[str] = []
    after = None
    while True:
        page = (
            await api.data(
                DELIVERIES,
                {"id": webhook_id, "first": 2, "after": after},
                user=ADMIN,
                role=Role.ADMIN,
            )
        )["webhookDeliveries"]
        assert page["totalCount"] == 3
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    async with db.session() as session:
        rows = (await session.exec(select(WebhookDelivery))).all()
    assert sorted(seen) == sorted(str(r.id) for r in rows)
    assert len(seen) == 3


def test_every_event_type_has_a_graphql_name() -> None:
    assert {t.value for t in WebhookEventType} == set(events.EVENT_TYPES.values())


def _now() -> datetime:
    return datetime.now(UTC)
