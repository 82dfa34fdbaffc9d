"""The notifications configuration: defaults, and failures that name the variable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from subgraphs.notifications.settings import NotificationSettings
from subgraphs.shared.settings import ConfigError


def test_defaults_send_to_a_local_smtp_server_and_an_sms_sink() -> None:
    settings = NotificationSettings.from_env({})
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == (
        "127.0.0.1",
        1025,
        "none",
    )
    assert settings.sms.provider == "sink"
    assert settings.reminder_lead_minutes == (1440, 120)


def test_the_twilio_provider_needs_its_credentials() -> None:
    with pytest.raises(ConfigError, match="SMS_ACCOUNT_SID"):
        NotificationSettings.from_env({"SMS_PROVIDER": "twilio"})


@pytest.mark.parametrize(
    ("name", "value"),
    [("SMTP_SECURITY", "ssl3"), ("SMTP_PORT", "0"), ("REMINDER_LEAD_MINUTES", "two hours")],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        NotificationSettings.from_env({name: value})


def test_the_delivery_lease_is_two_minutes_unless_configured() -> None:
    assert NotificationSettings.from_env({}).lease == timedelta(minutes=2)
    assert NotificationSettings.from_env({"NOTIFICATION_LEASE_SECONDS": "5"}).lease == timedelta(
        seconds=5
    )


@pytest.mark.parametrize("value", ["0", "-3", "a minute", "90000"])
def test_a_lease_that_is_not_a_positive_number_of_seconds_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="NOTIFICATION_LEASE_SECONDS"):
        NotificationSettings.from_env({"NOTIFICATION_LEASE_SECONDS": value})


def test_a_rotated_webhook_secret_keeps_signing_for_a_day_unless_configured() -> None:
    assert NotificationSettings.from_env({}).webhook_secret_rollover == timedelta(hours=24)
    at_once = NotificationSettings.from_env({"WEBHOOK_SECRET_ROLLOVER_HOURS": "0"})
    assert at_once.webhook_secret_rollover == timedelta(0)
    for value in ("-1", "a day", str(24 * 30 + 1)):
        with pytest.raises(ConfigError, match="WEBHOOK_SECRET_ROLLOVER_HOURS"):
            NotificationSettings.from_env({"WEBHOOK_SECRET_ROLLOVER_HOURS": value})
