"""Events in, notification rows and reminders out: once per event, on the accepted channels."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from subgraphs.notifications.domain import Channel, DeliveryStatus, ReminderStatus
from subgraphs.notifications.models import Notification, Reminder
from subgraphs.notifications.service import intake
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast, envelope


async def apply(db: Database, *events: EventEnvelope) -> list[tuple[object, Channel]]:
    planned: list[tuple[object, Channel]] = []
    for event in events:
        planned += await intake.apply_event(
            db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True
        )
    return planned


async def notifications(db: Database) -> list[Notification]:
    async with db.session() as session:
        rows = await session.exec(select(Notification).order_by(col(Notification.created_at)))
        return list(rows.all())


async def reminders(db: Database, status: ReminderStatus | None = None) -> list[Reminder]:
    async with db.session() as session:
        query = select(Reminder).order_by(col(Reminder.due_at))
        if status is not None:
            query = query.where(col(Reminder.status) == status)
        return list((await session.exec(query)).all())


async def test_booking_notifies_patient_and_doctor_on_each_channel_they_accept(
    db: Database,
) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events())
    planned = await apply(db, cast.appointment("AppointmentBooked"))
    rows = await notifications(db)
    by_user = {(row.user_id, row.channel) for row in rows if row.template == "appointment_booked"}
    assert by_user == {
        (cast.patient_id, Channel.EMAIL),
        (cast.patient_id, Channel.SMS),
        (cast.patient_id, Channel.IN_APP),
        (cast.doctor_user_id, Channel.EMAIL),  # the doctor has no phone: no SMS
        (cast.doctor_user_id, Channel.IN_APP),
    }
    assert len(planned) == 5
    assert all(row.status is DeliveryStatus.PENDING and row.enqueued_at == NOW for row in rows)
    email = next(r for r in rows if r.user_id == cast.patient_id and r.channel is Channel.EMAIL)
    assert email.recipient == "pat@example.test"
    assert "Dr. Dana Who" in email.body
    assert "Hauptstr. 1, Berlin" in email.body
    assert email.ics is not None
    assert "METHOD:REQUEST" in email.ics
    assert f"UID:appointment-{cast.appointment_id}@healthbook" in email.ics


async def test_the_same_event_delivered_twice_plans_its_messages_once(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events())
    booked = cast.appointment("AppointmentBooked")
    first = await apply(db, booked)
    again = await apply(db, booked)
    assert len(first) == 5
    assert again == []
    assert len(await notifications(db)) == 5
    assert len(await reminders(db)) == 4


async def test_booking_schedules_reminders_at_the_default_lead_times(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events(), cast.appointment("AppointmentBooked"))
    scheduled = await reminders(db, ReminderStatus.SCHEDULED)
    assert {(r.lead_minutes, r.due_at) for r in scheduled} == {
        (1440, cast.start - timedelta(hours=24)),
        (120, cast.start - timedelta(hours=2)),
    }
    assert {r.user_id for r in scheduled} == {cast.patient_id, cast.doctor_user_id}
    assert {r.due_at for r in scheduled} == {
        cast.start - timedelta(hours=24),
        cast.start - timedelta(hours=2),
    }


async def test_rescheduling_moves_the_reminders(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events(), cast.appointment("AppointmentBooked"))
    later = cast.start + timedelta(days=2)
    await apply(
        db,
        cast.appointment(
            "AppointmentRescheduled",
            start=later,
            at=NOW + timedelta(minutes=5),
            previous_start=cast.start.isoformat(),
            previous_end=(cast.start + timedelta(minutes=30)).isoformat(),
        ),
    )
    scheduled = await reminders(db, ReminderStatus.SCHEDULED)
    assert {r.due_at for r in scheduled} == {
        later - timedelta(hours=24),
        later - timedelta(hours=2),
    }
    assert len(scheduled) == 4
    assert len(await reminders(db, ReminderStatus.CANCELLED)) == 4
    moved = [r for r in await notifications(db) if r.template == "appointment_rescheduled"]
    email = next(r for r in moved if r.channel is Channel.EMAIL)
    assert email.ics is not None
    assert "SEQUENCE:1" in email.ics


async def test_cancelling_drops_the_reminders_and_sends_a_calendar_cancel(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events(), cast.appointment("AppointmentBooked"))
    await apply(
        db,
        cast.appointment(
            "AppointmentCancelled",
            status="CANCELLED",
            at=NOW + timedelta(minutes=5),
            cancelled_by="PATIENT",
            reason="feeling better",
        ),
    )
    assert await reminders(db, ReminderStatus.SCHEDULED) == []
    cancelled = [r for r in await notifications(db) if r.template == "appointment_cancelled"]
    email = next(r for r in cancelled if r.channel is Channel.EMAIL)
    assert email.ics is not None
    assert "METHOD:CANCEL" in email.ics
    assert "STATUS:CANCELLED" in email.ics


async def test_sms_never_carries_the_reason(db: Database) -> None:
    cast = Cast()
    reason = "severe chest pain and diabetes follow-up"
    await apply(db, *cast.setup_events(), cast.appointment("AppointmentBooked"))
    await apply(
        db,
        cast.appointment(
            "AppointmentCancelled",
            status="CANCELLED",
            at=NOW + timedelta(minutes=5),
            cancelled_by="DOCTOR",
            reason=reason,
        ),
    )
    rows = [r for r in await notifications(db) if r.template == "appointment_cancelled"]
    sms = [r for r in rows if r.channel is Channel.SMS]
    email = next(r for r in rows if r.channel is Channel.EMAIL and r.user_id == cast.patient_id)
    assert sms
    assert all("chest" not in r.body and "diabetes" not in r.body for r in sms)
    assert all("+49301234567" in r.body for r in sms)
    assert reason in email.body


async def test_a_channel_switched_off_in_the_profile_gets_nothing(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events())
    update = cast.patient_registered(channels=("EMAIL", "IN_APP"))
    await apply(db, envelope("UserProfileUpdated", update.payload, source="identity"))
    await apply(db, cast.appointment("AppointmentBooked"))
    channels = {r.channel for r in await notifications(db) if r.user_id == cast.patient_id}
    assert channels == {Channel.EMAIL, Channel.IN_APP}


async def test_a_deactivated_user_is_not_notified(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events())
    await apply(
        db,
        cast.appointment("AppointmentBooked"),
    )
    before = {r.id for r in await notifications(db)}
    from tests.integration.notifications.scenario import envelope

    await apply(
        db, envelope("UserDeactivated", {"user_id": str(cast.patient_id)}, source="identity")
    )
    await apply(db, cast.appointment("AppointmentConfirmed", status="CONFIRMED"))
    # By id, not by position: rows planned in one instant tie on created_at, and the order
    # of ties is the store's (SQLite's changed with the statistics index on created_at).
    added = [r for r in await notifications(db) if r.id not in before]
    assert {r.user_id for r in added} == {cast.doctor_user_id}


async def test_doctor_rejection_reaches_the_doctor_without_the_reason_in_sms(db: Database) -> None:
    cast = Cast()
    await apply(
        db,
        cast.doctor_registered(),
        cast.doctor_event("DoctorRejected", reason="licence number unreadable"),
    )
    rows = await notifications(db)
    assert {r.channel for r in rows} == {Channel.EMAIL, Channel.IN_APP}
    email = next(r for r in rows if r.channel is Channel.EMAIL)
    assert "licence number unreadable" in email.body
    assert email.template == "doctor_rejected"


async def test_a_doctor_without_a_clinic_phone_is_still_known(db: Database) -> None:
    cast = Cast()
    await apply(
        db, *cast.setup_events()[:2], cast.doctor_event("DoctorRegistered", clinic_phone=None)
    )
    await apply(db, cast.appointment("AppointmentBooked"))
    sms = [r for r in await notifications(db) if r.channel is Channel.SMS]
    assert len(sms) == 1
    assert "Hauptstr. 1, Berlin" in sms[0].body
