"""Accounts and profiles: registration, the first admin, reading and updating a profile."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from argon2 import PasswordHasher
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.identity import domain, events
from subgraphs.identity.credentials.passwords import DEFAULT, hash_password
from subgraphs.identity.domain import Channel
from subgraphs.identity.models import AuditAction, AuditOutcome, User, utcnow
from subgraphs.identity.service.audit import Origin, record
from subgraphs.identity.wiring import Identity
from subgraphs.shared import outbox
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import Conflict, NotFound

log = logging.getLogger("healthbook.identity")
NOWHERE = Origin()


@dataclass(frozen=True)
class NewAccount:
    """A checked account to create (email normalised, password hashed)."""

    email: str
    password_hash: str | None
    name: str
    role: Role
    phone: str | None = None
    language: str = "en"
    time_zone: str = "UTC"
    user_id: uuid.UUID | None = None


def registered_event(user: User) -> events.UserRegistered:
    return events.UserRegistered(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=user.role.value,
        phone=user.phone,
        language=user.language,
        time_zone=user.time_zone,
        city=user.city,
        notification_channels=list(user.notification_channels),
    )


async def add_account(session: AsyncSession, account: NewAccount, *, announce: bool) -> User:
    """Insert a user (CONFLICT when the email is taken), announcing it with `UserRegistered`."""
    taken = (await session.exec(select(User.id).where(User.email == account.email))).first()
    if taken is not None:
        raise Conflict("An account with this email address already exists.", field="email")
    user = User(
        id=account.user_id or uuid.uuid4(),
        email=account.email,
        password_hash=account.password_hash,
        role=account.role,
        name=account.name,
        phone=account.phone,
        language=account.language,
        time_zone=account.time_zone,
    )
    session.add(user)
    if announce:
        outbox.record(session, registered_event(user), source=events.SOURCE)
    return user


async def register(
    *,
    ident: Identity,
    email: str,
    password: str,
    name: str,
    role: Role = Role.PATIENT,
    phone: str | None = None,
    language: str = "en",
    time_zone: str = "UTC",
    origin: Origin = NOWHERE,
) -> User:
    """Open a patient or doctor account (a doctor's starts pending approval in doctors)."""
    address = domain.normalize_email(email)
    domain.check_password(password, email=address)
    account = NewAccount(
        email=address,
        password_hash=None,
        name=domain.check_name(name),
        role=domain.check_self_service_role(role),
        phone=domain.check_phone(phone),
        language=domain.check_language(language),
        time_zone=domain.check_time_zone(time_zone),
    )
    hashed = await asyncio.to_thread(hash_password, password, ident.hasher)
    try:
        async with ident.db.transaction() as session:
            user = await add_account(
                session, dataclasses.replace(account, password_hash=hashed), announce=True
            )
            record(
                session,
                action=AuditAction.REGISTER,
                outcome=AuditOutcome.SUCCESS,
                origin=origin,
                now=ident.clock(),
                actor_id=user.id,
                subject_id=user.id,
                email=address,
                reason=role.value.lower(),
            )
    except IntegrityError:
        # A concurrent registration of the same address committed first.
        raise Conflict(
            "An account with this email address already exists.", field="email"
        ) from None
    return user


async def create_admin(
    *, db: Database, email: str, password: str, name: str, hasher: PasswordHasher = DEFAULT
) -> User:
    """Create an admin account (`healthbook create-admin`); CONFLICT if the email is taken."""
    address = domain.normalize_email(email)
    domain.check_password(password, email=address)
    clean_name = domain.check_name(name)
    hashed = await asyncio.to_thread(hash_password, password, hasher)
    async with db.transaction() as session:
        user = await add_account(
            session,
            NewAccount(email=address, password_hash=hashed, name=clean_name, role=Role.ADMIN),
            announce=True,
        )
        record(
            session,
            action=AuditAction.ADMIN_CREATION,
            outcome=AuditOutcome.SUCCESS,
            origin=Origin(),
            now=utcnow(),
            subject_id=user.id,
            email=address,
            reason="command",
        )
    return user


async def ensure_first_admin(*, ident: Identity) -> User | None:
    """Create the admin named by HEALTHBOOK_ADMIN_EMAIL/PASSWORD when there is no admin yet."""
    settings = ident.settings
    if not settings.admin_email:
        return None
    async with ident.db.session() as session:
        exists = (await session.exec(select(User.id).where(User.role == Role.ADMIN))).first()
    if exists is not None:
        return None
    try:
        user = await create_admin(
            db=ident.db,
            email=settings.admin_email,
            password=settings.admin_password,
            name="Administrator",
            hasher=ident.hasher,
        )
    except Conflict:
        log.warning("HEALTHBOOK_ADMIN_EMAIL belongs to an existing non-admin account")
        return None
    log.info("first admin created", extra={"user_id": str(user.id)})
    return user


async def get_user(*, db: Database, user_id: uuid.UUID) -> User:
    """The user with this id, or NOT_FOUND."""
    async with db.session() as session:
        user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


async def users_by_ids(*, db: Database, ids: Sequence[uuid.UUID]) -> list[User | None]:
    """The users with these ids, in order (None where there is none): entity batching."""
    async with db.session() as session:
        rows = (await session.exec(select(User).where(col(User.id).in_(set(ids))))).all()
    found = {row.id: row for row in rows}
    return [found.get(user_id) for user_id in ids]


KEEP = object()  # a profile field left as it is


@dataclass(frozen=True)
class ProfileChanges:
    """The profile fields to change; `KEEP` leaves a field alone, None clears an optional one."""

    name: object = KEEP
    phone: object = KEEP
    date_of_birth: object = KEEP
    city: object = KEEP
    language: object = KEEP
    time_zone: object = KEEP
    notification_channels: object = KEEP


def _apply(user: User, changes: ProfileChanges, *, today: date) -> None:
    if isinstance(changes.name, str):
        user.name = domain.check_name(changes.name)
    if changes.phone is not KEEP:
        user.phone = domain.check_phone(changes.phone if isinstance(changes.phone, str) else None)
    if changes.date_of_birth is not KEEP:
        born = changes.date_of_birth if isinstance(changes.date_of_birth, date) else None
        user.date_of_birth = domain.check_date_of_birth(born, today=today)
    if changes.city is not KEEP:
        user.city = domain.check_city(changes.city if isinstance(changes.city, str) else None)
    if isinstance(changes.language, str):
        user.language = domain.check_language(changes.language)
    if isinstance(changes.time_zone, str):
        user.time_zone = domain.check_time_zone(changes.time_zone)
    wanted = changes.notification_channels
    current = [Channel(c) for c in user.notification_channels]
    channels = [Channel(c) for c in wanted] if isinstance(wanted, list | tuple) else current
    user.notification_channels = [
        c.value for c in domain.check_channels(channels, phone=user.phone)
    ]


async def update_profile(*, ident: Identity, user_id: uuid.UUID, changes: ProfileChanges) -> User:
    """Change the caller's own profile and announce it with `UserProfileUpdated`."""
    now = ident.clock()
    async with ident.db.transaction() as session:
        user = await session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound("No such user.")
        _apply(user, changes, today=now.date())
        user.updated_at = now
        session.add(user)
        outbox.record(
            session,
            events.UserProfileUpdated(
                user_id=user.id,
                email=user.email,
                name=user.name,
                phone=user.phone,
                language=user.language,
                time_zone=user.time_zone,
                city=user.city,
                notification_channels=list(user.notification_channels),
            ),
            source=events.SOURCE,
        )
    return user
