"""The delivery worker claims each notification for NOTIFICATION_LEASE_SECONDS (issue 15:
a worker killed mid-delivery blocks its messages for as long as that lease lasts, so a
deployment, or a fault test, chooses it)."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.settings import Settings
from tests.integration.notifications.harness import running_worker
from tests.integration.notifications.scenario import Cast
from tests.integration.notifications.test_workers import environment  # noqa: F401 (fixture)

LEASE_SECONDS = 37
BOUND_SECONDS = 30  # against hanging only


def hold_emails(sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make the SMTP server keep each message until the returned event is set."""
    release = threading.Event()
    accept = sink.handler.handle_DATA

    async def held(server: Any, session: Any, envelope: Any) -> str:
        await asyncio.to_thread(release.wait, BOUND_SECONDS)
        return await accept(server, session, envelope)

    monkeypatch.setattr(sink.handler, "handle_DATA", held)
    return release


async def claimed_email(db: Database, patient: object) -> Notification:
    deadline = time.monotonic() + BOUND_SECONDS
    while time.monotonic() < deadline:
        async with db.session() as session:
            row = (
                await session.exec(
                    select(Notification).where(
                        col(Notification.channel) == Channel.EMAIL,
                        col(Notification.user_id) == patient,
                    )
                )
            ).first()
        if row is not None and row.claimed_until is not None:
            return row
        await asyncio.sleep(0.05)
    raise AssertionError("the worker never claimed the email")


async def test_a_delivery_attempt_holds_its_notification_for_the_configured_lease(
    db: Database,
    environment: dict[str, str],  # noqa: F811
    smtp_sink: SmtpSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOTIFICATION_LEASE_SECONDS", str(LEASE_SECONDS))
    cast = Cast()
    release = hold_emails(smtp_sink, monkeypatch)
    try:
        async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
            worker.publish(cast.patient_registered(), cast.doctor_event("DoctorRegistered"))
            await worker.settle()
            worker.publish(cast.appointment("AppointmentBooked"))
            sending = await claimed_email(db, cast.patient_id)
            release.set()
            await worker.settle()
    finally:
        release.set()
    assert sending.claimed_until is not None
    assert sending.claimed_until - sending.updated_at == timedelta(seconds=LEASE_SECONDS)
    async with db.session() as session:
        done = await session.get(Notification, sending.id)
    assert done is not None
    assert done.status is DeliveryStatus.SENT
    assert [m["To"] for m in smtp_sink.messages] == ["pat@example.test"]
