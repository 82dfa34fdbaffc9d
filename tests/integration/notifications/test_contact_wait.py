"""Messages planned before their recipient's contact details arrived wait for them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from subgraphs.notifications.domain import Channel, DeliveryStatus, HoldStatus
from subgraphs.notifications.models import HeldEvent
from subgraphs.notifications.service import dispatcher, waiting
from subgraphs.shared.database import Database
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast
from tests.integration.notifications.test_intake import apply, notifications


async def held(db: Database) -> list[HeldEvent]:
    async with db.session() as session:
        return list((await session.exec(select(HeldEvent).order_by(col(HeldEvent.id)))).all())


async def test_a_booking_heard_before_the_patient_registered_is_sent_once_they_are_known(
    db: Database,
) -> None:
    cast = Cast()
    await apply(db, cast.doctor_registered(), cast.doctor_event("DoctorRegistered"))
    early = await apply(db, cast.appointment("AppointmentBooked"))
    assert {channel for _, channel in early} == {Channel.EMAIL, Channel.IN_APP}  # the doctor's
    assert [(h.user_id, h.status) for h in await held(db)] == [
        (cast.patient_id, HoldStatus.WAITING)
    ]

    late = await apply(db, cast.patient_registered())
    rows = [r for r in await notifications(db) if r.user_id == cast.patient_id]
    assert {r.channel for r in rows} == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    assert {row_id for row_id, _ in late} == {r.id for r in rows}
    email = next(r for r in rows if r.channel is Channel.EMAIL)
    assert email.recipient == "pat@example.test"
    assert email.template == "appointment_booked"
    assert email.ics is not None
    assert "METHOD:REQUEST" in email.ics
    assert "Pat Patient" in email.body
    assert [h.status for h in await held(db)] == [HoldStatus.PLANNED]

    # Heard again (a profile update, a redelivery): nothing more is planned.
    assert await apply(db, cast.patient_registered()) == []
    assert len([r for r in await notifications(db) if r.user_id == cast.patient_id]) == 3


async def test_every_held_event_of_a_user_is_planned_in_order(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events()[1:])
    await apply(db, cast.appointment("AppointmentBooked"))
    later = NOW + timedelta(seconds=5)
    await apply(db, cast.appointment("AppointmentConfirmed", status="CONFIRMED", at=later))
    await apply(db, cast.patient_registered())
    templates = [
        r.template
        for r in await notifications(db)
        if r.user_id == cast.patient_id and r.channel is Channel.EMAIL
    ]
    assert sorted(templates) == ["appointment_booked", "appointment_confirmed"]


async def test_a_recipient_who_never_arrives_gets_the_in_app_message_and_a_tracked_failure(
    db: Database,
) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events()[1:])
    await apply(db, cast.appointment("AppointmentBooked"))
    enqueued: list[object] = []

    def enqueue(notification_id: object, channel: Channel) -> None:
        enqueued.append((notification_id, channel))

    early = NOW + CONFIG.contact_wait - timedelta(seconds=1)
    await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=early, config=CONFIG)
    assert [h.status for h in await held(db)] == [HoldStatus.WAITING]

    late = NOW + CONFIG.contact_wait
    await dispatcher.dispatch_due(db=db, enqueue=enqueue, now=late, config=CONFIG)
    assert [h.status for h in await held(db)] == [HoldStatus.EXPIRED]
    rows = [r for r in await notifications(db) if r.user_id == cast.patient_id]
    assert {(r.channel, r.status) for r in rows} == {
        (Channel.IN_APP, DeliveryStatus.PENDING),
        (Channel.EMAIL, DeliveryStatus.DEAD),
    }
    failure = next(r for r in rows if r.status is DeliveryStatus.DEAD)
    assert failure.last_error == waiting.NEVER_ARRIVED
    assert failure.template == "appointment_booked"
    in_app = next(r for r in rows if r.channel is Channel.IN_APP)
    assert (in_app.id, Channel.IN_APP) in enqueued

    # Contact details arriving after the wait do not plan it a second time.
    assert await apply(db, cast.patient_registered()) == []


async def test_a_doctor_decision_waits_for_the_doctor_user_too(db: Database) -> None:
    cast = Cast()
    await apply(db, cast.doctor_event("DoctorApproved"))
    assert await notifications(db) == []
    await apply(db, cast.doctor_registered())
    rows = await notifications(db)
    assert {(r.user_id, r.template) for r in rows} == {(cast.doctor_user_id, "doctor_approved")}
    assert {r.channel for r in rows} == {Channel.EMAIL, Channel.IN_APP}
