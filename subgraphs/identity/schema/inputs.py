"""Identity's GraphQL input objects."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from subgraphs.identity.domain import Channel
from subgraphs.identity.models import AuditAction, AuditOutcome
from subgraphs.identity.schema import types as _types  # noqa: F401 (registers the enums)
from subgraphs.shared.auth import Role


@strawberry.input(description="What a patient or doctor gives to open an account.")
class RegisterInput:
    email: str
    password: str = strawberry.field(description="8 to 128 characters, not a common password.")
    name: str
    role: Role = strawberry.field(
        default=Role.PATIENT, description="PATIENT, or DOCTOR (starts pending approval)."
    )
    phone: str | None = None
    language: str = "en"
    time_zone: str = "UTC"


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.input(description="Ends the caller's session (or the refresh token's), or all.")
class LogoutInput:
    refresh_token: str | None = None
    all_sessions: bool = False


@strawberry.input(description="Only the fields given change; null clears an optional one.")
class UpdateProfileInput:
    name: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    date_of_birth: date | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    time_zone: str | None = strawberry.UNSET
    notification_channels: list[Channel] | None = strawberry.UNSET


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str
    end_other_sessions: bool = True


@strawberry.input
class RequestPasswordResetInput:
    email: str


@strawberry.input(description="Sets a password with a reset or invitation token.")
class ResetPasswordInput:
    token: str
    new_password: str


@strawberry.input
class SetUserRoleInput:
    user_id: strawberry.ID
    role: Role


@strawberry.input
class DeactivateUserInput:
    user_id: strawberry.ID
    reason: str | None = None


@strawberry.input
class ReactivateUserInput:
    user_id: strawberry.ID


@strawberry.input(description="A doctor to invite: they get a one-time link to set a password.")
class InviteDoctorInput:
    email: str
    name: str
    phone: str | None = None
    language: str = "en"
    time_zone: str = "UTC"


@strawberry.input
class UserFilter:
    search: str | None = strawberry.field(default=None, description="In name or email.")
    role: Role | None = None
    active: bool | None = None


@strawberry.input
class AuditEventFilter:
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="As actor or subject."
    )
    action: AuditAction | None = None
    outcome: AuditOutcome | None = None
    since: datetime | None = None
    until: datetime | None = None
