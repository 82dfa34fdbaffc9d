"""Who may see and change a doctor: per-object rules, no I/O."""

from __future__ import annotations

import uuid

from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.errors import Forbidden, Unauthenticated

# Statuses anyone may read by reference (`_entities`): a suspended doctor still appears on
# the appointments already made with them; pending and rejected ones never do.
REFERENCE_VISIBLE = frozenset({DoctorStatus.APPROVED, DoctorStatus.SUSPENDED})


def is_owner(doctor_user_id: uuid.UUID, principal: Principal | None) -> bool:
    return principal is not None and principal.user_id == doctor_user_id


def can_view(
    status: DoctorStatus,
    doctor_user_id: uuid.UUID,
    principal: Principal | None,
    *,
    by_reference: bool = False,
) -> bool:
    """Approved doctors are public; others only to admins and to the doctor themself."""
    if status is DoctorStatus.APPROVED:
        return True
    if by_reference and status in REFERENCE_VISIBLE:
        return True
    return principal is not None and (principal.is_admin or is_owner(doctor_user_id, principal))


def can_see_private(doctor_user_id: uuid.UUID, principal: Principal | None) -> bool:
    """Onboarding history, rejection reasons and availability details."""
    return principal is not None and (principal.is_admin or is_owner(doctor_user_id, principal))


def require_manage(doctor_user_id: uuid.UUID, principal: Principal | None) -> Principal:
    """The caller, when they may change this doctor's profile or availability."""
    if principal is None:
        raise Unauthenticated()
    if principal.is_admin:
        return principal
    if principal.role is Role.DOCTOR and is_owner(doctor_user_id, principal):
        return principal
    raise Forbidden("Only the doctor themself or an admin may change this doctor.")


def require_admin(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthenticated()
    if not principal.is_admin:
        raise Forbidden("Only admins may do this.")
    return principal
