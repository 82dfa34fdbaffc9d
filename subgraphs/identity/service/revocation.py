"""Ending sessions in the store and telling every verifier at once (through the cache).

Restrictive changes (sessions ended, user deactivated, role changed) are published before
the transaction commits: if the commit then fails, the worst case is a user who has to
sign in again, never a revoked token that keeps working.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.identity.models import Session, User
from subgraphs.identity.wiring import Identity
from subgraphs.shared.tokens import UserState, publish_session_revoked, publish_user_state


async def end_sessions(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    now: datetime,
    reason: str,
    keep: uuid.UUID | None = None,
    only: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Revoke the user's open sessions (all, all but `keep`, or just `only`); their ids."""
    query = select(Session).where(
        col(Session.user_id) == user_id, col(Session.revoked_at).is_(None)
    )
    if keep is not None:
        query = query.where(col(Session.id) != keep)
    if only is not None:
        query = query.where(col(Session.id) == only)
    rows = (await session.exec(query)).all()
    for row in rows:
        row.revoked_at = now
        row.revoked_reason = reason
        session.add(row)
    return [row.id for row in rows]


async def publish_ended(ident: Identity, session_ids: Iterable[uuid.UUID]) -> None:
    for session_id in session_ids:
        await publish_session_revoked(
            ident.cache, str(session_id), ttl_seconds=ident.state_ttl_seconds
        )


async def publish_user(ident: Identity, user: User, *, valid_after: datetime) -> None:
    """Publish the user's role, active flag and sessions-valid-after time."""
    state = UserState(
        active=user.active,
        role=user.role,
        valid_after=round(valid_after.timestamp(), 3),
    )
    await publish_user_state(ident.cache, user.id, state, ttl_seconds=ident.state_ttl_seconds)
