"""Who is asking: roles, the principal, the authenticator interface and permission guards.

Subgraphs never trust a caller's word about identity: the principal comes from the
`Authorization: Bearer <JWT>` the router forwards (or a subscription's `connection_init`
payload), checked by an :class:`Authenticator` (the shared JWT verifier in production).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

import strawberry
from strawberry.permission import BasePermission

from subgraphs.shared.errors import Forbidden, Unauthenticated


@strawberry.enum(
    description="What a user may do: patients book, doctors run a calendar, admins manage."
)
class Role(StrEnum):
    PATIENT = "PATIENT"
    DOCTOR = "DOCTOR"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the user id (identity's `User.id`) and role from the token."""

    user_id: uuid.UUID
    role: Role
    token_id: str = ""
    issued_at: datetime | None = None
    claims: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden()


class Authenticator(Protocol):
    """Turns an `Authorization` header value into a principal.

    Returns None when there are no credentials; raises :class:`Unauthenticated` when there
    are credentials but they are invalid, expired or revoked.
    """

    async def authenticate(self, authorization: str | None) -> Principal | None: ...


class Anonymous:
    """An authenticator that admits nobody: every caller is anonymous."""

    async def authenticate(self, authorization: str | None) -> Principal | None:
        if authorization:
            raise Unauthenticated("This service does not accept credentials.")
        return None


def bearer_token(authorization: str | None) -> str | None:
    """The token of a `Bearer` authorization value, None when absent."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    return token.strip()


def require_principal(principal: Principal | None, *roles: Role) -> Principal:
    """The principal, refusing anonymous callers and (when roles are given) other roles."""
    if principal is None:
        raise Unauthenticated()
    if roles:
        principal.require_role(*roles)
    return principal


class _HasPrincipal(Protocol):
    principal: Principal | None


def _principal_of(info: Any) -> Principal | None:
    context: _HasPrincipal = info.context
    return context.principal


class IsAuthenticated(BasePermission):
    """Strawberry guard: the caller must be signed in."""

    message = "Authentication is required."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return _principal_of(info) is not None


def has_role(*roles: Role) -> type[BasePermission]:
    """A Strawberry guard class admitting only the given roles (UNAUTHENTICATED if anonymous)."""

    class HasRole(BasePermission):
        message = "You are not allowed to do this."
        error_extensions = {"code": "FORBIDDEN"}

        def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
            if _principal_of(info) is None:
                raise Unauthenticated()
            principal = _principal_of(info)
            return principal is not None and principal.role in roles

    HasRole.__name__ = f"HasRole_{'_'.join(r.value for r in roles)}"
    return HasRole
