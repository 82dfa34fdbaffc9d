"""This store's copies of users, doctors and appointments, kept from their events.

Each function runs inside the consumer's transaction; upserts tolerate events arriving out
of order (an appointment keeps the state of the newest event it has seen).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications import domain
from subgraphs.notifications.models import AppointmentCopy, DoctorCard, Preferences, Recipient
from subgraphs.notifications.payloads import AppointmentFacts, DoctorFacts, UserContact
from subgraphs.shared.upsert import insert_or_skip


async def locked_recipient(session: AsyncSession, user_id: uuid.UUID) -> Recipient:
    """The user's row, created bare (no contact details) if new, locked until the commit.

    Every writer of a user's row and every planner that finds the user unknown go through
    this lock, so a `UserRegistered` applied concurrently with an appointment event is
    either seen by the planner or sees the planner's held event (never neither).
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.exec(
        insert(Recipient)
        .values(user_id=user_id, email="", name="", role="PATIENT", language="en")
        .values(time_zone="UTC", active=True, updated_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    query = select(Recipient).where(col(Recipient.user_id) == user_id)
    if dialect == "postgresql":
        query = query.with_for_update()
    row = (await session.exec(query.execution_options(populate_existing=True))).one()
    return row


async def upsert_recipient(
    session: AsyncSession,
    contact: UserContact,
    *,
    now: datetime,
    registration: bool = False,
) -> Recipient:
    """Create or update the contact details of a user (absent fields keep their value).

    A `registration` is the oldest state of a user: when a later profile update arrived
    first (events of one user may be handled out of order), it only fills what is missing
    and never undoes the update (e.g. an SMS opt-in)."""
    row = await locked_recipient(session, contact.user_id)
    fill_only = registration and row.known

    def wanted(name: str, value: object) -> bool:
        return value is not None and not (fill_only and getattr(row, name))

    for name in ("email", "name", "role", "phone", "time_zone"):
        value = getattr(contact, name)
        if wanted(name, value):
            setattr(row, name, value)
    if contact.channels is not None and not (fill_only and row.channels is not None):
        row.channels = list(contact.channels)
    if contact.language and not fill_only:
        row.language = domain.language_or_default(contact.language)
    row.updated_at = now
    session.add(row)
    return row


async def set_recipient_field(
    session: AsyncSession, user_id: uuid.UUID, *, now: datetime, **values: object
) -> None:
    """Change a known user's role or active flag; unknown users are remembered as bare rows."""
    row = await locked_recipient(session, user_id)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = now
    session.add(row)


async def upsert_doctor(session: AsyncSession, facts: DoctorFacts, *, now: datetime) -> DoctorCard:
    row = await session.get(DoctorCard, facts.doctor_id) or DoctorCard(
        doctor_id=facts.doctor_id, user_id=facts.user_id, name=facts.name
    )
    row.user_id = facts.user_id
    for name in ("name", "time_zone", "city", "clinic_address", "clinic_phone"):
        value = getattr(facts, name)
        if value:
            setattr(row, name, value)
    row.updated_at = now
    session.add(row)
    return row


async def apply_appointment(
    session: AsyncSession, facts: AppointmentFacts, *, occurred_at: datetime
) -> AppointmentCopy:
    """Record the appointment's state if this event is the newest; bump the calendar sequence.

    Its series and rule instance are recorded when the copy is made only: a copy made before
    events told them keeps its own calendar entry (the UID its invitations already had)."""
    values = {
        "appointment_id": facts.appointment_id,
        "doctor_id": facts.doctor_id,
        "doctor_user_id": facts.doctor_user_id,
        "patient_id": facts.patient_id,
        "start": facts.start,
        "end": facts.end,
        "status": facts.status,
        "time_zone": facts.time_zone,
        "calendar_sequence": 0,
        "last_event_at": occurred_at,
        "series_id": facts.series_id,
        "recurrence_start": facts.recurrence_start if facts.series_id else None,
    }
    # Insert-or-skip: two events of one appointment handled at once must not both insert.
    inserted = await insert_or_skip(session, AppointmentCopy, values, ["appointment_id"])
    row = await session.get(
        AppointmentCopy, facts.appointment_id, with_for_update=True, populate_existing=True
    )
    assert row is not None
    if not inserted:
        row.calendar_sequence += 1
        if occurred_at >= row.last_event_at:
            row.start, row.end, row.status = facts.start, facts.end, facts.status
            row.time_zone = facts.time_zone
            row.last_event_at = occurred_at
    session.add(row)
    return row


@dataclass(frozen=True)
class Audience:
    """One person a message goes to, with what the channels and templates need."""

    user_id: uuid.UUID
    recipient: Recipient | None
    preferences: Preferences | None

    @property
    def name(self) -> str:
        return self.recipient.name if self.recipient and self.recipient.name else ""

    def language(self) -> str:
        chosen = self.preferences.language if self.preferences else None
        spoken = self.recipient.language if self.recipient else None
        return domain.language_or_default(chosen, spoken)

    def choice(self) -> domain.ChannelChoice:
        person = self.recipient
        chosen = domain.chosen_channels(person.channels if person else None)
        return domain.ChannelChoice(
            email_enabled=domain.Channel.EMAIL in chosen,
            sms_enabled=domain.Channel.SMS in chosen,
            in_app_enabled=domain.Channel.IN_APP in chosen,
            email=person.email if person and person.email else None,
            phone=person.phone if person and person.phone else None,
            active=person.active if person else True,
        )

    def lead_minutes(self, default: tuple[int, ...]) -> list[int]:
        return list(self.preferences.reminder_lead_minutes) if self.preferences else list(default)


async def audience(session: AsyncSession, user_id: uuid.UUID) -> Audience:
    return Audience(
        user_id=user_id,
        recipient=await session.get(Recipient, user_id),
        preferences=await session.get(Preferences, user_id),
    )
