"""Use cases behind the GraphQL API: a user's inbox and preferences, the admins' tracking view."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.notifications import domain
from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import AppointmentCopy, Notification, Preferences, Recipient
from subgraphs.notifications.service import auditing, planning
from subgraphs.notifications.service.planning import PlanConfig
from subgraphs.shared.connections import Window
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.upsert import insert_or_skip

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    items: list[Notification]
    total: int
    offset: int
    size: int

    @property
    def number(self) -> int:
        """The deprecated page number (from 1) of a page read by number."""
        return self.offset // self.size + 1


@dataclass(frozen=True)
class Filter:
    """What admins filter the tracking view by; empty fields match everything."""

    channel: Channel | None = None
    status: DeliveryStatus | None = None
    template: str | None = None
    user_id: uuid.UUID | None = None
    recipient: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None

    def clauses(self) -> list[Any]:
        found: list[Any] = []
        if self.channel is not None:
            found.append(col(Notification.channel) == self.channel)
        if self.status is not None:
            found.append(col(Notification.status) == self.status)
        if self.template:
            found.append(col(Notification.template) == self.template)
        if self.user_id is not None:
            found.append(col(Notification.user_id) == self.user_id)
        if self.recipient:
            found.append(col(Notification.recipient).contains(self.recipient))
        if self.created_after is not None:
            found.append(col(Notification.created_at) >= self.created_after)
        if self.created_before is not None:
            found.append(col(Notification.created_at) < self.created_before)
        return found


@dataclass(frozen=True)
class PreferencesView:
    user_id: uuid.UUID
    email_enabled: bool
    sms_enabled: bool
    in_app_enabled: bool
    reminder_lead_minutes: list[int] = field(default_factory=list)
    language: str | None = None


def numbered_window(number: int, size: int) -> Window:
    """The window of the deprecated `page`/`pageSize` arguments (pages counted from 1)."""
    if number < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise BadUserInput(f"page starts at 1 and pageSize is 1 to {MAX_PAGE_SIZE}.", field="page")
    return Window(offset=(number - 1) * size, limit=size)


async def _page(db: Database, clauses: Sequence[Any], window: Window) -> Page:
    if window.offset < 0 or not 1 <= window.limit <= MAX_PAGE_SIZE:
        raise BadUserInput(f"first is 1 to {MAX_PAGE_SIZE}.", field="first")
    async with db.session() as session:
        total = await session.scalar(select(func.count()).select_from(Notification).where(*clauses))
        rows = (
            await session.exec(
                select(Notification)
                .where(*clauses)
                .order_by(col(Notification.created_at).desc(), col(Notification.id))
                .offset(window.offset)
                .limit(window.limit)
            )
        ).all()
    return Page(items=list(rows), total=int(total or 0), offset=window.offset, size=window.limit)


def _inbox(user_id: uuid.UUID) -> list[Any]:
    return [
        col(Notification.user_id) == user_id,
        col(Notification.channel) == Channel.IN_APP,
        col(Notification.status) == DeliveryStatus.SENT,
    ]


async def my_notifications(
    *, db: Database, user_id: uuid.UUID, window: Window, unread_only: bool
) -> Page:
    """A user's delivered in-app notifications, newest first."""
    clauses = _inbox(user_id)
    if unread_only:
        clauses.append(col(Notification.read_at).is_(None))
    return await _page(db, clauses, window)


async def unread_count(*, db: Database, user_id: uuid.UUID) -> int:
    """How many of a user's in-app notifications are unread."""
    async with db.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(*_inbox(user_id), col(Notification.read_at).is_(None))
        )
    return int(count or 0)


async def mark_read(
    *, db: Database, user_id: uuid.UUID, ids: Sequence[uuid.UUID] | None, now: datetime
) -> int:
    """Mark the given (or, with None, all) of the user's in-app notifications read."""
    clauses = [*_inbox(user_id), col(Notification.read_at).is_(None)]
    if ids is not None:
        clauses.append(col(Notification.id).in_(list(ids)))
    async with db.transaction() as session:
        result = await session.exec(update(Notification).where(*clauses).values(read_at=now))
        if result.rowcount:
            auditing.changed(session, action="NotificationsMarkedRead", user_id=user_id)
    return int(result.rowcount or 0)


async def notifications_by_ids(*, db: Database, ids: Sequence[uuid.UUID]) -> list[Notification]:
    async with db.session() as session:
        rows = await session.exec(select(Notification).where(col(Notification.id).in_(list(ids))))
        return list(rows.all())


async def list_notifications(*, db: Database, where: Filter, window: Window) -> Page:
    """Every notification matching the filter, newest first (admins; the read is audited)."""
    found = await _page(db, where.clauses(), window)
    await auditing.listed(db, found.items)
    return found


async def stats(*, db: Database, where: Filter) -> list[tuple[Channel, DeliveryStatus, int]]:
    """Counts by channel and status."""
    async with db.session() as session:
        rows = await session.exec(
            select(Notification.channel, Notification.status, func.count())
            .where(*where.clauses())
            .group_by(col(Notification.channel), col(Notification.status))
            .order_by(col(Notification.channel), col(Notification.status))
        )
        return [(Channel(c), DeliveryStatus(s), int(n)) for c, s, n in rows.all()]


def _view(
    user_id: uuid.UUID, row: Preferences | None, person: Recipient | None, config: PlanConfig
) -> PreferencesView:
    chosen = domain.chosen_channels(person.channels if person else None)
    return PreferencesView(
        user_id,
        Channel.EMAIL in chosen,
        Channel.SMS in chosen,
        Channel.IN_APP in chosen,
        list(row.reminder_lead_minutes if row else config.default_lead_minutes),
        row.language if row else None,
    )


class ChannelsOwnedByProfile(BadUserInput):
    """Channels are chosen in identity's profile, not here."""


async def preferences(*, db: Database, user_id: uuid.UUID, config: PlanConfig) -> PreferencesView:
    """A user's notification preferences (the defaults until they change them)."""
    async with db.session() as session:
        row = await session.get(Preferences, user_id)
        return _view(user_id, row, await session.get(Recipient, user_id), config)


async def _preferences_for_update(
    session: AsyncSession, user_id: uuid.UUID, config: PlanConfig, *, now: datetime
) -> Preferences:
    """The user's preferences row, created with the defaults if missing, locked until the
    transaction ends: two first changes at once both inserted it, the second failing on
    `notification_preferences_pkey` (INTERNAL_SERVER_ERROR), and both re-planned reminders."""
    defaults = Preferences(user_id=user_id, reminder_lead_minutes=list(config.default_lead_minutes))
    defaults.updated_at = now
    await insert_or_skip(session, Preferences, defaults.model_dump(), key=["user_id"])
    row = await session.get(Preferences, user_id, with_for_update=True, populate_existing=True)
    assert row is not None  # inserted above or by the transaction we waited for
    return row


async def update_preferences(
    *,
    db: Database,
    user_id: uuid.UUID,
    config: PlanConfig,
    now: datetime,
    email_enabled: bool | None = None,
    sms_enabled: bool | None = None,
    in_app_enabled: bool | None = None,
    reminder_lead_minutes: Sequence[int] | None = None,
    language: str | None = None,
) -> PreferencesView:
    """Change some preferences; new lead times re-plan the user's upcoming reminders.

    The channel flags only restate the profile's choice (identity owns it): a value that
    differs is refused with a pointer to `updateProfile(input: {notificationChannels})`.
    """
    leads = (
        None if reminder_lead_minutes is None else domain.check_lead_minutes(reminder_lead_minutes)
    )
    chosen = None if language is None else domain.check_language(language)
    async with db.transaction() as session:
        person = await session.get(Recipient, user_id)
        current = _view(user_id, None, person, config)
        for field_name, wanted, now_on in (
            ("emailEnabled", email_enabled, current.email_enabled),
            ("smsEnabled", sms_enabled, current.sms_enabled),
            ("inAppEnabled", in_app_enabled, current.in_app_enabled),
        ):
            if wanted is not None and wanted != now_on:
                raise ChannelsOwnedByProfile(
                    "Notification channels are chosen in your profile: "
                    "updateProfile(input: {notificationChannels: [...]}).",
                    field=field_name,
                )
        row = await _preferences_for_update(session, user_id, config, now=now)
        for name, value in (
            ("reminder_lead_minutes", leads),
            ("language", chosen),
        ):
            if value is not None:
                setattr(row, name, value)
        row.updated_at = now
        session.add(row)
        auditing.changed(session, action="NotificationPreferencesChanged", user_id=user_id)
        if leads is not None:
            await session.flush()
            upcoming = await session.exec(
                select(AppointmentCopy).where(
                    or_(
                        col(AppointmentCopy.patient_id) == user_id,
                        col(AppointmentCopy.doctor_user_id) == user_id,
                    ),
                    col(AppointmentCopy.start) > now,
                    col(AppointmentCopy.status).in_(list(domain.ACTIVE_APPOINTMENT)),
                )
            )
            for appointment in upcoming.all():
                await planning.replan_reminders(session, appointment, now=now, config=config)
        view = _view(user_id, row, person, config)
    return view
