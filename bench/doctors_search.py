"""Doctor search latency with and without the cache on a catalogue of 10,000 doctors.

    python -m bench.doctors_search [--doctors 10000] [--runs 20] [--database-url URL]
                                   [--redis-url redis://127.0.0.1:6379/0]

Builds a throw-away doctors store (SQLite in a temporary directory unless --database-url
names an empty PostgreSQL database), migrates it, loads generated approved doctors with
weekly schedules, and times `search_doctors` (the use case behind `Query.doctors`) for a
few typical searches: every run uncached (cache=None), and cached (one miss, then hits).
Prints a Markdown table; `bench/DOCTORS.md` records the figures and how they were taken.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import select

from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.domain.search import Page, SearchFilter, SortKey
from subgraphs.doctors.models import AvailabilityRuleRow, Doctor, DoctorTag
from subgraphs.doctors.seed import SCHEDULES
from subgraphs.doctors.service import next_free
from subgraphs.doctors.service.catalog import SPECIALIZATIONS, ensure_specializations
from subgraphs.doctors.service.search import search_doctors
from subgraphs.shared.cache import Cache, MemoryCache, RedisCache
from subgraphs.shared.database import Database
from subgraphs.shared.migrations import upgrade

CITIES = ("Berlin", "Munich", "Hamburg", "Paris", "Lyon", "Madrid", "Rome", "Lisbon", "Vienna")
ZONES = {"Paris": "Europe/Paris", "Lyon": "Europe/Paris", "Madrid": "Europe/Madrid"}
LANGUAGES = ("de", "en", "fr", "es", "it", "pt", "tr", "pl", "ar")
INSURERS = ("AOK", "TK", "Barmer", "DAK", "Private", "Mutuelle", "Sanitas")
FIRST = ("Ana", "Ben", "Chloe", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas")
LAST = ("Silva", "Okafor", "Tanaka", "Weber", "Rossi", "Novak", "Haddad", "Dubois", "Costa")

SEARCHES: dict[str, tuple[SearchFilter, SortKey]] = {
    "all, by name (page 1)": (SearchFilter(), SortKey.NAME),
    "specialization + city, by fee": (
        SearchFilter(specialization="cardiology", city="berlin"),
        SortKey.FEE,
    ),
    "name text + language": (SearchFilter(text="silva", language="pt"), SortKey.NAME),
    "city, available within 3 days, by next slot": (
        SearchFilter(city="munich", available_within_days=3),
        SortKey.NEXT_AVAILABLE,
    ),
    "all, by next available slot": (SearchFilter(), SortKey.NEXT_AVAILABLE),
}


def _doctor(index: int, rng: random.Random) -> dict[str, Any]:
    name = f"Dr. {rng.choice(FIRST)} {rng.choice(LAST)} {index}"
    city = rng.choice(CITIES)
    return {
        "id": uuid.uuid4(),
        "user_id": uuid.uuid4(),
        "name": name,
        "name_key": name.casefold(),
        "city": city,
        "city_key": city.casefold(),
        "clinic_address": f"{index} Main Street, {city}",
        "clinic_phone": None,
        "bio": "",
        "specializations": rng.sample([code for code, _ in SPECIALIZATIONS], k=rng.randint(1, 2)),
        "languages": rng.sample(LANGUAGES, k=rng.randint(1, 3)),
        "accepted_insurance": rng.sample(INSURERS, k=rng.randint(1, 3)),
        "consultation_minutes": 30,
        "fee_cents": rng.randrange(4000, 20000, 500),
        "currency": "EUR",
        "photo_url": None,
        "time_zone": ZONES.get(city, "Europe/Berlin"),
        "accepting_new_patients": rng.random() > 0.2,
        "status": DoctorStatus.APPROVED,
        "status_reason": None,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "minimum_notice_minutes": 120,
        "booking_window_days": 90,
        "created_at": datetime.now(UTC),
        "updated_at": datetime.now(UTC),
    }


async def load_catalogue(db: Database, count: int) -> None:
    """Insert `count` approved doctors with tags and a weekly schedule each."""
    rng = random.Random(42)
    await ensure_specializations(db=db)
    schedules = list(SCHEDULES.values())
    for offset in range(0, count, 1000):
        doctors = [_doctor(i, rng) for i in range(offset, min(count, offset + 1000))]
        tags: list[dict[str, Any]] = []
        rules: list[dict[str, Any]] = []
        for row in doctors:
            for kind, values in (
                ("specialization", row["specializations"]),
                ("language", row["languages"]),
                ("insurance", [v.casefold() for v in row["accepted_insurance"]]),
            ):
                tags.extend({"doctor_id": row["id"], "kind": kind, "value": v} for v in values)
            for days, start, end, minutes in rng.choice(schedules):
                rules.extend(
                    {
                        "id": uuid.uuid4(),
                        "doctor_id": row["id"],
                        "weekday": day,
                        "start_time": datetime.strptime(start, "%H:%M").time(),
                        "end_time": datetime.strptime(end, "%H:%M").time(),
                        "slot_minutes": minutes,
                        "valid_from": None,
                        "valid_until": None,
                    }
                    for day in days
                )
        async with db.engine.begin() as connection:
            await connection.execute(insert(Doctor), doctors)
            await connection.execute(insert(DoctorTag), tags)
            await connection.execute(insert(AvailabilityRuleRow), rules)
    await analyze(db)


async def analyze(db: Database) -> None:
    if db.dialect == "postgresql":  # fresh statistics, as autovacuum would gather them
        async with db.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("ANALYZE"))


async def _time(call: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} / {p95:.2f}"


async def measure(db: Database, cache: Cache, runs: int) -> list[tuple[str, int, str, str]]:
    """(search, total, uncached median/p95 ms, cached median/p95 ms) per search."""
    now = datetime.now(UTC)
    rows = []
    for label, (search, sort) in SEARCHES.items():

        def run(with_cache: Cache | None, s: SearchFilter = search, o: SortKey = sort) -> Any:
            return search_doctors(
                db=db, cache=with_cache, ttl_seconds=600, search=s, sort=o, page=Page(), now=now
            )

        total = (await run(None)).total
        heavy = sort is SortKey.NEXT_AVAILABLE or search.needs_availability
        uncached = await _time(lambda: run(None), max(3, runs // 4) if heavy else runs)
        await cache.invalidate("doctors")
        await run(cache)  # the one miss fills the entry
        cached = await _time(lambda: run(cache), runs)
        rows.append((label, total, _summary(uncached), _summary(cached)))
    search, sort = SEARCHES["all, by next available slot"]
    changed = await _time(lambda: _after_one_change(db, search, sort, now), max(3, runs // 4))
    rows.append(("all, by next available slot, just after one doctor's change", 0, "", ""))
    rows[-1] = (rows[-1][0], rows[-2][1], _summary(changed), "-")
    return rows


async def _after_one_change(db: Database, search: SearchFilter, sort: SortKey, now: Any) -> Any:
    async with db.transaction() as session:
        doctor_id = (await session.exec(select(Doctor.id).limit(1))).one()
        await next_free.mark_changed(session, [doctor_id])
    return await search_doctors(
        db=db, cache=None, ttl_seconds=600, search=search, sort=sort, page=Page(), now=now
    )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'doctors.sqlite3'}"
        await asyncio.to_thread(upgrade, "doctors", url)
        db = Database.from_url(url)
        cache: Cache = (
            RedisCache.from_url(args.redis_url, prefix=f"bench:{uuid.uuid4().hex[:8]}:")
            if args.redis_url
            else MemoryCache()
        )
        try:
            started = time.perf_counter()
            await load_catalogue(db, args.doctors)
            print(f"loaded {args.doctors} doctors in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            filled = await next_free.refresh(db, now=datetime.now(UTC))
            print(
                f"worked out and stored {filled} next free slots (once, after the load) in"
                f" {time.perf_counter() - started:.1f} s"
            )
            await analyze(db)
            print(f"store: {db.dialect}; cache: {type(cache).__name__}; runs: {args.runs}\n")
            print("| search | matches | uncached ms (median / p95) | cached ms (median / p95) |")
            print("|---|---:|---:|---:|")
            for label, total, uncached, cached in await measure(db, cache, args.runs):
                print(f"| {label} | {total} | {uncached} | {cached} |")
        finally:
            await cache.close()
            await db.dispose()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--doctors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database")
    parser.add_argument("--redis-url", default="", help="time the Redis cache instead")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
