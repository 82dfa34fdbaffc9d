"""The `AuditRecorded` event: one audit entry, written to the outbox of the component it is
about and appended to the trail by its consumer (at least once, deduplicated by entry id).

An entry names ids, roles, an action and an outcome; it never carries a payload, a secret,
a token, a password hash, an email or free text from the user.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from subgraphs.shared.events import DomainEvent, EventEnvelope
from subgraphs.shared.logs import request_id_var
from subgraphs.shared.telemetry import current_trace_id

from .caller import Caller

AUDIT_RECORDED: Final = "AuditRecorded"
AUTHENTICATION: Final = "AuthenticationAudited"
# Which payload id names the subject of a domain event, most specific first.
_SUBJECT_KEYS: Final = (
    ("appointment_id", "Appointment"),
    ("notification_id", "Notification"),
    ("doctor_id", "Doctor"),
    ("user_id", "User"),
)


class Outcome(StrEnum):
    ALLOWED = "ALLOWED"
    REFUSED = "REFUSED"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AuditRecorded(DomainEvent):
    """An audit entry; its `event_id` is the entry's id (the trail keeps it once)."""

    type = AUDIT_RECORDED

    component: str
    action: str
    outcome: str
    actor_id: uuid.UUID | None
    actor_role: str
    subject_type: str | None
    subject_id: str | None
    patient_id: uuid.UUID | None
    reason: str | None
    client_address: str | None
    request_id: str | None
    trace_id: str | None


def entry(
    caller: Caller,
    *,
    component: str,
    action: str,
    outcome: Outcome = Outcome.ALLOWED,
    subject_type: str | None = None,
    subject_id: object = None,
    patient_id: uuid.UUID | None = None,
    reason: str | None = None,
    actor_id: uuid.UUID | None = None,
) -> AuditRecorded:
    """An entry for what `caller` did now, with this request's id and trace id."""
    return AuditRecorded(
        component=component,
        action=action[:80],
        outcome=outcome.value,
        actor_id=actor_id or caller.user_id,
        actor_role=caller.actor_role,
        subject_type=subject_type,
        subject_id=str(subject_id)[:64] if subject_id is not None else None,
        patient_id=patient_id,
        reason=reason[:80] if reason else None,
        client_address=caller.client_address,
        request_id=request_id_var.get(),
        trace_id=current_trace_id(),
    )


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def from_domain_event(caller: Caller, envelope: EventEnvelope) -> AuditRecorded:
    """The entry for a state change announced by `envelope` (ids only, never its payload)."""
    payload: Mapping[str, Any] = envelope.payload
    subject_type, subject_id = next(
        ((kind, payload[key]) for key, kind in _SUBJECT_KEYS if payload.get(key) is not None),
        (None, None),
    )
    patient = _uuid(payload.get("patient_id"))
    if patient is None and subject_type == "User" and str(payload.get("role")) == "PATIENT":
        patient = _uuid(subject_id)
    if envelope.type == AUTHENTICATION:  # sign-ins and their refusals (identity)
        succeeded = payload.get("outcome") == "SUCCESS"
        return entry(
            caller,
            component=envelope.source,
            action=f"AUTHENTICATION_{payload.get('action')}",
            outcome=Outcome.ALLOWED if succeeded else Outcome.REFUSED,
            subject_type="User" if payload.get("subject_id") else None,
            subject_id=payload.get("subject_id"),
            actor_id=_uuid(payload.get("actor_id")),
            reason=None if succeeded else str(payload.get("reason") or payload.get("outcome")),
        )
    return entry(
        caller,
        component=envelope.source,
        action=envelope.type,
        subject_type=subject_type,
        subject_id=subject_id,
        patient_id=patient,
    )
