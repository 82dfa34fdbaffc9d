"""Doctor search: SQL narrows by profile, slot computation by availability; results cached.

The cache key carries the namespace generation, which every profile, availability and
busy-time change bumps, so the next search after a change never sees an old result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.doctors.domain import search as rules
from subgraphs.doctors.domain.onboarding import DoctorStatus
from subgraphs.doctors.domain.search import Page, SearchFilter, SortKey
from subgraphs.doctors.domain.slots import Schedule, Slot, next_open_slot, open_slots
from subgraphs.doctors.models import Doctor, DoctorTag
from subgraphs.doctors.service import next_free
from subgraphs.doctors.service.store import (
    DOCTOR_KEY_COLUMNS,
    NAMESPACE,
    DoctorKey,
    doctors_by_ids,
    schedules_for,
    specialization_codes,
)
from subgraphs.doctors.service.views import DoctorView
from subgraphs.shared.cache import Cache
from subgraphs.shared.database import Database

FAR_FUTURE = datetime.max.isoformat()


@dataclass(frozen=True)
class SearchResult:
    items: list[DoctorView]
    total: int
    page: Page

    @property
    def has_next(self) -> bool:
        return self.page.offset + len(self.items) < self.total

    def to_json(self) -> bytes:
        body = {"items": [v.to_json() for v in self.items], "total": self.total}
        return json.dumps(body).encode()

    @classmethod
    def from_json(cls, raw: bytes, page: Page) -> SearchResult:
        data: dict[str, Any] = json.loads(raw)
        items = [DoctorView.from_json(item) for item in data["items"]]
        return cls(items=items, total=int(data["total"]), page=page)


def _has_tag(kind: str, value: str) -> ColumnElement[bool]:
    return exists().where(
        col(DoctorTag.doctor_id) == col(Doctor.id),
        col(DoctorTag.kind) == kind,
        col(DoctorTag.value) == value,
    )


def _statement(search: SearchFilter) -> SelectOfScalar[Doctor]:
    statement = select(Doctor).where(col(Doctor.status) == DoctorStatus.APPROVED)
    if search.specialization:
        statement = statement.where(_has_tag("specialization", search.specialization))
    if search.language:
        statement = statement.where(_has_tag("language", search.language))
    if search.insurance:
        statement = statement.where(_has_tag("insurance", search.insurance))
    if search.city:
        statement = statement.where(col(Doctor.city_key) == search.city)
    if search.text:
        statement = statement.where(col(Doctor.name_key).contains(search.text, autoescape=True))
    if search.accepting_new_patients is not None:
        statement = statement.where(
            col(Doctor.accepting_new_patients).is_(search.accepting_new_patients)
        )
    return statement


def _matches(schedule: Schedule, search: SearchFilter, nxt: Slot | None, now: datetime) -> bool:
    if search.available_within_days is not None:
        limit = now + timedelta(days=search.available_within_days)
        if nxt is None or nxt.start >= limit:
            return False
    if search.available_from is not None and search.available_to is not None:
        zone = schedule.time_zone
        start = datetime.combine(search.available_from, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(
            search.available_to + timedelta(days=1), datetime.min.time(), tzinfo=zone
        )
        if not open_slots(schedule, start, end, now=now):
            return False
    return True


async def _by_availability(
    session: AsyncSession, search: SearchFilter, sort: SortKey, page: Page, now: datetime
) -> SearchResult:
    ids = _statement(search).with_only_columns(*DOCTOR_KEY_COLUMNS)
    result = await (await session.connection()).execute(ids)
    keys = [DoctorKey(*row) for row in result.all()]
    schedules = await schedules_for(session, keys, since=now)
    ranked: list[tuple[DoctorKey, Slot | None]] = []
    for key in keys:
        schedule = schedules[key.id]
        nxt = next_open_slot(schedule, now=now)
        if _matches(schedule, search, nxt, now):
            ranked.append((key, nxt))
    if sort is SortKey.NEXT_AVAILABLE:
        ranked.sort(
            key=lambda kn: (
                kn[1] is None,
                kn[1].start.isoformat() if kn[1] else FAR_FUTURE,
                kn[0].name_key,
                str(kn[0].id),
            )
        )
    elif sort is SortKey.FEE:
        ranked.sort(key=lambda kn: (kn[0].fee_cents, kn[0].name_key, str(kn[0].id)))
    else:
        ranked.sort(key=lambda kn: (kn[0].name_key, str(kn[0].id)))
    chosen = ranked[page.offset : page.offset + page.size]
    rows = await doctors_by_ids(session, [key.id for key, _ in chosen])
    items = [DoctorView.of(rows[key.id]).with_next(nxt) for key, nxt in chosen]
    return SearchResult(items=items, total=len(ranked), page=page)


async def _by_profile(
    session: AsyncSession, search: SearchFilter, sort: SortKey, page: Page
) -> SearchResult:
    statement = _statement(search)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    order = (
        (col(Doctor.fee_cents), col(Doctor.name_key), col(Doctor.id))
        if sort is SortKey.FEE
        else (col(Doctor.name_key), col(Doctor.id))
    )
    rows = await session.exec(statement.order_by(*order).offset(page.offset).limit(page.size))
    return SearchResult(items=[DoctorView.of(r) for r in rows], total=int(total or 0), page=page)


async def _known_specializations(db: Database, cache: Cache, generation: int) -> set[str]:
    key = f"doctors:specializations:{generation}"
    cached = await cache.get(key)
    if cached is not None:
        return set(json.loads(cached))
    async with db.session() as session:
        codes = await specialization_codes(session)
    await cache.set(key, json.dumps(sorted(codes)).encode(), ttl_seconds=3600)
    return codes


async def search_doctors(
    *,
    db: Database,
    cache: Cache | None,
    ttl_seconds: int,
    search: SearchFilter,
    sort: SortKey,
    page: Page,
    now: datetime,
) -> SearchResult:
    """Approved doctors matching `search`, sorted and paged, with the total count.

    `cache=None` searches the store every time (the benchmark's uncached figure).
    """
    if cache is None:
        await _refresh_for(db, checked_sort=sort, search=search, now=now)
        async with db.session() as session:
            checked = rules.check_filter(
                search, specializations=await specialization_codes(session)
            )
            return await _run(session, checked, sort, page, now)
    generation = await cache.generation(NAMESPACE)
    checked = rules.check_filter(
        search, specializations=await _known_specializations(db, cache, generation)
    )
    key = rules.cache_key(checked, sort, page, generation=generation)
    cached = await cache.get(key)
    if cached is not None:
        return SearchResult.from_json(cached, page)
    await _refresh_for(db, checked_sort=sort, search=search, now=now)
    async with db.session() as session:
        result = await _run(session, checked, sort, page, now)
    await cache.set(key, result.to_json(), ttl_seconds=ttl_seconds)
    return result


async def _refresh_for(
    db: Database, *, checked_sort: SortKey, search: SearchFilter, now: datetime
) -> None:
    """Bring the stored next free slots up to date when this search reads them."""
    if search.needs_availability or checked_sort is SortKey.NEXT_AVAILABLE:
        await next_free.refresh(db, now=now)  # only what changed or expired since


async def _run(
    session: AsyncSession, search: SearchFilter, sort: SortKey, page: Page, now: datetime
) -> SearchResult:
    if search.available_from is not None:  # a date range: slots are worked out per doctor
        return await _by_availability(session, search, sort, page, now)
    if search.needs_availability or sort is SortKey.NEXT_AVAILABLE:
        return await _by_stored_next(session, search, sort, page, now)
    return await _by_profile(session, search, sort, page)


async def _by_stored_next(
    session: AsyncSession, search: SearchFilter, sort: SortKey, page: Page, now: datetime
) -> SearchResult:
    """Filters and order on the stored next free slot, in SQL (`service.next_free`)."""
    statement = _statement(search)
    if search.available_within_days is not None:
        limit = now + timedelta(days=search.available_within_days)
        statement = statement.where(
            col(Doctor.next_free_start).is_not(None), col(Doctor.next_free_start) < limit
        )
    total = await session.scalar(statement.with_only_columns(func.count(col(Doctor.id))))
    if sort is SortKey.NEXT_AVAILABLE:
        # NULLS LAST (doctors with nothing free at the end) lets PostgreSQL walk the index.
        order: tuple[Any, ...] = (
            col(Doctor.next_free_start).asc().nulls_last(),
            col(Doctor.name_key),
            col(Doctor.id),
        )
    elif sort is SortKey.FEE:
        order = (col(Doctor.fee_cents), col(Doctor.name_key), col(Doctor.id))
    else:
        order = (col(Doctor.name_key), col(Doctor.id))
    rows = await session.exec(statement.order_by(*order).offset(page.offset).limit(page.size))
    items = [DoctorView.of(r).with_next(_stored_slot(r)) for r in rows]
    return SearchResult(items=items, total=int(total or 0), page=page)


def _stored_slot(doctor: Doctor) -> Slot | None:
    if doctor.next_free_start is None or doctor.next_free_end is None:
        return None
    return Slot(_utc(doctor.next_free_start), _utc(doctor.next_free_end))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
