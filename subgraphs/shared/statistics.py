"""The dashboard's window: a local date range cut into day/week/month buckets in a time zone.

Every subgraph that contributes to the `Statistics` entity reads the same window from the
entity's opaque key, and counts in its own store by joining its rows to a small table of
bucket bounds (UTC instants computed here with `zoneinfo`, so a bucket holding a DST change
is 23 or 25 hours long, as a clinic's day is). The table is built in SQL (a UNION ALL of
literal rows), which works on SQLite and PostgreSQL alike; the grouping happens there.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    Integer,
    Subquery,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.types import TypeEngine

from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.errors import BadUserInput, Forbidden

MAX_DAYS: Final = 731
"""The longest range (two years): at most 731 day buckets."""


class Bucket(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"  # weeks start on Monday (ISO 8601)
    MONTH = "MONTH"


@dataclass(frozen=True)
class Span:
    """One bucket: its first local date and its UTC bounds [start, end)."""

    index: int
    first_day: date
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Window:
    """Local dates [first, last) in `zone`, cut into buckets (the first and last clipped)."""

    first: date
    last: date
    bucket: Bucket
    zone: str

    @classmethod
    def checked(cls, *, first: date, last: date, bucket: Bucket, zone: str) -> Window:
        """A window, or BAD_USER_INPUT naming what is wrong."""
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadUserInput("Not an IANA time zone.", field="timeZone") from None
        if last < first:
            raise BadUserInput("The range ends before it starts.", field="range")
        if (last - first).days > MAX_DAYS:
            raise BadUserInput(f"The range spans at most {MAX_DAYS} days.", field="range")
        return cls(first=first, last=last, bucket=bucket, zone=zone)

    @property
    def start(self) -> datetime:
        return _utc(self.first, self.zone)

    @property
    def end(self) -> datetime:
        return _utc(self.last, self.zone)

    def spans(self) -> list[Span]:
        days, day = [], self.first
        while day < self.last:
            days.append(day)
            day = _next(day, self.bucket)
        bounds = [*days, self.last]
        return [
            Span(index=i, first_day=d, start=_utc(d, self.zone), end=_utc(bounds[i + 1], self.zone))
            for i, d in enumerate(days)
        ]

    @property
    def key(self) -> str:
        """The opaque entity key: the window, encoded."""
        raw = json.dumps([self.first.isoformat(), self.last.isoformat(), self.bucket, self.zone])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def from_key(cls, key: str) -> Window:
        try:
            raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
            first, last, bucket, zone = json.loads(raw)
            return cls.checked(
                first=date.fromisoformat(first),
                last=date.fromisoformat(last),
                bucket=Bucket(bucket),
                zone=zone,
            )
        except (binascii.Error, ValueError, TypeError):
            raise BadUserInput("Not a statistics key.", field="key") from None


def doctor_key(window: Window, doctor_id: uuid.UUID) -> str:
    """The opaque key of one doctor's figures over `window` (`DoctorUtilization.key`)."""
    return f"{window.key}.{doctor_id}"


def from_doctor_key(key: str) -> tuple[Window, uuid.UUID]:
    """The window and the doctor of a `doctor_key`, or BAD_USER_INPUT."""
    window_key, _, doctor = key.partition(".")
    try:
        doctor_id = uuid.UUID(doctor)
    except ValueError:
        raise BadUserInput("Not a utilization key.", field="key") from None
    return Window.from_key(window_key), doctor_id


def _utc(day: date, zone: str) -> datetime:
    """The UTC instant of local midnight (the first instant of `day`, even across a DST gap)."""
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    instant = local.astimezone(UTC)
    back = instant.astimezone(ZoneInfo(zone))
    if back.date() < day:  # midnight skipped by a DST gap: the day starts at the gap's end
        instant = datetime.combine(day, time(1), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return instant


def _next(day: date, bucket: Bucket) -> date:
    if bucket is Bucket.DAY:
        return day + timedelta(days=1)
    if bucket is Bucket.WEEK:
        return day + timedelta(days=7 - day.weekday())
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def require_admin(principal: Principal | None) -> None:
    """FORBIDDEN unless an admin asks (UNAUTHENTICATED callers are refused the same way)."""
    if principal is None or principal.role is not Role.ADMIN:
        raise Forbidden("Only admins can read statistics.")


def bucket_table(window: Window, *, dialect: str, type_: TypeEngine[Any]) -> Subquery:
    """`(idx, lo, hi)` rows, one per bucket, as a subquery to join rows to their bucket."""

    def instant(value: datetime) -> ColumnElement[Any]:
        # PostgreSQL must be told the literal's type; SQLite would turn CAST(... AS
        # DATETIME) into a number, so there the bind value is only formatted as the column.
        if dialect == "postgresql":
            return cast(literal(value), type_)
        return type_coerce(literal(value, type_), type_)

    rows = [
        select(
            cast(literal(s.index), Integer).label("idx"),
            instant(s.start).label("lo"),
            instant(s.end).label("hi"),
        )
        for s in window.spans()
    ]
    if not rows:  # an empty range: a table with no row
        empty = select(
            cast(literal(0), Integer).label("idx"),
            instant(window.start).label("lo"),
            instant(window.start).label("hi"),
        ).where(literal(False))
        return empty.subquery("buckets")
    if len(rows) == 1:
        return rows[0].subquery("buckets")
    first, *rest = rows
    return first.union_all(*rest).subquery("buckets")


def seconds_between(later: Any, earlier: Any, *, dialect: str) -> ColumnElement[Any]:
    """`later - earlier` in seconds, computed by the database."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def at_rank(ranked: Any, numerator: int, denominator: int) -> ColumnElement[Any]:
    """`ranked.c.value` where rank ≥ n·p (else NULL): its MIN is the nearest-rank percentile.

    `ranked` has columns `value`, `rank` (ROW_NUMBER over value) and `n` (COUNT over all).
    """
    reached = ranked.c.rank * denominator >= ranked.c.n * numerator
    return case((reached, ranked.c.value), else_=None)
