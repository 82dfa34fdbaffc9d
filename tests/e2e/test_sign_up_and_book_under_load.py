"""Issue 12 item 1, the real flow under load: 100 users register and book back to back on
RabbitMQ, with two real `healthbook serve worker` processes and a local SMTP server.

Each user's `UserRegistered` (identity) and `AppointmentBooked` (appointments) are published
one right after the other, half of them with the booking first, as two components' relays
do independently. Every patient gets exactly the messages of their channels (EMAIL and
IN_APP: no SMS without an opt-in, though they have a phone), each SENT once, and the SMTP
server receives exactly one email per patient.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from subgraphs.notifications.domain import Channel, DeliveryStatus
from subgraphs.notifications.models import Notification
from subgraphs.shared.bus import EventBus, build_broker
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.e2e.test_notifications_on_rabbitmq import _known, _sink
from tests.integration.notifications.harness import worker_environment
from tests.integration.notifications.scenario import Cast, envelope
from tests.support.fake_sms import FakeSmsProvider
from tests.support.processes import healthbook
from tests.support.rabbitmq import private_vhost

pytestmark = [pytest.mark.rabbitmq, pytest.mark.timeout(240)]
USERS = 100
BOUND_SECONDS = 120  # an upper bound against hanging, never a timing assertion


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


def registered(cast: Cast, index: int) -> EventEnvelope:
    return envelope(
        "UserRegistered",
        {
            "user_id": str(cast.patient_id),
            "email": f"user-{index}@example.test",
            "name": f"User {index}",
            "role": "PATIENT",
            "phone": f"+1555000{index:04d}",
            "language": "en",
            "time_zone": "Europe/Berlin",
            "notification_channels": ["EMAIL", "IN_APP"],
        },
        source="identity",
    )


async def patients_settled(db: Database, patients: set[uuid.UUID]) -> list[Notification]:
    """The patients' notifications once two per patient are SENT or DEAD (bounded)."""
    deadline = time.monotonic() + BOUND_SECONDS
    while True:
        async with db.session() as session:
            query = select(Notification).where(col(Notification.user_id).in_(patients))
            rows = list((await session.exec(query)).all())
        done = [r for r in rows if r.status in (DeliveryStatus.SENT, DeliveryStatus.DEAD)]
        if len(done) >= 2 * len(patients) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.5)


# The distributed topology's store only: the SQLite run adds ~30 s and proves nothing more
# (the order-independence itself is tested on both in tests/integration/notifications).
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_hundred_users_registering_and_booking_at_once_get_every_message_once(
    make_store: MakeStore, amqp_url: str, tmp_path: Path
) -> None:
    db = await make_store("notifications")
    doctor = Cast()
    casts = [
        Cast(doctor_user_id=doctor.doctor_user_id, doctor_id=doctor.doctor_id) for _ in range(USERS)
    ]
    with (
        FakeSmsProvider(account_sid="AC_LOAD", auth_token="s3cret") as sms,
        _sink(tmp_path) as smtp,
    ):
        env = {
            **worker_environment(
                db=db,
                data_dir=tmp_path / "data",
                smtp_port=smtp.port,
                sms=sms,
                broker_url=amqp_url,
            ),
            "LOG_LEVEL": "WARNING",
        }
        bus = EventBus(build_broker(Settings.from_env(env)), {})
        kinds = ("UserRegistered", "AppointmentBooked", "DoctorRegistered", "DoctorApproved")
        routed = EventBus(bus.broker, {kind: ("notifications",) for kind in kinds})
        try:
            with (
                healthbook(["serve", "worker"], env, tmp_path / "worker-1.log"),
                healthbook(["serve", "worker"], env, tmp_path / "worker-2.log"),
            ):
                for event in doctor.setup_events()[1:]:  # the doctor is known beforehand
                    routed.publish(event)
                routed.publish(doctor.patient_registered())
                await _known(db, doctor)
                for index, cast in enumerate(casts):
                    pair = [registered(cast, index), cast.appointment("AppointmentBooked")]
                    for event in pair if index % 2 else reversed(pair):
                        routed.publish(event)
                rows = await patients_settled(db, {c.patient_id for c in casts})
        finally:
            bus.broker.close()

    by_patient: dict[uuid.UUID, list[Notification]] = {}
    for row in rows:
        by_patient.setdefault(row.user_id, []).append(row)
    assert len(by_patient) == USERS
    for cast in casts:
        mine = by_patient[cast.patient_id]
        assert sorted((r.channel, r.status) for r in mine) == [
            (Channel.EMAIL, DeliveryStatus.SENT),
            (Channel.IN_APP, DeliveryStatus.SENT),
        ]
    to_patients = Counter(str(m["To"]) for m in smtp.messages if str(m["To"]).startswith("user-"))
    assert sorted(to_patients) == sorted(f"user-{i}@example.test" for i in range(USERS))
    assert set(to_patients.values()) == {1}
    message_ids = [m["Message-ID"] for m in smtp.messages]
    assert len(message_ids) == len(set(message_ids))
    assert sms.requests == 0  # no SMS without an opt-in
