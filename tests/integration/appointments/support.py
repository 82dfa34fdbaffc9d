"""Test doubles for the appointments tests: a doctors subgraph in memory and a settable clock."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from subgraphs.appointments.domain import Actor, Policy
from subgraphs.appointments.service.availability import SlotAnswer
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.openings import Area, DoctorOpenings, Opening
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.pubsub import MemoryPubSub, PubSub

KNOWN_SPECIALIZATIONS = frozenset({"cardiology", "dermatology", "pediatrics"})
NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
"""The tests' "now": a Monday morning, far from any real clock."""


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class FakeDoctor:
    user_id: uuid.UUID = field(default_factory=uuid.uuid4)
    approved: bool = True
    time_zone: str = "Europe/Lisbon"
    slot: timedelta = timedelta(minutes=30)
    offers: Callable[[datetime], bool] = lambda _start: True
    refusal: str | None = None
    hours: tuple[int, int] = (9, 12)
    """The hours (UTC) its open slots are listed in, every `slot`, each day."""
    specializations: frozenset[str] = frozenset({"cardiology"})
    city: str = "Lisbon"


@dataclass
class FakeAvailability:
    """The doctors subgraph's answer, from a dictionary of doctors."""

    doctors: dict[uuid.UUID, FakeDoctor] = field(default_factory=dict)
    calls: int = 0

    def add(self, **options: object) -> uuid.UUID:
        doctor_id = uuid.uuid4()
        self.doctors[doctor_id] = FakeDoctor(**options)  # type: ignore[arg-type]
        return doctor_id

    def user_of(self, doctor_id: uuid.UUID) -> Actor:
        return Actor(self.doctors[doctor_id].user_id, Role.DOCTOR)

    async def check(
        self,
        *,
        doctor_id: uuid.UUID,
        start: datetime,
        ignore_appointment_id: uuid.UUID | None = None,
    ) -> SlotAnswer | None:
        self.calls += 1
        doctor = self.doctors.get(doctor_id)
        if doctor is None:
            return None
        offered = doctor.offers(start) and doctor.refusal is None
        return SlotAnswer(
            approved=doctor.approved,
            offered=offered,
            time_zone=doctor.time_zone,
            doctor_user_id=doctor.user_id,
            slot_end=start + doctor.slot if offered else None,
            refusal=doctor.refusal,
        )

    async def openings(
        self, *, doctor_id: uuid.UUID, ranges: Sequence[tuple[datetime, datetime]]
    ) -> DoctorOpenings | None:
        """Every `slot` in the doctor's `hours` that it `offers`, in the ranges (UTC)."""
        self.calls += 1
        doctor = self.doctors.get(doctor_id)
        if doctor is None:
            return None
        found: set[Opening] = set()
        for start, end in ranges:
            day = start.replace(hour=0, minute=0, second=0, microsecond=0)
            while day < end:
                at = day + timedelta(hours=doctor.hours[0])
                while at + doctor.slot <= day + timedelta(hours=doctor.hours[1]):
                    if start <= at < end and doctor.offers(at) and doctor.refusal is None:
                        found.add(Opening(at, at + doctor.slot))
                    at += doctor.slot
                day += timedelta(days=1)
        return DoctorOpenings(
            doctor.approved,
            doctor.time_zone,
            sorted(found),
            specializations=doctor.specializations,
            city_key=doctor.city.casefold(),
        )

    async def area(self, *, specialization: str, city: str) -> Area:
        """The approved doctors with that specialization in that city (folded)."""
        code, key = specialization.strip().casefold(), " ".join(city.split()).casefold()
        if code not in KNOWN_SPECIALIZATIONS:
            raise BadUserInput("Unknown specialization.", field="specialization")
        there = [
            d
            for d in self.doctors.values()
            if d.approved and code in d.specializations and d.city.casefold() == key
        ]
        return Area(
            specialization=code,
            city=there[0].city if there else city.strip(),
            city_key=key,
            time_zone=there[0].time_zone if there else None,
            doctors=len(there),
        )


def make_deps(
    db: Database,
    *,
    availability: FakeAvailability | None = None,
    policy: Policy | None = None,
    clock: Clock | None = None,
    pubsub: PubSub | None = None,
) -> Deps:
    return Deps(
        db=db,
        pubsub=pubsub or MemoryPubSub(),
        availability=availability or FakeAvailability(),
        openings=availability,
        policy=policy or Policy(),
        clock=clock or Clock(),
    )


def patient() -> Actor:
    return Actor(uuid.uuid4(), Role.PATIENT)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A time `days` after NOW's date at hour:minute UTC."""
    return NOW.replace(hour=hour, minute=minute) + timedelta(days=days)
