"""Mutations of one's own account: register, sign in/out, refresh, profile, password."""

from __future__ import annotations

import strawberry

from subgraphs.identity import service
from subgraphs.identity.schema.context import ident, origin
from subgraphs.identity.schema.inputs import (
    ChangePasswordInput,
    LoginInput,
    LogoutInput,
    RefreshTokenInput,
    RegisterInput,
    RequestPasswordResetInput,
    ResetPasswordInput,
    UpdateProfileInput,
)
from subgraphs.identity.schema.types import (
    AuthPayload,
    ChangePasswordPayload,
    Info,
    LogoutPayload,
    RegisterPayload,
    RequestPasswordResetPayload,
    ResetPasswordPayload,
    UpdateProfilePayload,
    UserType,
)
from subgraphs.identity.service import KEEP, ProfileChanges
from subgraphs.shared.auth import IsAuthenticated


def _given(value: object) -> object:
    return KEEP if value is strawberry.UNSET else value


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Open a patient account, or a doctor account (pending).")
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        user = await service.register(
            ident=ident(info),
            email=input.email,
            password=input.password,
            name=input.name,
            role=input.role,
            phone=input.phone,
            language=input.language,
            time_zone=input.time_zone,
            origin=origin(info),
        )
        return RegisterPayload(user=UserType.from_model(user, is_caller=True))

    @strawberry.mutation(description="Sign in; the same error for any wrong email or password.")
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        tokens = await service.login(
            ident=ident(info), email=input.email, password=input.password, origin=origin(info)
        )
        return AuthPayload.from_tokens(tokens)

    @strawberry.mutation(description="New tokens for a refresh token (which is then used up).")
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> AuthPayload:
        tokens = await service.refresh(
            ident=ident(info), refresh_token=input.refresh_token, origin=origin(info)
        )
        return AuthPayload.from_tokens(tokens)

    @strawberry.mutation(description="End this session (or all of the caller's sessions).")
    async def logout(self, info: Info, input: LogoutInput | None = None) -> LogoutPayload:
        given = input or LogoutInput()
        ended = await service.logout(
            ident=ident(info),
            principal=info.context.principal,
            refresh_token=given.refresh_token,
            all_sessions=given.all_sessions,
            origin=origin(info),
        )
        return LogoutPayload(sessions_ended=ended)

    @strawberry.mutation(description="Change your profile.", permission_classes=[IsAuthenticated])
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload:
        changes = ProfileChanges(**{k: _given(v) for k, v in vars(input).items()})
        user = await service.update_profile(
            ident=ident(info), user_id=info.context.require().user_id, changes=changes
        )
        return UpdateProfilePayload(user=UserType.from_model(user))

    @strawberry.mutation(description="Change your password.", permission_classes=[IsAuthenticated])
    async def change_password(
        self, info: Info, input: ChangePasswordInput
    ) -> ChangePasswordPayload:
        user, ended = await service.change_password(
            ident=ident(info),
            principal=info.context.require(),
            current_password=input.current_password,
            new_password=input.new_password,
            end_other_sessions=input.end_other_sessions,
            origin=origin(info),
        )
        return ChangePasswordPayload(user=UserType.from_model(user), sessions_ended=ended)

    @strawberry.mutation(description="Email a reset link if the account exists (same answer).")
    async def request_password_reset(
        self, info: Info, input: RequestPasswordResetInput
    ) -> RequestPasswordResetPayload:
        await service.request_password_reset(
            ident=ident(info), email=input.email, origin=origin(info)
        )
        return RequestPasswordResetPayload(accepted=True)

    @strawberry.mutation(description="Set a new password with a reset or invitation token.")
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> ResetPasswordPayload:
        user = await service.reset_password(
            ident=ident(info),
            token=input.token,
            new_password=input.new_password,
            origin=origin(info),
        )
        return ResetPasswordPayload(user=UserType.from_model(user))
