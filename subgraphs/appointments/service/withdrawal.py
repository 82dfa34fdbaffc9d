"""A doctor leaves (suspended, or their account deactivated): their future visits end.

Policy (README "Doctor suspension and deactivation"): every PENDING or CONFIRMED appointment
of the doctor that has not started yet is cancelled by the system on the admins' behalf,
with the reason stated; each cancellation is an ordinary `AppointmentCancelled` event, so
the patient (and the doctor) hear of it through notifications like any other cancellation.
Visits already under way or past are left to the doctor and admins to close.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select

from subgraphs.appointments.domain import DOCTOR_WITHDRAWN, SYSTEM, Action, Policy
from subgraphs.appointments.models import AppointmentRow
from subgraphs.appointments.service import live, store
from subgraphs.shared.database import Database
from subgraphs.shared.inbox import first_delivery
from subgraphs.shared.pubsub import PubSub

CONSUMER = "appointments"


async def cancel_future_visits(
    *,
    db: Database,
    pubsub: PubSub,
    doctor_id: uuid.UUID,
    event_id: uuid.UUID,
    event_type: str,
    now: datetime,
) -> list[AppointmentRow]:
    """Cancel the doctor's appointments that start after `now`, once per event."""
    async with db.transaction() as session:
        if not await first_delivery(
            session, event_id=event_id, event_type=event_type, consumer=CONSUMER
        ):
            return []
        statement = (
            select(AppointmentRow)
            .where(
                col(AppointmentRow.doctor_id) == doctor_id,
                col(AppointmentRow.starts_at) > now,
                col(AppointmentRow.status).in_(store.ACTIVE_VALUES),
            )
            .order_by(col(AppointmentRow.starts_at))
            .with_for_update()
        )
        rows = list((await session.exec(statement)).all())
        cancelled: list[AppointmentRow] = []
        for row in rows:
            appointment = store.to_domain(row)
            appointment.cancel(actor=SYSTEM, reason=DOCTOR_WITHDRAWN, now=now, policy=Policy())
            cancelled.append(await store.save(session, appointment, row, now=now))
    for row in cancelled:
        await live.announce(pubsub, row, Action.CANCELLED)
    return cancelled
