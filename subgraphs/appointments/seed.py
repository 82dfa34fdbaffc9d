"""Demo appointments: a few upcoming visits for the demo patients with approved demo doctors.

Ids follow the shared rule (uuid5 of `healthbook:user:<email>` / `healthbook:doctor:<email>`),
so they match identity's users and the doctors subgraph's doctors without importing them.
Times are weekday mornings/afternoons in the doctor's zone, days ahead of now; they go
through the aggregate, so history rows and outbox events are written as for real bookings
(the doctors subgraph's busy time and notifications follow). Runs only on an empty store.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from subgraphs.appointments.domain import Actor, Appointment, Policy
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import store
from subgraphs.shared.auth import Role
from subgraphs.shared.resources import Resources

log = logging.getLogger(__name__)

VISIT: Final = timedelta(minutes=30)


def user_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}")


def doctor_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:{email}")


@dataclass(frozen=True)
class DemoVisit:
    patient: str
    doctor: str
    days_ahead: int
    local_start: time
    confirmed: bool
    reason: str
    time_zone: str = "Europe/Berlin"


DEMO_VISITS: Final = (
    DemoVisit("patient@healthbook.local", "dr.silva", 2, time(10, 0), True, "Annual check-up"),
    DemoVisit("patient@healthbook.local", "dr.mueller", 5, time(14, 30), False, "Knee pain"),
    DemoVisit("patient@healthbook.local", "dr.okafor", 9, time(9, 0), True, "Skin rash follow-up"),
    DemoVisit("patient2@healthbook.local", "dr.silva", 3, time(11, 0), False, "Persistent cough"),
)


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def start_of(visit: DemoVisit, now: datetime) -> datetime:
    """The visit's start: `days_ahead` (moved off weekends) at its local time, in UTC."""
    zone = ZoneInfo(visit.time_zone)
    day = next_weekday(now.astimezone(zone).date() + timedelta(days=visit.days_ahead))
    return datetime.combine(day, visit.local_start, tzinfo=zone).astimezone(UTC)


def demo_appointment(visit: DemoVisit, now: datetime) -> Appointment:
    email = f"{visit.doctor}@healthbook.local"
    start = start_of(visit, now)
    appointment = Appointment.book(
        actor=Actor(user_id(visit.patient), Role.PATIENT),
        doctor_id=doctor_id(email),
        doctor_user_id=user_id(email),
        start=start,
        end=start + VISIT,
        time_zone=visit.time_zone,
        reason=visit.reason,
        now=now,
        policy=Policy(),
    )
    if visit.confirmed:
        appointment.confirm(actor=Actor(user_id(email), Role.DOCTOR), now=now)
    return appointment


async def seed(resources: Resources) -> None:
    """Load the demo appointments when the store holds none."""
    now = datetime.now(UTC)
    async with resources.database.transaction() as session:
        count = (await session.exec(select(func.count()).select_from(AppointmentRow))).one()
        if count:
            log.info("appointments store not empty; demo data skipped")
            return
        for visit in DEMO_VISITS:
            await store.save(session, demo_appointment(visit, now), None, now=now)
    log.info("demo appointments loaded", extra={"count": len(DEMO_VISITS)})
