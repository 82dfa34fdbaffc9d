"""Events the identity subgraph publishes (payloads carry no password, hash or token).

How a reset or invitation secret reaches the notifications subgraph: the event carries a
`delivery_id`, never the secret. The secret is handed over through the shared cache with
:mod:`subgraphs.shared.handoff` (`await handoff.reveal(cache, delivery_id)` gives the secret
until `expires_at`); the consumer builds the link when it sends and must not store or log it.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime

from subgraphs.shared.events import DomainEvent

SOURCE = "identity"


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserRegistered(DomainEvent):
    """A user account exists (self-registered or created with `healthbook create-admin`).
    With role DOCTOR the doctors subgraph opens a doctor profile pending approval. Invited
    doctors are announced by `DoctorInvited` instead; demo accounts by no event."""

    type = "UserRegistered"

    user_id: uuid.UUID
    email: str
    name: str
    role: str
    phone: str | None
    language: str
    time_zone: str
    city: str | None
    notification_channels: list[str]


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserProfileUpdated(DomainEvent):
    type = "UserProfileUpdated"

    user_id: uuid.UUID
    email: str
    name: str
    phone: str | None
    language: str
    time_zone: str
    city: str | None
    notification_channels: list[str]


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserRoleChanged(DomainEvent):
    type = "UserRoleChanged"

    user_id: uuid.UUID
    role: str
    previous_role: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserDeactivated(DomainEvent):
    type = "UserDeactivated"

    user_id: uuid.UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserReactivated(DomainEvent):
    type = "UserReactivated"

    user_id: uuid.UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class PasswordChanged(DomainEvent):
    """The password was changed or reset (notifications may tell the user)."""

    type = "PasswordChanged"

    user_id: uuid.UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(DomainEvent):
    """Send the user a password reset link; the secret is behind `delivery_id` (see above)."""

    type = "PasswordResetRequested"

    user_id: uuid.UUID
    email: str
    name: str
    language: str
    time_zone: str
    delivery_id: str
    expires_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class DoctorInvited(DomainEvent):
    """An admin created a doctor account (announced by this event alone, role DOCTOR): send
    them a link to set their password; the secret is behind `delivery_id`."""

    type = "DoctorInvited"

    user_id: uuid.UUID
    email: str
    name: str
    language: str
    time_zone: str
    invited_by: uuid.UUID
    delivery_id: str
    expires_at: datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class AuthenticationAudited(DomainEvent):
    """An authentication event was written to the audit trail (no secret, no email)."""

    type = "AuthenticationAudited"

    audit_id: uuid.UUID
    action: str
    outcome: str
    actor_id: uuid.UUID | None
    subject_id: uuid.UUID | None
    client_address: str | None
    reason: str | None
