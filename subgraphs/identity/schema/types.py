"""Identity's GraphQL object types, enums and payloads (never table models)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Self

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.identity import service
from subgraphs.identity.domain import Channel
from subgraphs.identity.models import AuditAction, AuditEvent, AuditOutcome, User
from subgraphs.identity.schema.connection import ListPage
from subgraphs.shared.audit.reads import Read, recorder
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import Forbidden, Unauthenticated
from subgraphs.shared.graphql import Context

Info = strawberry.Info[Context, None]

# The domain's enums, exposed as GraphQL enums (strawberry.enum registers them in place).
strawberry.enum(Channel, name="ContactChannel", description=Channel.__doc__)
strawberry.enum(AuditAction, name="AuditAction", description="What happened.")
strawberry.enum(AuditOutcome, name="AuditOutcome", description="How it ended.")


def user_loader(info: Info) -> DataLoader[uuid.UUID, User | None]:
    """The request's batching loader of users by id."""
    loaders = info.context.loaders
    if "identity.users" not in loaders:
        db = info.context.resources.database

        async def load(ids: list[uuid.UUID]) -> list[User | None]:
            return await service.users_by_ids(db=db, ids=ids)

        loaders["identity.users"] = DataLoader(load_fn=load)
    loader: DataLoader[uuid.UUID, User | None] = loaders["identity.users"]
    return loader


async def _audit(info: Info, patient: User, *, refused: str | None) -> None:
    """Record a read of a patient's profile (once per request; not the patient's own)."""
    db = info.context.resources.database
    audit = recorder(info.context.loaders, db=db, component="identity")
    await audit.load(Read("PatientProfileRead", "User", str(patient.id), patient.id, refused))


@strawberry.federation.type(
    name="User",
    keys=["id"],
    description="A person who can sign in. Contact and profile fields are visible to the "
    "user themselves and to admins only.",
)
class UserType:
    id: strawberry.ID
    name: str
    role: Role
    row: strawberry.Private[User]
    # True in the payload of the mutation that just proved who the caller is (register,
    # login, refresh): the new token is not yet the request's identity, the user is.
    is_caller: strawberry.Private[bool] = False

    @classmethod
    def from_model(cls, user: User, *, is_caller: bool = False) -> Self:
        return cls(
            id=strawberry.ID(str(user.id)),
            name=user.name,
            role=user.role,
            row=user,
            is_caller=is_caller,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Self | None:
        """The user (their name and role are public): a patient's, resolved for someone else
        (`Appointment.patient` for a doctor or an admin), is a read of patient data."""
        try:
            user = await user_loader(info).load(uuid.UUID(str(id)))
        except ValueError:
            return None
        if user is None:
            return None
        if user.role == Role.PATIENT:
            await _audit(info, user, refused=None)
        return cls.from_model(user)

    async def _own(self, info: Info) -> User:
        if self.is_caller:
            return self.row
        principal = info.context.principal
        if principal is None:
            raise Unauthenticated()
        if principal.user_id != self.row.id and not principal.is_admin:
            if self.row.role == Role.PATIENT:
                await _audit(info, self.row, refused="FORBIDDEN")
            raise Forbidden()
        return self.row

    @strawberry.field(description="Sign-in address (normalised, unique).")
    async def email(self, info: Info) -> str | None:
        return (await self._own(info)).email

    @strawberry.field
    async def phone(self, info: Info) -> str | None:
        return (await self._own(info)).phone

    @strawberry.field
    async def date_of_birth(self, info: Info) -> date | None:
        return (await self._own(info)).date_of_birth

    @strawberry.field
    async def city(self, info: Info) -> str | None:
        return (await self._own(info)).city

    @strawberry.field(description="BCP 47 tag, e.g. en or pt-BR.")
    async def language(self, info: Info) -> str | None:
        return (await self._own(info)).language

    @strawberry.field(description="IANA time zone, e.g. Europe/Berlin.")
    async def time_zone(self, info: Info) -> str | None:
        return (await self._own(info)).time_zone

    @strawberry.field(description="How the user accepts to be notified.")
    async def notification_channels(self, info: Info) -> list[Channel] | None:
        return [Channel(c) for c in (await self._own(info)).notification_channels]

    @strawberry.field(description="False once an admin deactivated the account.")
    async def active(self, info: Info) -> bool | None:
        return (await self._own(info)).active

    @strawberry.field
    async def created_at(self, info: Info) -> datetime | None:
        return (await self._own(info)).created_at


@strawberry.type(description="A page of users.")
class UserPage(ListPage[UserType]):
    pass


@strawberry.type(name="AuditEvent", description="One authentication event (no secrets).")
class AuditEventType:
    id: strawberry.ID
    occurred_at: datetime
    action: AuditAction
    outcome: AuditOutcome
    actor_id: strawberry.ID | None
    subject_id: strawberry.ID | None
    email: str | None
    client_address: str | None
    reason: str | None

    @classmethod
    def from_model(cls, row: AuditEvent) -> Self:
        return cls(
            id=strawberry.ID(str(row.id)),
            occurred_at=row.occurred_at,
            action=row.action,
            outcome=row.outcome,
            actor_id=strawberry.ID(str(row.actor_id)) if row.actor_id else None,
            subject_id=strawberry.ID(str(row.subject_id)) if row.subject_id else None,
            email=row.email,
            client_address=row.client_address,
            reason=row.reason,
        )


@strawberry.type(description="A page of audit events, newest first.")
class AuditEventPage(ListPage[AuditEventType]):
    pass


@strawberry.type(
    description="Tokens of a session: send `Bearer <accessToken>`; a refresh token is single "
    "use (each refresh returns a new one; a replayed one ends the session)."
)
class AuthPayload:
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime
    token_type: str
    user: UserType

    @classmethod
    def from_tokens(cls, tokens: service.Tokens) -> Self:
        return cls(
            access_token=tokens.access_token,
            access_token_expires_at=tokens.access_expires_at,
            refresh_token=tokens.refresh_token,
            refresh_token_expires_at=tokens.refresh_expires_at,
            token_type="Bearer",  # noqa: S106 (the scheme, not a secret)
            user=UserType.from_model(tokens.user, is_caller=True),
        )


@strawberry.type
class RegisterPayload:
    user: UserType


@strawberry.type
class LogoutPayload:
    sessions_ended: int


@strawberry.type
class UpdateProfilePayload:
    user: UserType


@strawberry.type
class ChangePasswordPayload:
    user: UserType
    sessions_ended: int = strawberry.field(description="Other sessions that were ended.")


@strawberry.type(description="Always the same answer, whether or not the account exists.")
class RequestPasswordResetPayload:
    accepted: bool


@strawberry.type
class ResetPasswordPayload:
    user: UserType


@strawberry.type
class SetUserRolePayload:
    user: UserType


@strawberry.type
class DeactivateUserPayload:
    user: UserType


@strawberry.type
class ReactivateUserPayload:
    user: UserType


@strawberry.type
class InviteDoctorPayload:
    user: UserType
    invitation_expires_at: datetime
