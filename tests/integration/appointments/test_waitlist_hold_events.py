"""Every waitlist offer made and closed is an event (both stores): the doctors subgraph
shows the held slot as busy for exactly the hold, from `WaitlistOfferMade` to
`WaitlistOfferClosed` (expired, declined, accepted, the entry left, the slot gone)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from subgraphs.appointments.service import lifecycle as service
from subgraphs.appointments.service import waitlist, waitlist_offers
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.shared.database import Database
from subgraphs.shared.errors import DomainError
from tests.integration.appointments.support import Clock, FakeAvailability, make_deps, patient
from tests.integration.appointments.test_waitlist import (
    HOLD,
    WEEK,
    book,
    join_in_turn,
    offers_of,
    published,
)


async def closings(db: Database) -> list[tuple[str, str]]:
    return [
        (m.payload["offer_id"], m.payload["state"])
        for m in await published(db, "WaitlistOfferClosed")
    ]


async def test_each_offer_closing_is_published_with_its_slot(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    deps: Deps = make_deps(db, availability=availability, clock=clock)
    doctor = availability.add()
    expirer, decliner, leaver, taker = patient(), patient(), patient(), patient()
    places = await join_in_turn(
        deps, doctor, (expirer, WEEK), (decliner, WEEK), (leaver, WEEK), (taker, WEEK)
    )
    booked = await book(deps, patient(), doctor, 2, 9)
    await service.cancel(
        deps=deps, actor=availability.user_of(doctor), appointment_id=booked.id, reason=None
    )
    first = await waitlist_offers.slot_freed(
        deps, doctor_id=doctor, start=booked.starts_at, appointment_id=booked.id
    )
    assert first is not None
    clock.advance(HOLD)
    [second] = await waitlist_offers.expire_due(deps)
    await waitlist_offers.decline(deps=deps, actor=decliner, offer_id=second.id)
    await waitlist.leave(deps=deps, actor=leaver, entry_id=places[2].entry.id)
    offers = await offers_of(db)
    await waitlist_offers.accept(deps=deps, actor=taker, offer_id=offers[-1].id)

    offers = await offers_of(db)
    assert [(o.patient_id, o.state) for o in offers] == [
        (expirer.user_id, "EXPIRED"),
        (decliner.user_id, "DECLINED"),
        (leaver.user_id, "DECLINED"),
        (taker.user_id, "ACCEPTED"),
    ]
    assert await closings(db) == [(str(o.id), o.state) for o in offers]
    made = await published(db, "WaitlistOfferMade")
    assert [m.payload["offer_id"] for m in made] == [str(o.id) for o in offers]
    closed = (await published(db, "WaitlistOfferClosed"))[0]
    assert closed.payload["doctor_id"] == str(doctor)
    assert closed.payload["start"] == first.slot_start.isoformat()
    assert closed.payload["end"] == first.slot_end.isoformat()
    assert closed.payload["expires_at"] == first.expires_at.isoformat()
    assert "patient_id" not in closed.payload


async def test_an_offer_whose_slot_went_publishes_its_closing(
    db: Database, availability: FakeAvailability, clock: Clock
) -> None:
    deps = make_deps(db, availability=availability, clock=clock)
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
    availability.doctors[doctor].offers = lambda _start: False
    with pytest.raises(DomainError):  # OUTSIDE_AVAILABILITY (see test_waitlist)
        await waitlist_offers.accept(deps=deps, actor=who, offer_id=offer.id)
    assert await closings(db) == [(str(offer.id), "EXPIRED")]
    clock.advance(HOLD + timedelta(minutes=1))
    assert await waitlist_offers.expire_due(deps) == []
    assert len(await closings(db)) == 1  # closed once
