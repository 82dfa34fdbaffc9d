"""Moving the rest of a series: where each occurrence goes when one of them moves.

Pure rules, no I/O. The caller names one occurrence (the pivot) and its new start; every
later occurrence moves the same way in the doctor's time zone: to the new wall-clock time,
and by the same number of days in a weekly series (Tuesday to Thursday stays Tuesday to
Thursday across daylight-saving changes) or to the same weekday of the month in a monthly
one (the 2nd Tuesday to the 2nd Thursday). A move stays inside the pivot's week (at most
six days either way) or, monthly, inside its month, so that moved occurrences keep their
order and never land on one another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import vRecur

from subgraphs.appointments.series.rules import Frequency, monthly_ordinal, nth_weekday
from subgraphs.shared.errors import BadUserInput

MAX_SHIFT_DAYS = 6


def frequency_of(rule: str) -> Frequency:
    """The frequency of a series' RRULE text."""
    parsed = vRecur.from_ical(rule)
    return Frequency(str(parsed["FREQ"][0]))


@dataclass(frozen=True)
class Move:
    """The pivot occurrence's local day and the new start (local) it moves to."""

    frequency: Frequency
    zone: ZoneInfo
    pivot_day: date
    new_day: date
    new_time: time

    @classmethod
    def of(cls, *, rule: str, time_zone: str, pivot_start: datetime, new_start: datetime) -> Move:
        """BAD_USER_INPUT for a move that leaves the pivot's week (monthly: its month)."""
        if new_start.tzinfo is None:
            raise BadUserInput("Times need a UTC offset (ISO 8601).", field="start")
        zone = ZoneInfo(time_zone)
        frequency = frequency_of(rule)
        old, new = pivot_start.astimezone(zone), new_start.astimezone(zone)
        if new == old:
            raise BadUserInput("The occurrence is already at that time.", field="start")
        if frequency is Frequency.WEEKLY and abs((new.date() - old.date()).days) > MAX_SHIFT_DAYS:
            raise BadUserInput(
                f"A weekly series moves at most {MAX_SHIFT_DAYS} days either way; move "
                "single occurrences further with rescheduleAppointment.",
                field="start",
            )
        if frequency is Frequency.MONTHLY and (new.year, new.month) != (old.year, old.month):
            raise BadUserInput(
                "A monthly series moves within the occurrence's month; move single "
                "occurrences further with rescheduleAppointment.",
                field="start",
            )
        wall = time(new.hour, new.minute, new.second)
        return cls(frequency, zone, old.date(), new.date(), wall)

    def start_for(self, current: datetime) -> datetime:
        """Where an occurrence now at `current` goes (UTC)."""
        day = current.astimezone(self.zone).date()
        if self.frequency is Frequency.WEEKLY:
            moved = day + (self.new_day - self.pivot_day)
        else:
            ordinal = monthly_ordinal(self.new_day)
            moved = nth_weekday(day.year, day.month, self.new_day.weekday(), ordinal)
        return datetime.combine(moved, self.new_time, tzinfo=self.zone).astimezone(UTC)
