"""One message for a series booked, moved or cancelled as a whole, instead of one per
occurrence: the dates listed, one `.ics` with a VEVENT per occurrence.

Each occurrence's own event still updates this store's copy of it and its reminders
(`intake`), and plans no message of its own when it names the series event
(`series_event_id`); a later change of one occurrence alone is told about on its own, and
its calendar entry (the same UID) is updated alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications.models import AppointmentCopy, DoctorCard, Notification, Recipient
from subgraphs.notifications.payloads import OccurrenceFacts, SeriesFacts
from subgraphs.notifications.service.planning import PlanConfig, notify
from subgraphs.notifications.service.projections import audience
from subgraphs.notifications.templates import formatting, ics
from subgraphs.notifications.templates.message_values import appointment_values


async def copies_of(session: AsyncSession, facts: SeriesFacts) -> dict[uuid.UUID, AppointmentCopy]:
    """This store's copies of the listed occurrences (those it has)."""
    found: dict[uuid.UUID, AppointmentCopy] = {}
    for occurrence in facts.occurrences:
        copy = await session.get(AppointmentCopy, occurrence.appointment_id)
        if copy is not None:
            found[occurrence.appointment_id] = copy
    return found


async def plan(
    session: AsyncSession,
    facts: SeriesFacts,
    *,
    template: str,
    method: str,
    now: datetime,
    config: PlanConfig,
    event_id: uuid.UUID,
    only_user: uuid.UUID | None = None,
) -> list[Notification]:
    """Notify the patient and the doctor (or `only_user`) once about the whole change."""
    doctor = await session.get(DoctorCard, facts.doctor_id)
    patient = await session.get(Recipient, facts.patient_id)
    doctor_person = await session.get(Recipient, facts.doctor_user_id)
    copies = await copies_of(session, facts)
    first = facts.occurrences[0]
    rows: list[Notification] = []
    for user_id, role in ((facts.patient_id, "patient"), (facts.doctor_user_id, "doctor")):
        if only_user is not None and user_id != only_user:
            continue
        who = await audience(session, user_id)
        language = who.language()
        values = appointment_values(
            language=language,
            recipient_name=who.name,
            start=first.start,
            time_zone=facts.time_zone,
            doctor=doctor,
            doctor_person=doctor_person,
            patient=patient,
            cancelled_by=facts.changed_by,
            reason=facts.reason,
        )
        values["count"] = str(len(facts.occurrences))
        values["dates"] = "\n".join(
            _line(occurrence, facts.time_zone, language) for occurrence in facts.occurrences
        )
        summary = (
            f"Appointment with {values['doctor_name']}"
            if role == "patient"
            else f"Appointment: {values['patient_name']}"
        )
        calendar = _calendar(facts, copies, method, summary, doctor, config, now)
        rows += notify(
            session,
            who=who,
            template=template,
            role=role,
            values=values,
            now=now,
            calendar=calendar,
            appointment_id=first.appointment_id,
            event_id=event_id,
        )
    return rows


def _line(occurrence: OccurrenceFacts, time_zone: str, language: str) -> str:
    """`- Thu 28 Mar 2030, 10:30 CET`, moved ones with where they were."""

    def at(moment: datetime) -> str:
        date = formatting.format_date(moment, time_zone, language)
        return f"{date}, {formatting.format_time(moment, time_zone)}"

    if occurrence.previous_start is None:
        return f"- {at(occurrence.start)}"
    return f"- {at(occurrence.previous_start)} → {at(occurrence.start)}"


def _calendar(
    facts: SeriesFacts,
    copies: dict[uuid.UUID, AppointmentCopy],
    method: str,
    summary: str,
    doctor: DoctorCard | None,
    config: PlanConfig,
    now: datetime,
) -> Callable[[str], str]:
    def build(attendee: str) -> str:
        return ics.build_many(
            [
                ics.CalendarEntry(
                    appointment_id=occurrence.appointment_id,
                    sequence=copy.calendar_sequence
                    if (copy := copies.get(occurrence.appointment_id))
                    else 0,
                    method=method,
                    start=occurrence.start,
                    end=occurrence.end,
                    summary=summary,
                    location=doctor.clinic_address if doctor else "",
                    organizer=config.organizer,
                    attendee=attendee,
                    stamp=now,
                )
                for occurrence in facts.occurrences
            ]
        )

    return build
