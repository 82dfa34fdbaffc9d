"""The slot-hold projection: appointments' waitlist offers hold slots (`doctor_slot_holds`).

While the appointments subgraph holds a slot for a waiting patient's offer, nobody else can
book it there; here it is busy for search, open slots and the stored next free slot, for
exactly the hold: from `WaitlistOfferMade` until the offer's expiry or its
`WaitlistOfferClosed` (accepted, declined, expired, gone), whichever comes first.

Idempotent (the inbox skips a repeated event) and order-tolerant without event times: an
offer is made once and closed once, so a closing seen first (or again) leaves the row
closed, and a late `WaitlistOfferMade` finds it and changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from subgraphs.doctors.models import SlotHold
from subgraphs.doctors.service.next_free import mark_changed
from subgraphs.doctors.service.publishing import Delivery, first_time
from subgraphs.doctors.service.store import NAMESPACE
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database
from subgraphs.shared.upsert import insert_or_skip


async def record_hold(
    *,
    db: Database,
    cache: Cache,
    delivery: Delivery | None,
    offer_id: uuid.UUID,
    doctor_id: uuid.UUID,
    start: datetime,
    end: datetime,
    held_until: datetime,
    active: bool,
) -> bool:
    """Hold [start, end) until `held_until` for the offer (or end the hold: not `active`).

    Returns whether anything changed.
    """
    changed = False
    async with db.transaction() as session:
        if not await first_time(session, delivery):
            return False
        values = {
            "offer_id": offer_id,
            "doctor_id": doctor_id,
            "start": start.astimezone(UTC),
            "end": end.astimezone(UTC),
            "held_until": held_until.astimezone(UTC),
            "active": active,
        }
        if await insert_or_skip(session, SlotHold, values, ["offer_id"]):
            changed = True
        elif not active:
            row = await session.get(
                SlotHold, offer_id, with_for_update=True, populate_existing=True
            )
            if row is not None and row.active:
                row.active = False
                session.add(row)
                changed = True
        if changed:
            await mark_changed(session, {doctor_id})  # the stored next free slot
    if changed:
        await cache.invalidate(NAMESPACE)
    return changed
