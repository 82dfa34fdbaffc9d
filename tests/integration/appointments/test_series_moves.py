"""Rescheduling the rest of a series through the service on a real store: each move checked
as a reschedule, modes, dry runs, keys, DST, and who may."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from subgraphs.appointments.domain import Actor, Policy
from subgraphs.appointments.errors import OutsideAvailability, RescheduleLimitReached, TooLate
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import lifecycle, series_changes, series_moves
from subgraphs.appointments.service import series as service
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.series_report import Booking
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, Conflict, NotFound
from subgraphs.shared.outbox import OutboxMessage
from tests.integration.appointments.support import Clock, FakeAvailability, make_deps, patient
from tests.integration.appointments.test_series import WEEKS, book

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAYS = [datetime(2030, 3, 28, 9, 30, tzinfo=UTC), datetime(2030, 4, 4, 8, 30, tzinfo=UTC)]
THURSDAYS.append(THURSDAYS[1] + timedelta(weeks=1))
"""Occurrences 2 to 4 at 10:30 Berlin on Thursdays: CET, then CEST from 31 March."""


@pytest.fixture
def berlin(availability: FakeAvailability) -> uuid.UUID:
    return availability.add(time_zone="Europe/Berlin")


async def booked(deps: Deps, who: Actor, doctor: uuid.UUID) -> tuple[uuid.UUID, list[uuid.UUID]]:
    booking = await book(deps, who, doctor)
    assert booking.series is not None
    return booking.series.id, [o.appointment.id for o in booking.occurrences if o.appointment]


async def move(
    deps: Deps,
    who: Actor,
    series_id: uuid.UUID,
    pivot: uuid.UUID,
    *,
    start: datetime = THURSDAYS[0],
    mode: service.Mode = service.Mode.ALL_OR_NOTHING,
    dry_run: bool = False,
    key: str = "move-1",
) -> Booking:
    return await series_moves.reschedule_rest(
        deps=deps,
        actor=who,
        series_id=series_id,
        from_appointment_id=pivot,
        start=start,
        reason="New working hours",
        idempotency_key=key,
        mode=mode,
        dry_run=dry_run,
    )


async def starts(db: Database, series_id: uuid.UUID) -> list[tuple[datetime, str]]:
    rows = await series_changes.appointments(db=db, series_id=series_id)
    return [(row.starts_at, row.status) for row in rows]


async def test_the_rest_moves_to_thursdays_at_the_same_local_time_across_dst(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    for confirmed in ids[:2]:
        await lifecycle.confirm(
            deps=deps, actor=availability.user_of(berlin), appointment_id=confirmed
        )
    outcome = await move(deps, who, series_id, ids[1])
    assert [(o.previous_start, o.start, o.refusal) for o in outcome.occurrences] == [
        (WEEKS[1], THURSDAYS[0], None),
        (WEEKS[2], THURSDAYS[1], None),
        (WEEKS[3], THURSDAYS[2], None),
    ]
    assert {o.start.astimezone(BERLIN).strftime("%a %H:%M") for o in outcome.occurrences} == {
        "Thu 10:30"
    }
    assert [o.appointment.id for o in outcome.occurrences if o.appointment] == ids[1:]
    # A patient's move waits for the doctor again; the first occurrence stays.
    assert await starts(db, series_id) == [
        (WEEKS[0], "CONFIRMED"),
        *((start, "PENDING") for start in THURSDAYS),
    ]
    async with db.session() as session:
        moved = (
            await session.exec(
                select(OutboxMessage).where(
                    col(OutboxMessage.event_type) == "AppointmentRescheduled"
                )
            )
        ).all()
        rows = (await session.exec(select(AppointmentRow))).all()
    assert sorted(e.payload["appointment_id"] for e in moved) == sorted(str(i) for i in ids[1:])
    async with db.session() as session:
        [together] = (
            await session.exec(
                select(OutboxMessage).where(
                    col(OutboxMessage.event_type) == "AppointmentSeriesRescheduled"
                )
            )
        ).all()
    assert [(o["previous_start"], o["start"]) for o in together.payload["occurrences"]] == [
        (before.isoformat(), after.isoformat())
        for before, after in zip(WEEKS[1:], THURSDAYS, strict=True)
    ]
    assert together.payload["rescheduled_by"] == "PATIENT"
    assert {e.payload["series_event_id"] for e in moved} == {str(together.id)}
    assert sorted(row.reschedule_count for row in rows) == [0, 1, 1, 1]
    # Each occurrence still names the rule instance it was booked at (its RECURRENCE-ID).
    assert sorted(row.recurrence_start for row in rows if row.recurrence_start) == WEEKS


async def test_all_or_nothing_moves_none_when_one_new_time_is_not_offered(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    availability.doctors[berlin].offers = lambda start: start != THURSDAYS[1]
    with pytest.raises(OutsideAvailability) as refused:
        await move(deps, who, series_id, ids[1])
    assert refused.value.details["occurrence"] == 2
    assert refused.value.details["occurrenceStart"] == THURSDAYS[1].isoformat()
    assert [start for start, _ in await starts(db, series_id)] == WEEKS


async def test_book_available_moves_the_rest_and_a_repeat_reports_the_same(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    other = patient()  # another patient holds the doctor's Thursday in CEST
    await lifecycle.book(
        deps=deps,
        actor=other,
        doctor_id=berlin,
        start=THURSDAYS[1],
        reason=None,
        idempotency_key="o",
    )
    outcome = await move(deps, who, series_id, ids[1], mode=service.Mode.BOOK_AVAILABLE)
    report = [(o.previous_start, o.start, o.refusal) for o in outcome.occurrences]
    assert report == [
        (WEEKS[1], THURSDAYS[0], None),
        (WEEKS[2], THURSDAYS[1], "SLOT_TAKEN"),
        (WEEKS[3], THURSDAYS[2], None),
    ]
    after = [WEEKS[0], THURSDAYS[0], WEEKS[2], THURSDAYS[2]]
    assert [start for start, _ in await starts(db, series_id)] == after
    again = await move(deps, who, series_id, ids[1], mode=service.Mode.BOOK_AVAILABLE)
    assert [(o.previous_start, o.start, o.refusal) for o in again.occurrences] == report
    assert [o.appointment.id for o in again.occurrences if o.appointment] == [ids[1], ids[3]]
    with pytest.raises(Conflict):  # the same key with another request
        await move(deps, who, series_id, ids[1], start=THURSDAYS[0] + timedelta(hours=1))
    assert [start for start, _ in await starts(db, series_id)] == after
    # The series booking's own repeat still reports the booking, not the move's refusals.
    booking = await book(deps, who, berlin)
    assert [o.refusal for o in booking.occurrences] == [None, None, None, None]


async def test_a_dry_run_moves_nothing_and_leaves_the_key_unused(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    availability.doctors[berlin].offers = lambda start: start != THURSDAYS[2]
    report = await move(deps, who, series_id, ids[1], dry_run=True)
    assert report.series is None
    assert [o.refusal for o in report.occurrences] == [None, None, "OUTSIDE_AVAILABILITY"]
    assert [start for start, _ in await starts(db, series_id)] == WEEKS
    outcome = await move(deps, who, series_id, ids[1], mode=service.Mode.BOOK_AVAILABLE)
    assert [o.appointment is not None for o in outcome.occurrences] == [True, True, False]


async def test_a_patient_inside_the_pivots_cutoff_moves_none(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID, clock: Clock
) -> None:
    deps = make_deps(db, availability=availability, clock=clock)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    clock.now = WEEKS[1] - timedelta(hours=3)
    with pytest.raises(TooLate) as refused:
        await move(deps, who, series_id, ids[1])
    assert refused.value.details["occurrence"] == 1
    # The doctor is not bound by the patients' cut-off.
    outcome = await move(deps, availability.user_of(berlin), series_id, ids[1])
    assert [o.start for o in outcome.occurrences] == THURSDAYS
    assert [s for s, status in await starts(db, series_id)][1:] == THURSDAYS


async def test_an_occurrence_at_its_reschedule_limit_is_refused(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability, policy=Policy(max_reschedules=1))
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    await lifecycle.reschedule(
        deps=deps, actor=who, appointment_id=ids[3], start=WEEKS[3] + timedelta(hours=1)
    )
    with pytest.raises(RescheduleLimitReached):
        await move(deps, who, series_id, ids[1])
    outcome = await move(deps, who, series_id, ids[1], mode=service.Mode.BOOK_AVAILABLE)
    assert [o.refusal for o in outcome.occurrences] == [None, None, "RESCHEDULE_LIMIT_REACHED"]
    # The occurrence moved on its own moves with the rest: to Thursday at the new time.
    assert outcome.occurrences[2].start == THURSDAYS[2]


async def test_who_may_move_what(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    with pytest.raises(NotFound):
        await move(deps, patient(), series_id, ids[1])
    _, others = await booked(deps, patient(), availability.add(time_zone="Europe/Berlin"))
    with pytest.raises(BadUserInput) as not_ours:
        await move(deps, who, series_id, others[1])
    assert not_ours.value.details["field"] == "fromAppointmentId"
    with pytest.raises(BadUserInput) as too_far:
        await move(deps, who, series_id, ids[1], start=WEEKS[2])
    assert too_far.value.details["field"] == "start"
    await lifecycle.cancel(deps=deps, actor=who, appointment_id=ids[1], reason=None)
    with pytest.raises(Conflict):
        await move(deps, who, series_id, ids[1])
    assert [start for start, _ in await starts(db, series_id)] == WEEKS


async def test_concurrent_repeats_of_one_move_move_once(
    db: Database, availability: FakeAvailability, berlin: uuid.UUID
) -> None:
    deps = make_deps(db, availability=availability)
    who = patient()
    series_id, ids = await booked(deps, who, berlin)
    results = await asyncio.gather(*(move(deps, who, series_id, ids[1]) for _ in range(3)))
    assert {tuple(o.start for o in result.occurrences) for result in results} == {tuple(THURSDAYS)}
    async with db.session() as session:
        rows = (await session.exec(select(AppointmentRow))).all()
    assert sorted(row.reschedule_count for row in rows) == [0, 1, 1, 1]
