"""Calendar feeds: one's feed address, rotating it, and what a feed token may read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import or_, update
from sqlmodel import col, select

from subgraphs.appointments.calendar_feed import tokens
from subgraphs.appointments.calendar_feed.keys import FeedConfig
from subgraphs.appointments.domain import Actor
from subgraphs.appointments.models import AppointmentRow, CalendarFeedRow, SeriesRow, utcnow
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import Forbidden
from subgraphs.shared.upsert import insert_or_skip

# A feed shows what started at most this long ago and everything ahead, at most this many.
FEED_PAST: Final = timedelta(days=30)
FEED_MAX_ENTRIES: Final = 2000
_OWNERS: Final = (Role.PATIENT, Role.DOCTOR)


@dataclass(frozen=True)
class FeedEntry:
    """One appointment of a feed and the owner's part in it."""

    row: AppointmentRow
    as_doctor: bool


@dataclass(frozen=True)
class Feed:
    """A feed's appointments, and the recurring series some of them are occurrences of."""

    entries: Sequence[FeedEntry]
    series: Sequence[SeriesRow]


def refused_starts(series: SeriesRow) -> list[datetime]:
    """The series' rule instances that were never booked (refused when it was booked)."""
    return [
        datetime.fromisoformat(entry["start"]) for entry in series.refused if "moved" not in entry
    ]


def _owner(actor: Actor) -> uuid.UUID:
    if actor.role not in _OWNERS:
        raise Forbidden("Calendar feeds are for patients and doctors.")
    return actor.user_id


async def _version(db: Database, user_id: uuid.UUID) -> int:
    async with db.session() as session:
        row = await session.get(CalendarFeedRow, user_id)
    return 1 if row is None else row.version


async def feed_url(*, db: Database, config: FeedConfig, actor: Actor) -> str:
    """The signed-in patient's or doctor's current feed address (nothing is written)."""
    user_id = _owner(actor)
    return config.url(tokens.mint(config.secret, user_id, await _version(db, user_id)))


async def rotate(*, db: Database, config: FeedConfig, actor: Actor, now: datetime) -> str:
    """A new feed address; every earlier one stops working (one transaction)."""
    user_id = _owner(actor)
    async with db.transaction() as session:
        await insert_or_skip(
            session,
            CalendarFeedRow,
            {"user_id": user_id, "version": 1, "rotated_at": now},
            ["user_id"],
        )
        await session.exec(
            update(CalendarFeedRow)
            .where(col(CalendarFeedRow.user_id) == user_id)
            .values(version=CalendarFeedRow.version + 1, rotated_at=now)
        )
        row = await session.get(CalendarFeedRow, user_id, populate_existing=True)
        assert row is not None
        version = row.version
    return config.url(tokens.mint(config.secret, user_id, version))


async def entries(
    *, db: Database, config: FeedConfig, token: str, now: datetime | None = None
) -> Feed | None:
    """The appointments the token's owner takes part in, and their series; None for a bad
    or revoked token."""
    claim = tokens.read(config.secret, token)
    if claim is None or claim.version != await _version(db, claim.user_id):
        return None
    since = (now or utcnow()) - FEED_PAST
    statement = (
        select(AppointmentRow)
        .where(
            or_(
                col(AppointmentRow.patient_id) == claim.user_id,
                col(AppointmentRow.doctor_user_id) == claim.user_id,
            ),
            col(AppointmentRow.ends_at) > since,
        )
        .order_by(col(AppointmentRow.starts_at), col(AppointmentRow.id))
        .limit(FEED_MAX_ENTRIES)
    )
    async with db.session() as session:
        rows = (await session.exec(statement)).all()
        series_ids = {row.series_id for row in rows if row.series_id is not None}
        series = (
            (
                await session.exec(
                    select(SeriesRow)
                    .where(col(SeriesRow.id).in_(series_ids))
                    .order_by(col(SeriesRow.first_start), col(SeriesRow.id))
                )
            ).all()
            if series_ids
            else []
        )
    return Feed(
        entries=[FeedEntry(row=row, as_doctor=row.doctor_user_id == claim.user_id) for row in rows],
        series=series,
    )
