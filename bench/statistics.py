"""The dashboard query's cost: `statistics` figures on 100,000 appointments of 10,000 doctors.

    python -m bench.statistics [--appointments 100000] [--doctors 10000] [--users 20000]
                               [--runs 5] [--database-url-appointments URL]
                               [--database-url-identity URL] [--database-url-doctors URL]
                               [--notifications 100000] [--database-url-notifications URL]

Builds throw-away appointments, identity, doctors and notifications stores (SQLite files
in a temporary directory unless the URLs name empty PostgreSQL databases), migrates them,
bulk-inserts generated appointments (a year of visits, every status, cancellations with
their history row), users with sign-ins, 10,000 doctors (onboarding history, a
specialization) and 100,000 notifications, then times the figures each subgraph computes
for `statistics` (the use cases behind `Statistics.appointments`, `.users`, `.doctors` and
`.notifications`) over a year in DAY and MONTH buckets and over one month in DAY buckets,
in Europe/Berlin. Prints a Markdown table; bench/STATISTICS.md records the figures. Not a
test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics as stats
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from subgraphs.appointments.models import AppointmentChangeRow, AppointmentRow
from subgraphs.appointments.statistics import figures, most_booked
from subgraphs.doctors.models import AvailabilityRuleRow, Doctor, DoctorStatusChange, DoctorTag
from subgraphs.doctors.service.offered import offered_seconds
from subgraphs.doctors.service.statistics import doctor_figures
from subgraphs.identity.models import Session, User
from subgraphs.identity.service.statistics import user_figures
from subgraphs.notifications.models import Notification
from subgraphs.notifications.statistics import notification_figures
from subgraphs.shared.database import Database
from subgraphs.shared.migrations import upgrade
from subgraphs.shared.statistics import Bucket, Window

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = ("CONFIRMED",) * 5 + ("COMPLETED",) * 8 + ("CANCELLED", "NO_SHOW", "PENDING", "REJECTED")
CHUNK = 5_000
TOP = 10


def doctor_ids(count: int) -> list[uuid.UUID]:
    """The generated doctors' ids, the same in the appointments and the doctors store."""
    rng = random.Random(16)
    return [uuid.UUID(int=rng.getrandbits(128)) for _ in range(count)]


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


async def seed_appointments(db: Database, *, count: int, doctors: int) -> None:
    rng = random.Random(16)
    ids = doctor_ids(doctors)
    for _ in ids:  # the same draws as doctor_ids, so the rest of the data is unchanged
        rng.getrandbits(128)
    per_doctor = -(-count // doctors)
    slots = {d: rng.sample(range(365 * 48), per_doctor) for d in ids}  # no overlaps
    rows, changes = [], []
    for i in range(count):
        doctor = ids[i % doctors]
        start = YEAR_START + timedelta(minutes=30 * slots[doctor][i // doctors])
        status = rng.choice(STATUSES)
        row_id = uuid.uuid4()
        rows.append(
            {
                "id": row_id, "doctor_id": doctor, "doctor_user_id": doctor,
                "patient_id": uuid.uuid4(), "starts_at": start,
                "ends_at": start + timedelta(minutes=30), "status": status,
                "time_zone": "Europe/Berlin", "reschedule_count": 0,
                "created_at": start - timedelta(hours=rng.randrange(1, 24 * 40)),
                "updated_at": start,
            }
        )  # fmt: skip
        if status == "CANCELLED":
            changes.append(
                {
                    "appointment_id": row_id, "action": "CANCELLED", "at": start,
                    "actor_id": uuid.uuid4(), "actor_role": rng.choice(("PATIENT", "DOCTOR")),
                    "from_status": "CONFIRMED", "to_status": "CANCELLED",
                    "to_start": start, "to_end": start + timedelta(minutes=30),
                }
            )  # fmt: skip
    async with db.engine.begin() as connection:
        for chunk in _chunks(rows):
            await connection.execute(insert(AppointmentRow), chunk)
        for chunk in _chunks(changes):
            await connection.execute(insert(AppointmentChangeRow), chunk)


async def seed_users(db: Database, *, count: int) -> None:
    rng = random.Random(61)
    users, sessions = [], []
    for i in range(count):
        created = YEAR_START + timedelta(minutes=rng.randrange(365 * 24 * 60))
        user_id = uuid.uuid4()
        users.append(
            {
                "id": user_id, "email": f"user{i}@example.org", "role": rng.choice(
                    ("PATIENT",) * 8 + ("DOCTOR",)),
                "name": f"User {i}", "active": rng.random() > 0.05, "created_at": created,
                "updated_at": created, "language": "en", "time_zone": "Europe/Berlin",
                "notification_channels": ["EMAIL"],
            }
        )  # fmt: skip
        for _ in range(3):
            at = created + timedelta(minutes=rng.randrange(60 * 24 * 90))
            sessions.append(
                {
                    "id": uuid.uuid4(), "user_id": user_id, "created_at": at,
                    "expires_at": at + timedelta(days=30), "last_used_at": at,
                }
            )  # fmt: skip
    async with db.engine.begin() as connection:
        for chunk in _chunks(users):
            await connection.execute(insert(User), chunk)
        for chunk in _chunks(sessions):
            await connection.execute(insert(Session), chunk)


async def seed_doctors(db: Database, *, count: int) -> None:
    rng = random.Random(10)
    doctors, changes, tags = [], [], []
    rules: list[dict[str, Any]] = []
    cities = ("Berlin", "Munich", "Hamburg", "Paris", "Lyon", "Madrid", "Rome", "Lisbon")
    kinds = ("cardiology", "dermatology", "pediatrics", "neurology", "general-practice")
    for i, doctor_id in enumerate(doctor_ids(count)):
        created = YEAR_START + timedelta(minutes=rng.randrange(365 * 24 * 60))
        status = rng.choice(("APPROVED",) * 8 + ("PENDING", "REJECTED"))
        rules.extend(
            {
                "id": uuid.uuid4(), "doctor_id": doctor_id, "weekday": weekday,
                "start_time": dtime(9), "end_time": dtime(17), "slot_minutes": 30,
            }
            for weekday in range(5)
        )  # fmt: skip
        doctors.append(
            {
                "id": doctor_id, "user_id": uuid.uuid4(), "name": f"Dr {i}",
                "name_key": f"dr {i}", "city": rng.choice(cities), "status": status,
                "specializations": [], "languages": [], "accepted_insurance": [],
                "created_at": created, "updated_at": created, "time_zone": "Europe/Berlin",
            }
        )  # fmt: skip
        tags.append({"doctor_id": doctor_id, "kind": "specialization", "value": rng.choice(kinds)})
        if status != "PENDING":
            changes.append(
                {
                    "id": uuid.uuid4(), "doctor_id": doctor_id, "from_status": "PENDING",
                    "to_status": status,
                    "changed_at": created + timedelta(hours=rng.randrange(1, 200)),
                }
            )  # fmt: skip
    async with db.engine.begin() as connection:
        for chunk in _chunks(doctors):
            await connection.execute(insert(Doctor), chunk)
        for chunk in _chunks(tags):
            await connection.execute(insert(DoctorTag), chunk)
        for chunk in _chunks(changes):
            await connection.execute(insert(DoctorStatusChange), chunk)
        for chunk in _chunks(rules):
            await connection.execute(insert(AvailabilityRuleRow), chunk)


async def seed_notifications(db: Database, *, count: int) -> None:
    rng = random.Random(3)
    rows = []
    for _ in range(count):
        created = YEAR_START + timedelta(seconds=rng.randrange(365 * 86400))
        status = rng.choice(("SENT",) * 17 + ("FAILED", "DEAD", "PENDING"))
        sent = created + timedelta(seconds=rng.randrange(1, 600)) if status == "SENT" else None
        rows.append(
            {
                "id": uuid.uuid4(), "user_id": uuid.uuid4(),
                "channel": rng.choice(("EMAIL", "SMS", "IN_APP")),
                "template": "appointment_booked", "language": "en", "recipient": "r",
                "subject": "s", "body": "b", "sensitive": False, "status": status,
                "attempts": 1, "created_at": created, "updated_at": created, "sent_at": sent,
            }
        )  # fmt: skip
    async with db.engine.begin() as connection:
        for chunk in _chunks(rows):
            await connection.execute(insert(Notification), chunk)


async def analyze(db: Database) -> None:
    if db.dialect == "postgresql":  # fresh planner statistics, as autovacuum would gather
        async with db.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("ANALYZE"))


WINDOWS = {
    "a year, DAY buckets (365)": (date(2026, 1, 1), date(2027, 1, 1), Bucket.DAY),
    "a year, MONTH buckets (12)": (date(2026, 1, 1), date(2027, 1, 1), Bucket.MONTH),
    "a month, DAY buckets (31)": (date(2026, 10, 1), date(2026, 11, 1), Bucket.DAY),
}


async def _median_ms(call: Any, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return stats.median(samples)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        urls = {
            "appointments": args.database_url_appointments
            or f"sqlite+aiosqlite:///{Path(folder) / 'appointments.sqlite3'}",
            "identity": args.database_url_identity
            or f"sqlite+aiosqlite:///{Path(folder) / 'identity.sqlite3'}",
            "doctors": args.database_url_doctors
            or f"sqlite+aiosqlite:///{Path(folder) / 'doctors.sqlite3'}",
            "notifications": args.database_url_notifications
            or f"sqlite+aiosqlite:///{Path(folder) / 'notifications.sqlite3'}",
        }
        for component, url in urls.items():
            await asyncio.to_thread(upgrade, component, url)
        appointments, identity = (
            Database.from_url(urls["appointments"]),
            Database.from_url(urls["identity"]),
        )
        doctors = Database.from_url(urls["doctors"])
        notifications = Database.from_url(urls["notifications"])
        try:
            started = time.perf_counter()
            await seed_appointments(appointments, count=args.appointments, doctors=args.doctors)
            await seed_users(identity, count=args.users)
            await seed_doctors(doctors, count=args.doctors)
            await seed_notifications(notifications, count=args.notifications)
            for db in (appointments, identity, doctors, notifications):
                await analyze(db)
            print(f"seeded in {time.perf_counter() - started:.1f} s ({appointments.dialect})")
            print(
                "| window | appointments, ms | users, ms | doctors, ms | notifications, ms "
                "| utilization, ms |"
            )
            print("|---|---:|---:|---:|---:|---:|")
            for name, (first, last, bucket) in WINDOWS.items():
                window = Window.checked(first=first, last=last, bucket=bucket, zone="Europe/Berlin")

                async def of_appointments(w: Window = window) -> object:
                    return await figures(db=appointments, window=w)

                async def of_users(w: Window = window) -> object:
                    return await user_figures(db=identity, window=w)

                async def of_doctors(w: Window = window) -> object:
                    return await doctor_figures(db=doctors, window=w)

                a = await _median_ms(of_appointments, args.runs)
                u = await _median_ms(of_users, args.runs)

                async def of_notifications(w: Window = window) -> object:
                    return await notification_figures(db=notifications, window=w)

                async def of_utilization(w: Window = window) -> object:
                    # The router's two hops, one after the other: booked, then offered hours.
                    top = await most_booked(db=appointments, window=w, top=TOP)
                    ids = [t.doctor_id for t in top]
                    return await offered_seconds(db=doctors, window=w, doctor_ids=ids)

                d = await _median_ms(of_doctors, args.runs)
                n = await _median_ms(of_notifications, args.runs)
                t = await _median_ms(of_utilization, args.runs)
                print(f"| {name} | {a:.0f} | {u:.0f} | {d:.0f} | {n:.0f} | {t:.0f} |")
        finally:
            await appointments.dispose()
            await identity.dispose()
            await doctors.dispose()
            await notifications.dispose()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--doctors", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url-appointments", default="")
    parser.add_argument("--database-url-identity", default="")
    parser.add_argument("--database-url-doctors", default="")
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--database-url-notifications", default="")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
