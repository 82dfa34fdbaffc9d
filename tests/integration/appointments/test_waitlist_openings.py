"""Offers for new availability on both stores: a doctor opens time (`AvailabilityChanged`)
and their waiting patients get its slots offered, with the rules of a freed slot."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta

import pytest

from subgraphs.appointments import consumers
from subgraphs.appointments.service import waitlist, waitlist_offers, waitlist_openings
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.openings import DoctorOpenings
from subgraphs.appointments.waitlist.rules import Wish
from subgraphs.shared.database import Database
from subgraphs.shared.errors import DomainError
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.settings import Settings
from tests.integration.appointments.support import (
    NOW,
    Clock,
    FakeAvailability,
    at,
    make_deps,
    patient,
)
from tests.integration.appointments.test_waitlist import (
    HOLD,
    WEEK,
    active_at,
    book,
    join_in_turn,
    offers_of,
    resources_of,
)


@pytest.fixture
def deps(db: Database, availability: FakeAvailability, clock: Clock) -> Deps:
    return make_deps(db, availability=availability, clock=clock)


def changed(doctor: uuid.UUID) -> EventEnvelope:
    return EventEnvelope(
        id=str(uuid.uuid4()),
        type="AvailabilityChanged",
        version=1,
        source="doctors",
        occurred_at=NOW.isoformat(),
        payload={"doctor_id": str(doctor)},
    )


def only_at(*starts: datetime) -> Callable[[datetime], bool]:
    return lambda start: start in starts


async def test_new_time_is_offered_in_line_order_one_offer_each_and_held(
    deps: Deps, db: Database, availability: FakeAvailability, clock: Clock, settings: Settings
) -> None:
    doctor = availability.add(offers=lambda _start: False)  # nothing open yet
    first, second, third = patient(), patient(), patient()
    await join_in_turn(deps, doctor, (first, WEEK), (second, WEEK), (third, WEEK))
    # The doctor opens two slots on Wednesday (an ad-hoc slot, a new rule: the same event).
    availability.doctors[doctor].offers = only_at(at(2, 10), at(2, 11))
    resources = resources_of(deps, db, settings)
    event = changed(doctor)
    await consumers.handle(event, resources)
    await consumers.handle(event, resources)  # redelivered: nothing offered twice

    offers = await offers_of(db)
    assert [(o.patient_id, o.slot_start, o.state) for o in offers] == [
        (first.user_id, at(2, 10), "OFFERED"),
        (second.user_id, at(2, 11), "OFFERED"),
    ]
    assert offers[0].expires_at == clock.now + HOLD
    assert offers[0].freed_appointment_id is None
    for outsider in (third, patient()):  # held: nobody else books them meanwhile
        with pytest.raises(DomainError) as error:
            await book(deps, outsider, doctor, 2, 10)
        assert error.value.code == "SLOT_TAKEN"

    taken = await waitlist_offers.accept(deps=deps, actor=second, offer_id=offers[1].id)
    assert taken.starts_at == at(2, 11)
    clock.advance(HOLD)  # the first lets the hold run out: it passes to the third
    passed = await waitlist_offers.expire_due(deps)
    assert [(o.patient_id, o.slot_start) for o in passed] == [(third.user_id, at(2, 10))]
    appointment = await waitlist_offers.accept(deps=deps, actor=third, offer_id=passed[0].id)
    assert [a.id for a in await active_at(db, doctor, 2, 10)] == [appointment.id]


async def test_only_slots_that_suit_an_entry_are_offered_the_earliest_first(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add(offers=lambda _start: False)
    day = NOW.date() + timedelta(days=3)
    late, early = patient(), patient()
    await join_in_turn(
        deps,
        doctor,
        (late, Wish(day, day, time(11), time(12))),
        (early, Wish(day, day + timedelta(days=1), time(9), time(10))),
    )
    availability.doctors[doctor].offers = lambda _start: True  # 09:00-12:00 every day
    made = await waitlist_openings.availability_changed(deps, doctor_id=doctor)
    assert sorted((o.patient_id, o.slot_start) for o in made) == sorted(
        [(late.user_id, at(3, 11)), (early.user_id, at(3, 9))]
    )


async def test_only_the_waiting_entries_days_are_asked_for(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    asked: list[list[tuple[datetime, datetime]]] = []
    original = availability.openings

    async def spy(
        *, doctor_id: uuid.UUID, ranges: Sequence[tuple[datetime, datetime]]
    ) -> DoctorOpenings | None:
        asked.append(list(ranges))
        return await original(doctor_id=doctor_id, ranges=ranges)

    doctor = availability.add(offers=lambda _start: False)
    await waitlist_openings.availability_changed(deps, doctor_id=doctor, finder=availability)
    assert availability.calls == 0  # nobody waits: the doctors subgraph is not asked
    day = NOW.date() + timedelta(days=10)
    await waitlist.join(deps=deps, actor=patient(), doctor_id=doctor, wish=Wish(day, day))
    await waitlist.join(
        deps=deps,
        actor=patient(),
        doctor_id=doctor,
        wish=Wish(day + timedelta(days=40), day + timedelta(days=41)),
    )
    availability.openings = spy  # type: ignore[method-assign]  # a spy on the fake
    await waitlist_openings.availability_changed(deps, doctor_id=doctor, finder=availability)
    [ranges] = asked
    assert len(ranges) == 2  # two short ranges, not the fifty days between
    assert all(end - start <= timedelta(days=4) for start, end in ranges)


async def test_no_offer_for_a_slot_gone_before_it_is_offered(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add(offers=only_at(at(2, 10)))
    who = patient()
    await waitlist.join(deps=deps, actor=who, doctor_id=doctor, wish=WEEK)
    await book(deps, patient(), doctor, 2, 10)  # someone else booked it first
    assert await waitlist_openings.availability_changed(deps, doctor_id=doctor) == []
    assert await offers_of(db) == []


async def test_replicas_hearing_the_change_at_once_make_one_offer_per_slot_and_entry(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    replicas = [make_deps(db, availability=availability, clock=clock) for _ in range(3)]
    doctor = availability.add(offers=lambda _start: False)
    line = [patient() for _ in range(3)]
    await join_in_turn(replicas[0], doctor, *((who, WEEK) for who in line))
    availability.doctors[doctor].offers = only_at(at(2, 9), at(2, 10), at(2, 11))
    await asyncio.gather(
        *(waitlist_openings.availability_changed(r, doctor_id=doctor) for r in replicas)
    )
    offers = await offers_of(db)
    assert sorted(o.slot_start for o in offers) == [at(2, 9), at(2, 10), at(2, 11)]
    assert sorted(str(o.patient_id) for o in offers) == sorted(str(p.user_id) for p in line)
    # Everyone accepts at once: three bookings, one per slot.
    by_patient = {o.patient_id: o for o in offers}
    booked = await asyncio.gather(
        *(
            waitlist_offers.accept(deps=replicas[i], actor=who, offer_id=by_patient[who.user_id].id)
            for i, who in enumerate(line)
        )
    )
    assert len({a.starts_at for a in booked}) == 3


async def test_slots_offered_at_once_give_each_waiting_entry_one_offer(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    """Six slots offered at the same moment by six processes while two patients wait: two
    offers, one each (an entry holds one offer at a time), the rest left for others."""
    replicas = [make_deps(db, availability=availability, clock=clock) for _ in range(6)]
    doctor = availability.add()
    line = [patient(), patient()]
    await join_in_turn(replicas[0], doctor, *((who, WEEK) for who in line))
    made = await asyncio.gather(
        *(
            waitlist_offers.offer_slot(
                replica,
                doctor_id=doctor,
                start=at(2, 9) + timedelta(minutes=30 * i),
                freed_appointment_id=None,
            )
            for i, replica in enumerate(replicas)
        )
    )
    offers = [o for o in made if o is not None]
    assert sorted(str(o.patient_id) for o in offers) == sorted(str(p.user_id) for p in line)
    assert len(await offers_of(db)) == 2
