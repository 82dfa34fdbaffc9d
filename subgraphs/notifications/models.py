"""The notifications store: what was sent to whom, reminders to send, and local projections
of the users, doctors and appointments it hears about on the event bus."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from subgraphs.notifications.domain import Channel, DeliveryStatus, HoldStatus, ReminderStatus

TABLES = (
    "notifications",
    "notification_reminders",
    "notification_preferences",
    "notification_recipients",
    "notification_doctors",
    "notification_appointments",
    "notification_held_events",
    "webhook_endpoints",
    "webhook_deliveries",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Notification(SQLModel, table=True):
    """One message to one recipient on one channel, and how its delivery went."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_channel", "user_id", "channel", "created_at"),
        Index("ix_notifications_status", "status", "enqueued_at"),
        # Covers what `statistics` reads (subgraphs/notifications/statistics.py).
        Index("ix_notifications_figures", "created_at", "channel", "status", "sent_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(index=True)
    channel: Channel = Field(max_length=10)
    template: str = Field(max_length=60)
    language: str = Field(max_length=10)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    ics: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    sensitive: bool = False
    secret_ref: str | None = Field(default=None, max_length=100)
    appointment_id: uuid.UUID | None = Field(default=None, index=True)
    source_event_id: uuid.UUID | None = None
    status: DeliveryStatus = Field(default=DeliveryStatus.PENDING, max_length=10)
    attempts: int = 0
    provider_message_id: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, max_length=500)
    claimed_until: datetime | None = None
    enqueued_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    read_at: datetime | None = None


class Reminder(SQLModel, table=True):
    """A reminder of one appointment for one user, due at a time; dispatched at most once."""

    __tablename__ = "notification_reminders"
    __table_args__ = (Index("ix_notification_reminders_due", "status", "due_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    appointment_id: uuid.UUID = Field(index=True)
    user_id: uuid.UUID
    lead_minutes: int
    due_at: datetime
    status: ReminderStatus = Field(default=ReminderStatus.SCHEDULED, max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    dispatched_at: datetime | None = None


class Preferences(SQLModel, table=True):
    """A user's choices: channels on or off, reminder lead times, language."""

    __tablename__ = "notification_preferences"

    user_id: uuid.UUID = Field(primary_key=True)
    email_enabled: bool = True
    sms_enabled: bool = True
    in_app_enabled: bool = True
    reminder_lead_minutes: list[int] = Field(sa_column=Column(JSON, nullable=False))
    language: str | None = Field(default=None, max_length=10)
    updated_at: datetime = Field(default_factory=utcnow)


class Recipient(SQLModel, table=True):
    """This store's copy of a user's contact details (from identity's events)."""

    __tablename__ = "notification_recipients"

    user_id: uuid.UUID = Field(primary_key=True)
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    role: str = Field(max_length=10)
    phone: str | None = Field(default=None, max_length=40)
    language: str = Field(default="en", max_length=10)
    time_zone: str = Field(default="UTC", max_length=60)
    active: bool = True
    # The channels the user chose in their identity profile (the owner of that choice);
    # None until identity says (then EMAIL and IN_APP, never SMS without an opt-in).
    channels: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def known(self) -> bool:
        """Whether identity has told this store how to reach the user."""
        return bool(self.email)


class DoctorCard(SQLModel, table=True):
    """This store's copy of a doctor's public details (from the doctors events)."""

    __tablename__ = "notification_doctors"

    doctor_id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(index=True)
    name: str = Field(max_length=200)
    time_zone: str = Field(default="UTC", max_length=60)
    city: str = Field(default="", max_length=120)
    clinic_address: str = Field(default="", max_length=300)
    clinic_phone: str = Field(default="", max_length=40)
    updated_at: datetime = Field(default_factory=utcnow)


class AppointmentCopy(SQLModel, table=True):
    """This store's copy of an appointment: enough to remind and to version calendar entries."""

    __tablename__ = "notification_appointments"

    appointment_id: uuid.UUID = Field(primary_key=True)
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID
    patient_id: uuid.UUID = Field(index=True)
    start: datetime
    end: datetime
    status: str = Field(max_length=20)
    time_zone: str = Field(default="UTC", max_length=60)
    calendar_sequence: int = 0
    last_event_at: datetime
    series_id: uuid.UUID | None = Field(default=None, index=True)
    """The series it is an occurrence of; with `recurrence_start`, its calendar entry is an
    override in the series' recurring event (both set when the copy is made, never later)."""
    recurrence_start: datetime | None = None
    """Its rule instance in the series (RECURRENCE-ID), unchanged by moves."""


class HeldEvent(SQLModel, table=True):
    """An event whose messages to one user wait for that user's contact details.

    Planned when identity's `UserRegistered` (or a profile update) arrives; given up at
    `wait_until` (only the in-app message goes out then, and an email row records the failure).
    """

    __tablename__ = "notification_held_events"
    __table_args__ = (
        Index("ix_notification_held_events_user", "user_id", "status"),
        Index("ix_notification_held_events_due", "status", "wait_until"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str = Field(max_length=100)
    payload: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    occurred_at: datetime
    status: HoldStatus = Field(default=HoldStatus.WAITING, max_length=10)
    wait_until: datetime
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None


class WebhookEndpoint(SQLModel, table=True):
    """An admin's HTTPS endpoint, the event types it hears and whether it is still sent to."""

    __tablename__ = "webhook_endpoints"

    id: uuid.UUID = Field(primary_key=True)
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=500)
    event_types: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # The Standard Webhooks signing secret (`whsec_` + base64): shown once at registration
    # and at each rotation; emptied when the endpoint is deleted.
    secret: str = Field(max_length=100)
    # The secret before the last rotation, which still signs beside it until it expires.
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = None
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = None
    created_by: uuid.UUID
    created_at: datetime = Field(default_factory=utcnow)
    # Soft deletion: the row and its deliveries stay as history; nothing is sent any more.
    deleted_at: datetime | None = None


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint: the exact body signed and sent, and how sending went."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
        Index("uq_webhook_deliveries_endpoint_event", "endpoint_id", "event_id", unique=True),
    )

    id: uuid.UUID = Field(primary_key=True)
    endpoint_id: uuid.UUID = Field(foreign_key="webhook_endpoints.id")
    event_id: uuid.UUID
    event_type: str = Field(max_length=40)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="PENDING", max_length=10)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    last_status_code: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    attempted_at: datetime | None = None
    sent_at: datetime | None = None
