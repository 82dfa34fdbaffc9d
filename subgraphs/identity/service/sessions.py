"""Sign-in, token refresh with rotation and reuse detection, and sign-out."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.identity import domain
from subgraphs.identity.credentials.issuer import digest, mint_access_token, new_secret
from subgraphs.identity.credentials.passwords import hash_password, needs_rehash, verify_password
from subgraphs.identity.domain import InvalidCredentials, InvalidToken
from subgraphs.identity.models import (
    AuditAction,
    AuditOutcome,
    RefreshToken,
    Session,
    User,
)
from subgraphs.identity.service.audit import Origin, record, record_alone
from subgraphs.identity.service.revocation import end_sessions, publish_ended
from subgraphs.identity.wiring import Identity
from subgraphs.shared.auth import Principal
from subgraphs.shared.errors import RateLimited, Unauthenticated


@dataclass(frozen=True)
class Tokens:
    """What a successful sign-in or refresh hands to the client."""

    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    user: User
    session_id: uuid.UUID


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hash_password("not-a-real-password", hasher)


def _issue(ident: Identity, session: AsyncSession, user: User, row: Session) -> Tokens:
    """A new refresh token for the session (added to the transaction) and an access token."""
    secret = new_secret()
    session.add(RefreshToken(session_id=row.id, token_hash=digest(secret)))
    access = mint_access_token(
        ident.keys,
        user_id=user.id,
        role=user.role,
        session_id=row.id,
        issuer=ident.tokens.issuer,
        audience=ident.tokens.audience,
        ttl_seconds=ident.settings.access_token_ttl_seconds,
        now=ident.clock(),
    )
    return Tokens(access.token, access.expires_at, secret, row.expires_at, user, row.id)


async def login(*, ident: Identity, email: str, password: str, origin: Origin) -> Tokens:
    """Sign in with email and password: one answer for every failure, throttled."""
    account = domain.login_key(email)
    typed = account if "@" in account else None  # never keep a password typed as the email
    try:
        await ident.throttle.check(account, origin.key)
    except RateLimited:
        await record_alone(
            ident.db,
            action=AuditAction.LOGIN,
            outcome=AuditOutcome.THROTTLED,
            origin=origin,
            now=ident.clock(),
            email=typed,
        )
        raise
    async with ident.db.session() as session:
        user = (await session.exec(select(User).where(User.email == account))).first()
    stored = user.password_hash if user is not None else None
    matches = await asyncio.to_thread(
        verify_password, stored or _dummy_hash(ident.hasher), password, ident.hasher
    )
    if user is None or stored is None or not matches or not user.active:
        await ident.throttle.failed(account, origin.key)
        reason = "unknown_account" if user is None else "inactive" if matches else "bad_password"
        await record_alone(
            ident.db,
            action=AuditAction.LOGIN,
            outcome=AuditOutcome.FAILURE,
            origin=origin,
            now=ident.clock(),
            subject_id=user.id if user else None,
            email=typed,
            reason=reason,
        )
        raise InvalidCredentials()
    await ident.throttle.succeeded(account, origin.key)
    rehashed = None
    if needs_rehash(stored, ident.hasher):
        rehashed = await asyncio.to_thread(hash_password, password, ident.hasher)
    now = ident.clock()
    async with ident.db.transaction() as session:
        if rehashed is not None:
            user.password_hash = rehashed
            session.add(user)
        row = Session(
            user_id=user.id,
            created_at=now,
            last_used_at=now,
            expires_at=now + timedelta(days=ident.settings.refresh_token_ttl_days),
            client_address=origin.address,
        )
        session.add(row)
        await session.flush()
        tokens = _issue(ident, session, user, row)
        record(
            session,
            action=AuditAction.LOGIN,
            outcome=AuditOutcome.SUCCESS,
            origin=origin,
            now=now,
            actor_id=user.id,
            subject_id=user.id,
            email=account,
        )
    return tokens


async def refresh(*, ident: Identity, refresh_token: str, origin: Origin) -> Tokens:
    """Swap a refresh token for new tokens; a token used twice ends its whole session."""
    now = ident.clock()
    reused: uuid.UUID | None = None
    failure = None
    tokens = None
    async with ident.db.transaction() as session:
        token = (
            await session.exec(
                select(RefreshToken).where(RefreshToken.token_hash == digest(refresh_token))
            )
        ).first()
        row = await session.get(Session, token.session_id) if token is not None else None
        user = await session.get(User, row.user_id) if row is not None else None
        if token is None or row is None or user is None:
            failure = "unknown_token"
        elif row.revoked_at is not None:
            failure = "session_ended"
        elif row.expires_at <= now:
            failure = "session_expired"
        elif not user.active:
            failure = "inactive"
        else:
            claimed = await session.exec(
                update(RefreshToken)
                .where(col(RefreshToken.id) == token.id, col(RefreshToken.used_at).is_(None))
                .values(used_at=now)
            )
            if claimed.rowcount != 1:
                failure = "refresh_token_reuse"
                reused = row.id
                await end_sessions(session, user_id=user.id, now=now, reason=failure, only=row.id)
            else:
                row.last_used_at = now
                session.add(row)
                tokens = _issue(ident, session, user, row)
        record(
            session,
            action=AuditAction.REFRESH,
            outcome=AuditOutcome.SUCCESS if tokens else AuditOutcome.FAILURE,
            origin=origin,
            now=now,
            actor_id=user.id if user else None,
            subject_id=user.id if user else None,
            reason=failure,
        )
        if reused is not None:
            await publish_ended(ident, [reused])
    if tokens is None:
        raise InvalidToken("This refresh token")
    return tokens


async def logout(
    *,
    ident: Identity,
    principal: Principal | None,
    refresh_token: str | None,
    all_sessions: bool,
    origin: Origin,
) -> int:
    """End the caller's session (named by the access token or a refresh token), or all of
    their sessions; returns how many were ended."""
    now = ident.clock()
    async with ident.db.transaction() as session:
        user_id = principal.user_id if principal else None
        only: uuid.UUID | None = None
        if refresh_token:
            token = (
                await session.exec(
                    select(RefreshToken).where(RefreshToken.token_hash == digest(refresh_token))
                )
            ).first()
            row = await session.get(Session, token.session_id) if token else None
            if row is not None and (user_id is None or row.user_id == user_id):
                user_id, only = row.user_id, row.id
        elif principal is not None:
            sid = principal.claims.get("sid")
            only = uuid.UUID(sid) if isinstance(sid, str) else None
        if user_id is None:
            raise Unauthenticated()
        ended = []
        if all_sessions or only is not None:
            ended = await end_sessions(
                session,
                user_id=user_id,
                now=now,
                reason="logout",
                only=None if all_sessions else only,
            )
        record(
            session,
            action=AuditAction.LOGOUT,
            outcome=AuditOutcome.SUCCESS,
            origin=origin,
            now=now,
            actor_id=user_id,
            subject_id=user_id,
            reason="all_sessions" if all_sessions else None,
        )
        await publish_ended(ident, ended)
    return len(ended)
