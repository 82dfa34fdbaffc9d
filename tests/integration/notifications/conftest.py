"""Fixtures for the notifications store: a migrated database, a local SMTP server, a local
SMS provider, and the channels pointing at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from subgraphs.notifications.channels import Channels, SmtpSender, TwilioSms
from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.notifications.service.planning import PlanConfig
from subgraphs.notifications.settings import SmtpSettings
from subgraphs.shared.database import Database
from tests.conftest import MakeStore
from tests.support.fake_sms import FakeSmsProvider

CONFIG = PlanConfig(organizer="calendar@healthbook.test", default_lead_minutes=(1440, 120))
SENDER = "Healthbook <no-reply@healthbook.test>"


@pytest.fixture
async def db(make_store: MakeStore) -> Database:
    return await make_store("notifications")


@pytest.fixture
def smtp_sink(tmp_path: Path) -> Iterator[SmtpSink]:
    sink = SmtpSink(mbox=tmp_path / "mail.mbox").start()
    yield sink
    sink.stop()


@pytest.fixture
def sms_provider() -> Iterator[FakeSmsProvider]:
    with FakeSmsProvider(account_sid="AC_TEST", auth_token="s3cret") as provider:
        yield provider


def smtp_settings(port: int) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=port,
        security="none",
        username="",
        password="",
        sender=SENDER,
        timeout_seconds=5,
    )


@pytest.fixture
def channels(smtp_sink: SmtpSink, sms_provider: FakeSmsProvider) -> Channels:
    return Channels(
        email=SmtpSender(smtp_settings(smtp_sink.port)),
        sms=TwilioSms(
            api_url=sms_provider.url,
            account_sid="AC_TEST",
            auth_token="s3cret",
            sender="+15005550006",
            timeout_seconds=5,
        ),
        sender=SENDER,
    )
