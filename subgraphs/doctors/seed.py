# ruff: noqa: E501  (the demo table reads best one doctor per line)
"""Demo doctors: 23 approved doctors across specializations and cities, and one pending.

Ids follow the shared rule: user `uuid5(NAMESPACE_URL, "healthbook:user:<email>")`, doctor
`uuid5(NAMESPACE_URL, "healthbook:doctor:<email>")`, emails `dr.<surname>@healthbook.local`
(names as identity's seed writes them, "Dr. <Surname>"). Silva, Müller and Okafor work
weekdays 09:00-12:30 and 14:00-17:30 in Berlin time with 30-minute slots, which is where the
appointments seed books its demo visits. Rows are written directly (no events: every
subgraph seeds its own copy); identity's replayed events later find the user and do
nothing. Runs only on an empty store.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final

from sqlalchemy import func
from sqlmodel import select

from subgraphs.doctors.domain.availability import ExceptionKind
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.models import (
    AvailabilityExceptionRow,
    AvailabilityRuleRow,
    Doctor,
    DoctorStatusChange,
)
from subgraphs.doctors.service.catalog import ensure_specializations
from subgraphs.doctors.service.store import NAMESPACE, write_tags
from subgraphs.shared.resources import Resources

log = logging.getLogger(__name__)

Hours = tuple[tuple[tuple[int, ...], str, str, int], ...]  # (weekdays, start, end, minutes)
WEEKDAYS: Final = (0, 1, 2, 3, 4)
SCHEDULES: Final[dict[str, Hours]] = {
    "clinic": ((WEEKDAYS, "09:00", "12:30", 30), (WEEKDAYS, "14:00", "17:30", 30)),
    "mornings": ((WEEKDAYS, "08:00", "13:00", 20),),
    "late": (((1, 2, 3), "12:00", "19:30", 45), ((5,), "09:00", "13:30", 45)),
    "three-days": (((0, 2, 4), "09:00", "15:00", 60),),
    "split": (((0, 1, 3), "08:30", "12:00", 30), ((2, 4), "13:00", "18:00", 30)),
}


@dataclass(frozen=True)
class DemoDoctor:
    surname: str
    display: str
    specializations: tuple[str, ...]
    city: str
    time_zone: str
    languages: tuple[str, ...]
    fee: int
    currency: str
    schedule: str
    insurance: tuple[str, ...] = ("Public", "Private")
    minutes: int = 30
    accepting: bool = True


DEMO_DOCTORS: Final = (
    DemoDoctor("silva", "Silva", ("general-practice",), "Berlin", "Europe/Berlin", ("de", "pt", "en"), 60, "EUR", "clinic", ("AOK", "TK", "Barmer")),
    DemoDoctor("okafor", "Okafor", ("dermatology",), "Hamburg", "Europe/Berlin", ("en", "de"), 90, "EUR", "clinic", ("TK", "DAK")),
    DemoDoctor("tanaka", "Tanaka", ("cardiology",), "Tokyo", "Asia/Tokyo", ("ja", "en"), 12000, "JPY", "mornings"),
    DemoDoctor("mueller", "Müller", ("orthopedics",), "Munich", "Europe/Berlin", ("de", "en"), 110, "EUR", "clinic", ("AOK", "Private")),
    DemoDoctor("rossi", "Rossi", ("pediatrics",), "Rome", "Europe/Rome", ("it", "en"), 80, "EUR", "split"),
    DemoDoctor("novak", "Novak", ("neurology",), "Prague", "Europe/Prague", ("cs", "de", "en"), 1800, "CZK", "three-days"),
    DemoDoctor("haddad", "Haddad", ("cardiology", "general-practice"), "Berlin", "Europe/Berlin", ("ar", "de", "fr"), 95, "EUR", "late", ("AOK", "TK")),
    DemoDoctor("kowalski", "Kowalski", ("dentistry",), "Warsaw", "Europe/Warsaw", ("pl", "en"), 250, "PLN", "mornings"),
    DemoDoctor("dubois", "Dubois", ("psychiatry",), "Paris", "Europe/Paris", ("fr", "en"), 70, "EUR", "three-days", ("Sécurité sociale", "Mutuelle"), 50),
    DemoDoctor("garcia", "García", ("gynecology",), "Madrid", "Europe/Madrid", ("es", "en"), 85, "EUR", "split", ("Sanitas", "Adeslas")),
    DemoDoctor("nguyen", "Nguyen", ("ophthalmology",), "New York", "America/New_York", ("en", "vi"), 180, "USD", "clinic", ("Aetna", "Cigna", "Medicare")),
    DemoDoctor("patel", "Patel", ("endocrinology",), "London", "Europe/London", ("en", "hi", "gu"), 150, "GBP", "split", ("Bupa", "AXA Health")),
    DemoDoctor("kim", "Kim", ("dermatology",), "New York", "America/New_York", ("en", "ko"), 200, "USD", "late", ("Aetna", "UnitedHealthcare")),
    DemoDoctor("schmidt", "Schmidt", ("ent",), "Hamburg", "Europe/Berlin", ("de", "en"), 75, "EUR", "mornings", ("AOK", "TK", "DAK")),
    DemoDoctor("jensen", "Jensen", ("physiotherapy",), "Copenhagen", "Europe/Copenhagen", ("da", "en"), 600, "DKK", "clinic", ("Danmark",), 45),
    DemoDoctor("moreau", "Moreau", ("pulmonology",), "Lyon", "Europe/Paris", ("fr",), 60, "EUR", "clinic", ("Sécurité sociale",), 30, False),
    DemoDoctor("costa", "Costa", ("pediatrics", "general-practice"), "Lisbon", "Europe/Lisbon", ("pt", "en", "es"), 55, "EUR", "mornings", ("SNS", "Médis")),
    DemoDoctor("ivanova", "Ivanova", ("psychotherapy",), "Vienna", "Europe/Vienna", ("de", "ru", "en"), 120, "EUR", "late", ("ÖGK", "Private"), 50),
    DemoDoctor("brown", "Brown", ("general-practice",), "London", "Europe/London", ("en",), 90, "GBP", "clinic", ("Bupa",)),
    DemoDoctor("fischer", "Fischer", ("gastroenterology",), "Munich", "Europe/Berlin", ("de",), 130, "EUR", "three-days", ("AOK", "Private"), 45),
    DemoDoctor("santos", "Santos", ("urology",), "Lisbon", "Europe/Lisbon", ("pt", "en"), 70, "EUR", "split", ("SNS", "Multicare")),
    DemoDoctor("yilmaz", "Y\u0131lmaz", ("oncology",), "Istanbul", "Europe/Istanbul", ("tr", "en", "de"), 2500, "TRY", "three-days", ("SGK", "Private"), 60),
    DemoDoctor("andersen", "Andersen", ("cardiology",), "Oslo", "Europe/Oslo", ("no", "en"), 900, "NOK", "clinic", ("Helfo",)),
)  # fmt: skip
PENDING: Final = DemoDoctor(
    "pending", "Pending", ("general-practice",), "Berlin", "Europe/Berlin", ("de", "en"), 50, "EUR", "clinic"
)  # fmt: skip


def user_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}")


def doctor_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:{email}")


def demo_row(demo: DemoDoctor, status: DoctorStatus) -> Doctor:
    email = f"dr.{demo.surname}@healthbook.local"
    name = f"Dr. {demo.display}"
    return Doctor(
        id=doctor_id(email),
        user_id=user_id(email),
        name=name,
        name_key=name.casefold(),
        city=demo.city,
        city_key=demo.city.casefold(),
        clinic_address=f"{demo.display} Practice, 1 Main Street, {demo.city}",
        clinic_phone="+49 30 5550100",
        bio=f"{name} sees patients in {demo.city}.",
        specializations=list(demo.specializations),
        languages=list(demo.languages),
        accepted_insurance=list(demo.insurance),
        consultation_minutes=demo.minutes,
        fee_cents=demo.fee * 100,
        currency=demo.currency,
        time_zone=demo.time_zone,
        accepting_new_patients=demo.accepting,
        status=status,
    )


def demo_rules(doctor: Doctor, schedule: str) -> list[AvailabilityRuleRow]:
    return [
        AvailabilityRuleRow(
            doctor_id=doctor.id,
            weekday=day,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            slot_minutes=minutes,
        )
        for days, start, end, minutes in SCHEDULES[schedule]
        for day in days
    ]


async def seed(resources: Resources) -> None:
    """Load the demo doctors when the store holds none."""
    db = resources.database
    await ensure_specializations(db=db)
    today = datetime.now(UTC).date()
    async with db.transaction() as session:
        count = (await session.exec(select(func.count()).select_from(Doctor))).one()
        if count:
            log.info("doctors store not empty; demo data skipped")
            return
        for demo, status in [
            *((d, DoctorStatus.APPROVED) for d in DEMO_DOCTORS),
            (PENDING, DoctorStatus.PENDING),
        ]:
            doctor = demo_row(demo, status)
            session.add(doctor)
            await session.flush()
            await write_tags(session, doctor)
            session.add_all(demo_rules(doctor, demo.schedule))
            session.add(
                DoctorStatusChange(doctor_id=doctor.id, to_status=status, reason="demo data")
            )
            if demo.surname == "rossi":  # a week of holiday three weeks from now
                start = today + timedelta(days=21)
                session.add(
                    AvailabilityExceptionRow(
                        doctor_id=doctor.id,
                        start_date=start,
                        end_date=start + timedelta(days=6),
                        kind=ExceptionKind.UNAVAILABLE,
                        reason="Holiday",
                    )
                )
    await resources.cache.invalidate(NAMESPACE)
    log.info("demo doctors loaded", extra={"count": len(DEMO_DOCTORS) + 1})
