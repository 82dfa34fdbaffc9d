"""Onboarding: a doctor's status and the transitions an admin may make."""

from __future__ import annotations

from enum import StrEnum

from subgraphs.shared.errors import BadUserInput, Conflict

REASON_MAX = 500


class DoctorStatus(StrEnum):
    """PENDING until an admin approves or rejects; an approved doctor may be suspended."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


ALLOWED: dict[DoctorStatus, frozenset[DoctorStatus]] = {
    DoctorStatus.PENDING: frozenset({DoctorStatus.APPROVED, DoctorStatus.REJECTED}),
    DoctorStatus.APPROVED: frozenset({DoctorStatus.SUSPENDED}),
    DoctorStatus.REJECTED: frozenset({DoctorStatus.APPROVED}),
    DoctorStatus.SUSPENDED: frozenset({DoctorStatus.APPROVED}),
}


def clean_reason(reason: str | None, *, required: bool) -> str | None:
    """A trimmed reason; BAD_USER_INPUT when required and blank, or too long."""
    text = " ".join((reason or "").split())
    if required and not text:
        raise BadUserInput("Give a reason.", field="reason")
    if len(text) > REASON_MAX:
        raise BadUserInput(f"The reason is at most {REASON_MAX} characters.", field="reason")
    return text or None


def transition(current: DoctorStatus, target: DoctorStatus) -> DoctorStatus:
    """The new status, or CONFLICT when `current` cannot move to `target`."""
    if target not in ALLOWED[current]:
        raise Conflict(
            f"A {current.value.lower()} doctor cannot become {target.value.lower()}.",
            status=current.value,
        )
    return target
