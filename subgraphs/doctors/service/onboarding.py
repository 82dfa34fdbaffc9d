"""Onboarding use cases: doctors appear from identity's events; admins approve, reject, suspend."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.doctors import events
from subgraphs.doctors.domain import access, onboarding, profile
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import Doctor, DoctorStatusChange, utcnow
from subgraphs.doctors.service.publishing import Delivery, audit, first_time, publish
from subgraphs.doctors.service.store import NAMESPACE, doctor_of_user, doctor_or_404, write_tags
from subgraphs.shared.auth import Principal
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database

INVITED = "invited by an admin"
DEACTIVATED = "account deactivated"


def doctor_id_for(email: str | None) -> uuid.UUID:
    """The deterministic doctor id of a user's email (the demo data uses the same rule)."""
    if not email:
        return uuid.uuid4()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:{email.strip().lower()}")


async def register_doctor(
    *,
    db: Database,
    cache: Cache,
    user_id: uuid.UUID,
    email: str | None,
    name: str,
    time_zone: str | None,
    invited: bool,
    city: str | None = None,
    invited_by: uuid.UUID | None = None,
    delivery: Delivery | None = None,
) -> Doctor | None:
    """Create the profile of a new doctor user: PENDING, or APPROVED when an admin invited
    them. Identity announces an invited doctor with both `UserRegistered` and `DoctorInvited`
    in either order, so an invitation also approves a profile still PENDING. Nothing else
    happens when the event was applied before or the user already has a profile."""
    zone_name = time_zone if time_zone and profile.is_time_zone(time_zone) else "UTC"
    clean_name = " ".join(name.split())[:200] or "Doctor"
    clean_city = " ".join((city or "").split())[:100]
    async with db.transaction() as session:
        if not await first_time(session, delivery):
            return None
        await _one_at_a_time(session, user_id)
        existing = await doctor_of_user(session, user_id)
        if existing is not None:
            if not invited or existing.status != DoctorStatus.PENDING:
                return None
            existing.status, existing.updated_at = DoctorStatus.APPROVED, utcnow()
            session.add(existing)
            audit(
                session, existing, previous=DoctorStatus.PENDING, reason=INVITED, actor=invited_by
            )
            publish(session, events.DoctorApproved, existing)
            doctor = existing
        else:
            doctor = await _new_doctor(
                session, user_id, email, clean_name, zone_name, clean_city, invited, invited_by
            )
    await cache.invalidate(NAMESPACE)
    return doctor


async def _one_at_a_time(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Hold the user's profile creation until this transaction ends: two events of one user
    (`UserRegistered` and `DoctorInvited`, handled by two workers at once) would otherwise
    both find no profile and both insert it, the second failing on the key (and retried).
    A transaction-scoped advisory lock on PostgreSQL; SQLite serializes writers itself."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        key = int.from_bytes(user_id.bytes[:8], "big", signed=True)
        await session.exec(select(func.pg_advisory_xact_lock(key)))


async def _new_doctor(
    session: AsyncSession,
    user_id: uuid.UUID,
    email: str | None,
    name: str,
    zone_name: str,
    city: str,
    invited: bool,
    invited_by: uuid.UUID | None,
) -> Doctor:
    status = DoctorStatus.APPROVED if invited else DoctorStatus.PENDING
    doctor = Doctor(
        id=doctor_id_for(email),
        user_id=user_id,
        name=name,
        name_key=name.casefold(),
        city=city,
        city_key=city.casefold(),
        time_zone=zone_name,
        status=status,
    )
    if await session.get(Doctor, doctor.id) is not None:
        doctor.id = uuid.uuid4()
    session.add(doctor)
    await session.flush()
    await write_tags(session, doctor)
    audit(session, doctor, previous=None, reason=INVITED if invited else None, actor=invited_by)
    publish(session, events.DoctorRegistered, doctor, status=status.value)
    return doctor


async def rename_doctor(
    *, db: Database, cache: Cache, user_id: uuid.UUID, name: str, delivery: Delivery | None
) -> None:
    """Follow the user's name from identity's profile updates."""
    clean_name = " ".join(name.split())[:200]
    async with db.transaction() as session:
        if not await first_time(session, delivery) or not clean_name:
            return
        doctor = await doctor_of_user(session, user_id)
        if doctor is None or doctor.name == clean_name:
            return
        doctor.name, doctor.name_key, doctor.updated_at = (
            clean_name,
            clean_name.casefold(),
            utcnow(),
        )
        session.add(doctor)
        publish(session, events.DoctorProfileUpdated, doctor)
    await cache.invalidate(NAMESPACE)


async def change_status(
    *,
    db: Database,
    cache: Cache,
    doctor_id: uuid.UUID,
    target: DoctorStatus,
    reason: str | None,
    principal: Principal | None,
) -> Doctor:
    """Approve, reject (reason required) or suspend a doctor; audited and published."""
    admin = access.require_admin(principal)
    cleaned = onboarding.clean_reason(reason, required=target is DoctorStatus.REJECTED)
    async with db.transaction() as session:
        doctor = await doctor_or_404(session, doctor_id)
        previous = DoctorStatus(doctor.status)
        doctor.status = onboarding.transition(previous, target)
        doctor.status_reason = cleaned if target is not DoctorStatus.APPROVED else None
        doctor.updated_at = utcnow()
        session.add(doctor)
        audit(session, doctor, previous=previous, reason=cleaned, actor=admin.user_id)
        if target is DoctorStatus.APPROVED:
            publish(session, events.DoctorApproved, doctor)
        elif target is DoctorStatus.REJECTED:
            publish(session, events.DoctorRejected, doctor, reason=cleaned or "")
        else:
            publish(session, events.DoctorSuspended, doctor, reason=cleaned)
    await cache.invalidate(NAMESPACE)
    return doctor


async def suspend_deactivated(
    *, db: Database, cache: Cache, user_id: uuid.UUID, delivery: Delivery | None
) -> Doctor | None:
    """Identity deactivated this user: an approved doctor among them is suspended by the
    system (hidden, not bookable; `DoctorSuspended` lets appointments cancel their future
    visits). Reactivating the account does not approve them again: an admin does."""
    async with db.transaction() as session:
        if not await first_time(session, delivery):
            return None
        doctor = await doctor_of_user(session, user_id)
        if doctor is None or doctor.status != DoctorStatus.APPROVED:
            return None
        doctor.status, doctor.status_reason = DoctorStatus.SUSPENDED, DEACTIVATED
        doctor.updated_at = utcnow()
        session.add(doctor)
        audit(session, doctor, previous=DoctorStatus.APPROVED, reason=DEACTIVATED, actor=None)
        publish(session, events.DoctorSuspended, doctor, reason=DEACTIVATED)
    await cache.invalidate(NAMESPACE)
    return doctor


async def pending_doctors(*, db: Database, principal: Principal | None) -> Sequence[Doctor]:
    """The approval queue, oldest first (admins only)."""
    access.require_admin(principal)
    async with db.session() as session:
        rows = await session.exec(
            select(Doctor)
            .where(col(Doctor.status) == DoctorStatus.PENDING)
            .order_by(col(Doctor.created_at), col(Doctor.id))
        )
        return list(rows)


async def status_history(
    *, db: Database, doctor_id: uuid.UUID, user_id: uuid.UUID, principal: Principal | None
) -> Sequence[DoctorStatusChange]:
    """A doctor's onboarding history (admins and the doctor themself), oldest first."""
    if not access.can_see_private(user_id, principal):
        return []
    async with db.session() as session:
        rows = await session.exec(
            select(DoctorStatusChange)
            .where(col(DoctorStatusChange.doctor_id) == doctor_id)
            .order_by(col(DoctorStatusChange.changed_at), col(DoctorStatusChange.id))
        )
        return list(rows)
