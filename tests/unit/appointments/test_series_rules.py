"""Series rules: expansion in the doctor's zone across DST, monthly weekdays, the RRULE."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import vRecur

from subgraphs.appointments.series.rules import (
    MAX_OCCURRENCES,
    Frequency,
    SeriesRule,
    occurrences,
    rrule,
)
from subgraphs.shared.errors import BadUserInput

BERLIN = "Europe/Berlin"


def local(moments: list[datetime], zone: str = BERLIN) -> list[str]:
    return [m.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") for m in moments]


def test_a_weekly_series_keeps_its_local_time_across_the_spring_change() -> None:
    # Berlin leaves CET for CEST on Sunday 31 March 2030.
    start = datetime(2030, 3, 19, 8, 0, tzinfo=UTC)  # 09:00 CET
    starts = occurrences(SeriesRule(Frequency.WEEKLY, count=4), start=start, time_zone=BERLIN)
    assert local(starts) == [
        "2030-03-19 09:00",
        "2030-03-26 09:00",
        "2030-04-02 09:00",
        "2030-04-09 09:00",
    ]
    assert [s.hour for s in starts] == [8, 8, 7, 7]
    assert all(s.tzinfo is UTC for s in starts)


def test_every_two_weeks_across_the_autumn_change() -> None:
    # Back to CET on Sunday 27 October 2030.
    start = datetime(2030, 10, 15, 7, 30, tzinfo=UTC)  # 09:30 CEST
    rule = SeriesRule(Frequency.WEEKLY, interval=2, count=3)
    starts = occurrences(rule, start=start, time_zone=BERLIN)
    assert local(starts) == ["2030-10-15 09:30", "2030-10-29 09:30", "2030-11-12 09:30"]
    assert [s.hour for s in starts] == [7, 8, 8]


def test_a_monthly_series_repeats_on_the_same_weekday_of_the_month() -> None:
    start = datetime(2030, 1, 8, 9, 0, tzinfo=UTC)  # the 2nd Tuesday of January (10:00 CET)
    rule = SeriesRule(Frequency.MONTHLY, count=5)
    starts = occurrences(rule, start=start, time_zone=BERLIN)
    assert local(starts) == [
        "2030-01-08 10:00",
        "2030-02-12 10:00",
        "2030-03-12 10:00",
        "2030-04-09 10:00",
        "2030-05-14 10:00",
    ]
    assert rrule(rule, start=start, time_zone=BERLIN) == "FREQ=MONTHLY;COUNT=5;BYDAY=2TU"


def test_a_fifth_weekday_repeats_on_the_last_one() -> None:
    start = datetime(2030, 1, 29, 9, 0, tzinfo=UTC)  # the 5th (last) Tuesday of January
    rule = SeriesRule(Frequency.MONTHLY, count=3)
    starts = occurrences(rule, start=start, time_zone=BERLIN)
    assert local(starts) == ["2030-01-29 10:00", "2030-02-26 10:00", "2030-03-26 10:00"]
    assert rrule(rule, start=start, time_zone=BERLIN).endswith("BYDAY=-1TU")


def test_until_includes_its_local_day() -> None:
    start = datetime(2030, 3, 19, 8, 0, tzinfo=UTC)
    rule = SeriesRule(Frequency.WEEKLY, until=date(2030, 4, 2))
    starts = occurrences(rule, start=start, time_zone=BERLIN)
    assert local(starts)[-1] == "2030-04-02 09:00"
    assert len(starts) == 3
    text = rrule(rule, start=start, time_zone=BERLIN)
    assert "UNTIL=20300402T215959Z" in text  # 23:59:59 CEST, in UTC as RFC 5545 asks


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        (SeriesRule(Frequency.WEEKLY, count=8), datetime(2030, 3, 12, 8, tzinfo=UTC)),
        (SeriesRule(Frequency.WEEKLY, interval=3, count=6), datetime(2030, 9, 3, 15, tzinfo=UTC)),
        (SeriesRule(Frequency.MONTHLY, interval=2, count=6), datetime(2030, 2, 14, 8, tzinfo=UTC)),
        (
            SeriesRule(Frequency.WEEKLY, until=date(2030, 11, 20)),
            datetime(2030, 10, 2, 6, tzinfo=UTC),
        ),
        (SeriesRule(Frequency.MONTHLY, count=4), datetime(2030, 1, 31, 9, tzinfo=UTC)),
    ],
)
def test_the_rrule_text_describes_exactly_the_occurrences(
    rule: SeriesRule, start: datetime
) -> None:
    """An RFC 5545 reader (dateutil) expands our RRULE, from a zoned DTSTART, to our starts."""
    text = rrule(rule, start=start, time_zone=BERLIN)
    vRecur.from_ical(text)  # icalendar parses it
    dtstart = start.astimezone(ZoneInfo(BERLIN))
    theirs = [moment.astimezone(UTC) for moment in rrulestr(text, dtstart=dtstart)]
    assert theirs == occurrences(rule, start=start, time_zone=BERLIN)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (SeriesRule(Frequency.WEEKLY), "rule.count"),
        (SeriesRule(Frequency.WEEKLY, count=3, until=date(2030, 6, 1)), "rule.count"),
        (SeriesRule(Frequency.WEEKLY, count=1), "rule.count"),
        (SeriesRule(Frequency.WEEKLY, count=MAX_OCCURRENCES + 1), "rule.count"),
        (SeriesRule(Frequency.WEEKLY, interval=0, count=3), "rule.interval"),
        (SeriesRule(Frequency.WEEKLY, until=date(2031, 12, 31)), "rule.until"),
        (SeriesRule(Frequency.WEEKLY, until=date(2030, 3, 19)), "rule.until"),
        (SeriesRule(Frequency.WEEKLY, until=date(2030, 3, 20)), "rule.until"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(rule: SeriesRule, field: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        occurrences(rule, start=datetime(2030, 3, 19, 8, tzinfo=UTC), time_zone=BERLIN)
    assert refused.value.details["field"] == field
