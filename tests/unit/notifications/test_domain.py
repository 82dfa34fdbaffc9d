"""Notification rules without I/O: channels, lead times, reminder timing, claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.notifications import domain
from subgraphs.notifications.domain import Channel, ChannelChoice, DeliveryStatus
from subgraphs.notifications.templates import formatting

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def choice(**overrides: object) -> ChannelChoice:
    values: dict[str, object] = {
        "email_enabled": True,
        "sms_enabled": True,
        "in_app_enabled": True,
        "email": "a@b.test",
        "phone": "+15550001111",
    }
    values.update(overrides)
    return ChannelChoice(**values)  # type: ignore[arg-type]


def test_all_channels_when_all_are_accepted_and_reachable() -> None:
    assert domain.channels_for(choice(), "appointment_booked") == [
        Channel.EMAIL,
        Channel.SMS,
        Channel.IN_APP,
    ]


def test_no_sms_without_a_phone_number() -> None:
    assert Channel.SMS not in domain.channels_for(choice(phone=None), "appointment_booked")


def test_switched_off_channels_are_skipped() -> None:
    chosen = choice(email_enabled=False, in_app_enabled=False)
    assert domain.channels_for(chosen, "appointment_booked") == [Channel.SMS]


def test_account_links_go_by_email_whatever_the_preferences() -> None:
    chosen = choice(email_enabled=False)
    assert domain.channels_for(chosen, "password_reset") == [Channel.EMAIL]


def test_inactive_users_get_nothing() -> None:
    assert domain.channels_for(choice(active=False), "appointment_booked") == []


def test_reminders_in_the_past_are_not_planned() -> None:
    start = NOW + timedelta(hours=3)
    due = domain.reminder_due_times(start=start, lead_minutes=[1440, 120], now=NOW)
    assert due == [(120, start - timedelta(hours=2))]


@pytest.mark.parametrize(
    ("status", "start", "expected"),
    [
        ("CONFIRMED", NOW + timedelta(hours=1), True),
        ("PENDING", NOW + timedelta(hours=1), True),
        ("CANCELLED", NOW + timedelta(hours=1), False),
        ("CONFIRMED", NOW - timedelta(minutes=1), False),
        ("COMPLETED", NOW + timedelta(hours=1), False),
    ],
)
def test_reminders_go_only_for_active_future_appointments(
    status: str, start: datetime, expected: bool
) -> None:
    assert domain.reminder_sendable(status=status, start=start, now=NOW) is expected


def test_lead_times_are_deduplicated_longest_first() -> None:
    assert domain.check_lead_minutes([120, 1440, 120]) == [1440, 120]


@pytest.mark.parametrize("values", [[0], [60 * 24 * 15], [1, 2, 3, 4, 5, 6]])
def test_lead_times_out_of_range_are_refused(values: list[int]) -> None:
    with pytest.raises(domain.InvalidLeadTimes):
        domain.check_lead_minutes(values)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(domain.UnsupportedLanguage):
        domain.check_language("tlh")


def test_only_pending_or_failed_unclaimed_rows_can_be_claimed() -> None:
    assert domain.can_claim(status=DeliveryStatus.PENDING, claimed_until=None, now=NOW)
    assert domain.can_claim(status=DeliveryStatus.FAILED, claimed_until=NOW, now=NOW)
    later = NOW + timedelta(minutes=1)
    assert not domain.can_claim(status=DeliveryStatus.FAILED, claimed_until=later, now=NOW)
    assert not domain.can_claim(status=DeliveryStatus.SENT, claimed_until=None, now=NOW)


def test_times_are_shown_in_the_clinic_zone_across_daylight_saving() -> None:
    winter = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
    summer = datetime(2027, 4, 1, 7, 30, tzinfo=UTC)
    assert formatting.format_time(winter, "Europe/Berlin") == "09:30 CET"
    assert formatting.format_time(summer, "Europe/Berlin") == "09:30 CEST"
    assert formatting.format_date(winter, "Europe/Berlin", "de") == "Mo 1. März 2027"
    assert formatting.format_lead(1440, "en") == "24 hours"
    assert formatting.format_lead(90, "en") == "1 hour 30 minutes"
