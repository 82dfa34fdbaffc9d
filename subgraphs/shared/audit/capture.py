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

from . import caller as callers
from .entry import AUDIT_RECORDED, AUTHENTICATION, AuditRecorded, Outcome, entry, from_domain_event

_PENDING: Final = "healthbook.audit.pending"


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


async def read(
    db: Database,
    *,
    component: str,
    action: str,
    subject_type: str,
    subject_id: object = None,
    patients: Iterable[uuid.UUID | None] = (None,),
) -> None:
    """Record that the caller read patient data: one entry per patient concerned.

    Called before the data is returned, so that no read goes unrecorded; a patient reading
    their own data is not recorded (the trail is about who else looked).
    """
    who = callers.current()
    concerned = [p for p in dict.fromkeys(patients) if p is None or p != who.user_id]
    await record_alone(
        db,
        (
            entry(
                who,
                component=component,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                patient_id=patient,
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
