"""Profile use cases: a doctor edits their own profile, an admin any."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import col, select

from subgraphs.doctors import events
from subgraphs.doctors.domain import access, profile
from subgraphs.doctors.models import Doctor, Specialization, utcnow
from subgraphs.doctors.service.next_free import forget
from subgraphs.doctors.service.publishing import availability_changed, publish
from subgraphs.doctors.service.store import (
    NAMESPACE,
    doctor_of_user,
    doctor_or_404,
    specialization_codes,
    write_tags,
)
from subgraphs.shared.auth import Principal, require_principal
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput, NotFound


@dataclass(frozen=True)
class ProfileChanges:
    """Fields to change; None leaves a field as it is."""

    name: str | None = None
    specializations: Sequence[str] | None = None
    city: str | None = None
    clinic_address: str | None = None
    clinic_phone: str | None = None
    languages: Sequence[str] | None = None
    bio: str | None = None
    consultation_minutes: int | None = None
    fee: Decimal | None = None
    currency: str | None = None
    accepted_insurance: Sequence[str] | None = None
    photo_url: str | None = None
    time_zone: str | None = None
    accepting_new_patients: bool | None = None


def _apply(doctor: Doctor, changes: ProfileChanges, known: set[str]) -> None:
    if changes.name is not None:
        doctor.name = profile.check_text(changes.name, field="name", maximum=200)
        doctor.name_key = doctor.name.casefold()
    if changes.specializations is not None:
        codes = list(dict.fromkeys(s.strip().casefold() for s in changes.specializations))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise BadUserInput(
                f"Unknown specialization(s): {', '.join(unknown)}.", field="specializations"
            )
        doctor.specializations = codes
    if changes.city is not None:
        doctor.city = profile.check_text(changes.city, field="city", maximum=100)
        doctor.city_key = doctor.city.casefold()
    if changes.clinic_address is not None:
        doctor.clinic_address = profile.check_text(
            changes.clinic_address, field="clinicAddress", maximum=300, required=False
        )
    if changes.clinic_phone is not None:
        doctor.clinic_phone = profile.check_phone(changes.clinic_phone)
    if changes.languages is not None:
        doctor.languages = profile.check_languages(changes.languages)
    if changes.bio is not None:
        doctor.bio = profile.check_bio(changes.bio)
    if changes.consultation_minutes is not None:
        doctor.consultation_minutes = profile.check_consultation(changes.consultation_minutes)
    if changes.fee is not None or changes.currency is not None:
        fee = changes.fee if changes.fee is not None else profile.fee_of(doctor.fee_cents)
        doctor.fee_cents, doctor.currency = profile.check_fee(
            fee, changes.currency or doctor.currency
        )
    if changes.accepted_insurance is not None:
        doctor.accepted_insurance = profile.check_insurance(changes.accepted_insurance)
    if changes.photo_url is not None:
        doctor.photo_url = profile.check_photo_url(changes.photo_url)
    if changes.time_zone is not None:
        doctor.time_zone = profile.check_time_zone(changes.time_zone)
    if changes.accepting_new_patients is not None:
        doctor.accepting_new_patients = changes.accepting_new_patients


async def update_profile(
    *,
    db: Database,
    cache: Cache,
    doctor_id: uuid.UUID,
    changes: ProfileChanges,
    principal: Principal | None,
) -> Doctor:
    """Validate and apply profile changes; publishes `DoctorProfileUpdated`.

    The doctor's row is locked first: two edits at once both replaced the tags (delete, then
    insert), the second failing on `doctor_tags_pkey` with INTERNAL_SERVER_ERROR."""
    async with db.transaction() as session:
        doctor = await doctor_or_404(session, doctor_id, lock=True)
        access.require_manage(doctor.user_id, principal)
        previous_zone = doctor.time_zone
        _apply(doctor, changes, await specialization_codes(session))
        doctor.updated_at = utcnow()
        session.add(doctor)
        await write_tags(session, doctor)
        publish(session, events.DoctorProfileUpdated, doctor)
        forget(doctor)  # its visit length or time zone may move its next free slot
        if doctor.time_zone != previous_zone:
            availability_changed(session, doctor)
    await cache.invalidate(NAMESPACE)
    return doctor


async def own_profile(*, db: Database, principal: Principal | None) -> Doctor:
    """The signed-in doctor's own profile (any status)."""
    caller = require_principal(principal)
    async with db.session() as session:
        doctor = await doctor_of_user(session, caller.user_id)
    if doctor is None:
        raise NotFound("You have no doctor profile.")
    return doctor


async def all_specializations(*, db: Database) -> Sequence[Specialization]:
    async with db.session() as session:
        return list(await session.exec(select(Specialization).order_by(col(Specialization.name))))
