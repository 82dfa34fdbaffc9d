"""Waitlist holds: a freed slot offered to a waiting patient is theirs until the offer expires.

While an offer is OFFERED and not expired, nobody else books or reschedules into a time
overlapping its slot (SLOT_TAKEN, as if it were booked); the patient offered it books it
through `acceptWaitlistOffer` (or an ordinary booking). The check runs inside the booking's
write transaction, with the doctor's time locked against offers being made
(`store.lock_doctor_time`): a booking and an offer of the same slot racing each other leave
exactly one of them, on both stores.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.errors import SlotTaken
from subgraphs.appointments.models import WaitlistOfferRow
from subgraphs.appointments.waitlist.rules import OfferState


async def ensure_not_held(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    start: datetime,
    end: datetime,
    now: datetime,
) -> None:
    """SLOT_TAKEN when [start, end) overlaps a slot of the doctor held for another patient."""
    statement = select(
        exists().where(
            col(WaitlistOfferRow.doctor_id) == doctor_id,
            col(WaitlistOfferRow.state) == OfferState.OFFERED.value,
            col(WaitlistOfferRow.expires_at) > now,
            col(WaitlistOfferRow.slot_start) < end,
            col(WaitlistOfferRow.slot_end) > start,
            col(WaitlistOfferRow.patient_id) != patient_id,
        )
    )
    if bool((await session.exec(statement)).one()):
        raise SlotTaken("This time is no longer available.", field="start")
