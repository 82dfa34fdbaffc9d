"""Identity use cases: keyword-only async functions, one transaction each."""

from __future__ import annotations

from subgraphs.identity.service.accounts import (
    KEEP,
    ProfileChanges,
    create_admin,
    ensure_first_admin,
    get_user,
    register,
    update_profile,
    users_by_ids,
)
from subgraphs.identity.service.admin import (
    UserQuery,
    deactivate_user,
    invite_doctor,
    list_users,
    reactivate_user,
    set_user_role,
)
from subgraphs.identity.service.audit import AuditQuery, Origin, list_audit
from subgraphs.identity.service.credentials import (
    change_password,
    request_password_reset,
    reset_password,
)
from subgraphs.identity.service.sessions import Tokens, login, logout, refresh

__all__ = [
    "KEEP",
    "AuditQuery",
    "Origin",
    "ProfileChanges",
    "Tokens",
    "UserQuery",
    "change_password",
    "create_admin",
    "deactivate_user",
    "ensure_first_admin",
    "get_user",
    "invite_doctor",
    "list_audit",
    "list_users",
    "login",
    "logout",
    "reactivate_user",
    "refresh",
    "register",
    "request_password_reset",
    "reset_password",
    "set_user_role",
    "update_profile",
    "users_by_ids",
]
