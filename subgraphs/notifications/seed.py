# ruff: noqa: E501  (the demo table reads best one doctor per line)
"""Demo contact details: this store's own copy of the demo users and doctors.

Seeds write no events, so the notifications store would not know how to reach the demo
accounts; this gives it the same people identity and doctors seed (ids by the shared rule
`uuid5(NAMESPACE_URL, "healthbook:user:<email>")` / `"healthbook:doctor:<email>"`), so
that booking as a demo user sends real email (to the local SMTP server), SMS (to the sink)
and in-app messages. Runs only on an empty store.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import func
from sqlmodel import select

from subgraphs.notifications.models import DoctorCard, Recipient
from subgraphs.shared.resources import Resources

log = logging.getLogger(__name__)

# (email, name, role, language, time zone, phone)
PEOPLE: Final = (
    ("admin@healthbook.local", "Ada Admin", "ADMIN", "en", "Europe/Berlin", None),
    ("patient@healthbook.local", "Alex Morgan", "PATIENT", "en", "Europe/Berlin", "+4915100000001"),
    ("patient2@healthbook.local", "Sam Rivera", "PATIENT", "es", "Europe/Madrid", None),
)
# (surname, display name, city, time zone)
DOCTORS: Final = (
    ("silva", "Silva", "Berlin", "Europe/Berlin"), ("okafor", "Okafor", "Hamburg", "Europe/Berlin"),
    ("tanaka", "Tanaka", "Tokyo", "Asia/Tokyo"), ("mueller", "Müller", "Munich", "Europe/Berlin"),
    ("rossi", "Rossi", "Rome", "Europe/Rome"), ("novak", "Novak", "Prague", "Europe/Prague"),
    ("haddad", "Haddad", "Berlin", "Europe/Berlin"), ("kowalski", "Kowalski", "Warsaw", "Europe/Warsaw"),
    ("dubois", "Dubois", "Paris", "Europe/Paris"), ("garcia", "García", "Madrid", "Europe/Madrid"),
    ("nguyen", "Nguyen", "New York", "America/New_York"), ("patel", "Patel", "London", "Europe/London"),
    ("kim", "Kim", "New York", "America/New_York"), ("schmidt", "Schmidt", "Hamburg", "Europe/Berlin"),
    ("jensen", "Jensen", "Copenhagen", "Europe/Copenhagen"), ("moreau", "Moreau", "Lyon", "Europe/Paris"),
    ("costa", "Costa", "Lisbon", "Europe/Lisbon"), ("ivanova", "Ivanova", "Vienna", "Europe/Vienna"),
    ("brown", "Brown", "London", "Europe/London"), ("fischer", "Fischer", "Munich", "Europe/Berlin"),
    ("santos", "Santos", "Lisbon", "Europe/Lisbon"), ("yilmaz", "Y\u0131lmaz", "Istanbul", "Europe/Istanbul"),
    ("andersen", "Andersen", "Oslo", "Europe/Oslo"), ("pending", "Pending", "Berlin", "Europe/Berlin"),
)  # fmt: skip


def user_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}")


def doctor_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:{email}")


def demo_rows(now: datetime) -> list[Recipient | DoctorCard]:
    rows: list[Recipient | DoctorCard] = []
    for email, name, role, language, zone, phone in PEOPLE:
        rows.append(
            Recipient(
                user_id=user_id(email),
                email=email,
                name=name,
                role=role,
                phone=phone,
                language=language if language in ("en", "de") else "en",
                time_zone=zone,
                updated_at=now,
            )
        )
    for surname, display, city, zone in DOCTORS:
        email = f"dr.{surname}@healthbook.local"
        name = f"Dr. {display}"
        rows.append(
            Recipient(
                user_id=user_id(email),
                email=email,
                name=name,
                role="DOCTOR",
                time_zone=zone,
                updated_at=now,
            )
        )
        rows.append(
            DoctorCard(
                doctor_id=doctor_id(email),
                user_id=user_id(email),
                name=name,
                time_zone=zone,
                city=city,
                clinic_address=f"{display} Practice, 1 Main Street, {city}",
                clinic_phone="+49 30 5550100",
                updated_at=now,
            )
        )
    return rows


async def seed(resources: Resources) -> None:
    """Write the demo contact details once (only into an empty store)."""
    async with resources.database.transaction() as session:
        known = await session.scalar(select(func.count()).select_from(Recipient))
        if known:
            return
        for row in demo_rows(datetime.now(UTC)):
            session.add(row)
    log.info("notifications demo contacts seeded", extra={"people": len(PEOPLE) + len(DOCTORS)})
