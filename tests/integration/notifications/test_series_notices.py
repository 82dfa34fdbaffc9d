"""A series booked, moved or cancelled as a whole is one message per person and channel
(the dates listed, one .ics with each occurrence), not one per occurrence; reminders stay per
occurrence, and a later change of one occurrence alone is told about on its own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
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
BERLIN = ZoneInfo("Europe/Berlin")


class SeriesCast(Cast):
    """The cast's patient and doctor with a weekly series (three occurrences by default),
    its instances at one wall-clock time in Berlin; `refused` ones were never booked."""

    def __init__(
        self, *, first: datetime | None = None, count: int = 3, refused: tuple[int, ...] = ()
    ) -> None:
        super().__init__()
        local = (first or self.start).astimezone(BERLIN)
        self.rule = f"FREQ=WEEKLY;COUNT={count};BYDAY={local.strftime('%a')[:2].upper()}"
        self.ids = [uuid.uuid4() for _ in range(count)]
        self.instances = [(local + n * WEEK).astimezone(UTC) for n in range(count)]
        self.starts = list(self.instances)
        self.refused = refused

    def occurrence(
        self, n: int, kind: str, announced: uuid.UUID | None, **extra: Any
    ) -> EventEnvelope:
        self.appointment_id = self.ids[n]
        return self.appointment(
            kind,
            start=self.starts[n],
            series_id=str(SERIES),
            series_event_id=str(announced) if announced else None,
            recurrence_start=self.instances[n].isoformat(),
            **extra,
        )

    def series(self, kind: str, event_id: uuid.UUID, ns: list[int], **extra: Any) -> EventEnvelope:
        moved = extra.pop("moved", {})
        occurrences = [
            {
                "appointment_id": str(self.ids[n]),
                "start": self.starts[n].isoformat(),
                "end": (self.starts[n] + timedelta(minutes=30)).isoformat(),
                "status": "CANCELLED" if kind == "AppointmentSeriesCancelled" else "PENDING",
                "recurrence_start": self.instances[n].isoformat(),
                **moved.get(n, {}),
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
                "rule": self.rule,
                "first_start": self.instances[0].isoformat(),
                "refused_starts": [self.instances[n].isoformat() for n in self.refused],
                "occurrences": occurrences,
                **extra,
            },
            source="appointments",
        )
        return EventEnvelope(**{**event.__dict__, "id": str(event_id)})

    def booked_ns(self) -> list[int]:
        return [n for n in range(len(self.ids)) if n not in self.refused]


async def apply_all(db: Database, events: list[EventEnvelope]) -> None:
    for event in events:
        await intake.apply_event(db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True)


async def messages(db: Database, template: str) -> list[Notification]:
    async with db.session() as session:
        statement = select(Notification).where(col(Notification.template) == template)
        return list((await session.exec(statement)).all())


async def booked(db: Database, *, series_first: bool, cast: SeriesCast | None = None) -> SeriesCast:
    cast = cast or SeriesCast()
    announced = uuid.uuid4()
    ns = cast.booked_ns()
    together = cast.series("AppointmentSeriesBooked", announced, ns)
    each = [cast.occurrence(n, "AppointmentBooked", announced) for n in ns]
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
    master, *overrides = calendar.walk("VEVENT")
    assert {str(e["uid"]) for e in calendar.walk("VEVENT")} == {f"series-{SERIES}@healthbook"}
    assert master.decoded("dtstart") == cast.starts[0]
    assert "recurrence-id" not in master
    assert [e.decoded("recurrence-id") for e in overrides] == cast.instances
    assert [e.decoded("dtstart") for e in overrides] == cast.starts


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
    assert alone.ics is not None
    [instance] = Calendar.from_ical(alone.ics).walk("VEVENT")
    assert str(instance["uid"]) == f"series-{SERIES}@healthbook"
    assert instance.decoded("recurrence-id") == cast.instances[0]

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
    # Only the cancelled instances (no master: that would cancel the first one too).
    events = cancelled.walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {f"series-{SERIES}@healthbook"}
    assert [e.decoded("recurrence-id") for e in events] == cast.instances[1:]
    assert all("rrule" not in e and str(e["status"]) == "CANCELLED" for e in events)
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
    master, *overrides = Calendar.from_ical(email.ics).walk("VEVENT")
    assert "rrule" in master
    # The whole recurring event: the first occurrence, not moved, is still in it.
    assert [e.decoded("recurrence-id") for e in overrides] == cast.instances
    assert [e.decoded("dtstart") for e in overrides] == [before[0], *cast.starts[1:]]
    moved_ones = overrides[1:]
    assert all(int(str(e["sequence"])) > 0 for e in moved_ones)  # updates of the booked entries
    assert int(str(master["sequence"])) == max(int(str(e["sequence"])) for e in overrides)
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


def patient_email(rows: list[Notification], cast: Cast) -> Notification:
    [email] = [r for r in rows if r.user_id == cast.patient_id and r.channel is Channel.EMAIL]
    assert email.ics is not None
    return email


async def test_the_series_calendar_is_one_recurring_event_across_a_dst_change(
    db: Database,
) -> None:
    # Thursdays at 10:00 in Berlin from 18 Mar 2027 (summer time from 28 Mar); 25 Mar refused.
    first = datetime(2027, 3, 18, 10, 0, tzinfo=BERLIN)
    cast = await booked(db, series_first=True, cast=SeriesCast(first=first, count=4, refused=(1,)))
    email = patient_email(await messages(db, "series_booked"), cast)
    assert email.ics is not None
    calendar = Calendar.from_ical(email.ics)
    assert str(calendar["method"]) == "REQUEST"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events: list[Any] = calendar.walk("VEVENT")  # icalendar's property types are a union
    master, *overrides = events
    assert {str(e["uid"]) for e in events} == {f"series-{SERIES}@healthbook"}
    assert master["dtstart"].params["tzid"] == "Europe/Berlin"
    assert master.decoded("dtstart") == first
    assert master["rrule"].to_ical() == cast.rule.encode()
    [exdate] = [moment.dt for moment in master["exdate"].dts]
    assert exdate == datetime(2027, 3, 25, 10, 0, tzinfo=BERLIN)
    ids = [e.decoded("recurrence-id") for e in overrides]
    assert [moment.astimezone(BERLIN).hour for moment in ids] == [10, 10, 10]
    assert [moment.astimezone(UTC).hour for moment in ids] == [9, 8, 8]  # CET, then CEST
    assert ids == [cast.instances[n] for n in (0, 2, 3)]
    assert all(e["recurrence-id"].params["tzid"] == "Europe/Berlin" for e in overrides)
    # What the master's rule yields, less its EXDATE, is exactly the overridden instances.
    expanded = list(rrulestr(cast.rule, dtstart=master.decoded("dtstart")))
    assert [m for m in expanded if m != exdate] == ids


async def test_one_occurrence_moved_alone_updates_its_instance_in_the_series(
    db: Database,
) -> None:
    cast = await booked(db, series_first=False)
    before = cast.starts[1]
    cast.starts[1] = before + timedelta(hours=3)
    await apply_all(
        db,
        [cast.occurrence(1, "AppointmentRescheduled", None, previous_start=before.isoformat())],
    )
    email = patient_email(await messages(db, "appointment_rescheduled"), cast)
    assert email.ics is not None
    calendar = Calendar.from_ical(email.ics)
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"series-{SERIES}@healthbook"
    assert event["recurrence-id"].params["tzid"] == "Europe/Berlin"
    assert event.decoded("recurrence-id") == cast.instances[1]
    assert event.decoded("dtstart") == cast.starts[1]
    assert "rrule" not in event
    assert int(str(event["sequence"])) > 0


async def test_an_appointment_outside_a_series_keeps_its_own_invitation(db: Database) -> None:
    cast = Cast()
    await apply_all(db, [*cast.setup_events(), cast.appointment("AppointmentBooked")])
    email = patient_email(await messages(db, "appointment_booked"), cast)
    assert email.ics is not None
    calendar = Calendar.from_ical(email.ics)
    assert calendar.walk("VTIMEZONE") == []
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"appointment-{cast.appointment_id}@healthbook"
    assert "recurrence-id" not in event
    assert event.decoded("dtstart") == cast.start
    assert "DTSTART:20270304T090000Z" in email.ics  # in UTC, as before
    assert int(str(event["sequence"])) == 0
