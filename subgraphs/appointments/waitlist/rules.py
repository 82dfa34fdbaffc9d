"""Waitlist rules: what a patient may wait for, and which waiting patient a freed slot suits.

Pure rules, no I/O. Days and hours are read in the doctor's IANA time zone (the zone the
doctor's slots are published in), so "weekday mornings 09:00-12:00" means the doctor's
mornings whatever the patient's own zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from subgraphs.shared.errors import BadUserInput

MAX_RANGE_DAYS: Final = 90
"""The longest range of days one entry waits for (first and last day included)."""


class EntryState(StrEnum):
    WAITING = "WAITING"
    """In line: freed slots that suit the entry are offered to the patient."""
    LEFT = "LEFT"
    """The patient left the waitlist."""
    BOOKED = "BOOKED"
    """The patient accepted an offer: the entry's wish is fulfilled."""
    ENDED = "ENDED"
    """Its last day passed without a booking."""


class OfferState(StrEnum):
    OFFERED = "OFFERED"
    """Held for the patient until it expires."""
    ACCEPTED = "ACCEPTED"
    """The patient booked the slot."""
    EXPIRED = "EXPIRED"
    """The hold ran out (or the slot went before it did): passed to the next in line."""
    DECLINED = "DECLINED"
    """The patient said no: passed to the next in line."""


@dataclass(frozen=True)
class Wish:
    """What a waiting patient accepts: days [first_day, last_day], hours [earliest, latest)."""

    first_day: date
    last_day: date
    earliest: time = time(0, 0)
    latest: time | None = None
    """The end of the daily window; None: the end of the day."""


def check_wish(wish: Wish, *, today: date, horizon: timedelta | None = None) -> Wish:
    """The wish as given, or BAD_USER_INPUT naming the field that is wrong.

    `today` is the doctor's today: the range starts today or later (and, with a `horizon`,
    no later than that far ahead: no booking could be made beyond it), ends on or after its
    start and spans at most MAX_RANGE_DAYS days; the window starts before it ends.
    """
    if wish.first_day < today:
        raise BadUserInput("The waiting range cannot start in the past.", field="firstDay")
    if horizon is not None and wish.first_day > today + horizon:
        raise BadUserInput(
            f"Bookings open at most {horizon.days} days ahead: start the range earlier.",
            field="firstDay",
        )
    if wish.last_day < wish.first_day:
        raise BadUserInput("The last day cannot be before the first day.", field="lastDay")
    if (wish.last_day - wish.first_day).days + 1 > MAX_RANGE_DAYS:
        raise BadUserInput(
            f"A waitlist entry covers at most {MAX_RANGE_DAYS} days.", field="lastDay"
        )
    if wish.earliest.tzinfo is not None or (wish.latest is not None and wish.latest.tzinfo):
        raise BadUserInput("Window times are local times without an offset.", field="earliest")
    if wish.latest is not None and wish.earliest >= wish.latest:
        raise BadUserInput("The window must start before it ends.", field="latest")
    return wish


def local_today(now: datetime, time_zone: str) -> date:
    """Today's date in `time_zone`."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def suits(wish: Wish, *, start: datetime, end: datetime, time_zone: str) -> bool:
    """Whether the slot [start, end) lies inside the wish, read in the doctor's zone.

    The slot's day is its local start day; it must start at or after `earliest` and end by
    `latest` on that same day (or by midnight when the window runs to the end of the day).
    """
    zone = ZoneInfo(time_zone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date()
    if not wish.first_day <= day <= wish.last_day:
        return False
    if local_start.time() < wish.earliest:
        return False
    if wish.latest is None:
        return local_end.date() == day or local_end == _midnight_after(day, zone)
    return local_end.date() == day and local_end.time() <= wish.latest


def _midnight_after(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)


def ended(wish: Wish, *, now: datetime, time_zone: str) -> bool:
    """Whether the wish's last day is over in the doctor's zone."""
    return local_today(now, time_zone) > wish.last_day
