"""Admins reading patients' profiles (contact and personal data) are put on the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from subgraphs.identity.models import User
from subgraphs.shared.audit import capture
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database


async def profile_read(*, db: Database, user: User) -> None:
    """Record a read of one user's profile when it is a patient's (not by themselves)."""
    if user.role == Role.PATIENT:
        await capture.read(
            db,
            component="identity",
            action="PatientProfileRead",
            subject_type="User",
            subject_id=user.id,
            patients=[user.id],
        )


async def profiles_listed(*, db: Database, users: Sequence[User]) -> None:
    """Record a list of profiles: one entry per patient in it (none for doctors and admins)."""
    await capture.read(
        db,
        component="identity",
        action="PatientProfilesListed",
        subject_type="User",
        patients=[user.id for user in users if user.role == Role.PATIENT],
    )
