"""A waitlist offer reaches the patient: by their channels, with when the hold ends.

The appointments subgraph's `WaitlistOfferMade` says which slot is held for whom until when;
the message names the doctor, the slot and the end of the hold (in the doctor's zone, as
the slot is shown). The SMS carries only the date, time and clinic (`templates.SMS_FIELDS`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications import domain
from subgraphs.notifications.models import DoctorCard, Notification, Recipient
from subgraphs.notifications.payloads import WaitlistOfferFacts
from subgraphs.notifications.service import planning
from subgraphs.notifications.service.projections import audience
from subgraphs.notifications.templates import formatting
from subgraphs.notifications.templates.message_values import appointment_values


async def plan(
    session: AsyncSession, facts: WaitlistOfferFacts, *, now: datetime, event_id: uuid.UUID
) -> list[Notification]:
    """The offer's messages to its patient (one per channel they accept)."""
    who = await audience(session, facts.patient_id)
    language = who.language()
    values = appointment_values(
        language=language,
        recipient_name=who.name,
        start=facts.start,
        time_zone=facts.time_zone,
        doctor=await session.get(DoctorCard, facts.doctor_id),
        doctor_person=None,
        patient=await session.get(Recipient, facts.patient_id),
    )
    values["expires"] = _until(facts, language)
    return planning.notify(
        session,
        who=who,
        template=domain.WAITLIST_OFFER_TEMPLATE,
        role="patient",
        values=values,
        now=now,
        event_id=event_id,
    )


def _until(facts: WaitlistOfferFacts, language: str) -> str:
    """`09:45 WET`, with the date in front when the hold ends on another day than it began."""
    at = formatting.format_time(facts.expires_at, facts.time_zone)
    ends = formatting.local(facts.expires_at, facts.time_zone).date()
    if ends == formatting.local(facts.start, facts.time_zone).date():
        return at
    return f"{formatting.format_date(facts.expires_at, facts.time_zone, language)} {at}"
