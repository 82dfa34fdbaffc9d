"""Passwords: change, forgotten-password reset, and setting one with a one-time token.

How the one-time secret reaches the user without appearing in any event or log:

1. `request_password_reset` (or `admin.invite_doctor`) makes a 256-bit random secret and
   stores only its SHA-256 in `identity_one_time_tokens` (single use, expiring).
2. The secret itself is deposited in the shared cache with `shared.handoff.deposit` under a
   random `delivery_id` that lives exactly as long as the token.
3. The event (`PasswordResetRequested` / `DoctorInvited`) carries `delivery_id` and
   `expires_at`, never the secret; it goes through the outbox and the broker as usual.
4. The notifications consumer calls `shared.handoff.reveal(cache, delivery_id)` when it
   renders the message (the link: `<public url>/reset-password?token=<secret>`), sends it
   without logging or storing the rendered text, then `handoff.discard(...)`.
5. `resetPassword(token, newPassword)` checks the digest, marks the token used in the same
   transaction that sets the password (a second use fails), ends every session.

`requestPasswordReset` answers the same whether or not the account exists.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.identity import domain, events
from subgraphs.identity.credentials.issuer import digest, new_secret
from subgraphs.identity.credentials.passwords import hash_password, verify_password
from subgraphs.identity.models import (
    AuditAction,
    AuditOutcome,
    OneTimeToken,
    TokenPurpose,
    User,
)
from subgraphs.identity.service.audit import Origin, record, record_alone
from subgraphs.identity.service.revocation import end_sessions, publish_ended, publish_user
from subgraphs.identity.wiring import Identity
from subgraphs.shared import handoff, outbox
from subgraphs.shared.auth import Principal
from subgraphs.shared.errors import BadUserInput, NotFound

RESET_REQUESTS_PER_HOUR = 5


async def change_password(
    *,
    ident: Identity,
    principal: Principal,
    current_password: str,
    new_password: str,
    end_other_sessions: bool,
    origin: Origin,
) -> tuple[User, int]:
    """Change the caller's password (knowing the current one); optionally end other sessions."""
    async with ident.db.session() as session:
        user = await session.get(User, principal.user_id)
    if user is None or not user.active:
        raise NotFound("No such user.")
    await ident.throttle.check(user.email, origin.key)
    if not await asyncio.to_thread(
        verify_password, user.password_hash or "", current_password, ident.hasher
    ):
        await ident.throttle.failed(user.email, origin.key)
        await record_alone(
            ident.db,
            action=AuditAction.PASSWORD_CHANGE,
            outcome=AuditOutcome.FAILURE,
            origin=origin,
            now=ident.clock(),
            subject_id=user.id,
            reason="bad_password",
        )
        raise BadUserInput("The current password is incorrect.", field="currentPassword")
    await ident.throttle.succeeded(user.email, origin.key)  # gives the reserved attempt back
    domain.check_password(new_password, field="newPassword", email=user.email)
    hashed = await asyncio.to_thread(hash_password, new_password, ident.hasher)
    now = ident.clock()
    sid = principal.claims.get("sid")
    async with ident.db.transaction() as session:
        user.password_hash, user.password_changed_at, user.updated_at = hashed, now, now
        session.add(user)
        ended: list[uuid.UUID] = []
        if end_other_sessions:
            keep = uuid.UUID(sid) if isinstance(sid, str) else None
            ended = await end_sessions(
                session, user_id=user.id, now=now, reason="password_change", keep=keep
            )
        outbox.record(session, events.PasswordChanged(user_id=user.id), source=events.SOURCE)
        record(
            session,
            action=AuditAction.PASSWORD_CHANGE,
            outcome=AuditOutcome.SUCCESS,
            origin=origin,
            now=now,
            actor_id=user.id,
            subject_id=user.id,
        )
        await publish_ended(ident, ended)
    return user, len(ended)


async def issue_one_time_token(
    ident: Identity, *, user_id: uuid.UUID, purpose: TokenPurpose, ttl: timedelta, now: datetime
) -> tuple[OneTimeToken, str]:
    """A new single-use token (its digest row, unsaved) and the delivery id of its secret."""
    secret = new_secret()
    row = OneTimeToken(
        user_id=user_id, purpose=purpose, token_hash=digest(secret), expires_at=now + ttl
    )
    delivery_id = await handoff.deposit(ident.cache, secret, ttl_seconds=int(ttl.total_seconds()))
    return row, delivery_id


async def request_password_reset(*, ident: Identity, email: str, origin: Origin) -> None:
    """Send a reset link to the account's owner, if there is such an active account."""
    address = domain.normalize_email(email)
    now = ident.clock()
    count = await ident.cache.increment(
        f"throttle:reset:{digest(address)[:24]}:{int(now.timestamp() // 3600)}", ttl_seconds=3600
    )
    async with ident.db.session() as session:
        user = (await session.exec(select(User).where(User.email == address))).first()
    if user is None or not user.active or count > RESET_REQUESTS_PER_HOUR:
        reason = "throttled" if count > RESET_REQUESTS_PER_HOUR else "unknown_account"
        await record_alone(
            ident.db,
            action=AuditAction.PASSWORD_RESET_REQUEST,
            outcome=AuditOutcome.FAILURE,
            origin=origin,
            now=now,
            subject_id=user.id if user else None,
            email=address,
            reason=reason,
        )
        return
    ttl = timedelta(minutes=ident.settings.password_reset_ttl_minutes)
    token, delivery_id = await issue_one_time_token(
        ident, user_id=user.id, purpose=TokenPurpose.PASSWORD_RESET, ttl=ttl, now=now
    )
    async with ident.db.transaction() as session:
        await session.exec(
            update(OneTimeToken)
            .where(
                col(OneTimeToken.user_id) == user.id,
                col(OneTimeToken.purpose) == TokenPurpose.PASSWORD_RESET,
                col(OneTimeToken.used_at).is_(None),
            )
            .values(used_at=now)
        )  # an older link stops working
        session.add(token)
        outbox.record(
            session,
            events.PasswordResetRequested(
                user_id=user.id,
                email=user.email,
                name=user.name,
                language=user.language,
                time_zone=user.time_zone,
                delivery_id=delivery_id,
                expires_at=token.expires_at,
            ),
            source=events.SOURCE,
        )
        record(
            session,
            action=AuditAction.PASSWORD_RESET_REQUEST,
            outcome=AuditOutcome.SUCCESS,
            origin=origin,
            now=now,
            subject_id=user.id,
            email=address,
        )


async def reset_password(*, ident: Identity, token: str, new_password: str, origin: Origin) -> User:
    """Set a new password with a reset or invitation token; every session ends."""
    domain.check_password(new_password, field="newPassword")
    hashed = await asyncio.to_thread(hash_password, new_password, ident.hasher)
    now = ident.clock()
    done = None
    async with ident.db.transaction() as session:
        row = (
            await session.exec(select(OneTimeToken).where(OneTimeToken.token_hash == digest(token)))
        ).first()
        user = await session.get(User, row.user_id) if row is not None else None
        if row is not None and user is not None and user.active and row.expires_at > now:
            domain.check_password(new_password, field="newPassword", email=user.email)
            claimed = await session.exec(
                update(OneTimeToken)
                .where(col(OneTimeToken.id) == row.id, col(OneTimeToken.used_at).is_(None))
                .values(used_at=now)
            )
            if claimed.rowcount == 1:
                done = await _set_password(ident, session, user, hashed, row.purpose, origin)
    if done is None:
        await record_alone(
            ident.db,
            action=AuditAction.PASSWORD_RESET,
            outcome=AuditOutcome.FAILURE,
            origin=origin,
            now=now,
            subject_id=user.id if user else None,
            reason="invalid_token",
        )
        raise domain.InvalidToken()
    await ident.throttle.forgive_account(done.email)
    return done


async def _set_password(
    ident: Identity,
    session: AsyncSession,
    user: User,
    hashed: str,
    purpose: TokenPurpose,
    origin: Origin,
) -> User:
    now = ident.clock()
    user.password_hash, user.password_changed_at, user.updated_at = hashed, now, now
    session.add(user)
    ended = await end_sessions(session, user_id=user.id, now=now, reason="password_reset")
    outbox.record(session, events.PasswordChanged(user_id=user.id), source=events.SOURCE)
    record(
        session,
        action=AuditAction.PASSWORD_RESET,
        outcome=AuditOutcome.SUCCESS,
        origin=origin,
        now=now,
        actor_id=user.id,
        subject_id=user.id,
        reason=purpose.value.lower(),
    )
    await publish_ended(ident, ended)
    await publish_user(ident, user, valid_after=now)
    return user
