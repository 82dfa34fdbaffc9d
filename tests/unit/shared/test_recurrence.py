"""A recurrence rule's instances, read in the zone of its first start."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from subgraphs.shared.recurrence import MAX_INSTANCES, instances

BERLIN = ZoneInfo("Europe/Berlin")


def test_weekly_instances_keep_their_wall_clock_time_across_a_dst_change() -> None:
    first = datetime(2027, 3, 23, 10, 0, tzinfo=BERLIN)
    found = instances("FREQ=WEEKLY;COUNT=3", first)
    assert [(m.day, m.hour, m.utcoffset()) for m in found] == [
        (23, 10, first.utcoffset()),
        (30, 10, datetime(2027, 3, 30, 10, tzinfo=BERLIN).utcoffset()),
        (6, 10, datetime(2027, 4, 6, 10, tzinfo=BERLIN).utcoffset()),
    ]
    assert found[0].utcoffset() != found[1].utcoffset()


def test_a_rule_without_an_end_stops_at_the_bound() -> None:
    first = datetime(2027, 1, 5, 9, 0, tzinfo=BERLIN)
    assert len(instances("FREQ=DAILY", first)) == MAX_INSTANCES
