"""What a series booking answers: each occurrence booked (or bookable) or refused, in order.

Kept apart from the booking itself so that a repeated request (by its idempotency key) can
rebuild the same answer from the store: the booked occurrences and the series' refusals.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.models import AppointmentRow, SeriesRow


@dataclass(frozen=True)
class Occurrence:
    """One start the series asks for: booked (or bookable, in a dry run) or refused."""

    start: datetime
    end: datetime | None = None
    refusal: str | None = None
    """The refusal's code (SLOT_TAKEN, OUTSIDE_AVAILABILITY, TOO_LATE); None: bookable."""
    message: str | None = None
    appointment: AppointmentRow | None = None
    previous_start: datetime | None = None
    """Moving the rest of a series: where the occurrence was (None when booking)."""


@dataclass(frozen=True)
class Booking:
    """The outcome: the series written (None in a dry run) and every occurrence, in order."""

    series: SeriesRow | None
    occurrences: list[Occurrence]


async def occurrences_of(session: AsyncSession, series_id: uuid.UUID) -> list[AppointmentRow]:
    """The series' appointments, soonest first (whatever their status now)."""
    statement = (
        select(AppointmentRow)
        .where(col(AppointmentRow.series_id) == series_id)
        .order_by(col(AppointmentRow.starts_at))
    )
    return list((await session.exec(statement)).all())


def report(series: SeriesRow, booked: list[AppointmentRow]) -> Booking:
    found = [Occurrence(r.starts_at, end=r.ends_at, appointment=r) for r in booked]
    refused = [
        Occurrence(
            datetime.fromisoformat(entry["start"]),
            refusal=str(entry["code"]),
            message=str(entry["message"]),
        )
        for entry in series.refused
        if "moved" not in entry  # a move of the rest left it where it was (series_moves)
    ]
    return Booking(series, sorted([*found, *refused], key=lambda o: o.start))
