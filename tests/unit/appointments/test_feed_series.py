"""What the feed says a series never booked: the booking's refusals, not a move's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from subgraphs.appointments.models import SeriesRow
from subgraphs.appointments.service.feeds import refused_starts


def test_refused_starts_are_the_booking_s_refusals_not_occurrences_a_move_left_behind() -> None:
    series = SeriesRow(
        id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        doctor_id=uuid.uuid4(),
        doctor_user_id=uuid.uuid4(),
        rule="FREQ=WEEKLY;COUNT=4;BYDAY=TU",
        time_zone="Europe/Berlin",
        first_start=datetime(2030, 3, 19, 8, tzinfo=UTC),
        refused=[
            {"start": "2030-03-26T08:00:00+00:00", "code": "SLOT_TAKEN", "message": "Taken."},
            {"start": "2030-04-11T07:00:00+00:00", "code": "SLOT_TAKEN", "moved": "request"},
        ],
    )
    assert refused_starts(series) == [datetime(2030, 3, 26, 8, tzinfo=UTC)]
