"""Identity's rules: valid emails, passwords and profiles, and who may change whom. No I/O."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cache
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

from subgraphs.identity.credentials.passwords import is_common
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import BadUserInput, DomainError, Forbidden

PASSWORD_MIN = 8
PASSWORD_MAX = 128
SELF_SERVICE_ROLES = frozenset({Role.PATIENT, Role.DOCTOR})
_PHONE = re.compile(r"^\+?[0-9]{7,15}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Channel(StrEnum):
    """Ways a user accepts to be notified."""

    EMAIL = "EMAIL"
    SMS = "SMS"
    IN_APP = "IN_APP"


DEFAULT_CHANNELS = (Channel.EMAIL, Channel.IN_APP)


class InvalidCredentials(DomainError):
    """Login refused; the same message whether the account exists or not."""

    code = "UNAUTHENTICATED"

    def __init__(self) -> None:
        super().__init__("The email address or password is incorrect.")


class InvalidToken(DomainError):
    """A reset/invitation/refresh token that is unknown, used, expired or revoked."""

    code = "INVALID_TOKEN"

    def __init__(self, what: str = "This link") -> None:
        super().__init__(f"{what} is invalid or has expired.")


def normalize_email(raw: str) -> str:
    """The canonical form of an email address (lower-cased), or BAD_USER_INPUT."""
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise BadUserInput(f"Invalid email address: {error}", field="email") from None
    return checked.normalized.lower()


def login_key(raw: str) -> str:
    """The account key of a login attempt, even for malformed addresses (for throttling)."""
    try:
        return normalize_email(raw)
    except BadUserInput:
        return raw.strip().lower()[:254]


def check_password(password: str, *, field: str = "password", email: str = "") -> None:
    """Refuse passwords outside 8-128 characters, common ones, and the email address itself."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise BadUserInput(
            f"Passwords must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long.", field=field
        )
    if is_common(password) or (email and password.lower() in (email, email.split("@")[0])):
        raise BadUserInput("This password is too common; choose another one.", field=field)


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 200:
        raise BadUserInput("A name must be 1 to 200 characters long.", field="name")
    return cleaned


def check_phone(phone: str | None) -> str | None:
    """An international phone number (digits, optional leading +), or None when blank."""
    if phone is None or not phone.strip():
        return None
    compact = re.sub(r"[\s().-]", "", phone)
    if not _PHONE.match(compact):
        raise BadUserInput("A phone number has 7 to 15 digits, e.g. +4930123456.", field="phone")
    return compact


def check_city(city: str | None) -> str | None:
    if city is None or not city.strip():
        return None
    cleaned = " ".join(city.split())
    if len(cleaned) > 100:
        raise BadUserInput("A city name is at most 100 characters long.", field="city")
    return cleaned


def check_language(language: str) -> str:
    """A BCP 47 language tag such as `en` or `pt-BR`."""
    tag = language.strip()
    if not _LANGUAGE.match(tag) or len(tag) > 35:
        raise BadUserInput("Use a language tag such as en or pt-BR.", field="language")
    return tag


def check_time_zone(name: str) -> str:
    """An IANA time zone name such as Europe/Berlin."""
    if name not in _time_zones():
        raise BadUserInput("Use an IANA time zone such as Europe/Berlin.", field="timeZone")
    return name


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def check_date_of_birth(born: date | None, *, today: date) -> date | None:
    if born is None:
        return None
    if born >= today or today.year - born.year > 130:
        raise BadUserInput("The date of birth must be a past date.", field="dateOfBirth")
    return born


def check_channels(channels: Iterable[Channel], *, phone: str | None) -> list[Channel]:
    """The accepted channels, de-duplicated in a fixed order; SMS needs a phone number."""
    chosen = [c for c in Channel if c in set(channels)]
    if Channel.SMS in chosen and not phone:
        raise BadUserInput("Add a phone number to receive SMS.", field="notificationChannels")
    return chosen


def check_self_service_role(role: Role) -> Role:
    if role not in SELF_SERVICE_ROLES:
        raise BadUserInput("Accounts register as PATIENT or DOCTOR.", field="role")
    return role


def ensure_not_self(actor_id: uuid.UUID, target_id: uuid.UUID, *, action: str) -> None:
    """Admins cannot lock themselves out: no changing their own role or deactivating themselves."""
    if actor_id == target_id:
        raise Forbidden(f"Admins cannot {action} their own account.")
