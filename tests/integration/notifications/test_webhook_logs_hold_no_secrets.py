"""Webhook deliveries that fail and recover leave no secret, signature, body or URL token in
any log or in the deliveries' recorded errors.

Issue 15 item 1, the webhook side. Four endpoints, each registered with a token in its URL's
query (as receivers often authenticate), hear one booking through a real Dramatiq worker:
one answers 503 twice (its secret rotated, so two secrets sign), one answers too late (the
timeout), one refuses the connection (disabled after three failures, then DEAD) and one is
reached over TLS on a plain-HTTP port (a TLS error). The last two recover when an admin points
them at a live receiver and replays them. The loggers are captured as LOG_LEVEL=DEBUG sets
them: neither the formatted lines, the raw messages with their tracebacks (Dramatiq logs the
raised error of each retried attempt), nor any row's `last_error` may hold a signing secret,
a signature, a delivery's body, a URL's token or the events' personal data."""

from __future__ import annotations

import logging
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from subgraphs.notifications.channels.smtp_sink import SmtpSink, free_port
from subgraphs.notifications.models import WebhookDelivery, WebhookEndpoint
from subgraphs.notifications.webhooks import jobs, lifecycle, registry
from subgraphs.shared.auth import Principal, Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import BadUserInput
from subgraphs.shared.logs import JsonFormatter, logger_levels
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.settings import Settings
from tests.integration.identity.test_logs_hold_no_secrets import SECRET_SHAPES
from tests.integration.notifications.harness import running_worker, worker_environment
from tests.integration.notifications.scenario import Cast
from tests.integration.shared.test_consumer_logs_hold_no_secrets import PERSONAL
from tests.support.fake_sms import FakeSmsProvider
from tests.support.secret_scan import SECRETS
from tests.support.webhook_receiver import WebhookReceiver

ADMIN = Principal(user_id=uuid.uuid4(), role=Role.ADMIN)
EVENTS = ["appointment.booked"]


@pytest.fixture
def environment(
    db: Database,
    tmp_path: Path,
    smtp_sink: SmtpSink,
    sms_provider: FakeSmsProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    env = worker_environment(
        db=db, data_dir=tmp_path / "data", smtp_port=smtp_sink.port, sms=sms_provider
    )
    env |= {"WEBHOOK_TIMEOUT_SECONDS": "0.5", "WEBHOOK_DISABLE_AFTER_FAILURES": "3"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name, level in logger_levels("DEBUG").items():  # as configure_logging sets them
        caplog.set_level(level, logger=name)
    caplog.set_level("DEBUG")  # last: each call also sets the capturing handler's level
    return caplog


def _token() -> str:
    return f"q-{uuid.uuid4().hex}"


async def _register(db: Database, url: str) -> tuple[uuid.UUID, str]:
    done = await registry.register(
        db=db,
        principal=ADMIN,
        url=url,
        event_types=EVENTS,
        description=None,
        allow_local_http=True,
        now=datetime.now(UTC),
    )
    return uuid.UUID(str(done.endpoint.id)), done.secret


async def _rows(db: Database) -> dict[uuid.UUID, WebhookDelivery]:
    async with db.session() as session:
        rows = (await session.exec(select(WebhookDelivery))).all()
    return {uuid.UUID(str(row.endpoint_id)): row for row in rows}


async def _endpoint(db: Database, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    async with db.session() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
    assert endpoint is not None
    return endpoint


async def test_failed_and_recovered_webhook_deliveries_log_no_secret_body_or_url_token(
    db: Database, environment: dict[str, str], logs: pytest.LogCaptureFixture
) -> None:
    tokens = {name: _token() for name in ("busy", "slow", "refused", "tls")}
    secrets: list[str] = []
    with ExitStack() as stack:
        busy, slow, later, tls = (stack.enter_context(WebhookReceiver()) for _ in range(4))
        busy_id, first = await _register(db, f"{busy.url}?token={tokens['busy']}")
        rotated = await lifecycle.rotate_secret(
            db=db,
            principal=ADMIN,
            endpoint_id=busy_id,
            rollover=timedelta(hours=1),
            revoke_previous=False,
            now=datetime.now(UTC),
        )
        busy.secret = rotated.secret
        slow_id, slow.secret = await _register(db, f"{slow.url}?token={tokens['slow']}")
        refused_url = f"http://127.0.0.1:{free_port('127.0.0.1')}/hook?token={tokens['refused']}"
        refused_id, later.secret = await _register(db, refused_url)
        tls_url = f"https://127.0.0.1:{tls.port}/hook?token={tokens['tls']}"
        tls_id, tls.secret = await _register(db, tls_url)
        secrets += [first, rotated.secret, slow.secret, later.secret, tls.secret]
        busy.fail_next(2, status=503)
        slow.stall_next(1, seconds=2)
        cast = Cast()
        async with running_worker(Settings.from_env(environment), MemoryPubSub()) as worker:
            logs.clear()
            worker.publish(cast.patient_registered(), cast.doctor_registered())
            worker.publish(cast.appointment("AppointmentBooked"))
            await worker.settle()
            failed = await _rows(db)
            assert {key: row.status for key, row in failed.items()} == {
                busy_id: "SENT",
                slow_id: "SENT",
                refused_id: "DEAD",
                tls_id: "DEAD",
            }
            assert not (await _endpoint(db, refused_id)).enabled  # three failures in a row
            recorded = [row.last_error or "" for row in failed.values()]
            for endpoint_id, url in ((refused_id, later.url), (tls_id, tls.url)):
                await lifecycle.update(
                    db=db,
                    principal=ADMIN,
                    endpoint_id=endpoint_id,
                    changes=lifecycle.Changes(url=f"{url}?token={tokens['tls']}"),
                    allow_local_http=True,
                    now=datetime.now(UTC),
                )
                replayed = await registry.replay(
                    db=db, principal=ADMIN, delivery_id=uuid.UUID(str(failed[endpoint_id].id))
                )
                await jobs.submit(jobs.broker_enqueue(worker.bus.broker), [replayed.id])
            await worker.settle()
        recovered = await _rows(db)
        assert {row.status for row in recovered.values()} == {"SENT"}
        assert (await _endpoint(db, refused_id)).enabled  # the replay's success enabled it
        received = [item for receiver in (busy, slow, later, tls) for item in receiver.received]
    assert all(item.verified for item in received)
    assert len(busy.received[0].headers["webhook-signature"].split(" ")) == 2  # two secrets
    signatures = [
        value for item in received for value in item.headers["webhook-signature"].split(" ")
    ]
    bodies = {item.body.decode() for item in received}
    formatter = JsonFormatter("worker")
    lines = [formatter.format(record) for record in logs.records]
    raw = [
        record.getMessage()
        + (formatter.formatException(record.exc_info) if record.exc_info else "")
        for record in logs.records
    ]  # the message and the traceback of each retried attempt, as Dramatiq logs it
    recorded += [row.last_error or "" for row in recovered.values()]
    seen = "\n".join(raw + recorded)
    for failure in ("HTTP 503", "ReadTimeout", "ConnectError: All", "ConnectError: [SSL"):
        assert failure in seen, f"no {failure} logged or recorded: the check would prove nothing"
    forbidden = (*secrets, *signatures, *bodies, *tokens.values(), *PERSONAL)
    for line in lines + raw + recorded:
        for shape in SECRET_SHAPES:
            assert not shape.search(line), line
        for secret in SECRETS:
            assert next(secret.find(line), None) is None, (secret.kind, line)
        for value in forbidden:
            assert value not in line, (value, line)


def _traceback(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    return formatter.formatException(record.exc_info) if record.exc_info else ""


async def test_a_url_with_credentials_is_refused_without_repeating_them(db: Database) -> None:
    with pytest.raises(BadUserInput) as refused:
        await _register(db, "https://hook-user:hook-pass-123@example.net/hook")
    assert "hook-pass-123" not in str(refused.value)
    assert "hook-user" not in str(refused.value)
