"""FHIR search parameters: references, date comparisons, paging, with clear refusals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from starlette.datastructures import QueryParams

from router.fhir.outcome import FhirError

__all__ = ["DateRange", "Page", "SearchParams"]

# Parameters every search accepts (FHIR's common result parameters we honour).
_COMMON = frozenset({"_count", "_offset", "_format"})
_MAX_COUNT = 100
_DEFAULT_COUNT = 20


@dataclass(frozen=True)
class Page:
    offset: int
    count: int


@dataclass(frozen=True)
class DateRange:
    """The half-open instant range [start, end) a set of date comparisons leaves open."""

    start: datetime | None = None
    end: datetime | None = None

    def require(self, name: str, *, max_days: int) -> tuple[datetime, datetime]:
        if self.start is None or self.end is None:
            raise FhirError(400, "required", f"Search by {name} needs ge/gt and le/lt bounds.")
        if self.end <= self.start:
            raise FhirError(400, "invalid", f"The {name} range is empty.")
        if self.end - self.start > timedelta(days=max_days):
            raise FhirError(400, "too-costly", f"A {name} range may span at most {max_days} days.")
        return self.start, self.end

    def contains(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) overlaps the range (FHIR's period semantics for `date`)."""
        return (self.end is None or start < self.end) and (self.start is None or end > self.start)


class SearchParams:
    """One search's query string, checked against the parameters a resource supports."""

    def __init__(self, query: QueryParams, supported: Iterable[str]) -> None:
        self._query = query
        allowed = _COMMON | frozenset(supported)
        unknown = sorted(set(query.keys()) - allowed)
        if unknown:
            raise FhirError(
                400,
                "not-supported",
                f"Unknown search parameter {', '.join(unknown)}; "
                f"supported: {', '.join(sorted(allowed))}.",
            )
        fmt = query.get("_format")
        if fmt is not None and fmt not in ("json", "application/json", "application/fhir+json"):
            raise FhirError(406, "not-supported", "Only JSON is served (_format=json).")

    def text(self, name: str) -> str | None:
        value = self._query.get(name)
        if value is None:
            return None
        value = value.strip()
        if not value or len(value) > 200 or any(ord(c) < 32 for c in value):
            raise FhirError(400, "invalid", f"Parameter {name} must be 1-200 printable characters.")
        return value

    def reference(self, name: str, resource_type: str) -> str | None:
        """`Patient/123` or `123` → `123`; another resource type is refused."""
        value = self.text(name)
        if value is None:
            return None
        kind, _, ident = value.rpartition("/")
        if kind and kind.rsplit("/", 1)[-1] != resource_type:
            raise FhirError(400, "invalid", f"Parameter {name} must reference a {resource_type}.")
        if not ident:
            raise FhirError(400, "invalid", f"Parameter {name} has no id.")
        return ident

    def tokens(self, name: str, allowed: Iterable[str]) -> list[str] | None:
        """A token parameter; a comma means OR, as in FHIR (`status=pending,booked`)."""
        value = self.text(name)
        if value is None:
            return None
        options = sorted(allowed)
        chosen = [part.strip() for part in value.split(",")]
        if any(part not in options for part in chosen):
            listed = ", ".join(options)
            raise FhirError(400, "invalid", f"Parameter {name} takes {listed} (comma = or).")
        return chosen

    def dates(self, name: str) -> DateRange:
        """Every `name=<prefix><date>` comparison, intersected into one range."""
        start: datetime | None = None
        end: datetime | None = None
        for raw in self._query.getlist(name):
            prefix, value = (raw[:2], raw[2:]) if raw[:2].isalpha() else ("eq", raw)
            low, high = _instant_range(name, value)
            if prefix in ("ge", "sa", "gt"):
                bound = high if prefix in ("gt", "sa") else low
                start = bound if start is None else max(start, bound)
            elif prefix in ("lt", "eb", "le"):
                bound = high if prefix == "le" else low
                end = bound if end is None else min(end, bound)
            elif prefix == "eq":
                start = low if start is None else max(start, low)
                end = high if end is None else min(end, high)
            else:
                raise FhirError(400, "invalid", f"Unsupported prefix {prefix!r} for {name}.")
        return DateRange(start, end)

    def page(self) -> Page:
        return Page(
            offset=self._integer("_offset", 0, minimum=0, maximum=10_000),
            count=self._integer("_count", _DEFAULT_COUNT, minimum=1, maximum=_MAX_COUNT),
        )

    def _integer(self, name: str, default: int, *, minimum: int, maximum: int) -> int:
        raw = self._query.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or not minimum <= int(raw) <= maximum:
            raise FhirError(
                400, "invalid", f"{name} must be an integer from {minimum} to {maximum}."
            )
        return int(raw)


def _instant_range(name: str, value: str) -> tuple[datetime, datetime]:
    """A FHIR date(Time) value as the instants it covers: a day is [00:00, 24:00) UTC."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            low = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return low, low + timedelta(days=1)
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if instant.tzinfo is None:
            raise FhirError(400, "invalid", f"{name} needs a time zone offset (e.g. Z).")
        instant = instant.astimezone(UTC)
        return instant, instant + timedelta(seconds=1)
    except (ValueError, OverflowError):
        raise FhirError(
            400, "invalid", f"{name} must be a date or a dateTime with offset."
        ) from None
