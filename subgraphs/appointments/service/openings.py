"""A doctor's open slots over a few ranges: what new availability may offer to the waitlist.

When the doctors subgraph says a doctor's availability changed (`AvailabilityChanged`
carries only the doctor), we ask it, in one signed request, for the doctor's bookable slots
over the waiting entries' own days (one aliased `availableSlots` per range) and the doctor's
facts (`slotAvailability`, internal): approved, time zone, specializations and city key.
Held slots are not open there (see the doctors subgraph's slot holds), so they come back
as taken. SERVICE_UNAVAILABLE when the doctors subgraph cannot answer; the event is retried.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import httpx

from subgraphs.appointments.service.availability import ask_doctors, unavailable

FACTS = "doctor: slotAvailability(doctorId: $doctorId, start: $at) { approved timeZone }"


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


@runtime_checkable
class OpeningsFinder(Protocol):
    """The doctor's open slots starting in `ranges` (None: no such doctor, or hidden)."""

    async def openings(
        self, *, doctor_id: uuid.UUID, ranges: Sequence[tuple[datetime, datetime]]
    ) -> DoctorOpenings | None: ...


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
    )


class HttpOpeningsFinder:
    """`OpeningsFinder` over the doctors subgraph's GraphQL endpoint (signed, time-bounded)."""

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float,
        signing_key: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.timeout = httpx.Timeout(timeout_seconds)
        self.signing_key = signing_key
        self.transport = transport

    async def openings(
        self, *, doctor_id: uuid.UUID, ranges: Sequence[tuple[datetime, datetime]]
    ) -> DoctorOpenings | None:
        if not ranges:
            return None
        variables: dict[str, Any] = {"doctorId": str(doctor_id), "at": ranges[0][0].isoformat()}
        for i, (start, end) in enumerate(ranges):
            variables[f"from{i}"], variables[f"to{i}"] = start.isoformat(), end.isoformat()
        document = await ask_doctors(
            self.url,
            openings_query(len(ranges)),
            variables,
            limit=self.timeout,
            signing_key=self.signing_key,
            transport=self.transport,
        )
        try:
            return parse_openings(document, len(ranges))
        except (ValueError, KeyError, TypeError) as error:
            raise unavailable(f"unexpected answer ({type(error).__name__})") from None
