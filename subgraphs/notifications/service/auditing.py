"""What notifications puts on the audit trail: its own state changes (preferences, marking
read, which publish no domain event) and reads of notification contents by someone else."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Final

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications.models import Notification
from subgraphs.shared.audit import caller, capture
from subgraphs.shared.audit.entry import entry
from subgraphs.shared.database import Database

COMPONENT: Final = "notifications"


def changed(session: AsyncSession, *, action: str, user_id: uuid.UUID) -> None:
    """Audit a change of the user's own notification state in the change's transaction."""
    who = caller.current()
    patient = user_id if who.role == "PATIENT" and who.user_id == user_id else None
    capture.record(
        session,
        entry(
            who,
            component=COMPONENT,
            action=action,
            subject_type="User",
            subject_id=user_id,
            patient_id=patient,
        ),
    )


def webhook_changed(session: AsyncSession, *, action: str, webhook_id: uuid.UUID) -> None:
    """Audit an admin's change of a webhook endpoint in the change's transaction (its id
    only: never its URL or secret)."""
    capture.record(
        session,
        entry(
            caller.current(),
            component=COMPONENT,
            action=action,
            subject_type="Webhook",
            subject_id=webhook_id,
        ),
    )


async def listed(db: Database, rows: Iterable[Notification]) -> None:
    """Record that the caller read these notifications' contents: one entry per recipient."""
    await capture.read(
        db,
        component=COMPONENT,
        action="NotificationsListed",
        subject_type="Notification",
        patients=[row.user_id for row in rows],
    )


async def looked_up(db: Database, row: Notification, *, allowed: bool) -> None:
    """Record a read of one notification by id: allowed (not the recipient's own) or refused."""
    if allowed:
        await capture.read(
            db,
            component=COMPONENT,
            action="NotificationRead",
            subject_type="Notification",
            subject_id=row.id,
            patients=[row.user_id],
        )
    else:
        await capture.refusal(
            db, component=COMPONENT, action="NotificationRead", code="NOT_FOUND", subject_id=row.id
        )
