"""Admin mutations: roles, deactivation and reactivation, doctor invitations."""

from __future__ import annotations

import strawberry

from subgraphs.identity import service
from subgraphs.identity.schema.context import ident, origin, user_id
from subgraphs.identity.schema.inputs import (
    DeactivateUserInput,
    InviteDoctorInput,
    ReactivateUserInput,
    SetUserRoleInput,
)
from subgraphs.identity.schema.types import (
    DeactivateUserPayload,
    Info,
    InviteDoctorPayload,
    ReactivateUserPayload,
    SetUserRolePayload,
    UserType,
)
from subgraphs.shared.auth import Role, has_role

AdminOnly = has_role(Role.ADMIN)


@strawberry.type
class AdminMutations:
    @strawberry.mutation(
        description="Give a user another role (admins).", permission_classes=[AdminOnly]
    )
    async def set_user_role(self, info: Info, input: SetUserRoleInput) -> SetUserRolePayload:
        user = await service.set_user_role(
            ident=ident(info),
            actor=info.context.require(),
            user_id=user_id(input.user_id),
            role=input.role,
            origin=origin(info),
        )
        return SetUserRolePayload(user=UserType.from_model(user))

    @strawberry.mutation(
        description="Deactivate a user; their sessions end at once (admins).",
        permission_classes=[AdminOnly],
    )
    async def deactivate_user(
        self, info: Info, input: DeactivateUserInput
    ) -> DeactivateUserPayload:
        user = await service.deactivate_user(
            ident=ident(info),
            actor=info.context.require(),
            user_id=user_id(input.user_id),
            reason=input.reason,
            origin=origin(info),
        )
        return DeactivateUserPayload(user=UserType.from_model(user))

    @strawberry.mutation(
        description="Let a deactivated user sign in again (admins).", permission_classes=[AdminOnly]
    )
    async def reactivate_user(
        self, info: Info, input: ReactivateUserInput
    ) -> ReactivateUserPayload:
        user = await service.reactivate_user(
            ident=ident(info),
            actor=info.context.require(),
            user_id=user_id(input.user_id),
            origin=origin(info),
        )
        return ReactivateUserPayload(user=UserType.from_model(user))

    @strawberry.mutation(
        description="Create a doctor account and send a set-password link.",
        permission_classes=[AdminOnly],
    )
    async def invite_doctor(self, info: Info, input: InviteDoctorInput) -> InviteDoctorPayload:
        user, expires = await service.invite_doctor(
            ident=ident(info),
            actor=info.context.require(),
            email=input.email,
            name=input.name,
            phone=input.phone,
            language=input.language,
            time_zone=input.time_zone,
            origin=origin(info),
        )
        return InviteDoctorPayload(user=UserType.from_model(user), invitation_expires_at=expires)
