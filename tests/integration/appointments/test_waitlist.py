"""The waitlist on both stores: joining, one's place in line, leaving, the rules, and freed
slots offered in joining order, held, expiring to the next in line and accepted once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, time, timedelta

import pytest
from sqlmodel import col, select

from subgraphs.appointments import consumers, wiring
from subgraphs.appointments.domain import Actor
from subgraphs.appointments.models import AppointmentRow, WaitlistOfferRow
from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import waitlist, waitlist_offers
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.waitlist.rules import Wish
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.errors import DomainError
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.integration.appointments.support import (
    NOW,
    Clock,
    FakeAvailability,
    at,
    make_deps,
    patient,
)

HOLD = timedelta(minutes=15)
WEEK = Wish(first_day=NOW.date(), last_day=NOW.date() + timedelta(days=6))


def code_of(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, object]:
    return error.value.code, error.value.details.get("field")


async def book(deps: Deps, actor: Actor, doctor: uuid.UUID, days: int, hour: int) -> AppointmentRow:
    return await service.book(
        deps=deps,
        actor=actor,
        doctor_id=doctor,
        start=at(days, hour),
        reason="private",
        idempotency_key=uuid.uuid4().hex,
    )


async def offers_of(db: Database) -> list[WaitlistOfferRow]:
    async with db.session() as session:
        statement = select(WaitlistOfferRow).order_by(col(WaitlistOfferRow.created_at))
        return list((await session.exec(statement)).all())


async def active_at(db: Database, doctor: uuid.UUID, days: int, hour: int) -> list[AppointmentRow]:
    async with db.session() as session:
        statement = select(AppointmentRow).where(
            col(AppointmentRow.doctor_id) == doctor,
            col(AppointmentRow.starts_at) == at(days, hour),
            col(AppointmentRow.status).in_(["PENDING", "CONFIRMED"]),
        )
        return list((await session.exec(statement)).all())


async def published(db: Database, event_type: str) -> list[OutboxMessage]:
    async with db.session() as session:
        statement = (
            select(OutboxMessage)
            .where(col(OutboxMessage.event_type) == event_type)
            .order_by(col(OutboxMessage.occurred_at))
        )
        return list((await session.exec(statement)).all())


async def envelope_of(db: Database, appointment_id: uuid.UUID, event_type: str) -> EventEnvelope:
    """The event the appointment's change put in the outbox, as the bus delivers it."""
    for message in await published(db, event_type):
        if message.payload["appointment_id"] == str(appointment_id):
            return EventEnvelope(
                id=str(message.id),
                type=message.event_type,
                version=message.version,
                source=message.source,
                occurred_at=message.occurred_at.isoformat(),
                payload=dict(message.payload),
            )
    raise AssertionError(f"no {event_type} for {appointment_id}")


def resources_of(deps: Deps, db: Database, settings: Settings) -> Resources:
    resources = Resources(
        component="appointments",
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=deps.pubsub,
    )
    resources.extras[wiring.KEY] = deps
    return resources


@pytest.fixture
def deps(db: Database, availability: FakeAvailability, clock: Clock) -> Deps:
    return make_deps(db, availability=availability, clock=clock)


async def join_in_turn(
    deps: Deps, doctor: uuid.UUID, *wishes: tuple[Actor, Wish]
) -> list[waitlist.Place]:
    """Join one after the other, a second apart (the line is in joining order; patients
    joining at the very same moment are in an arbitrary but fixed order)."""
    places = []
    for who, wish in wishes:
        places.append(await waitlist.join(deps=deps, actor=who, doctor_id=doctor, wish=wish))
        assert isinstance(deps.clock, Clock)
        deps.clock.advance(timedelta(seconds=1))
    return places


# Joining, one's place, leaving -------------------------------------------------------


async def test_patients_join_in_line_see_their_place_and_leave(
    deps: Deps, availability: FakeAvailability, clock: Clock
) -> None:
    doctor, other_doctor = availability.add(), availability.add()
    first, second, third = patient(), patient(), patient()
    await join_in_turn(deps, doctor, (first, WEEK), (second, WEEK), (third, WEEK))
    elsewhere = await waitlist.join(deps=deps, actor=second, doctor_id=other_doctor, wish=WEEK)

    assert [p.position for p in await waitlist.mine(deps=deps, actor=third)] == [3]
    mine = await waitlist.mine(deps=deps, actor=second)
    assert [(p.entry.doctor_id, p.position) for p in mine] == [(doctor, 2), (other_doctor, 1)]
    assert elsewhere.entry.time_zone == "Europe/Lisbon"

    first_entry = (await waitlist.mine(deps=deps, actor=first))[0].entry
    await waitlist.leave(deps=deps, actor=first, entry_id=first_entry.id)
    again = await waitlist.leave(deps=deps, actor=first, entry_id=first_entry.id)
    assert again.entry.state == "LEFT"
    assert await waitlist.mine(deps=deps, actor=first) == []
    assert [p.position for p in await waitlist.mine(deps=deps, actor=third)] == [2]
    # Leaving made room: the patient may join that doctor again, at the end of the line.
    clock.advance(timedelta(seconds=1))
    back = await waitlist.join(deps=deps, actor=first, doctor_id=doctor, wish=WEEK)
    assert back.position == 3


@pytest.mark.parametrize(
    ("wish", "expected"),
    [
        (Wish(NOW.date() - timedelta(days=1), NOW.date()), ("BAD_USER_INPUT", "firstDay")),
        (Wish(NOW.date() + timedelta(days=2), NOW.date()), ("BAD_USER_INPUT", "lastDay")),
        (Wish(NOW.date(), NOW.date() + timedelta(days=90)), ("BAD_USER_INPUT", "lastDay")),
        (Wish(NOW.date(), NOW.date(), time(12), time(9)), ("BAD_USER_INPUT", "latest")),
        (Wish(NOW.date(), NOW.date(), time(9), time(9)), ("BAD_USER_INPUT", "latest")),
        (  # beyond the booking window (90 days by default): nothing could be booked there
            Wish(NOW.date() + timedelta(days=91), NOW.date() + timedelta(days=92)),
            ("BAD_USER_INPUT", "firstDay"),
        ),
    ],
)
async def test_a_wish_out_of_bounds_is_refused_naming_the_field(
    deps: Deps, availability: FakeAvailability, wish: Wish, expected: tuple[str, str]
) -> None:
    doctor = availability.add()
    with pytest.raises(DomainError) as error:
        await waitlist.join(deps=deps, actor=patient(), doctor_id=doctor, wish=wish)
    assert code_of(error) == expected
    assert await offers_of(deps.db) == []


async def test_ninety_days_is_the_longest_range(deps: Deps, availability: FakeAvailability) -> None:
    doctor = availability.add()
    wish = Wish(NOW.date(), NOW.date() + timedelta(days=89), time(9), time(12))
    place = await waitlist.join(deps=deps, actor=patient(), doctor_id=doctor, wish=wish)
    assert (place.entry.first_day, place.entry.last_day) == (date(2030, 3, 4), date(2030, 6, 1))


async def test_one_waiting_entry_per_patient_and_doctor_even_when_racing(
    deps: Deps, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    outcomes = await asyncio.gather(
        *(waitlist.join(deps=deps, actor=who, doctor_id=doctor, wish=WEEK) for _ in range(5)),
        return_exceptions=True,
    )
    codes = sorted(o.code if isinstance(o, DomainError) else "JOINED" for o in outcomes)
    assert codes == ["ALREADY_ON_WAITLIST"] * 4 + ["JOINED"]
    assert len(await waitlist.mine(deps=deps, actor=who)) == 1


async def test_only_patients_wait_and_only_for_bookable_doctors(
    deps: Deps, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    hidden = availability.add(approved=False)
    with pytest.raises(DomainError) as error:
        await waitlist.join(
            deps=deps, actor=availability.user_of(doctor), doctor_id=doctor, wish=WEEK
        )
    assert error.value.code == "FORBIDDEN"
    for unknown in (hidden, uuid.uuid4()):
        with pytest.raises(DomainError) as error:
            await waitlist.join(deps=deps, actor=patient(), doctor_id=unknown, wish=WEEK)
        assert code_of(error) == ("DOCTOR_NOT_BOOKABLE", "doctorId")


async def test_another_patients_entry_and_offer_are_not_found(
    deps: Deps, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    owner, stranger = patient(), patient()
    place = await waitlist.join(deps=deps, actor=owner, doctor_id=doctor, wish=WEEK)
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert offer is not None
    assert offer.patient_id == owner.user_id
    with pytest.raises(DomainError) as error:
        await waitlist.leave(deps=deps, actor=stranger, entry_id=place.entry.id)
    assert error.value.code == "NOT_FOUND"
    for action in (waitlist_offers.accept, waitlist_offers.decline):
        with pytest.raises(DomainError) as error:
            await action(deps=deps, actor=stranger, offer_id=offer.id)
        assert error.value.code == "NOT_FOUND"
    assert (await waitlist.mine(deps=deps, actor=owner))[0].offer == offer


# Freed slots: offers in order, holds, expiry, acceptance -----------------------------


async def test_a_slot_freed_while_three_wait_is_offered_in_order_and_booked_once(
    deps: Deps, db: Database, availability: FakeAvailability, clock: Clock, settings: Settings
) -> None:
    doctor = availability.add()
    first, second, third = patient(), patient(), patient()
    await join_in_turn(deps, doctor, (first, WEEK), (second, WEEK), (third, WEEK))
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    resources = resources_of(deps, db, settings)
    cancelled = await envelope_of(db, booked.id, "AppointmentCancelled")
    await consumers.handle(cancelled, resources)
    await consumers.handle(cancelled, resources)  # redelivered: still one offer

    [offer] = await offers_of(db)
    assert (offer.patient_id, offer.state, offer.expires_at) == (
        first.user_id,
        "OFFERED",
        clock.now + HOLD,
    )
    assert (offer.slot_start, offer.slot_end) == (at(2, 9), at(2, 9, 30))
    # Held: nobody else books it meanwhile, not even the next in line.
    for outsider in (second, patient()):
        with pytest.raises(DomainError) as error:
            await book(deps, outsider, doctor, 2, 9)
        assert error.value.code == "SLOT_TAKEN"

    clock.advance(HOLD)  # the hold runs out: the sweep passes the slot to the second
    passed = await waitlist_offers.expire_due(deps)
    assert [o.patient_id for o in passed] == [second.user_id]
    assert await waitlist.mine(deps=deps, actor=first) != []  # still waiting for others
    with pytest.raises(DomainError) as error:
        await waitlist_offers.accept(deps=deps, actor=first, offer_id=offer.id)
    assert code_of(error) == ("OFFER_EXPIRED", "offerId")

    appointment = await waitlist_offers.accept(deps=deps, actor=second, offer_id=passed[0].id)
    assert (appointment.patient_id, appointment.starts_at) == (second.user_id, at(2, 9))
    assert appointment.reason is None
    assert [a.id for a in await active_at(db, doctor, 2, 9)] == [appointment.id]
    assert [(o.patient_id, o.state) for o in await offers_of(db)] == [
        (first.user_id, "EXPIRED"),
        (second.user_id, "ACCEPTED"),
    ]
    assert await waitlist.mine(deps=deps, actor=second) == []  # booked: out of line
    assert [p.position for p in await waitlist.mine(deps=deps, actor=third)] == [2]
    made = await published(db, "WaitlistOfferMade")
    assert [m.payload["patient_id"] for m in made] == [str(first.user_id), str(second.user_id)]
    assert "reason" not in made[0].payload
    # The third is not offered a slot that is booked again, however often it is swept.
    clock.advance(HOLD)
    assert await waitlist_offers.expire_due(deps) == []
    assert len(await offers_of(db)) == 2


async def test_concurrent_accepts_of_one_offer_make_one_booking(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    await waitlist.join(deps=deps, actor=who, doctor_id=doctor, wish=WEEK)
    booked = await book(deps, patient(), doctor, 3, 10)
    await service.reject(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason="away"
    )
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert offer is not None
    answers = await asyncio.gather(
        *(waitlist_offers.accept(deps=deps, actor=who, offer_id=offer.id) for _ in range(8))
    )
    assert len({a.id for a in answers}) == 1
    assert [a.id for a in await active_at(db, doctor, 3, 10)] == [answers[0].id]
    again = await waitlist_offers.accept(deps=deps, actor=who, offer_id=offer.id)
    assert again.id == answers[0].id
    assert len(await published(db, "AppointmentBooked")) == 2  # the rejected one and this


async def test_a_slot_goes_to_the_first_whose_days_and_hours_it_suits(
    deps: Deps, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    afternoons, other_week, mornings = patient(), patient(), patient()
    day = NOW.date() + timedelta(days=2)
    wishes = (
        (afternoons, Wish(day, day, time(14), time(18))),
        (other_week, Wish(day + timedelta(days=7), day + timedelta(days=10))),
        (mornings, Wish(day, day, time(9), time(9, 30))),
    )
    await join_in_turn(deps, doctor, *wishes)
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert offer is not None
    assert offer.patient_id == mornings.user_id


async def test_a_declined_offer_passes_on_and_a_patient_busy_then_is_skipped(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor, elsewhere = availability.add(), availability.add()
    decliner, busy, taker = patient(), patient(), patient()
    await join_in_turn(deps, doctor, (decliner, WEEK), (busy, WEEK), (taker, WEEK))
    await book(deps, busy, elsewhere, 2, 9)  # the busy patient has a visit at that time
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert offer is not None
    assert offer.patient_id == decliner.user_id
    declined = await waitlist_offers.decline(deps=deps, actor=decliner, offer_id=offer.id)
    assert declined.state == "DECLINED"
    with pytest.raises(DomainError) as error:
        await waitlist_offers.accept(deps=deps, actor=decliner, offer_id=offer.id)
    assert error.value.code == "OFFER_CLOSED"
    assert [(o.patient_id, o.state) for o in await offers_of(db)] == [
        (decliner.user_id, "DECLINED"),
        (taker.user_id, "OFFERED"),
    ]


async def test_leaving_with_an_open_offer_passes_it_on(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    leaver, next_ = patient(), patient()
    place, _ = await join_in_turn(deps, doctor, (leaver, WEEK), (next_, WEEK))
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    await waitlist.leave(deps=deps, actor=leaver, entry_id=place.entry.id)
    assert [(o.patient_id, o.state) for o in await offers_of(db)] == [
        (leaver.user_id, "DECLINED"),
        (next_.user_id, "OFFERED"),
    ]


async def test_a_move_frees_the_previous_slot(
    deps: Deps, db: Database, availability: FakeAvailability, settings: Settings
) -> None:
    doctor = availability.add()
    waiting = patient()
    await waitlist.join(deps=deps, actor=waiting, doctor_id=doctor, wish=WEEK)
    mover = patient()
    booked = await book(deps, mover, doctor, 2, 9)
    await service.reschedule(deps=deps, actor=mover, appointment_id=booked.id, start=at(3, 11))
    moved = await envelope_of(db, booked.id, "AppointmentRescheduled")
    await consumers.handle(moved, resources_of(deps, db, settings))
    [offer] = await offers_of(db)
    assert (offer.patient_id, offer.slot_start) == (waiting.user_id, at(2, 9))
    # Nor may the mover move back into the slot held for someone else.
    with pytest.raises(DomainError) as error:
        await service.reschedule(deps=deps, actor=mover, appointment_id=booked.id, start=at(2, 9))
    assert error.value.code == "SLOT_TAKEN"


async def test_no_offer_for_a_slot_no_longer_offered_or_free(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    await waitlist.join(deps=deps, actor=patient(), doctor_id=doctor, wish=WEEK)
    gone = await book(deps, patient(), doctor, 2, 9)
    retaken = await book(deps, patient(), doctor, 2, 10)
    for row in (gone, retaken):
        await service.cancel(
            deps=deps, actor=availability.user_of(doctor), appointment_id=row.id, reason=None
        )
    await book(deps, patient(), doctor, 2, 10)  # someone took 10:00 again before the offer
    availability.doctors[doctor].offers = lambda start: start != at(2, 9)  # 9:00 unpublished
    for row in (gone, retaken):
        offer = await waitlist_offers.slot_freed(
            deps, doctor_id=doctor, start=row.starts_at, appointment_id=row.id
        )
        assert offer is None
    assert await offers_of(db) == []


async def test_an_offer_whose_slot_went_closes_on_accept(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    who = patient()
    await waitlist.join(deps=deps, actor=who, doctor_id=doctor, wish=WEEK)
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert offer is not None
    availability.doctors[doctor].offers = lambda _start: False  # the doctor took the day off
    with pytest.raises(DomainError) as error:
        await waitlist_offers.accept(deps=deps, actor=who, offer_id=offer.id)
    assert error.value.code == "OUTSIDE_AVAILABILITY"
    assert [o.state for o in await offers_of(db)] == ["EXPIRED"]
    assert len(await waitlist.mine(deps=deps, actor=who)) == 1  # still waiting


async def test_the_sweeper_passes_an_expired_offer_on_by_itself(
    deps: Deps, db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()
    first, second = patient(), patient()
    await join_in_turn(deps, doctor, (first, WEEK), (second, WEEK))
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    clock.advance(HOLD)
    sweeper = asyncio.create_task(waitlist_offers.run_sweeper(deps, interval_seconds=0.01))
    try:
        for _ in range(500):  # bounded wait for the sweeper's round, not a timing assertion
            if len(await offers_of(db)) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        sweeper.cancel()
    assert [(o.patient_id, o.state) for o in await offers_of(db)] == [
        (first.user_id, "EXPIRED"),
        (second.user_id, "OFFERED"),
    ]


async def test_an_entry_whose_last_day_is_over_ends(
    deps: Deps, availability: FakeAvailability, clock: Clock
) -> None:
    doctor = availability.add()  # Europe/Lisbon
    today, week = patient(), patient()
    await join_in_turn(deps, doctor, (today, Wish(NOW.date(), NOW.date())), (week, WEEK))
    clock.now = NOW.replace(hour=23, minute=59)  # still the last day in Lisbon
    await waitlist_offers.expire_due(deps)
    assert [p.entry.state for p in await waitlist.mine(deps=deps, actor=today)] == ["WAITING"]
    clock.advance(timedelta(minutes=1))
    await waitlist_offers.expire_due(deps)
    assert await waitlist.mine(deps=deps, actor=today) == []
    assert [p.position for p in await waitlist.mine(deps=deps, actor=week)] == [1]


async def test_replicas_sweeping_and_offering_at_once_make_one_offer_in_order(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    """Three processes (one store) sweep and hear the freed slot at the same moment: the
    expired offer passes on once, to the next in line, and never two offers of one slot."""
    replicas = [make_deps(db, availability=availability, clock=clock) for _ in range(3)]
    deps = replicas[0]
    doctor = availability.add()
    line = [patient() for _ in range(3)]
    await join_in_turn(deps, doctor, *((who, WEEK) for who in line))
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    made = await asyncio.gather(
        *(
            waitlist_offers.slot_freed(
                replica, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
            )
            for replica in replicas
        )
    )
    assert [o.patient_id for o in made if o is not None] == [line[0].user_id]
    clock.advance(HOLD)
    await asyncio.gather(
        *(waitlist_offers.expire_due(replica) for replica in replicas),
        *(
            waitlist_offers.slot_freed(
                replica, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
            )
            for replica in replicas
        ),
    )
    assert [(o.patient_id, o.state) for o in await offers_of(db)] == [
        (line[0].user_id, "EXPIRED"),
        (line[1].user_id, "OFFERED"),
    ]


async def test_the_patient_who_let_the_slot_go_is_not_offered_it(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    canceller, other = patient(), patient()
    await join_in_turn(deps, doctor, (canceller, WEEK), (other, WEEK))
    booked = await book(deps, canceller, doctor, 2, 9)
    await service.cancel(deps=deps, actor=canceller, appointment_id=booked.id, reason=None)
    offer = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert offer is not None
    assert offer.patient_id == other.user_id


async def test_a_booking_racing_an_offer_of_the_same_freed_slot_leaves_only_one_of_them(
    deps: Deps, db: Database, availability: FakeAvailability
) -> None:
    """Each round frees a slot while a patient waits, then books it and offers it at once:
    either the booking wins (SLOT_TAKEN for nobody, no offer of a slot that is gone) or the
    offer does (the booking is SLOT_TAKEN), never both."""
    doctor = availability.add()
    waiting = patient()
    await waitlist.join(deps=deps, actor=waiting, doctor_id=doctor, wish=WEEK)
    outcomes = []
    for days, hour in [(d, h) for d in (2, 3, 4) for h in (9, 10, 11, 14, 15, 16)]:
        freed = await book(deps, patient(), doctor, days, hour)
        await service.cancel(
            deps=deps, actor=availability.user_of(doctor), appointment_id=freed.id, reason=None
        )
        booking, offer = await asyncio.gather(
            book(deps, patient(), doctor, days, hour),
            waitlist_offers.slot_freed(
                deps, doctor_id=doctor, start=freed.starts_at, appointment_id=freed.id
            ),
            return_exceptions=True,
        )
        booked = isinstance(booking, AppointmentRow)
        if not booked:
            assert isinstance(booking, DomainError), booking
            assert booking.code == "SLOT_TAKEN"
        assert not isinstance(offer, BaseException), offer
        open_offers = [
            o
            for o in await offers_of(db)
            if o.slot_start == freed.starts_at and o.state == "OFFERED"
        ]
        assert booked != bool(open_offers), (days, hour, booked, open_offers)
        if open_offers:  # let the next round's patient wait again
            await waitlist_offers.decline(deps=deps, actor=waiting, offer_id=open_offers[0].id)
        outcomes.append(booked)
    assert len(outcomes) == 18
