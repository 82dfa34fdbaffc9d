"""A series after booking: reading it, and cancelling the rest of it.

Reading: the series' patient, its doctor and admins, as for its occurrences. Cancelling:
each remaining occurrence is cancelled by the aggregate's rules (history, its own event,
live update), all in one transaction, so a refusal (a patient past an occurrence's cut-off)
cancels none; one `AppointmentSeriesCancelled` event tells people about them together.
"""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from subgraphs.appointments import events
from subgraphs.appointments.domain import ACTIVE, Action, Actor, can_read, clean_reason
from subgraphs.appointments.models import AppointmentRow, SeriesRow
from subgraphs.appointments.service import live, store
from subgraphs.appointments.service.lifecycle import Deps
from subgraphs.appointments.service.series_report import occurrences_of
from subgraphs.shared import outbox
from subgraphs.shared.audit import capture
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, NotFound

ACTIVE_VALUES = tuple(status.value for status in ACTIVE)


def readable(actor: Actor | None, series: SeriesRow) -> bool:
    """The series' patient, its doctor and admins, as for its occurrences."""
    return can_read(actor, patient_id=series.patient_id, doctor_user_id=series.doctor_user_id)


async def get(*, db: Database, actor: Actor | None, series_id: uuid.UUID) -> SeriesRow | None:
    """The series if the caller may read it, else None."""
    async with db.session() as session:
        series = await session.get(SeriesRow, series_id)
    return series if series is not None and readable(actor, series) else None


async def appointments(*, db: Database, series_id: uuid.UUID) -> list[AppointmentRow]:
    """The series' occurrences, soonest first; read as a list of patient data (audited)."""
    async with db.session() as session:
        rows = await occurrences_of(session, series_id)
    await capture.read(
        db,
        component="appointments",
        action="AppointmentsListed",
        subject_type="Appointment",
        patients=[row.patient_id for row in rows],
    )
    return rows


async def cancel_rest(
    *,
    deps: Deps,
    actor: Actor,
    series_id: uuid.UUID,
    from_appointment_id: uuid.UUID | None,
    reason: str | None,
) -> list[AppointmentRow]:
    """Cancel the series' active occurrences from `from_appointment_id` on (or all future ones)."""
    now = deps.clock()
    async with deps.db.session() as session:
        series = await session.get(SeriesRow, series_id)
        if series is None or not can_read(
            actor, patient_id=series.patient_id, doctor_user_id=series.doctor_user_id
        ):
            raise NotFound("No such appointment series.", field="seriesId")
        since = now
        if from_appointment_id is not None:
            pivot = await session.get(AppointmentRow, from_appointment_id)
            if pivot is None or pivot.series_id != series.id:
                raise BadUserInput(
                    "That appointment is not an occurrence of this series.",
                    field="fromAppointmentId",
                )
            since = pivot.starts_at
        statement = (
            select(AppointmentRow)
            .where(
                col(AppointmentRow.series_id) == series.id,
                col(AppointmentRow.status).in_(ACTIVE_VALUES),
                col(AppointmentRow.starts_at) >= since,
            )
            .order_by(col(AppointmentRow.starts_at))
        )
        rest = list((await session.exec(statement)).all())
    cancelled: list[AppointmentRow] = []
    announced = uuid.uuid4()  # the series event's id, named by each occurrence's event
    async with deps.db.transaction() as session:  # all or none
        for planned in rest:
            row = await store.load_for_update(session, planned.id)
            appointment = store.to_domain(row)
            appointment.cancel(actor=actor, reason=reason, now=now, policy=deps.policy)
            cancelled.append(
                await store.save(session, appointment, row, now=now, series_event_id=announced)
            )
        if cancelled:
            event = events.AppointmentSeriesCancelled(
                event_id=announced,
                occurred_at=now,
                **events.series_fields(series),
                occurrences=[events.occurrence_of(row) for row in cancelled],
                cancelled_by=actor.role.value,
                reason=clean_reason(reason),
            )
            outbox.record(session, event, source=events.SOURCE)
    for row in cancelled:
        await live.announce(deps.pubsub, row, Action.CANCELLED)
    return cancelled
