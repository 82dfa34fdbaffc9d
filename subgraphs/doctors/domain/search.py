"""Doctor search: what a valid filter, sort and page are, and how results are keyed."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from enum import StrEnum

from subgraphs.shared import connections
from subgraphs.shared.errors import BadUserInput

DEFAULT_PAGE_SIZE = 20
LIST_NAME = "doctors.search"  # the name the search's connection cursors are checked against
AVAILABLE_RANGE_MAX_DAYS = 62
WITHIN_DAYS_MAX = 365
TEXT_MAX = 100


class SortKey(StrEnum):
    NEXT_AVAILABLE = "NEXT_AVAILABLE"
    NAME = "NAME"
    FEE = "FEE"


@dataclass(frozen=True)
class SearchFilter:
    """Criteria, all optional and combined with AND; dates are the doctor's local dates."""

    specialization: str | None = None
    city: str | None = None
    text: str | None = None
    language: str | None = None
    insurance: str | None = None
    available_from: date | None = None
    available_to: date | None = None
    available_within_days: int | None = None
    accepting_new_patients: bool | None = None

    @property
    def needs_availability(self) -> bool:
        return self.available_from is not None or self.available_within_days is not None


@dataclass(frozen=True)
class Page:
    size: int = DEFAULT_PAGE_SIZE
    offset: int = 0


def _clean(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    if len(cleaned) > TEXT_MAX:
        raise BadUserInput(f"{field} is at most {TEXT_MAX} characters.", field=field)
    return cleaned.casefold() or None


def check_filter(raw: SearchFilter, *, specializations: Collection[str]) -> SearchFilter:
    """A normalized filter (case-folded texts), or BAD_USER_INPUT naming what is wrong."""
    specialization = _clean(raw.specialization, "specialization")
    if specialization is not None and specialization not in specializations:
        raise BadUserInput(
            f"Unknown specialization {raw.specialization!r}; see the specializations query.",
            field="specialization",
        )
    start, end = raw.available_from, raw.available_to
    if (start is None) != (end is None):
        start = end = start or end
    if start is not None and end is not None:
        if end < start:
            raise BadUserInput(
                f"availableTo ({end}) is before availableFrom ({start}).", field="availableTo"
            )
        if end - start > timedelta(days=AVAILABLE_RANGE_MAX_DAYS):
            raise BadUserInput(
                f"The availability range is at most {AVAILABLE_RANGE_MAX_DAYS} days.",
                field="availableTo",
            )
    within = raw.available_within_days
    if within is not None and not 0 <= within <= WITHIN_DAYS_MAX:
        raise BadUserInput(
            f"availableWithinDays must be 0 to {WITHIN_DAYS_MAX}.", field="availableWithinDays"
        )
    return SearchFilter(
        specialization=specialization,
        city=_clean(raw.city, "city"),
        text=_clean(raw.text, "text"),
        language=_clean(raw.language, "language"),
        insurance=_clean(raw.insurance, "insurance"),
        available_from=start,
        available_to=end,
        available_within_days=within,
        accepting_new_patients=raw.accepting_new_patients,
    )


def check_page(*, first: int | None, after: str | None, offset: int | None, maximum: int) -> Page:
    """A page of the deprecated `page: PageInput` argument: `first` and either a cursor
    (`after`: an old offset cursor or a connection cursor) or an `offset`; size capped."""
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= maximum:
        raise BadUserInput(f"The page size must be 1 to {maximum}, got {size}.", field="first")
    if after is not None and offset is not None:
        raise BadUserInput("Give a cursor (after) or an offset, not both.", field="after")
    start = start_after(after) if after is not None else (offset or 0)
    if start < 0:
        raise BadUserInput("The offset must not be negative.", field="offset")
    return Page(size=size, offset=start)


def start_after(cursor: str) -> int:
    """Where the page after `cursor` starts: a connection cursor names the last item read
    (`pageInfo.endCursor` now), an old offset cursor the next one (what it gave out before)."""
    try:
        return connections.decode_cursor(LIST_NAME, cursor) + 1
    except BadUserInput:
        return decode_cursor(cursor)


def encode_cursor(offset: int) -> str:
    """The old offset cursor (before connection cursors); still accepted by `start_after`."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        prefix, _, number = text.partition(":")
        if prefix != "offset":
            raise ValueError(prefix)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput("The cursor is not one this API gave out.", field="after") from None


def cache_key(search: SearchFilter, sort: SortKey, page: Page, *, generation: int) -> str:
    """A cache key for one search: the namespace generation and a digest of the query."""
    body = json.dumps(
        {"f": asdict(search), "s": sort.value, "p": asdict(page)}, default=str, sort_keys=True
    )
    digest = hashlib.sha256(body.encode()).hexdigest()[:32]
    return f"doctors:search:{generation}:{digest}"
