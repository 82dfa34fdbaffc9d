"""What moving the rest of a series answers, and how a repeat rebuilds it: each occurrence
moved (or movable, in a dry run) or left where it was, with where it was.

A repeat's report comes from the store: the occurrences' RESCHEDULED history at the key's
time (by the caller) and the refusals kept on the series row, tagged with the request.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.appointments.domain import Action, Actor, Appointment
from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow, SeriesRow
from subgraphs.appointments.service import idempotency
from subgraphs.appointments.service.series import Mode
from subgraphs.appointments.service.series_report import Booking, Occurrence
from subgraphs.shared.errors import DomainError


@dataclass
class Plan:
    """One occurrence to move: where it goes, as it would be there, or why not."""

    row: AppointmentRow
    start: datetime
    appointment: Appointment | None = None
    refusal: DomainError | None = None


def refusals(plans: list[Plan], print_: str) -> list[dict[str, object]]:
    """The occurrences left where they were, kept for a repeat's report (`moved` names the
    request, so a booking's report never reads them)."""
    return [
        {
            "start": plan.start.isoformat(),
            "code": plan.refusal.code,
            "message": plan.refusal.message,
            "appointment_id": str(plan.row.id),
            "previous_start": plan.row.starts_at.isoformat(),
            "moved": print_,
        }
        for plan in plans
        if plan.refusal is not None
    ]


def fingerprint(
    series_id: uuid.UUID, pivot_id: uuid.UUID, start: datetime, mode: Mode, reason: str | None
) -> str:
    """What identifies a request to move a series: never equal to a booking's fingerprint."""
    canonical = f"move|{series_id}|{pivot_id}|{start.timestamp():.6f}|{mode.value}|{reason or ''}"
    return hashlib.sha256(canonical.encode()).hexdigest()


async def repeat_report(
    session: AsyncSession, *, actor: Actor, key: str, print_: str, now: datetime
) -> Booking | None:
    """The report of the request this key made: its moves (from the history) and refusals."""
    existing = await idempotency.find(session, patient_id=actor.user_id, key=key, now=now)
    if existing is None:
        return None
    series_id = idempotency.replayed_id(existing, print_)
    series = await session.get(SeriesRow, series_id)
    if series is None:
        return None
    statement = (
        select(AppointmentChangeRow, AppointmentRow)
        .join(AppointmentRow, col(AppointmentRow.id) == col(AppointmentChangeRow.appointment_id))
        .where(
            col(AppointmentRow.series_id) == series.id,
            col(AppointmentChangeRow.action) == Action.RESCHEDULED.value,
            col(AppointmentChangeRow.actor_id) == actor.user_id,
            col(AppointmentChangeRow.at) == existing.created_at,
        )
    )
    found = [
        Occurrence(
            change.to_start,
            end=change.to_end,
            appointment=row,
            previous_start=change.from_start,
        )
        for change, row in (await session.exec(statement)).all()
    ]
    refused = [
        Occurrence(
            datetime.fromisoformat(str(entry["start"])),
            refusal=str(entry["code"]),
            message=str(entry["message"]),
            previous_start=datetime.fromisoformat(str(entry["previous_start"])),
        )
        for entry in series.refused
        if entry.get("moved") == print_
    ]
    return Booking(series, sorted([*found, *refused], key=lambda o: o.start))


def reported(plan: Plan, row: AppointmentRow | None = None) -> Occurrence:
    if plan.refusal is not None:
        return Occurrence(
            plan.start,
            refusal=plan.refusal.code,
            message=plan.refusal.message,
            previous_start=plan.row.starts_at,
        )
    assert plan.appointment is not None
    return Occurrence(
        plan.start, end=plan.appointment.end, appointment=row, previous_start=plan.row.starts_at
    )
