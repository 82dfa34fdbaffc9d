"""Series rules: which starts a recurring booking asks for, and its RFC 5545 RRULE.

Pure rules, no I/O. A series is expanded in the doctor's IANA time zone from the first
start's wall-clock time, so a 09:00 visit stays 09:00 local across daylight-saving changes
(its UTC time moves by an hour instead). Monthly series repeat on the first start's weekday
of the month ("the 2nd Tuesday"); a start in the month's last seven days past the 4th such
weekday repeats on the month's last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from icalendar import vRecur

from subgraphs.shared.errors import BadUserInput

MAX_OCCURRENCES: Final = 52
"""The most occurrences one series books (a year of weekly visits)."""
MAX_INTERVAL: Final = 12
"""The longest step: every 12 weeks or every 12 months."""
WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Frequency(StrEnum):
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


@dataclass(frozen=True)
class SeriesRule:
    """Every `interval` weeks or months, `count` times or until the doctor-local day `until`."""

    frequency: Frequency
    interval: int = 1
    count: int | None = None
    until: date | None = None

    def validate(self) -> None:
        """BAD_USER_INPUT unless exactly one of `count` and `until` bounds a sane rule."""
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise BadUserInput(
                f"A series repeats every 1 to {MAX_INTERVAL} weeks or months.",
                field="rule.interval",
            )
        if (self.count is None) == (self.until is None):
            raise BadUserInput(
                "A series ends after a number of occurrences or on a date: give exactly one.",
                field="rule.count",
            )
        if self.count is not None and not 2 <= self.count <= MAX_OCCURRENCES:
            raise BadUserInput(
                f"A series has 2 to {MAX_OCCURRENCES} occurrences.", field="rule.count"
            )


def monthly_ordinal(day: date) -> int:
    """Which of the month's weekdays `day` is: 1 to 4, or -1 for a 5th (the last)."""
    ordinal = (day.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    """The month's `ordinal`-th `weekday` (Monday 0), or its last one for -1."""
    if ordinal == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def _local_days(rule: SeriesRule, first: date) -> list[date]:
    """The series' doctor-local days from `first`, bounded by the rule (and the cap)."""
    limit = rule.count if rule.count is not None else MAX_OCCURRENCES + 1
    days: list[date] = []
    ordinal = monthly_ordinal(first)
    step = 0
    while len(days) < limit:
        if rule.frequency is Frequency.WEEKLY:
            day = first + timedelta(weeks=rule.interval * step)
        else:
            months = first.month - 1 + rule.interval * step
            day = nth_weekday(first.year + months // 12, months % 12 + 1, first.weekday(), ordinal)
        if rule.until is not None and day > rule.until:
            break
        days.append(day)
        step += 1
    return days


def occurrences(rule: SeriesRule, *, start: datetime, time_zone: str) -> list[datetime]:
    """The starts (UTC) the series asks for: the first is `start`, each at its local time."""
    rule.validate()
    zone = ZoneInfo(time_zone)
    local = start.astimezone(zone)
    if rule.until is not None and rule.until <= local.date():
        raise BadUserInput("A series' last day comes after its first.", field="rule.until")
    wall = time(local.hour, local.minute, local.second)
    days = _local_days(rule, local.date())
    if len(days) > MAX_OCCURRENCES:
        raise BadUserInput(
            f"A series has at most {MAX_OCCURRENCES} occurrences; choose an earlier end.",
            field="rule.until",
        )
    if len(days) < 2:
        raise BadUserInput("This series would have only one occurrence.", field="rule.until")
    return [datetime.combine(day, wall, tzinfo=zone).astimezone(UTC) for day in days]


def rrule(rule: SeriesRule, *, start: datetime, time_zone: str) -> str:
    """The rule as RFC 5545 RRULE text, for a DTSTART given with TZID=`time_zone`.

    UNTIL is in UTC, as RFC 5545 requires with a zoned DTSTART: the end of the last local day.
    """
    zone = ZoneInfo(time_zone)
    local = start.astimezone(zone)
    weekday = WEEKDAYS[local.weekday()]
    parts: dict[str, object] = {"FREQ": rule.frequency.value}
    if rule.interval != 1:
        parts["INTERVAL"] = rule.interval
    if rule.count is not None:
        parts["COUNT"] = rule.count
    if rule.until is not None:
        last_moment = datetime.combine(rule.until, time(23, 59, 59), tzinfo=zone)
        parts["UNTIL"] = last_moment.astimezone(UTC)
    if rule.frequency is Frequency.WEEKLY:
        parts["BYDAY"] = weekday
    else:
        parts["BYDAY"] = f"{monthly_ordinal(local.date())}{weekday}"
    text: bytes = vRecur(parts).to_ical()  # type: ignore[no-untyped-call]  # icalendar: untyped
    return text.decode()
