"""Audit of patient data a subscription delivers: one `AppointmentRead` per event per subscriber.

A live update sends the appointment's `reason` / `statusReason` to a doctor or admin as a
query would, so it is recorded as one, before it goes out. A subscription keeps one request
id for its whole life, so the entry's id is derived from the request, the subscriber and the
event (the appointment's `updated_at` and the action): a repeated delivery of one event is
one entry, each new event another. The patient's own updates are not recorded. The entry is
written to the outbox (the at-least-once path of every read); a failure to write it is
logged and never fails or holds back the delivery.
"""

from __future__ import annotations

import logging
from typing import Final

from subgraphs.appointments.domain import Action
from subgraphs.appointments.models import AppointmentRow
from subgraphs.shared.audit import caller as callers
from subgraphs.shared.audit import capture
from subgraphs.shared.audit.entry import entry
from subgraphs.shared.auth import Principal
from subgraphs.shared.database import Database

log = logging.getLogger(__name__)

ACTION: Final = "AppointmentRead"


def occurrence(row: AppointmentRow, action: Action) -> str:
    """What tells one delivered event from another within one subscription."""
    return f"{row.id}|{row.updated_at.isoformat()}|{action.value}"


async def delivered(
    db: Database, subscriber: Principal, row: AppointmentRow, action: Action
) -> None:
    """Record that `subscriber` was sent this appointment's patient data. The subscriber is
    the subscription's own principal (a client's own socket binds no request caller); the
    client's address is the bound caller's, when there is one."""
    if subscriber.user_id == row.patient_id:
        return
    who = callers.Caller(
        user_id=subscriber.user_id,
        role=subscriber.role.value,
        client_address=callers.current().client_address,
    )
    read = entry(
        who,
        component="appointments",
        action=ACTION,
        subject_type="Appointment",
        subject_id=row.id,
        patient_id=row.patient_id,
    )
    try:
        await capture.record_once(db, [read], occurrence=occurrence(row, action))
    except Exception:  # the delivery goes out; the failure is visible in the logs
        log.warning(
            "live update delivered without its audit entry", extra={"appointment_id": str(row.id)}
        )
