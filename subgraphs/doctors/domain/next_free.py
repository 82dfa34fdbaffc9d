"""A doctor's next free slot, and until when that answer stays right without any change.

With nothing changed, the next open slot S found at `now` stays the next one as long as
it can still be booked (until S.start - notice): no earlier slot can open by time passing,
because the booking window only grows at its far end. When nothing is open within the
window, a slot can enter it as time passes: we look one horizon step beyond the window,
so the answer "none" is right until the first slot found there enters the window (or,
if there is none either, for that whole step).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from subgraphs.doctors.domain.slots import Schedule, Slot, hold_ends, next_open_slot

__all__ = ["HORIZON_STEP", "NextFree", "next_free"]

HORIZON_STEP = timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class NextFree:
    slot: Slot | None
    valid_until: datetime


def next_free(schedule: Schedule, *, now: datetime) -> NextFree:
    found = _next_free(schedule, now=now)
    ends = hold_ends(schedule, now=now)
    if ends and ends[0] < found.valid_until:
        return NextFree(found.slot, ends[0])
    return found


def _next_free(schedule: Schedule, *, now: datetime) -> NextFree:
    policy = schedule.policy
    window = policy.window
    extended = dataclasses.replace(
        schedule,
        policy=dataclasses.replace(
            policy, booking_window_days=policy.booking_window_days + HORIZON_STEP.days
        ),
    )
    found = next_open_slot(extended, now=now)
    if found is None:
        return NextFree(None, now + HORIZON_STEP)
    if found.start < now + window:
        return NextFree(found, found.start - policy.notice)
    return NextFree(None, found.start - window)
