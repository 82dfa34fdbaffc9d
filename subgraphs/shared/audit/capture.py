"""Recording entries: state changes in the transaction of the change, reads and refusals in
a small transaction of their own, all through the component's outbox (at least once).

Every session of every store is watched (:func:`install`): when a transaction that wrote
domain events commits, one `AuditRecorded` row per event joins the same commit, naming the
caller bound to the request. A change therefore cannot commit without its entry, and an
entry cannot exist for a change that rolled back. A sign-in record (`AuthenticationAudited`)
becomes an entry only when it is all the transaction says (a role change or a registration
is one entry, named for its domain event).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.shared import outbox
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.upsert import insert_or_skip

from . import caller as callers
from .entry import AUDIT_RECORDED, AUTHENTICATION, AuditRecorded, Outcome, entry, from_domain_event

_PENDING: Final = "healthbook.audit.pending"
_READS: Final = uuid.UUID("5f0d6a52-8d1e-4c55-9b0e-3f1a3c2b7e41")
"""Namespace of the ids of read entries (uuid5 of request, actor, action, subject, patient)."""


def _envelope(message: OutboxMessage) -> EventEnvelope:
    return EventEnvelope(
        id=str(message.id),
        type=message.event_type,
        version=message.version,
        source=message.source,
        occurred_at=message.occurred_at.isoformat(),
        payload=message.payload,
    )


def _collect(session: Session) -> None:
    pending: dict[uuid.UUID, OutboxMessage] = session.info.setdefault(_PENDING, {})
    for instance in session.new:
        if isinstance(instance, OutboxMessage) and instance.event_type != AUDIT_RECORDED:
            pending.setdefault(instance.id, instance)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _collect(session)


def _before_commit(session: Session) -> None:
    _collect(session)
    pending: dict[uuid.UUID, OutboxMessage] = session.info.pop(_PENDING, {})
    if not pending:
        return
    messages = list(pending.values())
    changes = [m for m in messages if m.event_type != AUTHENTICATION] or messages
    who = callers.current()
    for message in changes:
        audited = from_domain_event(who, _envelope(message))
        session.add(_row(audited, source=message.source))


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Watch every session (idempotent; the store's `Database` calls it)."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", _forget)


def _row(audited: AuditRecorded, *, source: str) -> OutboxMessage:
    envelope = audited.envelope(source=source)
    return OutboxMessage(
        id=audited.event_id,
        event_type=envelope.type,
        version=envelope.version,
        source=source,
        occurred_at=audited.occurred_at,
        payload=envelope.payload,
    )


def record(session: AsyncSession, audited: AuditRecorded) -> None:
    """Add an entry to the session's transaction (a change that publishes no domain event)."""
    outbox.record(session, audited, source=audited.component)


async def record_alone(db: Database, entries: Iterable[AuditRecorded]) -> None:
    """Write entries in a transaction of their own (reads, refusals); raises if it cannot."""
    batch = list(entries)
    if not batch:
        return
    async with db.transaction() as session:
        for audited in batch:
            record(session, audited)


def once_per_request(audited: AuditRecorded, occurrence: str | None = None) -> AuditRecorded:
    """`audited` with an id derived from its request, actor, action, outcome, subject and
    patient: the same read made twice in one request (two subgraph calls the router planned,
    a field read on two paths) is one entry. Without a request id it stays unique.

    `occurrence` tells apart reads that share a request id yet are distinct reads: the events
    one subscription delivers (a subscription keeps its request id for its whole life)."""
    if audited.request_id is None:
        return audited
    parts = (
        audited.request_id, audited.actor_id, audited.actor_role, audited.action,
        audited.outcome, audited.subject_type, audited.subject_id, audited.patient_id,
        *(() if occurrence is None else (occurrence,)),
    )  # fmt: skip
    derived = uuid.uuid5(_READS, "|".join("" if p is None else str(p) for p in parts))
    return dataclasses.replace(audited, event_id=derived)


async def record_once(
    db: Database, entries: Iterable[AuditRecorded], *, occurrence: str | None = None
) -> None:
    """Write entries in a transaction of their own, each at most once per request (and
    `occurrence`, see :func:`once_per_request`): an entry whose id is already in the outbox
    (recorded by an earlier call) is skipped."""
    batch = {e.event_id: e for e in (once_per_request(e, occurrence) for e in entries)}
    if not batch:
        return
    async with db.transaction() as session:
        for audited in batch.values():
            message = outbox.message_of(audited, source=audited.component)
            await insert_or_skip(session, OutboxMessage, message.model_dump(), ["id"])


async def read(
    db: Database,
    *,
    component: str,
    action: str,
    subject_type: str,
    subject_id: object = None,
    patients: Iterable[uuid.UUID | None] = (None,),
    outcome: Outcome = Outcome.ALLOWED,
    reason: str | None = None,
) -> None:
    """Record that the caller read patient data (or was refused): one entry per patient
    concerned, once per request (see :func:`once_per_request`).

    Called before the data is returned, so that no read goes unrecorded; a patient reading
    their own data is not recorded (the trail is about who else looked).
    """
    who = callers.current()
    concerned = [p for p in dict.fromkeys(patients) if p is None or p != who.user_id]
    await record_once(
        db,
        (
            entry(
                who,
                component=component,
                action=action,
                outcome=outcome,
                subject_type=subject_type,
                subject_id=subject_id,
                patient_id=patient,
                reason=reason,
            )
            for patient in concerned
        ),
    )


async def refusal(
    db: Database, *, component: str, action: str, code: str, subject_id: object = None
) -> None:
    """Record that the caller was refused (`code`: FORBIDDEN, NOT_FOUND, ...)."""
    who = callers.current()
    audited = entry(
        who,
        component=component,
        action=action,
        outcome=Outcome.REFUSED,
        subject_id=subject_id,
        reason=code,
    )
    await record_alone(db, [audited])
