"""Each doctor's stored next free slot follows every change that moves it (both stores)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from subgraphs.doctors.domain.search import Page, SearchFilter, SortKey
from subgraphs.doctors.models import Doctor
from subgraphs.doctors.service import next_free
from subgraphs.doctors.service.search import search_doctors
from tests.integration.doctors.helpers import NOW, SET_RULES, Api, approved_doctor, weekdays
from tests.integration.doctors.test_consumers import appointment

# NOW is Monday 2027-01-04 06:00 UTC; two hours' notice: Monday 09:00 Berlin comes first.
MON_9 = ("2027-01-04T08:00:00+00:00", "2027-01-04T08:30:00+00:00")
MON_930 = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)


async def stored(api: Api, doctor_id: str) -> Doctor:
    async with api.resources.database.session() as session:
        row = (await session.exec(select(Doctor).where(Doctor.id == uuid.UUID(doctor_id)))).one()
        return row


async def stored_start(api: Api, doctor_id: str, *, now: datetime = NOW) -> datetime | None:
    await next_free.refresh(api.resources.database, now=now)
    start = (await stored(api, doctor_id)).next_free_start
    return None if start is None else start.replace(tzinfo=UTC) if start.tzinfo is None else start


async def test_a_booking_moves_the_stored_slot_and_its_cancellation_moves_it_back(
    api: Api,
) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    assert await stored_start(api, doctor.id) == datetime.fromisoformat(MON_9[0])
    aid = str(uuid.uuid4())
    await api.deliver(
        "AppointmentBooked", appointment(aid, doctor.id, MON_9), source="appointments"
    )
    assert (await stored(api, doctor.id)).next_free_valid_until is None  # dropped at once
    assert await stored_start(api, doctor.id) == MON_930
    cancelled = {**appointment(aid, doctor.id, MON_9), "cancelled_by": "PATIENT", "reason": "x"}
    later = NOW.replace(minute=5).isoformat()
    await api.deliver("AppointmentCancelled", cancelled, source="appointments", occurred_at=later)
    assert await stored_start(api, doctor.id) == datetime.fromisoformat(MON_9[0])


async def test_new_weekly_rules_move_the_stored_slot(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    assert await stored_start(api, doctor.id) == datetime.fromisoformat(MON_9[0])
    await api.admin(SET_RULES, {"doctorId": doctor.id, "rules": weekdays("11:00", "12:00", 30)})
    assert await stored_start(api, doctor.id) == datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


async def test_a_doctor_without_rules_has_none_until_rules_arrive(api: Api) -> None:
    doctor = await approved_doctor(api)
    assert await stored_start(api, doctor.id) is None
    await api.admin(SET_RULES, {"doctorId": doctor.id, "rules": weekdays("09:00", "12:00", 30)})
    assert await stored_start(api, doctor.id) == datetime.fromisoformat(MON_9[0])


async def test_time_passing_past_the_stored_slot_expires_it(api: Api) -> None:
    doctor = await approved_doctor(api, rules=weekdays("09:00", "12:00", 30))
    assert await stored_start(api, doctor.id) == datetime.fromisoformat(MON_9[0])
    later = NOW + timedelta(hours=2, minutes=30)  # 08:30 UTC: bookable from 10:30 UTC on
    assert await stored_start(api, doctor.id, now=later) == datetime(2027, 1, 4, 10, 30, tzinfo=UTC)


async def test_search_by_next_slot_follows_a_booking_without_a_cache(api: Api) -> None:
    first = await approved_doctor(api, "Ana Silva", rules=weekdays("09:00", "12:00", 30))
    second = await approved_doctor(api, "Ben Okafor", rules=weekdays("09:00", "09:30", 30))

    async def order() -> list[tuple[str, str | None]]:
        result = await search_doctors(
            db=api.resources.database,
            cache=None,
            ttl_seconds=60,
            search=SearchFilter(),
            sort=SortKey.NEXT_AVAILABLE,
            page=Page(size=10),
            now=NOW,
        )
        return [
            (str(v.id), v.next_available.start.isoformat() if v.next_available else None)
            for v in result.items
        ]

    assert await order() == [(first.id, MON_9[0]), (second.id, MON_9[0])]
    booked = appointment(str(uuid.uuid4()), second.id, MON_9)
    await api.deliver("AppointmentBooked", booked, source="appointments")
    # Ben's only Monday slot is taken: his next one is Tuesday 09:00 Berlin.
    assert await order() == [(first.id, MON_9[0]), (second.id, "2027-01-05T08:00:00+00:00")]
