"""Offers for new availability: a doctor opened time, and their waiting patients hear of it
(the doctor's own line and the area entries the doctor's specializations and city suit).

The doctors subgraph's `AvailabilityChanged` (a weekly rule added, an ad-hoc slot, an
exception or time off removed, ...) says only which doctor changed. We then ask for the
doctor's open slots over the waiting entries' own days (merged into a few ranges, inside
the booking window) and offer them with the very rules of a freed slot (`offer_slot`: one
offer per slot at a time, in line order, held, expiring, never for a slot that is gone),
the earliest slot first, until every waiting entry has an open offer or nothing suits.

The event carries no list of what changed, so every open slot that suits a waiting entry
is a candidate (one that was open before suits that patient just as well). Handling it
again changes nothing: entries with an open offer, and slots already offered, are skipped.
Bounded work per event: only the entries' days are looked at, and at most `MAX_ATTEMPTS`
slots are tried.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from subgraphs.appointments.models import WaitlistOfferRow
from subgraphs.appointments.service import waitlist_line, waitlist_offers
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.openings import OpeningsFinder
from subgraphs.appointments.service.waitlist_line import wish_of
from subgraphs.appointments.waitlist.rules import Wish, suits

MAX_ATTEMPTS: Final = 50
"""The most slots one availability change tries to offer (each is checked with the doctors
subgraph and may be refused: taken meanwhile, the patient busy then, ...)."""
RANGE_MAX: Final = timedelta(days=90)
"""The longest range asked for at once (the doctors subgraph answers up to 93 days)."""


async def availability_changed(
    deps: Deps, *, doctor_id: uuid.UUID, finder: OpeningsFinder | None = None
) -> list[WaitlistOfferRow]:
    """Offer the doctor's open slots to their waiting entries; the offers made."""
    finder = finder or deps.openings
    if finder is None:
        return []
    now = deps.clock()
    async with deps.db.session() as session:
        for_doctor, for_areas = await waitlist_line.who_waits(session, doctor_id)
    if not for_doctor and not for_areas:
        return []
    area = await waitlist_offers.doctor_area(deps, doctor_id) if for_areas else None
    async with deps.db.session() as session:
        line = await waitlist_line.waiting_without_offer(session, doctor_id, area, now=now)
    if not line:
        return []
    await waitlist_offers.expire_due(deps)  # expired offers pass on first, as for freed slots
    ranges = _ranges(
        [wish_of(entry) for entry in line], now=now, horizon=deps.policy.booking_window
    )
    if not ranges:
        return []
    found = await finder.openings(doctor_id=doctor_id, ranges=ranges)
    if found is None or not found.approved:
        return []
    made: list[WaitlistOfferRow] = []
    waiting = list(line)
    attempts = 0
    for slot in found.slots:
        if not waiting or attempts >= MAX_ATTEMPTS:
            break
        wanted = [
            e
            for e in waiting
            if suits(wish_of(e), start=slot.start, end=slot.end, time_zone=found.time_zone)
        ]
        if not wanted:
            continue
        attempts += 1
        offer = await waitlist_offers.offer_slot(
            deps, doctor_id=doctor_id, start=slot.start, freed_appointment_id=None, area=area
        )
        if offer is not None:
            made.append(offer)
            waiting = [e for e in waiting if e.id != offer.entry_id]
    return made


def _ranges(
    wishes: Sequence[Wish], *, now: datetime, horizon: timedelta
) -> list[tuple[datetime, datetime]]:
    """The wishes' days as a few UTC ranges (a day's slack each side for any time zone),
    merged where they meet, cut to [now, now + horizon] and to RANGE_MAX each."""
    spans = sorted(
        (_midnight(w.first_day - timedelta(days=1)), _midnight(w.last_day + timedelta(days=2)))
        for w in wishes
    )
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    ranges: list[tuple[datetime, datetime]] = []
    for start, end in merged:
        start, end = max(start, now), min(end, now + horizon)
        while start < end:
            ranges.append((start, min(end, start + RANGE_MAX)))
            start += RANGE_MAX
    return ranges


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)
