"""Turning what happened into Notification rows (one per recipient and channel) and reminders.

Every function here runs inside the caller's transaction and returns the rows it added,
so that the caller enqueues their delivery only once the transaction has committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications import domain, templates
from subgraphs.notifications.domain import Channel, ReminderStatus
from subgraphs.notifications.models import (
    AppointmentCopy,
    DoctorCard,
    Notification,
    Recipient,
    Reminder,
)
from subgraphs.notifications.service.projections import Audience, audience
from subgraphs.notifications.templates import ics
from subgraphs.notifications.templates.message_values import appointment_values


@dataclass(frozen=True)
class PlanConfig:
    """What planning needs from the configuration."""

    organizer: str = "no-reply@healthbook.local"
    default_lead_minutes: tuple[int, ...] = (1440, 120)
    # How long a message waits for its recipient's contact details before it is given up.
    contact_wait: timedelta = timedelta(minutes=15)


def notify(
    session: AsyncSession,
    *,
    who: Audience,
    template: str,
    role: str,
    values: Mapping[str, str],
    now: datetime,
    calendar: Callable[[str], str] | None = None,
    appointment_id: uuid.UUID | None = None,
    event_id: uuid.UUID | None = None,
    secret_ref: str | None = None,
) -> list[Notification]:
    """Add one PENDING notification per channel the user accepts for this template.

    With `secret_ref`, the texts hold :data:`ONE_TIME_LINK` where the link goes; delivery
    puts the link in when it sends (the secret is never stored here).
    """
    language = who.language()
    rendered = templates.render(template, role, language, {**values, "recipient_name": who.name})
    choice = who.choice()
    rows: list[Notification] = []
    for channel in domain.channels_for(choice, template):
        content = _content(channel, who, choice, rendered, calendar)
        if content is None:
            continue
        recipient, subject, body, html, attachment = content
        row = Notification(
            user_id=who.user_id,
            channel=channel,
            template=template,
            language=language,
            recipient=recipient,
            subject=subject,
            body=body,
            html=html,
            ics=attachment,
            sensitive=template in domain.SENSITIVE_TEMPLATES,
            secret_ref=secret_ref if channel is Channel.EMAIL else None,
            appointment_id=appointment_id,
            source_event_id=event_id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        rows.append(row)
    return rows


def _content(
    channel: Channel,
    who: Audience,
    choice: domain.ChannelChoice,
    rendered: templates.Rendered,
    calendar: Callable[[str], str] | None,
) -> tuple[str, str, str, str | None, str | None] | None:
    """(recipient, subject, body, html, ics) of the message on `channel`, None to skip it."""
    if channel is Channel.EMAIL and choice.email:
        attachment = calendar(choice.email) if calendar else None
        return choice.email, rendered.subject, rendered.text, rendered.html, attachment
    if channel is Channel.SMS and choice.phone and rendered.sms:
        return choice.phone, rendered.title, rendered.sms, None, None
    if channel is Channel.IN_APP:
        return str(who.user_id), rendered.title, rendered.in_app, None, None
    return None


async def appointment_notifications(
    session: AsyncSession,
    *,
    appointment: AppointmentCopy,
    template: str,
    method: str | None,
    start: datetime,
    end: datetime,
    now: datetime,
    config: PlanConfig,
    previous_start: datetime | None = None,
    cancelled_by: str | None = None,
    reason: str | None = None,
    event_id: uuid.UUID | None = None,
    lead_minutes: int | None = None,
    only_user: uuid.UUID | None = None,
) -> list[Notification]:
    """Notify the patient and the doctor (or `only_user`) about one appointment."""
    doctor = await session.get(DoctorCard, appointment.doctor_id)
    patient = await session.get(Recipient, appointment.patient_id)
    doctor_person = await session.get(Recipient, appointment.doctor_user_id)
    rows: list[Notification] = []
    for user_id, role in (
        (appointment.patient_id, "patient"),
        (appointment.doctor_user_id, "doctor"),
    ):
        if only_user is not None and user_id != only_user:
            continue
        who = await audience(session, user_id)
        values = appointment_values(
            language=who.language(),
            recipient_name=who.name,
            start=start,
            time_zone=appointment.time_zone,
            doctor=doctor,
            doctor_person=doctor_person,
            patient=patient,
            previous_start=previous_start,
            cancelled_by=cancelled_by,
            reason=reason,
            lead_minutes=lead_minutes,
        )
        calendar = None
        if method is not None:
            summary = (
                f"Appointment with {values['doctor_name']}"
                if role == "patient"
                else f"Appointment: {values['patient_name']}"
            )
            calendar = _calendar(appointment, method, start, end, summary, doctor, config, now)
        rows += notify(
            session,
            who=who,
            template=template,
            role=role,
            values=values,
            now=now,
            calendar=calendar,
            appointment_id=appointment.appointment_id,
            event_id=event_id,
        )
    return rows


def _calendar(
    appointment: AppointmentCopy,
    method: str,
    start: datetime,
    end: datetime,
    summary: str,
    doctor: DoctorCard | None,
    config: PlanConfig,
    now: datetime,
) -> Callable[[str], str]:
    def build(attendee: str) -> str:
        return ics.build(
            ics.CalendarEntry(
                appointment_id=appointment.appointment_id,
                sequence=appointment.calendar_sequence,
                method=method,
                start=start,
                end=end,
                summary=summary,
                location=doctor.clinic_address if doctor else "",
                organizer=config.organizer,
                attendee=attendee,
                stamp=now,
                recurrence=recurrence(appointment),
            )
        )

    return build


def recurrence(appointment: AppointmentCopy) -> ics.Recurrence | None:
    """Where the occurrence sits in its series' recurring event (None outside a series, or
    when its instance is unknown: then it keeps a calendar entry of its own)."""
    if appointment.series_id is None or appointment.recurrence_start is None:
        return None
    return ics.Recurrence(
        series_id=appointment.series_id,
        start=appointment.recurrence_start,
        time_zone=appointment.time_zone,
    )


async def replan_reminders(
    session: AsyncSession, appointment: AppointmentCopy, *, now: datetime, config: PlanConfig
) -> None:
    """Make the scheduled reminders match the appointment: moved with it, gone when inactive."""
    wanted: set[tuple[uuid.UUID, int, datetime]] = set()
    if appointment.status in domain.ACTIVE_APPOINTMENT:
        for user_id in (appointment.patient_id, appointment.doctor_user_id):
            who = await audience(session, user_id)
            leads = who.lead_minutes(config.default_lead_minutes)
            for lead, due in domain.reminder_due_times(
                start=appointment.start, lead_minutes=leads, now=now
            ):
                wanted.add((user_id, lead, due))
    scheduled = (
        await session.exec(
            select(Reminder).where(
                col(Reminder.appointment_id) == appointment.appointment_id,
                col(Reminder.status) == ReminderStatus.SCHEDULED,
            )
        )
    ).all()
    for reminder in scheduled:
        key = (reminder.user_id, reminder.lead_minutes, reminder.due_at)
        if key in wanted:
            wanted.discard(key)
        else:
            reminder.status = ReminderStatus.CANCELLED
            session.add(reminder)
    for user_id, lead, due in sorted(wanted, key=lambda item: (item[2], str(item[0]))):
        session.add(
            Reminder(
                appointment_id=appointment.appointment_id,
                user_id=user_id,
                lead_minutes=lead,
                due_at=due,
                created_at=now,
            )
        )
