"""A specialization in a city, as the waitlist sees it: "any doctor of cardiology in Berlin".

The appointments subgraph keeps entries for such an area and must know, for a freed or new
slot of one doctor, whether that doctor is in the area. It never folds names itself: it asks
here for the area's keys when a patient joins (`waitlistArea`), and a doctor's keys come
with the doctor's facts (`SlotCheck.specializations`, `SlotCheck.cityKey`), folded the way
search folds them (specialization codes and city case-insensitive, spaces collapsed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, select

from subgraphs.doctors.domain import profile
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import Doctor, DoctorTag
from subgraphs.doctors.service.store import specialization_codes
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput


@dataclass(frozen=True)
class Area:
    specialization: str
    """The specialization's code."""
    city: str
    """The city as the area's doctors write it (as given when none does)."""
    city_key: str
    time_zone: str | None
    """The zone most of the area's approved doctors are in; None when there are none."""
    doctors: int
    """How many approved doctors the area has now."""


def city_key(city: str) -> str:
    return " ".join(city.split()).casefold()


def doctor_keys(doctor: Doctor) -> tuple[list[str], str]:
    """The doctor's specialization keys and city key, as areas compare them."""
    return sorted({profile.tag_key(s) for s in doctor.specializations}), doctor.city_key


async def waitlist_area(*, db: Database, specialization: str, city: str) -> Area:
    """The area, or BAD_USER_INPUT for an unknown specialization or an empty city."""
    code = profile.tag_key(" ".join(specialization.split()))
    key = city_key(city)
    if not key:
        raise BadUserInput("Name the city.", field="city")
    async with db.session() as session:
        if code not in await specialization_codes(session):
            raise BadUserInput(
                f"Unknown specialization {specialization!r}; see the specializations query.",
                field="specialization",
            )
        statement = (
            select(Doctor.city, Doctor.time_zone)
            .join(DoctorTag, col(DoctorTag.doctor_id) == col(Doctor.id))
            .where(
                col(Doctor.status) == DoctorStatus.APPROVED,
                col(Doctor.city_key) == key,
                col(DoctorTag.kind) == "specialization",
                col(DoctorTag.value) == code,
            )
        )
        rows = (await session.exec(statement)).all()
    zones = Counter(zone for _, zone in rows)
    names = Counter(name for name, _ in rows)
    return Area(
        specialization=code,
        city=names.most_common(1)[0][0] if names else " ".join(city.split()),
        city_key=key,
        time_zone=min(zones, key=lambda z: (-zones[z], z)) if zones else None,
        doctors=len(rows),
    )
