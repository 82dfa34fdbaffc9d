"""Open-slot computation: weekly rules and ad-hoc slots, minus exceptions, busy time and notice.

Pure functions over a :class:`Schedule`; no I/O, no clock (callers pass `now`). Rules are
expanded day by day in the doctor's zone, so a slot at 09:00 stays at 09:00 local time on
both sides of a daylight-saving change. A rule slot whose start or end falls in a
skipped hour, or that spans a change of offset, is left out rather than stretched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from subgraphs.doctors.domain.availability import (
    AdHocSlot,
    AvailabilityException,
    BookingPolicy,
    ExceptionKind,
    WeeklyRule,
)

SEARCH_CHUNK = timedelta(days=7)


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable range, in UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Busy:
    """Time taken by an appointment, or held for a waitlist offer until `until` (UTC)."""

    start: datetime
    end: datetime
    appointment_id: str | None = None
    until: datetime | None = None
    """A hold's end: busy only before it. None: an appointment's busy time."""

    @property
    def hold(self) -> bool:
        return self.until is not None


@dataclass(frozen=True)
class Schedule:
    """Everything that decides a doctor's open slots."""

    time_zone: ZoneInfo
    rules: tuple[WeeklyRule, ...] = ()
    exceptions: tuple[AvailabilityException, ...] = ()
    adhoc: tuple[AdHocSlot, ...] = ()
    busy: tuple[Busy, ...] = ()
    policy: BookingPolicy = field(default_factory=BookingPolicy)
    default_slot_minutes: int = 30


@dataclass(frozen=True)
class SlotVerdict:
    """Whether [start, end) can be booked now, and why not; `slot` is the offered slot."""

    offered: bool
    slot: Slot | None
    free: bool
    meets_notice: bool
    within_window: bool
    earliest_start: datetime
    latest_start: datetime

    @property
    def available(self) -> bool:
        return self.offered and self.free and self.meets_notice and self.within_window

    @property
    def reason(self) -> str | None:
        if not self.offered:
            return "OUTSIDE_AVAILABILITY"
        if not self.meets_notice:
            return "TOO_LATE"
        if not self.within_window:
            return "TOO_FAR_AHEAD"
        if not self.free:
            return "SLOT_TAKEN"
        return None


def local_to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a local wall time, None when that wall time does not exist (gap).

    An ambiguous wall time (the repeated hour) resolves to its first occurrence.
    """
    local = datetime.combine(day, wall, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _days(start: datetime, end: datetime, zone: ZoneInfo) -> Iterator[date]:
    """The local dates whose slots may start in [start, end)."""
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def _windows(schedule: Schedule, day: date) -> list[tuple[time, time, int]]:
    """The working hours on a local date: changed hours if any, else the weekly rules."""
    for exception in schedule.exceptions:
        if exception.kind is ExceptionKind.CHANGED_HOURS and exception.covers(day):
            if exception.start is None or exception.end is None:
                return []
            minutes = exception.slot_minutes or schedule.default_slot_minutes
            return [(exception.start, exception.end, minutes)]
    return [(r.start, r.end, r.slot_minutes) for r in schedule.rules if r.applies_on(day)]


def _steady_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    """The zone's UTC offset all day long, None when it changes during `day`."""
    first = datetime.combine(day, time(0)).replace(tzinfo=zone).utcoffset()
    last = datetime.combine(day, time(23, 59, 59)).replace(tzinfo=zone).utcoffset()
    return first if first is not None and first == last else None


def _day_slots(schedule: Schedule, day: date) -> Iterator[Slot]:
    zone = schedule.time_zone
    steady = _steady_offset(day, zone)
    for start, end, minutes in _windows(schedule, day):
        length = timedelta(minutes=minutes)
        wall = datetime.combine(day, start)
        limit = datetime.combine(day, end)
        while wall + length <= limit:
            if steady is not None:  # the common case: plain arithmetic
                begin = (wall - steady).replace(tzinfo=UTC)
                yield Slot(begin, begin + length)
            else:
                first = local_to_utc(day, wall.time(), zone)
                finish = local_to_utc(day, (wall + length).time(), zone)
                if first is not None and finish is not None and finish - first == length:
                    yield Slot(first, finish)
            wall += length


def _blocked_ranges(schedule: Schedule, day: date) -> Iterator[tuple[datetime, datetime]]:
    zone = schedule.time_zone
    for exception in schedule.exceptions:
        if exception.kind is not ExceptionKind.UNAVAILABLE or not exception.covers(day):
            continue
        if exception.start is None or exception.end is None:
            yield _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
        else:
            start = datetime.combine(day, exception.start, tzinfo=zone).astimezone(UTC)
            end = datetime.combine(day, exception.end, tzinfo=zone).astimezone(UTC)
            yield start, end


def offered_slots(schedule: Schedule, start: datetime, end: datetime) -> list[Slot]:
    """Slots the schedule offers that start in [start, end), ignoring busy time and notice."""
    zone = schedule.time_zone
    candidates: list[Slot] = []
    blocked: list[tuple[datetime, datetime]] = []
    for day in _days(start, end, zone):
        candidates.extend(s for s in _day_slots(schedule, day) if start <= s.start < end)
    if schedule.exceptions:  # a day further: an ad-hoc slot may run past midnight
        for day in _days(start, end + timedelta(days=1), zone):
            blocked.extend(_blocked_ranges(schedule, day))
    candidates.extend(
        Slot(a.start.astimezone(UTC), a.end.astimezone(UTC))
        for a in schedule.adhoc
        if start <= a.start < end
    )
    result: list[Slot] = []
    for slot in sorted(candidates):
        if any(slot.start < b_end and b_start < slot.end for b_start, b_end in blocked):
            continue
        if result and slot.start < result[-1].end:
            continue  # an ad-hoc slot overlapping a rule slot: keep the earlier one
        result.append(slot)
    return result


def offered_time(schedule: Schedule, start: datetime, end: datetime) -> timedelta:
    """The length of every slot the schedule offers that starts in [start, end)."""
    return sum((s.end - s.start for s in offered_slots(schedule, start, end)), timedelta())


def _busy(
    schedule: Schedule, ignore_appointment: str | None, *, holds_at: datetime | None
) -> list[Busy]:
    """The busy time that counts: holds only when `holds_at` is given and before their end."""
    return [
        b
        for b in schedule.busy
        if (ignore_appointment is None or b.appointment_id != ignore_appointment)
        and (b.until is None or (holds_at is not None and holds_at < b.until))
    ]


def hold_ends(schedule: Schedule, *, now: datetime) -> list[datetime]:
    """When the holds in force at `now` end (a slot may open again then)."""
    return sorted(b.until for b in schedule.busy if b.until is not None and now < b.until)


def _is_free(schedule: Schedule, slot: Slot, busy: Iterable[Busy]) -> bool:
    before, after = schedule.policy.buffer_before, schedule.policy.buffer_after
    return not any(slot.start < b.end + after and b.start - before < slot.end for b in busy)


def open_slots(
    schedule: Schedule,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    ignore_appointment: str | None = None,
) -> list[Slot]:
    """Slots starting in [start, end) that can be booked at `now`: offered, free (busy time
    widened by the buffers; a slot held for a waitlist offer is busy until the hold ends),
    after the minimum notice and inside the booking window."""
    earliest = now + schedule.policy.notice
    latest = now + schedule.policy.window
    lo, hi = max(start, earliest), min(end, latest)
    if hi <= lo:
        return []
    busy = _busy(schedule, ignore_appointment, holds_at=now)
    return [s for s in offered_slots(schedule, lo, hi) if _is_free(schedule, s, busy)]


def next_open_slot(
    schedule: Schedule, *, now: datetime, until: datetime | None = None
) -> Slot | None:
    """The first bookable slot from `now` (notice applied) up to the booking window or `until`."""
    cursor = now + schedule.policy.notice
    limit = now + schedule.policy.window
    if until is not None:
        limit = min(limit, until)
    if not schedule.rules and not schedule.adhoc and not schedule.exceptions:
        return None
    while cursor < limit:
        step = timedelta(days=1) if cursor < now + SEARCH_CHUNK else SEARCH_CHUNK
        chunk_end = min(cursor + step, limit)
        found = open_slots(schedule, cursor, chunk_end, now=now)
        if found:
            return found[0]
        cursor = chunk_end
    return None


def open_on_date(schedule: Schedule, day: date, *, now: datetime) -> bool:
    """Whether the doctor has a bookable slot on a local calendar date."""
    zone = schedule.time_zone
    start, end = _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
    return bool(open_slots(schedule, start, end, now=now))


def check_slot(
    schedule: Schedule,
    start: datetime,
    end: datetime | None,
    *,
    now: datetime,
    ignore_appointment: str | None = None,
) -> SlotVerdict:
    """Whether exactly [start, end) is an offered, free slot, far enough ahead and not too far.

    Without `end`, the offered slot that begins at `start` (whatever its length) is checked.
    Holds for waitlist offers are not busy time here: this is the appointments subgraph's
    booking check, and it enforces its own holds (the patient offered a slot books it).
    """
    earliest = now + schedule.policy.notice
    latest = now + schedule.policy.window
    begin = start.astimezone(UTC)
    candidates = offered_slots(schedule, begin, begin + timedelta(seconds=1))
    match = next(
        (
            s
            for s in candidates
            if s.start == begin and (end is None or s.end == end.astimezone(UTC))
        ),
        None,
    )
    wanted = match or Slot(begin, end.astimezone(UTC) if end else begin + timedelta(minutes=1))
    return SlotVerdict(
        offered=match is not None,
        slot=match,
        free=_is_free(schedule, wanted, _busy(schedule, ignore_appointment, holds_at=None)),
        meets_notice=wanted.start >= earliest,
        within_window=wanted.start <= latest,
        earliest_start=earliest,
        latest_start=latest,
    )
