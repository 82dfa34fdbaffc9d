"""Identity's tables: users with their profile, sessions, refresh and one-time tokens, audit."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from subgraphs.shared.audit.trail import TABLES as TRAIL_TABLES
from subgraphs.shared.auth import Role

TABLES = (
    "users",
    "identity_sessions",
    "identity_refresh_tokens",
    "identity_one_time_tokens",
    "identity_audit_events",
    *TRAIL_TABLES,  # the audit trail of every component (subgraphs/shared/audit)
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    """A person who can sign in: a patient, a doctor or an admin, with their profile."""

    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str | None = Field(default=None, max_length=200)
    role: Role = Field(max_length=10, index=True)
    name: str = Field(max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, index=True)
    phone: str | None = Field(default=None, max_length=20)
    date_of_birth: date | None = None
    city: str | None = Field(default=None, max_length=100)
    language: str = Field(default="en", max_length=35)
    time_zone: str = Field(default="UTC", max_length=64)
    notification_channels: list[str] = Field(
        default_factory=lambda: ["EMAIL", "IN_APP"], sa_column=Column(JSON, nullable=False)
    )
    updated_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime | None = None
    deactivated_at: datetime | None = None


class Session(SQLModel, table=True):
    """A sign-in: one refresh-token family (its id is the `sid` claim of its access tokens)."""

    __tablename__ = "identity_sessions"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    expires_at: datetime
    last_used_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    revoked_reason: str | None = Field(default=None, max_length=40)
    client_address: str | None = Field(default=None, max_length=64)


class RefreshToken(SQLModel, table=True):
    """One refresh token of a session, stored as a SHA-256 digest; used at most once."""

    __tablename__ = "identity_refresh_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="identity_sessions.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 (a name, not a password)
    INVITATION = "INVITATION"


class OneTimeToken(SQLModel, table=True):
    """A single-use, expiring secret that lets its holder set a password (stored as a digest)."""

    __tablename__ = "identity_one_time_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    purpose: TokenPurpose = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class AuditAction(StrEnum):
    REGISTER = "REGISTER"
    LOGIN = "LOGIN"
    REFRESH = "REFRESH"
    LOGOUT = "LOGOUT"
    PASSWORD_CHANGE = "PASSWORD_CHANGE"  # noqa: S105 (a name, not a password)
    PASSWORD_RESET_REQUEST = "PASSWORD_RESET_REQUEST"  # noqa: S105 (a name, not a password)
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 (a name, not a password)
    ROLE_CHANGE = "ROLE_CHANGE"
    DEACTIVATION = "DEACTIVATION"
    REACTIVATION = "REACTIVATION"
    INVITATION = "INVITATION"
    ADMIN_CREATION = "ADMIN_CREATION"


class AuditOutcome(StrEnum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    THROTTLED = "THROTTLED"


class AuditEvent(SQLModel, table=True):
    """Who did what to whom, when (UTC), from where, with which outcome. Never a secret."""

    __tablename__ = "identity_audit_events"
    __table_args__ = (Index("ix_identity_audit_events_time", "occurred_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow)
    action: AuditAction = Field(max_length=30, index=True)
    outcome: AuditOutcome = Field(max_length=10)
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    subject_id: uuid.UUID | None = Field(default=None, index=True)
    email: str | None = Field(default=None, max_length=254)
    client_address: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=60)
