"""Notification rules: who hears about what, on which channel, and when reminders are due.

No I/O here: the service layer loads rows, asks these functions, and saves the outcome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.logs import REDACTED, redact_text


class Channel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"
    IN_APP = "IN_APP"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"
    DEAD = "DEAD"


class ReminderStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    DISPATCHED = "DISPATCHED"
    CANCELLED = "CANCELLED"
    SKIPPED = "SKIPPED"


class HoldStatus(StrEnum):
    WAITING = "WAITING"  # for the recipient's contact details
    PLANNED = "PLANNED"  # they came; the messages were planned
    EXPIRED = "EXPIRED"  # they never came in time; recorded as a failed delivery


SUPPORTED_LANGUAGES: Final = ("en", "de")
DEFAULT_LANGUAGE: Final = "en"
MAX_LEAD_TIMES: Final = 5
MAX_LEAD_MINUTES: Final = 60 * 24 * 14
ACTIVE_APPOINTMENT: Final = frozenset({"PENDING", "CONFIRMED"})
REMINDER_TEMPLATE: Final = "appointment_reminder"
# An international phone number, as providers quote them in refusals (E.164).
_PHONE: Final = re.compile(r"\+\d{7,15}\b")
ONE_TIME_LINK: Final = "[one-time link]"  # stored in place of a secret link until it is sent

# Appointment events → (template, calendar method or None).
APPOINTMENT_TEMPLATES: Final = {
    "AppointmentBooked": ("appointment_booked", "REQUEST"),
    "AppointmentConfirmed": ("appointment_confirmed", "REQUEST"),
    "AppointmentRejected": ("appointment_rejected", "CANCEL"),
    "AppointmentRescheduled": ("appointment_rescheduled", "REQUEST"),
    "AppointmentCancelled": ("appointment_cancelled", "CANCEL"),
}
# Series events → (template, calendar method): one message for a series booked, moved or
# cancelled as a whole; its occurrences' own events then plan reminders but no message.
SERIES_TEMPLATES: Final = {
    "AppointmentSeriesBooked": ("series_booked", "REQUEST"),
    "AppointmentSeriesRescheduled": ("series_rescheduled", "REQUEST"),
    "AppointmentSeriesCancelled": ("series_cancelled", "CANCEL"),
}
# A freed slot offered to the first patient on a doctor's waitlist (appointments).
WAITLIST_OFFER_EVENT: Final = "WaitlistOfferMade"
WAITLIST_OFFER_TEMPLATE: Final = "waitlist_offer"
# Doctor events → the template of the message to the doctor's user.
DOCTOR_TEMPLATES: Final = {"DoctorApproved": "doctor_approved", "DoctorRejected": "doctor_rejected"}
# Templates whose body holds a secret link: redacted from the store once sent.
SENSITIVE_TEMPLATES: Final = frozenset({"password_reset", "doctor_invited"})
# Templates sent by email only, whatever the preferences (the account itself depends on them).
EMAIL_ONLY_TEMPLATES: Final = frozenset({"password_reset", "doctor_invited"})


class UnsupportedLanguage(BadUserInput):
    """A language we have no templates for."""


class InvalidLeadTimes(BadUserInput):
    """Reminder lead times out of range or too many."""


@dataclass(frozen=True)
class ChannelChoice:
    """What a user accepts and where they can be reached."""

    email_enabled: bool
    sms_enabled: bool
    in_app_enabled: bool
    email: str | None
    phone: str | None
    active: bool = True


# The channels of a user identity has not told us about yet: never SMS without an opt-in.
DEFAULT_CHANNELS: Final = frozenset({Channel.EMAIL, Channel.IN_APP})


def chosen_channels(names: Iterable[str] | None) -> frozenset[Channel]:
    """The channels a user opted into in their profile (identity owns that choice)."""
    if names is None:
        return DEFAULT_CHANNELS
    return frozenset(Channel(name) for name in names if name in Channel.__members__)


def channels_for(choice: ChannelChoice, template: str) -> list[Channel]:
    """The channels a message with `template` goes out on for this user."""
    if not choice.active:
        return []
    if template in EMAIL_ONLY_TEMPLATES:
        return [Channel.EMAIL] if choice.email else []
    channels: list[Channel] = []
    if choice.email_enabled and choice.email:
        channels.append(Channel.EMAIL)
    if choice.sms_enabled and choice.phone:
        channels.append(Channel.SMS)
    if choice.in_app_enabled:
        channels.append(Channel.IN_APP)
    return channels


def doctor_decision_values(reason: str | None) -> dict[str, str]:
    """The template values of a decision on a doctor's application."""
    text = reason or ""
    return {"reason": text, "reason_line": f"Reason: {text}\n\n" if text else ""}


def check_language(code: str) -> str:
    language = code.strip().lower()
    if language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(
            f"Language must be one of {', '.join(SUPPORTED_LANGUAGES)}.", field="language"
        )
    return language


def language_or_default(*candidates: str | None) -> str:
    """The first supported language among the candidates, else English."""
    for code in candidates:
        if code and code.lower() in SUPPORTED_LANGUAGES:
            return code.lower()
    return DEFAULT_LANGUAGE


def check_lead_minutes(values: Iterable[int]) -> list[int]:
    """Distinct lead times, longest first; 0 to 5 of them, each 1 minute to 14 days."""
    unique = sorted(set(values), reverse=True)
    if len(unique) > MAX_LEAD_TIMES:
        raise InvalidLeadTimes(
            f"At most {MAX_LEAD_TIMES} reminder lead times.", field="reminderLeadMinutes"
        )
    if any(not 1 <= value <= MAX_LEAD_MINUTES for value in unique):
        raise InvalidLeadTimes(
            f"Reminder lead times must be between 1 and {MAX_LEAD_MINUTES} minutes.",
            field="reminderLeadMinutes",
        )
    return unique


def reminder_due_times(
    *, start: datetime, lead_minutes: Sequence[int], now: datetime
) -> list[tuple[int, datetime]]:
    """(lead, due time) of each reminder still in the future for a visit starting at `start`."""
    due = [(lead, start - timedelta(minutes=lead)) for lead in lead_minutes]
    return [(lead, at) for lead, at in due if at > now]


def reminder_sendable(*, status: str, start: datetime, now: datetime) -> bool:
    """A reminder goes out only for an active appointment that has not started yet."""
    return status in ACTIVE_APPOINTMENT and start > now


def can_claim(*, status: DeliveryStatus, claimed_until: datetime | None, now: datetime) -> bool:
    """Whether a delivery attempt may start now: not done, and nobody else holds it."""
    if status not in (DeliveryStatus.PENDING, DeliveryStatus.FAILED):
        return False
    return claimed_until is None or claimed_until <= now


def short_error(error: BaseException) -> str:
    """A one-line description of a delivery failure for tracking and the worker's log: no
    message content, and no address or number the provider's answer quoted (SMTP servers
    echo the recipient: `451 4.7.1 <ann@example.org>: try again later`)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return _PHONE.sub(REDACTED, redact_text(text))[:500]
