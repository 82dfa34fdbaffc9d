"""Applying one incoming event: update the projections, plan messages and reminders.

One event, one transaction, recorded as handled in that same transaction (at-least-once
delivery from the bus becomes exactly-once effect here).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications import domain
from subgraphs.notifications.domain import Channel
from subgraphs.notifications.models import Notification
from subgraphs.notifications.payloads import (
    AccountLink,
    AppointmentFacts,
    DoctorFacts,
    SeriesFacts,
    UserContact,
    WaitlistOfferFacts,
)
from subgraphs.notifications.service import (
    planning,
    projections,
    series_notices,
    waiting,
    waitlist_offers,
)
from subgraphs.notifications.service.planning import PlanConfig
from subgraphs.notifications.templates import formatting
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.inbox import first_delivery

CONSUMER = "notifications"
USER_EVENTS = frozenset(
    {
        "UserRegistered",
        "UserProfileUpdated",
        "UserRoleChanged",
        "UserDeactivated",
        "UserReactivated",
    }
)
DOCTOR_EVENTS = frozenset(
    {
        "DoctorRegistered",
        "DoctorApproved",
        "DoctorRejected",
        "DoctorSuspended",
        "DoctorProfileUpdated",
    }
)
ACCOUNT_LINK_EVENTS = {
    "PasswordResetRequested": "password_reset",
    "DoctorInvited": "doctor_invited",
}
APPOINTMENT_EVENTS = frozenset(
    {*domain.APPOINTMENT_TEMPLATES, "AppointmentCompleted", "AppointmentMarkedNoShow"}
)
HANDLED = frozenset(
    {
        *USER_EVENTS,
        *DOCTOR_EVENTS,
        *ACCOUNT_LINK_EVENTS,
        *APPOINTMENT_EVENTS,
        *domain.SERIES_TEMPLATES,
        domain.WAITLIST_OFFER_EVENT,
    }
)


async def apply_event(
    *,
    db: Database,
    envelope: EventEnvelope,
    now: datetime,
    config: PlanConfig,
    enqueue_soon: bool,
) -> list[tuple[uuid.UUID, Channel]]:
    """Apply `envelope` once; returns the deliveries to enqueue after the commit."""
    if envelope.type not in HANDLED:
        return []
    async with db.transaction() as session:
        first = await first_delivery(
            session, event_id=envelope.uuid, event_type=envelope.type, consumer=CONSUMER
        )
        if not first:
            return []
        rows = await _apply(session, envelope, now=now, config=config)
        for row in rows:
            row.enqueued_at = now if enqueue_soon else None
    return [(row.id, row.channel) for row in rows]


async def _apply(
    session: AsyncSession, envelope: EventEnvelope, *, now: datetime, config: PlanConfig
) -> list[Notification]:
    kind, payload = envelope.type, envelope.payload
    if kind in ("UserRegistered", "UserProfileUpdated"):
        contact = UserContact.parse(payload)
        registration = kind == "UserRegistered"
        row = await projections.upsert_recipient(
            session, contact, now=now, registration=registration
        )
        if not row.known:
            return []
        await session.flush()
        return await waiting.release(session, row.user_id, now=now, config=config)
    if kind in USER_EVENTS:
        contact = UserContact.parse(payload)
        changes: dict[str, object] = (
            {"role": contact.role or "PATIENT"}
            if kind == "UserRoleChanged"
            else {"active": kind == "UserReactivated"}
        )
        await projections.set_recipient_field(session, contact.user_id, now=now, **changes)
        return []
    if kind in DOCTOR_EVENTS:
        return await _doctor_event(session, DoctorFacts.parse(payload), envelope, now, config)
    if kind in ACCOUNT_LINK_EVENTS:
        return await _account_link(session, ACCOUNT_LINK_EVENTS[kind], payload, envelope, now)
    if kind == domain.WAITLIST_OFFER_EVENT:
        return await _waitlist_offer(session, envelope, now=now, config=config)
    if kind in domain.SERIES_TEMPLATES:
        return await _series_event(session, envelope, now=now, config=config)
    return await _appointment_event(session, envelope, now=now, config=config)


async def _doctor_event(
    session: AsyncSession,
    facts: DoctorFacts,
    envelope: EventEnvelope,
    now: datetime,
    config: PlanConfig,
) -> list[Notification]:
    await projections.upsert_doctor(session, facts, now=now)
    template = domain.DOCTOR_TEMPLATES.get(envelope.type)
    if template is None:
        return []
    if await waiting.unknown_users(session, facts.user_id):
        waiting.hold(session, user_id=facts.user_id, envelope=envelope, now=now, config=config)
        return []
    return planning.notify(
        session,
        who=await projections.audience(session, facts.user_id),
        template=template,
        role="user",
        values=domain.doctor_decision_values(facts.reason),
        now=now,
        event_id=envelope.uuid,
    )


async def _account_link(
    session: AsyncSession,
    template: str,
    payload: dict[str, object],
    envelope: EventEnvelope,
    now: datetime,
) -> list[Notification]:
    link = AccountLink.parse(payload)
    contact = UserContact(
        link.user_id, link.email, link.name, None, None, link.language, link.time_zone
    )
    await projections.upsert_recipient(session, contact, now=now)
    who = await projections.audience(session, link.user_id)
    expires = "-"
    if link.expires_at is not None:
        zone = who.recipient.time_zone if who.recipient else "UTC"
        expires = formatting.local(link.expires_at, zone).strftime("%Y-%m-%d %H:%M %Z")
    return planning.notify(
        session,
        who=who,
        template=template,
        role="user",
        values={"link": domain.ONE_TIME_LINK, "expires": expires},
        now=now,
        event_id=envelope.uuid,
        secret_ref=link.delivery_id,
    )


async def _waitlist_offer(
    session: AsyncSession, envelope: EventEnvelope, *, now: datetime, config: PlanConfig
) -> list[Notification]:
    facts = WaitlistOfferFacts.parse(envelope.payload)
    if await waiting.unknown_users(session, facts.patient_id):
        waiting.hold(session, user_id=facts.patient_id, envelope=envelope, now=now, config=config)
        return []
    return await waitlist_offers.plan(session, facts, now=now, event_id=envelope.uuid)


async def _appointment_event(
    session: AsyncSession, envelope: EventEnvelope, *, now: datetime, config: PlanConfig
) -> list[Notification]:
    facts = AppointmentFacts.parse(envelope.payload)
    appointment = await projections.apply_appointment(session, facts, occurred_at=envelope.time)
    await planning.replan_reminders(session, appointment, now=now, config=config)
    if envelope.type not in domain.APPOINTMENT_TEMPLATES or facts.series_event_id is not None:
        return []  # a series event tells people about this change with the others
    template, method = domain.APPOINTMENT_TEMPLATES[envelope.type]
    people = (appointment.patient_id, appointment.doctor_user_id)
    unknown = await waiting.unknown_users(session, *people)
    rows: list[Notification] = []
    for user_id in dict.fromkeys(people):
        if user_id in unknown:
            waiting.hold(session, user_id=user_id, envelope=envelope, now=now, config=config)
            continue
        rows += await planning.appointment_notifications(
            session,
            appointment=appointment,
            template=template,
            method=method,
            start=facts.start,
            end=facts.end,
            now=now,
            config=config,
            previous_start=facts.previous_start,
            cancelled_by=facts.cancelled_by,
            reason=facts.reason,
            event_id=envelope.uuid,
            only_user=user_id,
        )
    return rows


async def _series_event(
    session: AsyncSession, envelope: EventEnvelope, *, now: datetime, config: PlanConfig
) -> list[Notification]:
    """One message about the series' occurrences changed together (whichever of their own
    events came first, this store's copies are brought up to date for the calendar)."""
    facts = SeriesFacts.parse(envelope.payload)
    for occurrence in facts.occurrences:
        await projections.apply_appointment(
            session, facts.appointment(occurrence), occurred_at=envelope.time
        )
    template, method = domain.SERIES_TEMPLATES[envelope.type]
    people = (facts.patient_id, facts.doctor_user_id)
    unknown = await waiting.unknown_users(session, *people)
    rows: list[Notification] = []
    for user_id in dict.fromkeys(people):
        if user_id in unknown:
            waiting.hold(session, user_id=user_id, envelope=envelope, now=now, config=config)
            continue
        rows += await series_notices.plan(
            session,
            facts,
            template=template,
            method=method,
            now=now,
            config=config,
            event_id=envelope.uuid,
            only_user=user_id,
        )
    return rows
