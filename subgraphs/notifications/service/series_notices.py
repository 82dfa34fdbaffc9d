"""One message for a series booked, moved or cancelled as a whole, instead of one per
occurrence: the dates listed, one `.ics` in RFC 5545's recurring shape, as the calendar
feed has it: the master (RRULE from the first start, EXDATE for each instance without an
occurrence in it) and one override per occurrence (RECURRENCE-ID its instance), all UID
`series-<id>@healthbook`. A REQUEST has every occurrence this store knows of the series;
a CANCEL of the rest names only the cancelled instances (no master: the earlier ones stay).

Each occurrence's own event still updates this store's copy of it and its reminders
(`intake`), and plans no message of its own when it names the series event
(`series_event_id`); a later change of one occurrence alone is told about on its own, its
override alone (`planning.recurrence`). An occurrence whose instance is unknown (a copy
made before events told it) keeps its own VEVENT, UID `appointment-<id>@healthbook`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications.models import AppointmentCopy, DoctorCard, Notification, Recipient
from subgraphs.notifications.payloads import OccurrenceFacts, SeriesFacts
from subgraphs.notifications.service.planning import PlanConfig, notify, recurrence
from subgraphs.notifications.service.projections import audience
from subgraphs.notifications.templates import formatting, ics
from subgraphs.notifications.templates.message_values import appointment_values


async def copies_of(session: AsyncSession, facts: SeriesFacts) -> dict[uuid.UUID, AppointmentCopy]:
    """This store's copies of the listed occurrences and of the series' others it knows."""
    found: dict[uuid.UUID, AppointmentCopy] = {}
    for occurrence in facts.occurrences:
        copy = await session.get(AppointmentCopy, occurrence.appointment_id)
        if copy is not None:
            found[occurrence.appointment_id] = copy
    statement = select(AppointmentCopy).where(col(AppointmentCopy.series_id) == facts.series_id)
    for copy in (await session.exec(statement)).all():
        found.setdefault(copy.appointment_id, copy)
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
    series = _rule(facts)
    listed = {occurrence.appointment_id for occurrence in facts.occurrences}
    # A REQUEST of the series is the whole recurring event: the occurrences it does not list
    # (earlier ones, or ones changed alone) are overrides in it too, as they are now.
    others = (
        []
        if series is None or method != "REQUEST"
        else [copy for key, copy in copies.items() if key not in listed]
    )

    def build(attendee: str) -> str:
        def entry(
            appointment_id: uuid.UUID, start: datetime, end: datetime, status: str
        ) -> ics.CalendarEntry:
            copy = copies.get(appointment_id)
            return ics.CalendarEntry(
                appointment_id=appointment_id,
                sequence=copy.calendar_sequence if copy else 0,
                method=method,
                start=start,
                end=end,
                summary=summary,
                location=doctor.clinic_address if doctor else "",
                organizer=config.organizer,
                attendee=attendee,
                stamp=now,
                recurrence=recurrence(copy) if copy and series else None,
                cancelled=status in ics.CANCELLED_STATES,
            )

        entries = [
            entry(item.appointment_id, item.start, item.end, item.status)
            for item in facts.occurrences
        ] + [entry(copy.appointment_id, copy.start, copy.end, copy.status) for copy in others]
        entries.sort(key=lambda item: item.recurrence.start if item.recurrence else item.start)
        return ics.build_many(entries, series)

    return build


def _rule(facts: SeriesFacts) -> ics.SeriesRule | None:
    """The master's rule, when the event tells it (older events did not: one entry each)."""
    if facts.rule is None or facts.first_start is None:
        return None
    return ics.SeriesRule(
        series_id=facts.series_id,
        rule=facts.rule,
        first_start=facts.first_start,
        time_zone=facts.time_zone,
        refused_starts=facts.refused_starts,
    )
