"""The workers' delivery paths leave no address, phone, name or message body in any log.

Issue 15 item 1, the delivery side: SMTP and SMS failures, transient (retried: the worker logs
the raised error with its causes) and permanent (DEAD), with servers that answer as real
ones do, quoting the recipient (`451 4.7.1 <pat@…>: try again later`). The loggers are
captured as LOG_LEVEL=DEBUG sets them; neither the formatted lines nor the raw messages, nor
the tracebacks the worker would log, nor the failure recorded on the row may hold them."""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from subgraphs.notifications.channels import Channels
from subgraphs.notifications.channels.sms import TwilioSms
from subgraphs.notifications.channels.smtp import SmtpSender
from subgraphs.notifications.channels.smtp_sink import SinkHandler, SmtpSink, free_port
from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.service import delivery
from subgraphs.shared.database import Database
from subgraphs.shared.logs import JsonFormatter, logger_levels
from subgraphs.shared.pubsub import MemoryPubSub
from tests.integration.identity.test_logs_hold_no_secrets import SECRET_SHAPES
from tests.integration.notifications.conftest import smtp_settings
from tests.integration.notifications.scenario import NOW
from tests.integration.notifications.test_delivery import booked, load
from tests.integration.shared.test_consumer_logs_hold_no_secrets import PERSONAL
from tests.support.fake_sms import FakeSmsProvider


class QuotingHandler(SinkHandler):
    """An SMTP server that quotes the recipient in its refusals: the first `busy` messages
    get a temporary 451 on DATA, recipients in `unknown` a permanent 550 on RCPT."""

    def __init__(self) -> None:
        super().__init__()
        self.busy = 0
        self.unknown: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.unknown:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.busy > 0:
            self.busy -= 1
            return f"451 4.7.1 <{envelope.rcpt_tos[0]}>: Mailbox busy, try again later"
        answer: str = await super().handle_DATA(server, session, envelope)
        return answer


@pytest.fixture
def quoting_smtp() -> Iterator[tuple[SmtpSink, QuotingHandler]]:
    sink = SmtpSink()
    handler = QuotingHandler()
    sink.handler = handler
    sink._controller.handler = handler
    sink.start()
    yield sink, handler
    sink.stop()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name, level in logger_levels("DEBUG").items():  # as configure_logging sets them
        caplog.set_level(level, logger=name)
    caplog.set_level("DEBUG")  # last: each call also sets the capturing handler's level
    return caplog


async def _attempt(db: Database, notification_id: uuid.UUID, channels: Channels) -> list[str]:
    """One delivery attempt as the worker makes it; the traceback it would log, if any."""
    try:
        await delivery.deliver(
            db=db,
            notification_id=notification_id,
            channels=channels,
            pubsub=MemoryPubSub(),
            now=NOW + timedelta(minutes=1),
        )
    except Exception as error:
        return ["".join(traceback.format_exception(error))]
    return []


async def test_failed_email_and_sms_deliveries_log_no_personal_data(
    db: Database,
    quoting_smtp: tuple[SmtpSink, QuotingHandler],
    sms_provider: FakeSmsProvider,
    logs: pytest.LogCaptureFixture,
) -> None:
    sink, handler = quoting_smtp
    cast, ids = await booked(db)
    to_patient = Channels(
        email=SmtpSender(smtp_settings(sink.port)),
        sms=_sms(sms_provider),
        sender="Healthbook <no-reply@healthbook.test>",
    )
    unreachable = Channels(
        email=SmtpSender(smtp_settings(free_port("127.0.0.1"))),
        sms=_sms(sms_provider),
        sender="Healthbook <no-reply@healthbook.test>",
    )
    patient_email = ids[(cast.patient_id, Channel.EMAIL)]
    doctor_email = ids[(cast.doctor_user_id, Channel.EMAIL)]
    sms = ids[(cast.patient_id, Channel.SMS)]
    logs.clear()
    raised = await _attempt(db, patient_email, unreachable)  # no SMTP server
    handler.busy = 1
    raised += await _attempt(db, patient_email, to_patient)  # 451, quoting the address
    handler.unknown = {"dr.who@example.test"}
    raised += await _attempt(db, doctor_email, to_patient)  # 550 on RCPT: DEAD
    sms_provider.fail_next(1, status=503)
    raised += await _attempt(db, sms, to_patient)  # retried
    sms_provider.fail_next(1, status=400)
    raised += await _attempt(db, sms, to_patient)  # refused: DEAD
    assert len(raised) == 3, raised  # the transient failures, which the worker logs
    recorded = [(await load(db, i)).last_error or "" for i in (patient_email, doctor_email, sms)]
    assert [(await load(db, i)).status for i in (patient_email, doctor_email, sms)] == [
        DeliveryStatus.FAILED,
        DeliveryStatus.DEAD,
        DeliveryStatus.DEAD,
    ]
    assert "451" in raised[1], raised
    assert "451" in recorded[0], recorded
    formatter = JsonFormatter("notifications")
    lines = [formatter.format(record) for record in logs.records]
    raw = [record.getMessage() for record in logs.records] + raised + recorded
    assert any("undeliverable" in line for line in raw), "nothing logged: the check proves nothing"
    # Each message's body and subject, line by line (a line is at least a phrase of it).
    rows = [await load(db, i) for i in (patient_email, doctor_email, sms)]
    body = [part.strip() for r in rows for part in (r.subject, *r.body.splitlines())]
    body = [part for part in body if len(part) >= 12]
    assert body
    for line in lines + raw:
        for shape in SECRET_SHAPES:
            assert not shape.search(line), line
        for value in (*PERSONAL, *body):
            assert value not in line, line


def _sms(provider: FakeSmsProvider) -> TwilioSms:
    return TwilioSms(
        api_url=provider.url,
        account_sid="AC_TEST",
        auth_token="s3cret",
        sender="+15005550006",
        timeout_seconds=5,
    )
