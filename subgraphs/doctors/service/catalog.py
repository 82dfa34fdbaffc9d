"""The managed list of specializations (the first migration ships the same list)."""

from __future__ import annotations

from typing import Final

from subgraphs.doctors.models import Specialization
from subgraphs.doctors.service.store import NAMESPACE
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database

SPECIALIZATIONS: Final = (
    ("general-practice", "General practice"),
    ("cardiology", "Cardiology"),
    ("dermatology", "Dermatology"),
    ("pediatrics", "Pediatrics"),
    ("orthopedics", "Orthopedics"),
    ("neurology", "Neurology"),
    ("psychiatry", "Psychiatry"),
    ("psychotherapy", "Psychotherapy"),
    ("gynecology", "Gynecology and obstetrics"),
    ("ophthalmology", "Ophthalmology"),
    ("ent", "Ear, nose and throat"),
    ("endocrinology", "Endocrinology"),
    ("gastroenterology", "Gastroenterology"),
    ("urology", "Urology"),
    ("pulmonology", "Pulmonology"),
    ("dentistry", "Dentistry"),
    ("physiotherapy", "Physiotherapy"),
    ("oncology", "Oncology"),
)


async def ensure_specializations(*, db: Database, cache: Cache | None = None) -> int:
    """Add any missing entry of the managed list; returns how many were added."""
    added = 0
    async with db.transaction() as session:
        for code, name in SPECIALIZATIONS:
            if await session.get(Specialization, code) is None:
                session.add(Specialization(code=code, name=name))
                added += 1
    if added and cache is not None:
        await cache.invalidate(NAMESPACE)
    return added
