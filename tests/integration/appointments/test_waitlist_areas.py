"""Waiting for any doctor of a specialization in a city, on both stores: joining such an area,
its place in line, and freed or new slots of the area's doctors offered in joining order
across both kinds of entry."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from subgraphs.appointments.domain import Actor
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import waitlist, waitlist_offers, waitlist_openings
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.waitlist import AreaWish
from subgraphs.shared.database import Database
from subgraphs.shared.errors import DomainError
from tests.integration.appointments.api import Api
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
    code_of,
    offers_of,
)

CARDIOLOGY_LISBON = AreaWish("cardiology", "  lisbon ")


@pytest.fixture
def deps(db: Database, availability: FakeAvailability, clock: Clock) -> Deps:
    return make_deps(db, availability=availability, clock=clock)


async def join(
    deps: Deps,
    who: Actor,
    *,
    doctor: uuid.UUID | None = None,
    area: AreaWish | None = None,
) -> waitlist.Place:
    """Join, then a second passes (the line is in joining order)."""
    place = await waitlist.join(deps=deps, actor=who, doctor_id=doctor, area=area, wish=WEEK)
    assert isinstance(deps.clock, Clock)
    deps.clock.advance(timedelta(seconds=1))
    return place


async def free(deps: Deps, availability: FakeAvailability, doctor: uuid.UUID, hour: int) -> Any:
    """Book the doctor at `hour` in two days, let the doctor cancel, hand the slot out."""
    booked = await book(deps, patient(), doctor, 2, hour)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    return await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )


async def test_a_patient_joins_an_area_and_sees_its_place(
    deps: Deps, availability: FakeAvailability
) -> None:
    availability.add(time_zone="Europe/Lisbon")
    first, second = patient(), patient()
    joined = await join(deps, first, area=CARDIOLOGY_LISBON)
    assert (joined.entry.doctor_id, joined.entry.specialization, joined.entry.city) == (
        None,
        "cardiology",
        "Lisbon",
    )
    assert (joined.position, joined.entry.time_zone) == (1, "Europe/Lisbon")
    assert (await join(deps, second, area=AreaWish("Cardiology", "LISBON"))).position == 2
    with pytest.raises(DomainError) as error:
        await join(deps, first, area=AreaWish("cardiology", "Lisbon"))
    assert error.value.code == "ALREADY_ON_WAITLIST"
    [mine] = await waitlist.mine(deps=deps, actor=second)
    assert (mine.entry.city, mine.position) == ("Lisbon", 2)


@pytest.mark.parametrize(
    ("doctor", "area", "expected"),
    [
        (True, CARDIOLOGY_LISBON, ("BAD_USER_INPUT", "doctorId")),  # both forms
        (False, None, ("BAD_USER_INPUT", "doctorId")),  # neither
        (False, AreaWish("astrology", "Lisbon"), ("BAD_USER_INPUT", "specialization")),
        (False, AreaWish("cardiology", "Porto"), ("BAD_USER_INPUT", "city")),  # no doctor there
        (False, AreaWish("dermatology", "Lisbon"), ("BAD_USER_INPUT", "city")),
        (False, AreaWish("cardiology", " "), ("BAD_USER_INPUT", "city")),
        (False, AreaWish("", "Lisbon"), ("BAD_USER_INPUT", "specialization")),
    ],
)
async def test_joining_needs_exactly_one_form_and_a_real_area(
    deps: Deps,
    db: Database,
    availability: FakeAvailability,
    doctor: bool,
    area: AreaWish | None,
    expected: tuple[str, str],
) -> None:
    known = availability.add()
    with pytest.raises(DomainError) as error:
        await waitlist.join(
            deps=deps,
            actor=patient(),
            doctor_id=known if doctor else None,
            area=area,
            wish=WEEK,
        )
    assert code_of(error) == expected
    assert await waitlist.mine(deps=deps, actor=patient()) == []


async def test_racing_joins_of_one_area_make_one_entry(
    deps: Deps, availability: FakeAvailability
) -> None:
    availability.add()
    who = patient()
    outcomes = await asyncio.gather(
        *(waitlist.join(deps=deps, actor=who, area=CARDIOLOGY_LISBON, wish=WEEK) for _ in range(5)),
        return_exceptions=True,
    )
    codes = sorted(o.code if isinstance(o, DomainError) else "JOINED" for o in outcomes)
    assert codes == ["ALREADY_ON_WAITLIST"] * 4 + ["JOINED"]


async def test_a_freed_slot_goes_in_joining_order_across_both_kinds_of_entry(
    deps: Deps, db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()
    availability.add(city="Porto")  # so that Porto is an area one may wait for
    area_first, doctor_second, elsewhere = patient(), patient(), patient()
    await join(deps, area_first, area=CARDIOLOGY_LISBON)
    await join(deps, doctor_second, doctor=doctor)
    await join(deps, elsewhere, area=AreaWish("cardiology", "Porto"))

    offer = await free(deps, availability, doctor, 9)
    assert offer is not None
    assert (offer.patient_id, offer.doctor_id) == (area_first.user_id, doctor)
    [place] = await waitlist.mine(deps=deps, actor=area_first)
    assert place.offer == offer  # shown on the area entry
    with pytest.raises(DomainError) as error:  # held for them
        await book(deps, doctor_second, doctor, 2, 9)
    assert error.value.code == "SLOT_TAKEN"

    clock.advance(HOLD)
    [passed] = await waitlist_offers.expire_due(deps)
    assert passed.patient_id == doctor_second.user_id
    await waitlist_offers.decline(deps=deps, actor=doctor_second, offer_id=passed.id)
    # Nobody else: the Porto entry is not in this Lisbon doctor's line.
    assert [(o.patient_id, o.state) for o in await offers_of(db)] == [
        (area_first.user_id, "EXPIRED"),
        (doctor_second.user_id, "DECLINED"),
    ]


async def test_a_doctor_of_another_specialization_does_not_suit_the_area(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    dermatologist = availability.add(specializations=frozenset({"dermatology"}))
    availability.add()  # a cardiologist in Lisbon, so the area exists
    await join(deps, patient(), area=CARDIOLOGY_LISBON)
    assert await free(deps, availability, dermatologist, 9) is None
    assert await offers_of(db) == []


async def test_accepting_an_area_offer_books_that_doctor_and_ends_the_entry(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    await join(deps, who, area=CARDIOLOGY_LISBON)
    offer = await free(deps, availability, doctor, 10)
    booked = await waitlist_offers.accept(deps=deps, actor=who, offer_id=offer.id)
    assert (booked.doctor_id, booked.starts_at) == (doctor, at(2, 10))
    assert await waitlist.mine(deps=deps, actor=who) == []


async def test_new_availability_of_an_area_doctor_is_offered_to_the_area(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add(offers=lambda _start: False)
    area_entry, own_entry = patient(), patient()
    await join(deps, area_entry, area=CARDIOLOGY_LISBON)
    await join(deps, own_entry, doctor=doctor)
    availability.doctors[doctor].offers = lambda start: start in (at(2, 9), at(2, 10))
    made = await waitlist_openings.availability_changed(deps, doctor_id=doctor)
    assert [(o.patient_id, o.slot_start) for o in made] == [
        (area_entry.user_id, at(2, 9)),
        (own_entry.user_id, at(2, 10)),
    ]


async def test_two_doctors_of_the_area_freeing_slots_at_once_make_one_offer(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    """One area entry, two replicas each freeing a slot of a different doctor of the area at
    the same moment: one offer (an entry holds one at a time); the other slot waits."""
    replicas = [make_deps(db, availability=availability, clock=clock) for _ in range(2)]
    doctors = [availability.add(), availability.add()]
    who = patient()
    await join(replicas[0], who, area=CARDIOLOGY_LISBON)
    booked = [await book(replicas[0], patient(), d, 2, 9) for d in doctors]
    for doctor, row in zip(doctors, booked, strict=True):
        await service.cancel(
            deps=replicas[0],
            actor=availability.user_of(doctor),
            appointment_id=row.id,
            reason=None,
        )
    made = await asyncio.gather(
        *(
            waitlist_offers.slot_freed(
                replica, doctor_id=row.doctor_id, start=row.starts_at, appointment_id=row.id
            )
            for replica, row in zip(replicas, booked, strict=True)
        )
    )
    assert len([o for o in made if o is not None]) == 1
    assert [o.patient_id for o in await offers_of(db)] == [who.user_id]


async def test_a_slot_freed_while_three_wait_across_kinds_books_once_in_order(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    """Three replicas hear the freed slot at once, with two area entries and a doctor entry
    waiting: offers go in joining order, expiries pass it on, exactly one booking."""
    replicas = [make_deps(db, availability=availability, clock=clock) for _ in range(3)]
    deps = replicas[0]
    doctor = availability.add()
    line = [patient(), patient(), patient()]
    await join(deps, line[0], area=CARDIOLOGY_LISBON)
    await join(deps, line[1], doctor=doctor)
    await join(deps, line[2], area=CARDIOLOGY_LISBON)
    row = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=row.id, reason=None
    )

    async def everyone_hears_it() -> None:
        await asyncio.gather(
            *(
                waitlist_offers.slot_freed(
                    r, doctor_id=doctor, start=row.starts_at, appointment_id=row.id
                )
                for r in replicas
            ),
            *(waitlist_offers.expire_due(r) for r in replicas),
        )

    for expected in range(3):
        await everyone_hears_it()
        offers = await offers_of(db)
        assert [o.patient_id for o in offers] == [p.user_id for p in line[: expected + 1]]
        assert [o.state for o in offers][-1] == "OFFERED"
        clock.advance(HOLD)
    clock.now -= HOLD  # the third's offer is still held: they accept, on every replica
    offer = (await offers_of(db))[-1]
    booked = await asyncio.gather(
        *(waitlist_offers.accept(deps=r, actor=line[2], offer_id=offer.id) for r in replicas)
    )
    assert len({b.id for b in booked}) == 1
    assert [a.id for a in await active_at(db, doctor, 2, 9)] == [booked[0].id]


JOIN = """mutation($input: JoinWaitlistInput!) {
  joinWaitlist(input: $input) { id position timeZone specialization city doctor { id } }
}"""
MINE = """query($areas: Boolean!) { myWaitlist(includeAreas: $areas) {
  id specialization city doctor { id } } }"""


async def test_the_api_joins_an_area_and_lists_it_when_asked(
    api: Api, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()
    who = patient()
    day = NOW.date()
    days = {"firstDay": day.isoformat(), "lastDay": (day + timedelta(days=6)).isoformat()}
    area = {"specialization": "cardiology", "city": "Lisbon", **days}
    joined = (await api.data(JOIN, {"input": area}, as_=who))["joinWaitlist"]
    assert {k: joined[k] for k in ("position", "specialization", "city", "doctor")} == {
        "position": 1,
        "specialization": "cardiology",
        "city": "Lisbon",
        "doctor": None,
    }
    clock.advance(timedelta(seconds=1))
    await api.data(JOIN, {"input": {"doctorId": str(doctor), **days}}, as_=who)
    both = (await api.data(MINE, {"areas": True}, as_=who))["myWaitlist"]
    assert [(e["city"], e["doctor"]) for e in both] == [
        ("Lisbon", None),
        (None, {"id": str(doctor)}),
    ]
    # Clients that never asked for areas keep seeing a doctor on every entry.
    doctors_only = (await api.data(MINE, {"areas": False}, as_=who))["myWaitlist"]
    assert [e["doctor"] for e in doctors_only] == [{"id": str(doctor)}]
    refused = await api.call(JOIN, {"input": {**area, "doctorId": str(doctor)}}, as_=who)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
