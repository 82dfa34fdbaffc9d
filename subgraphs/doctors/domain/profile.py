"""What a valid doctor profile is: names, zones, fees, languages, insurance, links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from subgraphs.shared.errors import BadUserInput

CONSULTATION_MINUTES = (5, 480)
FEE_MAX = Decimal("100000")
LIST_MAX = 30
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    return name in _zones()


def check_time_zone(name: str) -> str:
    """An IANA zone name known to zoneinfo, or BAD_USER_INPUT."""
    cleaned = name.strip()
    if cleaned not in _zones():
        raise BadUserInput(f"Unknown time zone {name!r}: use an IANA name.", field="timeZone")
    return cleaned


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def check_text(value: str, *, field: str, maximum: int, required: bool = True) -> str:
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise BadUserInput(f"{field} must not be empty.", field=field)
    if len(cleaned) > maximum:
        raise BadUserInput(f"{field} is at most {maximum} characters.", field=field)
    return cleaned


def check_bio(value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > 5000:
        raise BadUserInput("bio is at most 5000 characters.", field="bio")
    return cleaned


def check_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = value.strip()
    if not _PHONE.match(cleaned):
        raise BadUserInput("clinicPhone is not a phone number.", field="clinicPhone")
    return cleaned


def check_fee(amount: Decimal, currency: str) -> tuple[int, str]:
    """The fee in minor units (cents) and the ISO 4217 currency code."""
    try:
        cents = amount * 100
        if amount < 0 or amount > FEE_MAX or cents != cents.to_integral_value():
            raise BadUserInput(
                f"The fee must be 0 to {FEE_MAX} with at most two decimals.", field="fee"
            )
    except InvalidOperation:
        raise BadUserInput("The fee is not a number.", field="fee") from None
    code = currency.strip().upper()
    if not _CURRENCY.match(code):
        raise BadUserInput("The currency is a three-letter ISO 4217 code.", field="currency")
    return int(cents), code


def fee_of(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def check_consultation(minutes: int) -> int:
    low, high = CONSULTATION_MINUTES
    if not low <= minutes <= high:
        raise BadUserInput(
            f"consultationMinutes must be {low} to {high}.", field="consultationMinutes"
        )
    return minutes


def check_languages(values: Iterable[str]) -> list[str]:
    """Lower-cased BCP 47 language tags (`en`, `de`, `pt-br`), without duplicates."""
    result: list[str] = []
    for raw in values:
        tag = raw.strip().lower().replace("_", "-")
        if not _LANGUAGE.match(tag):
            raise BadUserInput(f"{raw!r} is not a language tag such as 'en'.", field="languages")
        if tag not in result:
            result.append(tag)
    return _capped(result, "languages")


def check_insurance(values: Iterable[str]) -> list[str]:
    """Insurer names as written, trimmed, without case-insensitive duplicates."""
    result: list[str] = []
    for raw in values:
        name = check_text(raw, field="acceptedInsurance", maximum=100)
        if name.casefold() not in {r.casefold() for r in result}:
            result.append(name)
    return _capped(result, "acceptedInsurance")


def check_photo_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = value.strip()
    if not cleaned.startswith(("https://", "http://")) or len(cleaned) > 500 or " " in cleaned:
        raise BadUserInput("photoUrl must be an http(s) URL.", field="photoUrl")
    return cleaned


def tag_key(value: str) -> str:
    """How list values are compared in search: case-insensitively."""
    return value.casefold()


def _capped(values: list[str], field: str) -> list[str]:
    if len(values) > LIST_MAX:
        raise BadUserInput(f"{field} holds at most {LIST_MAX} entries.", field=field)
    return values
