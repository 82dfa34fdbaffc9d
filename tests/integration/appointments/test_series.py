"""Recurring series through the service on a real store: modes, dry runs, keys, DST, cancel."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.errors import OutsideAvailability, SlotTaken, TooLate
from subgraphs.appointments.models import AppointmentRow, SeriesRow
from subgraphs.appointments.series.rules import Frequency, SeriesRule
from subgraphs.appointments.service import lifecycle, series_changes
from subgraphs.appointments.service import series as service
from subgraphs.appointments.service.availability import SlotAnswer
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.series_report import Booking
from subgraphs.shared.database import Database
from subgraphs.shared.errors import Conflict, Forbidden, NotFound
from subgraphs.shared.outbox import OutboxMessage
from tests.integration.appointments.support import Clock, FakeAvailability, make_deps, patient

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2030, 3, 19, 8, 0, tzinfo=UTC)
"""A Tuesday, 09:00 in Berlin (CET); Berlin moves to CEST on Sunday 31 March 2030."""
WEEKLY_4 = SeriesRule(Frequency.WEEKLY, count=4)
WEEKS = [FIRST, FIRST + timedelta(weeks=1), datetime(2030, 4, 2, 7, tzinfo=UTC)]
WEEKS.append(WEEKS[2] + timedelta(weeks=1))


async def book(
    deps: Deps,
    who: Actor,
    doctor: uuid.UUID,
    *,
    mode: service.Mode = service.Mode.ALL_OR_NOTHING,
    dry_run: bool = False,
    key: str = "series-1",
    rule: SeriesRule = WEEKLY_4,
) -> Booking:
    return await service.book_series(
        deps=deps,
        actor=who,
        doctor_id=doctor,
        start=FIRST,
        rule=rule,
        reason="Physiotherapy",
        idempotency_key=key,
        mode=mode,
        dry_run=dry_run,
    )


async def counts(db: Database) -> tuple[int, int]:
    async with db.session() as session:
        appointments = (await session.exec(select(func.count()).select_from(AppointmentRow))).one()
        series = (await session.exec(select(func.count()).select_from(SeriesRow))).one()
    return int(appointments), int(series)


async def outbox_of(db: Database, event_type: str) -> list[OutboxMessage]:
    async with db.session() as session:
        statement = select(OutboxMessage).where(col(OutboxMessage.event_type) == event_type)
        return list((await session.exec(statement)).all())


@pytest.fixture
def berlin(availability: FakeAvailability) -> uuid.UUID:
    return availability.add(time_zone="Europe/Berlin")


async def test_a_weekly_series_keeps_nine_oclock_local_across_dst(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    who = patient()
    booking = await book(make_deps(db, availability=availability), who, berlin)
    assert booking.series is not None
    assert booking.series.rule == "FREQ=WEEKLY;COUNT=4;BYDAY=TU"
    assert booking.series.time_zone == "Europe/Berlin"
    rows = [o.appointment for o in booking.occurrences]
    assert all(row is not None for row in rows)
    assert [row.starts_at for row in rows if row] == WEEKS
    assert {row.starts_at.astimezone(BERLIN).hour for row in rows if row} == {9}
    assert {row.series_id for row in rows if row} == {booking.series.id}
    assert {row.status for row in rows if row} == {"PENDING"}
    async with db.session() as session:
        events = (
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.event_type) == "AppointmentBooked")
            )
        ).all()
    assert len(events) == 4  # each occurrence announced as a booking of its own
    [together] = await outbox_of(db, "AppointmentSeriesBooked")
    assert together.payload["series_id"] == str(booking.series.id)
    assert together.payload["rule"] == "FREQ=WEEKLY;COUNT=4;BYDAY=TU"
    assert [o["appointment_id"] for o in together.payload["occurrences"]] == [
        str(row.id) for row in rows if row
    ]
    assert "reason" not in together.payload  # the patient's reason never leaves the store
    # Each occurrence's own event names the series event people are told about instead.
    assert {e.payload["series_event_id"] for e in events} == {str(together.id)}
    assert {e.payload["series_id"] for e in events} == {str(booking.series.id)}
    # What a calendar's recurring event needs: the rule from its first start, the instances.
    assert together.payload["first_start"] == WEEKS[0].isoformat()
    assert together.payload["refused_starts"] == []
    assert [o["recurrence_start"] for o in together.payload["occurrences"]] == [
        start.isoformat() for start in WEEKS
    ]
    assert sorted(e.payload["recurrence_start"] for e in events) == [
        start.isoformat() for start in WEEKS
    ]


async def test_all_or_nothing_writes_nothing_when_one_occurrence_is_taken(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    other = patient()
    await lifecycle.book(
        deps=deps, actor=other, doctor_id=berlin, start=WEEKS[2], reason=None, idempotency_key="o"
    )
    with pytest.raises(SlotTaken) as refused:
        await book(deps, patient(), berlin)
    assert refused.value.details["occurrence"] == 3
    assert refused.value.details["occurrenceStart"] == WEEKS[2].isoformat()
    assert "Occurrence 3" in refused.value.message
    assert await counts(db) == (1, 0)


async def test_book_available_books_the_rest_and_reports_the_refused(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    availability.doctors[berlin].offers = lambda start: start != WEEKS[1]
    who = patient()
    booking = await book(deps, who, berlin, mode=service.Mode.BOOK_AVAILABLE)
    assert [(o.start, o.refusal) for o in booking.occurrences] == [
        (WEEKS[0], None),
        (WEEKS[1], "OUTSIDE_AVAILABILITY"),
        (WEEKS[2], None),
        (WEEKS[3], None),
    ]
    assert booking.occurrences[1].appointment is None
    assert await counts(db) == (3, 1)
    [together] = await outbox_of(db, "AppointmentSeriesBooked")
    assert together.payload["refused_starts"] == [WEEKS[1].isoformat()]  # its master's EXDATE
    again = await book(deps, who, berlin, mode=service.Mode.BOOK_AVAILABLE)
    assert again.series is not None
    assert booking.series is not None
    assert again.series.id == booking.series.id
    assert [(o.start, o.refusal) for o in again.occurrences] == [
        (o.start, o.refusal) for o in booking.occurrences
    ]
    assert await counts(db) == (3, 1)


async def test_book_available_with_nothing_bookable_is_refused(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    availability.doctors[berlin].offers = lambda _start: False
    with pytest.raises(OutsideAvailability):
        await book(
            make_deps(db, availability=availability),
            patient(),
            berlin,
            mode=service.Mode.BOOK_AVAILABLE,
        )
    assert await counts(db) == (0, 0)


async def test_a_dry_run_reports_and_writes_nothing(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    await lifecycle.book(
        deps=deps,
        actor=patient(),
        doctor_id=berlin,
        start=WEEKS[3],
        reason=None,
        idempotency_key="o",
    )
    who = patient()
    report = await book(deps, who, berlin, dry_run=True)
    assert report.series is None
    assert [o.refusal for o in report.occurrences] == [None, None, None, "SLOT_TAKEN"]
    assert report.occurrences[0].end == WEEKS[0] + timedelta(minutes=30)
    assert await counts(db) == (1, 0)
    # The key was not used up: the real booking with it goes ahead.
    booking = await book(deps, who, berlin, mode=service.Mode.BOOK_AVAILABLE)
    assert [o.appointment is not None for o in booking.occurrences] == [True, True, True, False]


async def test_the_patients_own_appointment_refuses_an_occurrence(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    elsewhere = availability.add(time_zone="Europe/Berlin")
    await lifecycle.book(
        deps=deps, actor=who, doctor_id=elsewhere, start=WEEKS[1], reason=None, idempotency_key="x"
    )
    report = await book(deps, who, berlin, dry_run=True)
    assert [o.refusal for o in report.occurrences] == [None, "SLOT_TAKEN", None, None]


async def test_occurrences_past_the_booking_window_are_refused(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    report = await book(
        make_deps(db, availability=availability),
        patient(),
        berlin,
        dry_run=True,
        rule=SeriesRule(Frequency.MONTHLY, count=4),
    )
    # Tuesdays 19 March, 16 April, 21 May, 18 June: the last beyond 90 days from 4 March.
    assert [o.refusal for o in report.occurrences] == [None, None, None, "OUTSIDE_AVAILABILITY"]


async def test_a_repeated_key_returns_the_series_and_another_request_is_conflict(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    first = await book(deps, who, berlin)
    again = await book(deps, who, berlin)
    assert first.series is not None
    assert again.series is not None
    assert again.series.id == first.series.id
    assert [o.appointment.id for o in again.occurrences if o.appointment] == [
        o.appointment.id for o in first.occurrences if o.appointment
    ]
    with pytest.raises(Conflict):
        await book(deps, who, berlin, rule=SeriesRule(Frequency.WEEKLY, count=3))
    with pytest.raises(Conflict):
        await lifecycle.book(
            deps=deps,
            actor=who,
            doctor_id=berlin,
            start=FIRST,
            reason="Physiotherapy",
            idempotency_key="series-1",
        )
    assert await counts(db) == (4, 1)


async def test_only_patients_book_series(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    with pytest.raises(Forbidden):
        await book(make_deps(db, availability=availability), availability.user_of(berlin), berlin)


async def test_cancelling_the_rest_cancels_from_an_occurrence_on(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    booking = await book(deps, who, berlin)
    assert booking.series is not None
    rows = [o.appointment for o in booking.occurrences if o.appointment]
    cancelled = await series_changes.cancel_rest(
        deps=deps,
        actor=who,
        series_id=booking.series.id,
        from_appointment_id=rows[2].id,
        reason="Feeling better",
    )
    assert [row.id for row in cancelled] == [rows[2].id, rows[3].id]
    after = await series_changes.appointments(db=deps.db, series_id=booking.series.id)
    assert [row.status for row in after] == ["PENDING", "PENDING", "CANCELLED", "CANCELLED"]
    async with db.session() as session:
        events = (
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.event_type) == "AppointmentCancelled")
            )
        ).all()
    assert sorted(e.payload["appointment_id"] for e in events) == sorted(
        str(row.id) for row in cancelled
    )
    [together] = await outbox_of(db, "AppointmentSeriesCancelled")
    assert [o["appointment_id"] for o in together.payload["occurrences"]] == [
        str(row.id) for row in cancelled
    ]
    assert together.payload["cancelled_by"] == "PATIENT"
    assert together.payload["reason"] == "Feeling better"
    assert {e.payload["series_event_id"] for e in events} == {str(together.id)}


async def test_cancelling_all_future_occurrences_skips_the_past(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID, clock: Clock
) -> None:
    deps = make_deps(db, availability=availability, clock=clock)
    who = patient()
    booking = await book(deps, who, berlin)
    assert booking.series is not None
    clock.now = WEEKS[1] + timedelta(hours=1)  # the first two have started
    doctor = availability.user_of(berlin)
    cancelled = await series_changes.cancel_rest(
        deps=deps,
        actor=doctor,
        series_id=booking.series.id,
        from_appointment_id=None,
        reason="On leave",
    )
    assert [row.starts_at for row in cancelled] == WEEKS[2:]


async def test_a_patient_past_an_occurrences_cutoff_cancels_none(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID, clock: Clock
) -> None:
    deps = make_deps(db, availability=availability, clock=clock)
    who = patient()
    booking = await book(deps, who, berlin)
    assert booking.series is not None
    clock.now = WEEKS[0] - timedelta(hours=2)  # inside the first one's 24-hour cut-off
    with pytest.raises(TooLate):
        await series_changes.cancel_rest(
            deps=deps,
            actor=who,
            series_id=booking.series.id,
            from_appointment_id=None,
            reason=None,
        )
    after = await series_changes.appointments(db=deps.db, series_id=booking.series.id)
    assert {row.status for row in after} == {"PENDING"}


async def test_another_patient_cannot_cancel_or_read_the_series(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    booking = await book(deps, patient(), berlin)
    assert booking.series is not None
    stranger = patient()
    with pytest.raises(NotFound):
        await series_changes.cancel_rest(
            deps=deps,
            actor=stranger,
            series_id=booking.series.id,
            from_appointment_id=None,
            reason=None,
        )
    assert await series_changes.get(db=db, actor=stranger, series_id=booking.series.id) is None
    doctor = availability.user_of(berlin)
    assert await series_changes.get(db=db, actor=doctor, series_id=booking.series.id)


async def test_one_occurrence_is_rescheduled_and_cancelled_on_its_own(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    booking = await book(deps, who, berlin)
    assert booking.series is not None
    rows = [o.appointment for o in booking.occurrences if o.appointment]
    moved = await lifecycle.reschedule(
        deps=deps, actor=who, appointment_id=rows[1].id, start=WEEKS[1] + timedelta(hours=2)
    )
    assert moved.series_id == booking.series.id  # still an occurrence of the series
    await lifecycle.cancel(deps=deps, actor=who, appointment_id=rows[3].id, reason=None)
    [one] = await outbox_of(db, "AppointmentCancelled")
    assert one.payload["series_id"] == str(booking.series.id)
    assert one.payload["recurrence_start"] == WEEKS[3].isoformat()  # its instance, to update
    [alone] = await outbox_of(db, "AppointmentRescheduled")
    assert alone.payload["recurrence_start"] == WEEKS[1].isoformat()  # unchanged by the move
    assert one.payload["series_event_id"] is None  # told about on its own
    after = await series_changes.appointments(db=deps.db, series_id=booking.series.id)
    assert [(row.starts_at, row.status) for row in after] == [
        (WEEKS[0], "PENDING"),
        (WEEKS[1] + timedelta(hours=2), "PENDING"),
        (WEEKS[2], "PENDING"),
        (WEEKS[3], "CANCELLED"),
    ]


@dataclass
class TakenMeanwhile(FakeAvailability):
    """While the series is being checked, another patient books its first occurrence's time."""

    deps: Deps | None = None
    at: datetime = WEEKS[3]
    taken: bool = False

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None:
        if start == self.at and not self.taken and self.deps is not None:
            self.taken = True
            await lifecycle.book(
                deps=self.deps,
                actor=patient(),
                doctor_id=doctor_id,
                start=WEEKS[0],
                reason=None,
                idempotency_key="meanwhile",
            )
        return await super().check(
            doctor_id=doctor_id, start=start, ignore_appointment_id=ignore_appointment_id
        )


@pytest.mark.parametrize("mode", list(service.Mode))
async def test_an_occurrence_taken_during_the_checks_is_caught_in_the_transaction(
    db: Database, mode: service.Mode
) -> None:
    availability = TakenMeanwhile()
    doctor = availability.add(time_zone="Europe/Berlin")
    deps = make_deps(db, availability=availability)
    availability.deps = deps
    if mode is service.Mode.ALL_OR_NOTHING:
        with pytest.raises(SlotTaken) as refused:
            await book(deps, patient(), doctor, mode=mode)
        assert refused.value.details["occurrence"] == 1
        assert await counts(db) == (1, 0)  # only the other patient's booking
        return
    booking = await book(deps, patient(), doctor, mode=mode)
    assert [o.refusal for o in booking.occurrences] == ["SLOT_TAKEN", None, None, None]
    assert await counts(db) == (4, 1)


async def test_concurrent_repeats_of_one_series_request_make_one_series(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    results = await asyncio.gather(*(book(deps, who, berlin) for _ in range(3)))
    ids = {result.series.id for result in results if result.series}
    assert len(ids) == 1
    assert await counts(db) == (4, 1)
