"""Dates, times and durations as a reader of each supported language expects them."""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_WEEKDAYS: Final = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
}
_MONTHS: Final = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan", "Feb", "März", "Apr", "Mai", "Juni", "Juli", "Aug", "Sep", "Okt", "Nov", "Dez"),
}
_UNITS: Final = {
    "en": (("day", "days"), ("hour", "hours"), ("minute", "minutes")),
    "de": (("Tag", "Tage"), ("Stunde", "Stunden"), ("Minute", "Minuten")),
}


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, UTC when unknown (a display must never fail)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))


def format_date(moment: datetime, zone_name: str, language: str) -> str:
    """`Tue 9 Mar 2027` (en) or `Di 9. März 2027` (de), in the given zone."""
    at = local(moment, zone_name)
    lang = language if language in _WEEKDAYS else "en"
    weekday = _WEEKDAYS[lang][at.weekday()]
    month = _MONTHS[lang][at.month - 1]
    if lang == "de":
        return f"{weekday} {at.day}. {month} {at.year}"
    return f"{weekday} {at.day} {month} {at.year}"


def format_time(moment: datetime, zone_name: str) -> str:
    """`09:30 CET`: 24-hour clock and the zone's abbreviation at that moment."""
    at = local(moment, zone_name)
    return f"{at:%H:%M} {at.tzname() or zone_name}"


def format_lead(minutes: int, language: str) -> str:
    """`24 hours`, `1 day 2 hours`, `30 minutes`."""
    units = _UNITS.get(language, _UNITS["en"])
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    if days and not hours and not mins and days == 1:
        days, hours = 0, 24
    parts = [
        f"{count} {names[0] if count == 1 else names[1]}"
        for count, names in zip((days, hours, mins), units, strict=True)
        if count
    ]
    return " ".join(parts)
