"""This consumer's own copy of the event payload shapes it reads (never the publishers' code)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from subgraphs.shared.errors import BadUserInput


class MalformedEvent(BadUserInput):
    """An event payload lacks a field this consumer needs."""


def _text(payload: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = payload.get(key)
    if value is None:
        if default is None:
            raise MalformedEvent(f"event payload lacks {key}")
        return default
    return str(value)


def _optional(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return None if value in (None, "") else str(value)


def _optional_uuid(payload: Mapping[str, Any], key: str) -> uuid.UUID | None:
    return _uuid(payload, key) if payload.get(key) else None


def _optional_time(payload: Mapping[str, Any], key: str) -> datetime | None:
    return _time(payload, key) if payload.get(key) else None


def _uuid(payload: Mapping[str, Any], key: str) -> uuid.UUID:
    try:
        return uuid.UUID(_text(payload, key))
    except ValueError:
        raise MalformedEvent(f"event payload field {key} is not a UUID") from None


def _time(payload: Mapping[str, Any], key: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(payload, key))
    except ValueError:
        raise MalformedEvent(f"event payload field {key} is not an ISO-8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _times(payload: Mapping[str, Any], key: str) -> tuple[datetime, ...]:
    listed = payload.get(key) or []
    if not isinstance(listed, list):
        raise MalformedEvent(f"event payload field {key} is not a list")
    return tuple(_time({key: item}, key) for item in listed)


@dataclass(frozen=True)
class UserContact:
    """`UserRegistered` / `UserProfileUpdated`: how to reach a user."""

    user_id: uuid.UUID
    email: str | None
    name: str | None
    role: str | None
    phone: str | None
    language: str | None
    time_zone: str | None
    channels: tuple[str, ...] | None = None  # the profile's notification_channels

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> UserContact:
        return cls(
            user_id=_uuid(payload, "user_id"),
            email=_optional(payload, "email"),
            name=_optional(payload, "name"),
            role=_optional(payload, "role"),
            phone=_optional(payload, "phone"),
            language=_optional(payload, "language"),
            time_zone=_optional(payload, "time_zone"),
            channels=_channels(payload.get("notification_channels")),
        )


def _channels(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise MalformedEvent("event payload field notification_channels is not a list")
    return tuple(str(item).upper() for item in value)


@dataclass(frozen=True)
class DoctorFacts:
    """The doctors events: a doctor's public card."""

    doctor_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    time_zone: str
    city: str
    clinic_address: str
    clinic_phone: str
    reason: str | None

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> DoctorFacts:
        return cls(
            doctor_id=_uuid(payload, "doctor_id"),
            user_id=_uuid(payload, "user_id"),
            name=_text(payload, "name", ""),
            time_zone=_text(payload, "time_zone", "UTC"),
            city=_text(payload, "city", ""),
            clinic_address=_text(payload, "clinic_address", ""),
            clinic_phone=_text(payload, "clinic_phone", ""),
            reason=_optional(payload, "reason"),
        )


@dataclass(frozen=True)
class AppointmentFacts:
    """The appointments events: one appointment as it is after the event."""

    appointment_id: uuid.UUID
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID
    start: datetime
    end: datetime
    status: str
    time_zone: str
    previous_start: datetime | None
    cancelled_by: str | None
    reason: str | None
    series_event_id: uuid.UUID | None = None
    """Set when a series event announces this change with others (people hear of it there)."""
    series_id: uuid.UUID | None = None
    """The series it is an occurrence of, if any."""
    recurrence_start: datetime | None = None
    """An occurrence's rule instance (the start it was booked at), when the event says."""

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> AppointmentFacts:
        return cls(
            appointment_id=_uuid(payload, "appointment_id"),
            doctor_id=_uuid(payload, "doctor_id"),
            doctor_user_id=_uuid(payload, "doctor_user_id"),
            patient_id=_uuid(payload, "patient_id"),
            start=_time(payload, "start"),
            end=_time(payload, "end"),
            status=_text(payload, "status"),
            time_zone=_text(payload, "time_zone", "UTC"),
            previous_start=_time(payload, "previous_start")
            if payload.get("previous_start")
            else None,
            cancelled_by=_optional(payload, "cancelled_by"),
            reason=_optional(payload, "reason"),
            series_event_id=_optional_uuid(payload, "series_event_id"),
            series_id=_optional_uuid(payload, "series_id"),
            recurrence_start=_optional_time(payload, "recurrence_start"),
        )


@dataclass(frozen=True)
class OccurrenceFacts:
    """One occurrence a series event lists, as it is after the change."""

    appointment_id: uuid.UUID
    start: datetime
    end: datetime
    status: str
    previous_start: datetime | None
    recurrence_start: datetime | None = None

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> OccurrenceFacts:
        return cls(
            appointment_id=_uuid(payload, "appointment_id"),
            start=_time(payload, "start"),
            end=_time(payload, "end"),
            status=_text(payload, "status"),
            previous_start=_optional_time(payload, "previous_start"),
            recurrence_start=_optional_time(payload, "recurrence_start"),
        )


@dataclass(frozen=True)
class SeriesFacts:
    """appointments `AppointmentSeriesBooked` / `…Rescheduled` / `…Cancelled`: several
    occurrences of one series changed at once (soonest first)."""

    series_id: uuid.UUID
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID
    time_zone: str
    occurrences: tuple[OccurrenceFacts, ...]
    changed_by: str | None
    reason: str | None
    rule: str | None = None
    """The RRULE text from `first_start` in `time_zone` (older events may lack them)."""
    first_start: datetime | None = None
    refused_starts: tuple[datetime, ...] = ()
    """The rule's instances without an occurrence (refused when the series was booked)."""

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> SeriesFacts:
        listed = payload.get("occurrences")
        if not isinstance(listed, list) or not listed:
            raise MalformedEvent("event payload lacks occurrences")
        return cls(
            series_id=_uuid(payload, "series_id"),
            doctor_id=_uuid(payload, "doctor_id"),
            doctor_user_id=_uuid(payload, "doctor_user_id"),
            patient_id=_uuid(payload, "patient_id"),
            time_zone=_text(payload, "time_zone", "UTC"),
            occurrences=tuple(OccurrenceFacts.parse(item) for item in listed),
            changed_by=_optional(payload, "cancelled_by") or _optional(payload, "rescheduled_by"),
            reason=_optional(payload, "reason"),
            rule=_optional(payload, "rule"),
            first_start=_optional_time(payload, "first_start"),
            refused_starts=_times(payload, "refused_starts"),
        )

    def appointment(self, occurrence: OccurrenceFacts) -> AppointmentFacts:
        """The occurrence as an appointment event would tell it."""
        return AppointmentFacts(
            appointment_id=occurrence.appointment_id,
            doctor_id=self.doctor_id,
            doctor_user_id=self.doctor_user_id,
            patient_id=self.patient_id,
            start=occurrence.start,
            end=occurrence.end,
            status=occurrence.status,
            time_zone=self.time_zone,
            previous_start=occurrence.previous_start,
            cancelled_by=self.changed_by,
            reason=self.reason,
            series_id=self.series_id,
            recurrence_start=occurrence.recurrence_start,
        )


@dataclass(frozen=True)
class WaitlistOfferFacts:
    """appointments `WaitlistOfferMade`: a freed slot held for a waiting patient until
    `expires_at` (no reason, nothing of the appointment that freed it)."""

    offer_id: uuid.UUID
    patient_id: uuid.UUID
    doctor_id: uuid.UUID
    start: datetime
    end: datetime
    time_zone: str
    expires_at: datetime

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> WaitlistOfferFacts:
        return cls(
            offer_id=_uuid(payload, "offer_id"),
            patient_id=_uuid(payload, "patient_id"),
            doctor_id=_uuid(payload, "doctor_id"),
            start=_time(payload, "start"),
            end=_time(payload, "end"),
            time_zone=_text(payload, "time_zone", "UTC"),
            expires_at=_time(payload, "expires_at"),
        )


@dataclass(frozen=True)
class AccountLink:
    """`PasswordResetRequested` / `DoctorInvited`: a one-time link for the account's owner.

    The event carries only `delivery_id`: the secret waits in the shared cache
    (`subgraphs.shared.handoff`) and is revealed when the message is sent, never stored.
    """

    user_id: uuid.UUID
    email: str | None
    name: str | None
    language: str | None
    time_zone: str | None
    delivery_id: str
    expires_at: datetime | None

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> AccountLink:
        return cls(
            user_id=_uuid(payload, "user_id"),
            email=_optional(payload, "email"),
            name=_optional(payload, "name"),
            language=_optional(payload, "language"),
            time_zone=_optional(payload, "time_zone"),
            delivery_id=_text(payload, "delivery_id"),
            expires_at=_time(payload, "expires_at") if payload.get("expires_at") else None,
        )
