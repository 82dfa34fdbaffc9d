"""User management by admins: search, roles, deactivation, doctor invitations."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.identity import domain, events
from subgraphs.identity.models import AuditAction, AuditOutcome, TokenPurpose, User
from subgraphs.identity.service.accounts import NewAccount, add_account
from subgraphs.identity.service.audit import Origin, record
from subgraphs.identity.service.credentials import issue_one_time_token
from subgraphs.identity.service.revocation import end_sessions, publish_ended, publish_user
from subgraphs.identity.wiring import Identity
from subgraphs.shared import outbox
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import NotFound


@dataclass(frozen=True)
class UserQuery:
    search: str | None = None
    role: Role | None = None
    active: bool | None = None


async def list_users(
    *, db: Database, query: UserQuery, offset: int, limit: int
) -> tuple[Sequence[User], int]:
    """Users matching the query (name or email contains `search`), by name, and the total."""
    conditions: list[ColumnElement[bool]] = []
    if query.search and query.search.strip():
        pattern = "%" + query.search.strip().lower().replace("\\", "").replace("%", "") + "%"
        conditions.append(
            or_(func.lower(col(User.name)).like(pattern), col(User.email).like(pattern))
        )
    if query.role is not None:
        conditions.append(col(User.role) == query.role)
    if query.active is not None:
        conditions.append(col(User.active) == query.active)
    async with db.session() as session:
        total = (
            await session.exec(select(func.count()).select_from(User).where(*conditions))
        ).one()
        rows = (
            await session.exec(
                select(User)
                .where(*conditions)
                .order_by(func.lower(col(User.name)), col(User.id))
                .offset(offset)
                .limit(limit)
            )
        ).all()
    return rows, int(total)


async def _target(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _audit(
    session: AsyncSession,
    action: AuditAction,
    actor: Principal,
    user: User,
    origin: Origin,
    now: datetime,
    reason: str | None = None,
) -> None:
    record(
        session,
        action=action,
        outcome=AuditOutcome.SUCCESS,
        origin=origin,
        now=now,
        actor_id=actor.user_id,
        subject_id=user.id,
        reason=reason,
    )


async def set_user_role(
    *, ident: Identity, actor: Principal, user_id: uuid.UUID, role: Role, origin: Origin
) -> User:
    """Give a user another role; their current access tokens stop working at once."""
    domain.ensure_not_self(actor.user_id, user_id, action="change the role of")
    now = ident.clock()
    async with ident.db.transaction() as session:
        user = await _target(session, user_id)
        if user.role is role:
            return user
        previous, user.role, user.updated_at = user.role, role, now
        session.add(user)
        outbox.record(
            session,
            events.UserRoleChanged(user_id=user.id, role=role.value, previous_role=previous.value),
            source=events.SOURCE,
        )
        _audit(session, AuditAction.ROLE_CHANGE, actor, user, origin, now, role.value.lower())
        await publish_user(ident, user, valid_after=now)
    return user


async def deactivate_user(
    *,
    ident: Identity,
    actor: Principal,
    user_id: uuid.UUID,
    reason: str | None,
    origin: Origin,
) -> User:
    """Deactivate a user: no more sign-ins, every session and token ends at once."""
    domain.ensure_not_self(actor.user_id, user_id, action="deactivate")
    now = ident.clock()
    async with ident.db.transaction() as session:
        user = await _target(session, user_id)
        if not user.active:
            return user
        user.active, user.deactivated_at, user.updated_at = False, now, now
        session.add(user)
        ended = await end_sessions(session, user_id=user.id, now=now, reason="deactivation")
        outbox.record(session, events.UserDeactivated(user_id=user.id), source=events.SOURCE)
        note = (reason or "").strip()[:60] or None
        _audit(session, AuditAction.DEACTIVATION, actor, user, origin, now, note)
        await publish_user(ident, user, valid_after=now)
        await publish_ended(ident, ended)
    return user


async def reactivate_user(
    *, ident: Identity, actor: Principal, user_id: uuid.UUID, origin: Origin
) -> User:
    """Let a deactivated user sign in again (their old sessions stay ended)."""
    now = ident.clock()
    async with ident.db.transaction() as session:
        user = await _target(session, user_id)
        if user.active:
            return user
        user.active, user.deactivated_at, user.updated_at = True, None, now
        session.add(user)
        outbox.record(session, events.UserReactivated(user_id=user.id), source=events.SOURCE)
        _audit(session, AuditAction.REACTIVATION, actor, user, origin, now)
    await publish_user(ident, user, valid_after=now)
    return user


async def invite_doctor(
    *,
    ident: Identity,
    actor: Principal,
    email: str,
    name: str,
    phone: str | None,
    language: str,
    time_zone: str,
    origin: Origin,
) -> tuple[User, datetime]:
    """Create a doctor account without a password and send its owner a one-time link to set
    one. The account is announced by `DoctorInvited` alone (not `UserRegistered`): the doctors
    subgraph opens an approved profile from it, whatever order events arrive in."""
    account = NewAccount(
        email=domain.normalize_email(email),
        password_hash=None,
        name=domain.check_name(name),
        role=Role.DOCTOR,
        phone=domain.check_phone(phone),
        language=domain.check_language(language),
        time_zone=domain.check_time_zone(time_zone),
    )
    now = ident.clock()
    user_id = uuid.uuid4()
    token, delivery_id = await issue_one_time_token(
        ident,
        user_id=user_id,
        purpose=TokenPurpose.INVITATION,
        ttl=timedelta(hours=ident.settings.invitation_ttl_hours),
        now=now,
    )
    async with ident.db.transaction() as session:
        user = await add_account(
            session, dataclasses.replace(account, user_id=user_id), announce=False
        )
        await session.flush()
        session.add(token)
        outbox.record(
            session,
            events.DoctorInvited(
                user_id=user.id,
                email=user.email,
                name=user.name,
                language=user.language,
                time_zone=user.time_zone,
                invited_by=actor.user_id,
                delivery_id=delivery_id,
                expires_at=token.expires_at,
            ),
            source=events.SOURCE,
        )
        _audit(session, AuditAction.INVITATION, actor, user, origin, now, "doctor")
    return user, token.expires_at
