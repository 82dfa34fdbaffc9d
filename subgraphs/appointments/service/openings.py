"""What the waitlist asks the doctors subgraph beyond `slotAvailability` (signed requests).

- A doctor's open slots over a few ranges, for offers of new availability: when the doctors
  subgraph says a doctor's availability changed (`AvailabilityChanged` carries only the
  doctor), one request asks for the doctor's bookable slots over the waiting entries' own
  days (one aliased `availableSlots` per range) and the doctor's facts (`slotAvailability`,
  internal): approved, time zone, specialization codes and city key, which say which area
  entries the doctor's slots suit. Held slots are not open there (the doctors subgraph's
  slot holds). With no ranges, only the facts.
- An area, when a patient joins "any doctor of a specialization in a city" (`waitlistArea`,
  internal): the specialization's code and the city's key as the doctors subgraph folds
  them (we never fold names here), the zone of most of its doctors, how many there are.

SERVICE_UNAVAILABLE when the doctors subgraph cannot answer (an event is then retried).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from subgraphs.appointments.service.availability import DoctorsEndpoint
from subgraphs.shared.errors import BadUserInput

FACTS = (
    "doctor: slotAvailability(doctorId: $doctorId, start: $at) "
    "{ approved timeZone specializations cityKey }"
)
AREA_QUERY = """
query WaitlistArea($specialization: String!, $city: String!) {
  waitlistArea(specialization: $specialization, city: $city) {
    specialization city cityKey timeZone doctors
  }
}
"""


@dataclass(frozen=True, order=True)
class Opening:
    """A bookable slot, in UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class DoctorOpenings:
    approved: bool
    time_zone: str
    slots: list[Opening]
    """Bookable slots in the ranges asked for, in time order."""
    specializations: frozenset[str] = frozenset()
    """The doctor's specialization codes."""
    city_key: str = ""


@dataclass(frozen=True)
class Area:
    """Any approved doctor of `specialization` in a city."""

    specialization: str
    city: str
    city_key: str
    time_zone: str | None
    """The zone most of its doctors are in; None: it has no approved doctor now."""
    doctors: int


@runtime_checkable
class OpeningsFinder(Protocol):
    """The doctors subgraph, as the waitlist asks it."""

    async def openings(
        self, *, doctor_id: uuid.UUID, ranges: Sequence[tuple[datetime, datetime]]
    ) -> DoctorOpenings | None:
        """The doctor's facts and open slots starting in `ranges` (None: no such doctor,
        or hidden)."""
        ...

    async def area(self, *, specialization: str, city: str) -> Area:
        """The area (BAD_USER_INPUT naming the field for an unknown specialization)."""
        ...


def openings_query(ranges: int) -> str:
    """One document: the doctor's facts and an aliased `availableSlots` per range."""
    params = "".join(f", $from{i}: DateTime!, $to{i}: DateTime!" for i in range(ranges))
    fields = "\n".join(
        f"  r{i}: availableSlots(doctorId: $doctorId, from: $from{i}, to: $to{i}) {{ start end }}"
        for i in range(ranges)
    )
    return f"query Openings($doctorId: ID!, $at: DateTime!{params}) {{\n  {FACTS}\n{fields}\n}}"


def parse_openings(document: Any, ranges: int) -> DoctorOpenings | None:
    """The answer; None for NOT_FOUND; ValueError for other errors."""
    errors = document.get("errors") or []
    if any((error.get("extensions") or {}).get("code") == "NOT_FOUND" for error in errors):
        return None
    if errors:
        raise ValueError("the doctors subgraph answered with errors")
    data = document["data"]
    facts = data["doctor"]
    if facts is None:
        return None
    slots = {
        Opening(datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"]))
        for i in range(ranges)
        for slot in data[f"r{i}"] or []
    }
    return DoctorOpenings(
        approved=bool(facts["approved"]),
        time_zone=str(facts["timeZone"]),
        slots=sorted(slots),
        specializations=frozenset(str(code) for code in facts["specializations"]),
        city_key=str(facts["cityKey"]),
    )


def parse_area(document: Any) -> Area:
    """The area; BAD_USER_INPUT as the doctors subgraph said it; ValueError otherwise."""
    errors = document.get("errors") or []
    for error in errors:
        extensions = error.get("extensions") or {}
        if extensions.get("code") == "BAD_USER_INPUT":
            raise BadUserInput(str(error.get("message")), field=extensions.get("field"))
    if errors:
        raise ValueError("the doctors subgraph answered with errors")
    area = document["data"]["waitlistArea"]
    return Area(
        specialization=str(area["specialization"]),
        city=str(area["city"]),
        city_key=str(area["cityKey"]),
        time_zone=str(area["timeZone"]) if area["timeZone"] else None,
        doctors=int(area["doctors"]),
    )


class HttpOpeningsFinder(DoctorsEndpoint):
    """`OpeningsFinder` over the doctors subgraph's GraphQL endpoint."""

    async def openings(
        self, *, doctor_id: uuid.UUID, ranges: Sequence[tuple[datetime, datetime]]
    ) -> DoctorOpenings | None:
        at = ranges[0][0] if ranges else datetime.now(UTC)
        variables: dict[str, Any] = {"doctorId": str(doctor_id), "at": at.isoformat()}
        for i, (start, end) in enumerate(ranges):
            variables[f"from{i}"], variables[f"to{i}"] = start.isoformat(), end.isoformat()
        count = len(ranges)
        return await self.ask(
            openings_query(count), variables, lambda document: parse_openings(document, count)
        )

    async def area(self, *, specialization: str, city: str) -> Area:
        variables = {"specialization": specialization, "city": city}
        return await self.ask(AREA_QUERY, variables, parse_area)
