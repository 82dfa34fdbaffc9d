"""A series booked, moved or cancelled as a whole is one message per person and channel
(the dates listed, one .ics with each occurrence), not one per occurrence; reminders stay per
occurrence, and a later change of one occurrence alone is told about on its own."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import col, select

from subgraphs.notifications.channels import Channels
from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.domain import Channel, ReminderStatus
from subgraphs.notifications.models import Notification, Reminder
from subgraphs.notifications.service import delivery, intake
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.pubsub import MemoryPubSub
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast, envelope

SERIES = uuid.uuid4()
WEEK = timedelta(weeks=1)


class SeriesCast(Cast):
    """The cast's patient and doctor with a weekly series of three occurrences."""

    def __init__(self) -> None:
        super().__init__()
        self.ids = [uuid.uuid4() for _ in range(3)]
        self.starts = [self.start + n * WEEK for n in range(3)]

    def occurrence(
        self, n: int, kind: str, announced: uuid.UUID | None, **extra: Any
    ) -> EventEnvelope:
        self.appointment_id = self.ids[n]
        return self.appointment(
            kind,
            start=self.starts[n],
            series_id=str(SERIES),
            series_event_id=str(announced) if announced else None,
            **extra,
        )

    def series(self, kind: str, event_id: uuid.UUID, ns: list[int], **extra: Any) -> EventEnvelope:
        occurrences = [
            {
                "appointment_id": str(self.ids[n]),
                "start": self.starts[n].isoformat(),
                "end": (self.starts[n] + timedelta(minutes=30)).isoformat(),
                "status": "CANCELLED" if kind == "AppointmentSeriesCancelled" else "PENDING",
                **extra.pop("moved", {}).get(n, {}),
            }
            for n in ns
        ]
        event = envelope(
            kind,
            {
                "series_id": str(SERIES),
                "doctor_id": str(self.doctor_id),
                "doctor_user_id": str(self.doctor_user_id),
                "patient_id": str(self.patient_id),
                "time_zone": "Europe/Berlin",
                "rule": "FREQ=WEEKLY;COUNT=3;BYDAY=TH",
                "occurrences": occurrences,
                **extra,
            },
            source="appointments",
        )
        return EventEnvelope(**{**event.__dict__, "id": str(event_id)})


async def apply_all(db: Database, events: list[EventEnvelope]) -> None:
    for event in events:
        await intake.apply_event(db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True)


async def messages(db: Database, template: str) -> list[Notification]:
    async with db.session() as session:
        statement = select(Notification).where(col(Notification.template) == template)
        return list((await session.exec(statement)).all())


async def booked(db: Database, *, series_first: bool) -> SeriesCast:
    cast = SeriesCast()
    announced = uuid.uuid4()
    together = cast.series("AppointmentSeriesBooked", announced, [0, 1, 2])
    each = [cast.occurrence(n, "AppointmentBooked", announced) for n in range(3)]
    await apply_all(db, cast.setup_events())
    await apply_all(db, [together, *each] if series_first else [*each, together])
    return cast


@pytest.mark.parametrize("series_first", [True, False])
async def test_a_booked_series_is_one_message_per_person_and_channel(
    db: Database, series_first: bool
) -> None:
    cast = await booked(db, series_first=series_first)
    assert await messages(db, "appointment_booked") == []
    rows = await messages(db, "series_booked")
    assert sorted((row.user_id == cast.patient_id, row.channel) for row in rows) == sorted(
        [
            (True, Channel.EMAIL),
            (True, Channel.SMS),
            (True, Channel.IN_APP),
            (False, Channel.EMAIL),
            (False, Channel.IN_APP),
        ]
    )
    [sms] = [row for row in rows if row.channel is Channel.SMS]
    assert sms.body.startswith("Healthbook: recurring appointments booked from")
    async with db.session() as session:
        reminders = (await session.exec(select(Reminder))).all()
    # Reminders stay per occurrence: 2 lead times for each person, for each of the three.
    assert len(reminders) == 3 * 2 * 2
    assert {r.appointment_id for r in reminders} == set(cast.ids)


async def test_the_series_email_lists_the_dates_with_one_calendar_of_every_occurrence(
    db: Database, channels: Channels, smtp_sink: SmtpSink
) -> None:
    cast = await booked(db, series_first=False)
    [email] = [
        row
        for row in await messages(db, "series_booked")
        if row.user_id == cast.patient_id and row.channel is Channel.EMAIL
    ]
    await delivery.deliver(
        db=db, notification_id=email.id, channels=channels, pubsub=MemoryPubSub(), now=NOW
    )
    [message] = smtp_sink.messages
    assert message["Subject"] == "3 appointments booked from Thu 4 Mar 2027"
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_content()
    for line in ("- Thu 4 Mar 2027, 10:00 CET", "- Thu 11 Mar 2027, 10:00 CET"):
        assert line in text
    assert "- Thu 18 Mar 2027, 10:00 CET" in text
    calendar = Calendar.from_ical(parts["text/calendar"].get_content())
    assert str(calendar["method"]) == "REQUEST"
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"appointment-{i}@healthbook" for i in cast.ids]
    assert [e.decoded("dtstart") for e in events] == cast.starts


async def test_one_occurrence_cancelled_alone_then_the_rest_together(db: Database) -> None:
    cast = await booked(db, series_first=True)
    await apply_all(
        db,
        [
            cast.occurrence(
                0, "AppointmentCancelled", None, status="CANCELLED", cancelled_by="PATIENT"
            )
        ],
    )
    [alone] = [
        r
        for r in await messages(db, "appointment_cancelled")
        if r.channel is Channel.EMAIL and r.user_id == cast.patient_id
    ]
    assert alone.appointment_id == cast.ids[0]

    announced = uuid.uuid4()
    together = cast.series(
        "AppointmentSeriesCancelled", announced, [1, 2], cancelled_by="DOCTOR", reason="On leave"
    )
    each = [
        cast.occurrence(
            n, "AppointmentCancelled", announced, status="CANCELLED", cancelled_by="DOCTOR"
        )
        for n in (1, 2)
    ]
    await apply_all(db, [*each, together])
    assert len(await messages(db, "appointment_cancelled")) == 5  # the first one's, as before
    rows = await messages(db, "series_cancelled")
    [email] = [r for r in rows if r.user_id == cast.patient_id and r.channel is Channel.EMAIL]
    assert "cancelled by the doctor" in email.body
    assert "Reason: On leave" in email.body
    assert email.ics is not None
    cancelled = Calendar.from_ical(email.ics)
    assert str(cancelled["method"]) == "CANCEL"
    assert [str(e["uid"]) for e in cancelled.walk("VEVENT")] == [
        f"appointment-{i}@healthbook" for i in cast.ids[1:]
    ]
    [sms] = [r for r in rows if r.channel is Channel.SMS]
    assert "On leave" not in sms.body  # SMS carries no reason
    async with db.session() as session:
        left = (
            await session.exec(
                select(Reminder).where(col(Reminder.status) == ReminderStatus.SCHEDULED)
            )
        ).all()
    assert left == []


async def test_a_moved_rest_is_one_message_listing_from_and_to(db: Database) -> None:
    cast = await booked(db, series_first=True)
    announced = uuid.uuid4()
    before = list(cast.starts)
    cast.starts = [start + timedelta(days=1, hours=2) for start in cast.starts]
    moved = {n: {"previous_start": before[n].isoformat()} for n in (1, 2)}
    together = cast.series(
        "AppointmentSeriesRescheduled", announced, [1, 2], rescheduled_by="PATIENT", moved=moved
    )
    each = [
        cast.occurrence(
            n, "AppointmentRescheduled", announced, previous_start=before[n].isoformat()
        )
        for n in (1, 2)
    ]
    await apply_all(db, [together, *each])
    assert await messages(db, "appointment_rescheduled") == []
    rows = await messages(db, "series_rescheduled")
    [email] = [r for r in rows if r.user_id == cast.patient_id and r.channel is Channel.EMAIL]
    assert "- Thu 11 Mar 2027, 10:00 CET → Fri 12 Mar 2027, 12:00 CET" in email.body
    assert email.ics is not None
    events = Calendar.from_ical(email.ics).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == cast.starts[1:]
    assert all(int(str(e["sequence"])) > 0 for e in events)  # updates of the booked entries
    async with db.session() as session:
        due = (
            await session.exec(
                select(Reminder).where(
                    col(Reminder.status) == ReminderStatus.SCHEDULED,
                    col(Reminder.appointment_id) == cast.ids[2],
                )
            )
        ).all()
    assert {r.due_at for r in due} == {
        cast.starts[2] - timedelta(minutes=lead) for lead in (1440, 120)
    }
