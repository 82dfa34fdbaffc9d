"""Where the rest of a series goes when one occurrence moves: weekly, monthly, across DST."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from subgraphs.appointments.series.moves import Move, frequency_of
from subgraphs.appointments.series.rules import Frequency
from subgraphs.shared.errors import BadUserInput

BERLIN = ZoneInfo("Europe/Berlin")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def move(rule: str, pivot: datetime, new: datetime) -> Move:
    return Move.of(rule=rule, time_zone="Europe/Berlin", pivot_start=pivot, new_start=new)


def test_the_frequency_is_read_from_the_rule() -> None:
    assert frequency_of("FREQ=WEEKLY;COUNT=4;BYDAY=TU") is Frequency.WEEKLY
    assert frequency_of("FREQ=MONTHLY;INTERVAL=2;COUNT=3;BYDAY=2TU") is Frequency.MONTHLY


def test_weekly_occurrences_move_by_the_same_days_to_the_same_local_time_across_dst() -> None:
    # Tuesday 26 March 09:00 (CET) to Thursday 28 March 10:30; Berlin goes to CEST on the 31st.
    rest = move("FREQ=WEEKLY;COUNT=4;BYDAY=TU", local(2030, 3, 26, 9), local(2030, 3, 28, 10, 30))
    later = rest.start_for(local(2030, 4, 2, 9).astimezone(UTC))
    assert later.astimezone(BERLIN) == local(2030, 4, 4, 10, 30)
    assert later == datetime(2030, 4, 4, 8, 30, tzinfo=UTC)  # CEST: two hours ahead now
    assert rest.start_for(local(2030, 3, 26, 9)) == datetime(2030, 3, 28, 9, 30, tzinfo=UTC)


def test_a_weekly_series_moves_to_an_earlier_weekday() -> None:
    rest = move(
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU", local(2030, 3, 19, 9), local(2030, 3, 18, 9)
    )
    assert rest.start_for(local(2030, 4, 2, 9)).astimezone(BERLIN) == local(2030, 4, 1, 9)


def test_monthly_occurrences_keep_their_weekday_of_the_month() -> None:
    # The 3rd Tuesday (19 March) to the 3rd Thursday (21 March): April's is the 18th.
    rest = move("FREQ=MONTHLY;COUNT=4;BYDAY=3TU", local(2030, 3, 19, 9), local(2030, 3, 21, 14))
    assert rest.start_for(local(2030, 4, 16, 9)).astimezone(BERLIN) == local(2030, 4, 18, 14)
    # A last weekday stays the last one.
    last = move("FREQ=MONTHLY;COUNT=4;BYDAY=-1FR", local(2030, 3, 29, 9), local(2030, 3, 28, 9))
    assert last.start_for(local(2030, 4, 26, 9)).astimezone(BERLIN) == local(2030, 4, 25, 9)


@pytest.mark.parametrize(
    ("rule", "new"),
    [
        ("FREQ=WEEKLY;COUNT=4;BYDAY=TU", local(2030, 3, 26, 9)),  # a week on
        ("FREQ=WEEKLY;COUNT=4;BYDAY=TU", local(2030, 3, 12, 9)),  # a week back
        ("FREQ=MONTHLY;COUNT=4;BYDAY=3TU", local(2030, 4, 1, 9)),  # into the next month
        ("FREQ=WEEKLY;COUNT=4;BYDAY=TU", local(2030, 3, 19, 9)),  # where it is already
    ],
)
def test_moves_outside_the_occurrences_week_or_month_are_refused(rule: str, new: datetime) -> None:
    with pytest.raises(BadUserInput) as refused:
        move(rule, local(2030, 3, 19, 9), new)
    assert refused.value.details["field"] == "start"


def test_a_start_without_an_offset_is_refused() -> None:
    with pytest.raises(BadUserInput):
        move("FREQ=WEEKLY;COUNT=4;BYDAY=TU", local(2030, 3, 19, 9), datetime(2030, 3, 20, 9))
