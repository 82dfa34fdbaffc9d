"""Delivery on real protocols: SMTP to a local server, the SMS REST API to a local provider,
in-app through pub/sub; retries never send twice; exhausted or refused ends DEAD."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from subgraphs.notifications.channels import Channels, OneTimeLinks
from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.domain import ONE_TIME_LINK, Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.notifications.service import delivery, intake
from subgraphs.notifications.service.delivery import DeliveryBusy, DeliveryFailed, Outcome
from subgraphs.shared import handoff
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast, envelope
from tests.support.fake_sms import FakeSmsProvider


async def booked(db: Database) -> tuple[Cast, dict[tuple[uuid.UUID, Channel], uuid.UUID]]:
    cast = Cast()
    ids: dict[tuple[uuid.UUID, Channel], uuid.UUID] = {}
    for event in [*cast.setup_events(), cast.appointment("AppointmentBooked")]:
        await intake.apply_event(db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True)
    async with db.session() as session:
        for row in (await session.exec(select(Notification))).all():
            ids[(row.user_id, row.channel)] = row.id
    return cast, ids


async def load(db: Database, notification_id: uuid.UUID) -> Notification:
    async with db.session() as session:
        row = await session.get(Notification, notification_id)
        assert row is not None
        return row


async def test_booking_email_arrives_with_text_html_and_calendar_entry(
    db: Database, channels: Channels, smtp_sink: SmtpSink
) -> None:
    cast, ids = await booked(db)
    email_id = ids[(cast.patient_id, Channel.EMAIL)]
    attempt = await delivery.deliver(
        db=db, notification_id=email_id, channels=channels, pubsub=MemoryPubSub(), now=NOW
    )
    assert attempt.outcome is Outcome.SENT
    [message] = smtp_sink.messages
    assert message["To"] == "pat@example.test"
    assert message["Message-ID"] == f"<{email_id}@healthbook.local>"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Dr. Dana Who" in parts["text/plain"].get_content()
    assert "<h2" in parts["text/html"].get_content()
    calendar = parts["text/calendar"]
    assert calendar.get_filename() == "appointment.ics"
    assert calendar.get_param("method") == "REQUEST"
    ics_text = calendar.get_content()
    assert f"UID:appointment-{cast.appointment_id}@healthbook" in ics_text
    row = await load(db, email_id)
    assert row.status is DeliveryStatus.SENT
    assert row.attempts == 1
    assert row.provider_message_id == f"<{email_id}@healthbook.local>"
    assert row.sent_at == NOW


async def test_sms_goes_through_the_provider_rest_api(
    db: Database, channels: Channels, sms_provider: FakeSmsProvider
) -> None:
    cast, ids = await booked(db)
    sms_id = ids[(cast.patient_id, Channel.SMS)]
    attempt = await delivery.deliver(
        db=db, notification_id=sms_id, channels=channels, pubsub=MemoryPubSub(), now=NOW
    )
    [sent] = sms_provider.messages
    assert sent["To"] == "+15550001111"
    assert sent["From"] == "+15005550006"
    assert "+49301234567" in sent["Body"]
    assert "Thu 4 Mar 2027" in sent["Body"]
    row = await load(db, sms_id)
    assert row.provider_message_id == sent["sid"] == attempt.provider_message_id


async def test_in_app_delivery_is_announced_to_the_user(db: Database, channels: Channels) -> None:
    cast, ids = await booked(db)
    in_app = ids[(cast.patient_id, Channel.IN_APP)]
    pubsub = MemoryPubSub()
    async with pubsub.subscription(delivery.user_channel(cast.patient_id)) as stream:
        await delivery.deliver(
            db=db, notification_id=in_app, channels=channels, pubsub=pubsub, now=NOW
        )
        message = await asyncio.wait_for(anext(aiter(stream)), 5)
    assert message == {"id": str(in_app)}
    assert (await load(db, in_app)).status is DeliveryStatus.SENT


async def test_smtp_failing_three_times_then_recovering_sends_exactly_one_email(
    db: Database, channels: Channels, smtp_sink: SmtpSink
) -> None:
    cast, ids = await booked(db)
    email_id = ids[(cast.doctor_user_id, Channel.EMAIL)]
    smtp_sink.handler.reject_next(3)
    for attempt in range(3):
        with pytest.raises(DeliveryFailed):
            await delivery.deliver(
                db=db,
                notification_id=email_id,
                channels=channels,
                pubsub=MemoryPubSub(),
                now=NOW + timedelta(seconds=attempt),
            )
        row = await load(db, email_id)
        assert row.status is DeliveryStatus.FAILED
        assert "451" in (row.last_error or "")
    for _ in range(2):  # the fourth attempt succeeds; a duplicate job afterwards does nothing
        await delivery.deliver(
            db=db, notification_id=email_id, channels=channels, pubsub=MemoryPubSub(), now=NOW
        )
    assert len(smtp_sink.messages) == 1
    row = await load(db, email_id)
    assert row.status is DeliveryStatus.SENT
    assert row.attempts == 4
    assert row.last_error is None


async def test_concurrent_attempts_deliver_once(
    db: Database, channels: Channels, sms_provider: FakeSmsProvider
) -> None:
    cast, ids = await booked(db)
    sms_id = ids[(cast.patient_id, Channel.SMS)]

    async def attempt() -> Outcome | str:
        try:
            result = await delivery.deliver(
                db=db, notification_id=sms_id, channels=channels, pubsub=MemoryPubSub(), now=NOW
            )
        except DeliveryBusy:
            return "busy"
        return result.outcome

    outcomes = await asyncio.gather(*(attempt() for _ in range(5)))
    assert outcomes.count(Outcome.SENT) == 1
    assert len(sms_provider.messages) == 1


async def test_a_refused_number_ends_dead_without_retrying(
    db: Database, channels: Channels, sms_provider: FakeSmsProvider
) -> None:
    cast, ids = await booked(db)
    sms_id = ids[(cast.patient_id, Channel.SMS)]
    sms_provider.fail_next(1, status=400)
    attempt = await delivery.deliver(
        db=db, notification_id=sms_id, channels=channels, pubsub=MemoryPubSub(), now=NOW
    )
    assert attempt.outcome is Outcome.DEAD
    row = await load(db, sms_id)
    assert row.status is DeliveryStatus.DEAD
    assert "400" in (row.last_error or "")


async def test_exhausted_retries_mark_dead_but_never_undo_a_sent_message(
    db: Database, channels: Channels
) -> None:
    cast, ids = await booked(db)
    pending, sent = ids[(cast.patient_id, Channel.EMAIL)], ids[(cast.patient_id, Channel.IN_APP)]
    await delivery.deliver(
        db=db, notification_id=sent, channels=channels, pubsub=MemoryPubSub(), now=NOW
    )
    async with db.transaction() as session:  # its last attempt reached the provider and failed
        await session.exec(
            update(Notification)
            .where(col(Notification.id) == pending)
            .values(status=DeliveryStatus.FAILED, attempts=5)
        )
    assert await delivery.mark_dead(db=db, notification_id=pending, now=NOW)
    assert not await delivery.mark_dead(db=db, notification_id=sent, now=NOW)
    assert (await load(db, pending)).status is DeliveryStatus.DEAD
    assert (await load(db, sent)).status is DeliveryStatus.SENT


async def account_link(db: Database, kind: str, delivery_id: str) -> tuple[Cast, uuid.UUID]:
    cast = Cast()
    await intake.apply_event(
        db=db, envelope=cast.patient_registered(), now=NOW, config=CONFIG, enqueue_soon=True
    )
    event = envelope(
        kind,
        {
            "user_id": str(cast.patient_id),
            "email": "pat@example.test",
            "name": "Pat Patient",
            "language": "en",
            "time_zone": "Europe/Berlin",
            "delivery_id": delivery_id,
            "expires_at": (NOW + timedelta(hours=1)).isoformat(),
        },
        source="identity",
    )
    [(notification_id, channel)] = await intake.apply_event(
        db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True
    )
    assert channel is Channel.EMAIL
    return cast, notification_id


@pytest.mark.parametrize("kind", ["PasswordResetRequested", "DoctorInvited"])
async def test_a_one_time_link_is_sent_but_never_stored_and_opens_its_page(
    db: Database, channels: Channels, smtp_sink: SmtpSink, kind: str
) -> None:
    cache = MemoryCache()
    secret = "very-secret-token"
    delivery_id = await handoff.deposit(cache, secret, ttl_seconds=3600)
    linked = dataclasses.replace(channels, links=OneTimeLinks(cache, "https://app.example"))
    _, notification_id = await account_link(db, kind, delivery_id)
    stored = await load(db, notification_id)
    assert secret not in stored.body
    assert ONE_TIME_LINK in stored.body
    await delivery.deliver(
        db=db, notification_id=notification_id, channels=linked, pubsub=MemoryPubSub(), now=NOW
    )
    [message] = smtp_sink.messages
    page = "invitation" if kind == "DoctorInvited" else "reset-password"
    link = f"https://app.example/{page}?token={secret}"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert link in plain.get_content()
    assert f'<a href="{link}">' in html.get_content()
    row = await load(db, notification_id)
    assert secret not in row.body
    assert row.html is None
    assert row.status is DeliveryStatus.SENT
    assert await handoff.reveal(cache, delivery_id) is None  # forgotten once delivered


async def test_an_expired_one_time_link_ends_dead(
    db: Database, channels: Channels, smtp_sink: SmtpSink
) -> None:
    linked = dataclasses.replace(channels, links=OneTimeLinks(MemoryCache(), "https://app.x"))
    _, notification_id = await account_link(db, "PasswordResetRequested", "gone")
    attempt = await delivery.deliver(
        db=db, notification_id=notification_id, channels=linked, pubsub=MemoryPubSub(), now=NOW
    )
    assert attempt.outcome is Outcome.DEAD
    assert smtp_sink.messages == []
    assert "expired" in ((await load(db, notification_id)).last_error or "")
