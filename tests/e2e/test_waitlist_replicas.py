"""The waitlist on two replicas of everything (PostgreSQL, RabbitMQ, Redis; see
tests/support/replicas.py): three patients wait for a doctor, a cancellation frees a slot
while a worker is SIGKILLed, the first in line gets the one offer, lets it expire, it passes
to the second, whose accept sent through both routers at once books it once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from subgraphs.notifications.channels.smtp_sink import SmtpSink
from subgraphs.shared.database import Database
from subgraphs.shared.settings import COMPONENTS
from tests.conftest import MakeStore
from tests.support import services
from tests.support.fake_sms import FakeSmsProvider
from tests.support.rabbitmq import private_vhost
from tests.support.replicas import System, replicas

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.rabbitmq,
    pytest.mark.redis,
    pytest.mark.timeout(900),
]

BOUND_SECONDS = 180.0  # upper bounds against hanging, never timing assertions
PASSWORD = "a long waitlist secret"
DOCTOR = str(uuid.uuid5(uuid.NAMESPACE_URL, "healthbook:doctor:dr.tanaka@healthbook.local"))
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken user { id } } }"
SLOTS = (
    "query($d: ID!, $f: DateTime!, $t: DateTime!) "
    "{ availableSlots(doctorId: $d, from: $f, to: $t) { start end } }"
)
BOOK = "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id start } }"
CANCEL = "mutation($id: ID!) { cancelAppointment(input: {id: $id}) { status } }"
JOIN = "mutation($i: JoinWaitlistInput!) { joinWaitlist(input: $i) { id position } }"
MINE = "query { myWaitlist { id position offer { id start state } } }"
ACCEPT = "mutation($id: ID!) { acceptWaitlistOffer(offerId: $id) { id start } }"


@pytest.fixture
def backend() -> str:
    """Several processes share each store: PostgreSQL only."""
    services.require("PostgreSQL", services.POSTGRES)
    return "postgresql"


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


@pytest.fixture
async def stores(make_store: MakeStore) -> dict[str, Database]:
    return {name: await make_store(name) for name in COMPONENTS}


@pytest.fixture
async def sink(tmp_path: Path) -> AsyncIterator[SmtpSink]:
    smtp = SmtpSink(mbox=tmp_path / "mail.mbox").start()
    try:
        yield smtp
    finally:
        smtp.stop()


class Client:
    """GraphQL through one of the two routers, as a signed-in patient."""

    def __init__(self, system: System) -> None:
        self.routers = system.routers
        self.http = httpx.AsyncClient(timeout=30)

    async def call(self, router: int, query: str, token: str = "", **variables: Any) -> Any:
        headers = {"x-healthbook-csrf": "1"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        answer = await self.http.post(
            f"{self.routers[router]}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
        )
        return answer.json()

    async def data(self, router: int, query: str, token: str = "", **variables: Any) -> Any:
        body = await self.call(router, query, token, **variables)
        assert "errors" not in body, body
        return body["data"]

    async def patient(self, router: int, name: str) -> str:
        email = f"{uuid.uuid4().hex[:10]}@example.org"
        i = {"email": email, "password": PASSWORD, "name": name, "timeZone": "Asia/Tokyo"}
        await self.data(router, REGISTER, i=i)
        login = await self.data(router, LOGIN, i={"email": email, "password": PASSWORD})
        token: str = login["login"]["accessToken"]
        return token


async def eventually(what: str, read: Any, done: Any) -> Any:
    began = time.monotonic()
    while True:
        answer = await read()
        if done(answer):
            return answer
        if time.monotonic() - began > BOUND_SECONDS:
            raise AssertionError(f"{what}: not within {BOUND_SECONDS:g} s ({answer})")
        await asyncio.sleep(0.5)


async def test_a_freed_slot_is_offered_once_in_order_and_booked_once_on_replicas(
    stores: dict[str, Database], amqp_url: str, sink: SmtpSink, tmp_path: Path
) -> None:
    services.require("Redis", services.REDIS)
    extra = {"WAITLIST_OFFER_MINUTES": "1", "APPOINTMENTS_REQUIRE_CONFIRMATION": "false"}
    with FakeSmsProvider(account_sid="AC_WAITLIST", auth_token="s3cret") as sms:
        async with replicas(
            stores, tmp_path, amqp_url=amqp_url, smtp_port=sink.port, sms=sms, extra_env=extra
        ) as system:
            client = Client(system)
            try:
                await _scenario(system, client, stores)
            finally:
                await client.http.aclose()


async def _scenario(system: System, client: Client, stores: dict[str, Database]) -> None:
    booker = await client.patient(0, "Bo Booker")
    line = [await client.patient(i % 2, f"Waiter {i}") for i in range(3)]
    now = datetime.now(UTC)
    window = {
        "f": (now + timedelta(days=2)).isoformat(),
        "t": (now + timedelta(days=9)).isoformat(),
    }
    slots = (await client.data(0, SLOTS, booker, d=DOCTOR, **window))["availableSlots"]
    chosen = slots[0]["start"]
    wish = {
        "doctorId": DOCTOR,
        "firstDay": (now + timedelta(days=1)).date().isoformat(),
        "lastDay": (now + timedelta(days=12)).date().isoformat(),
    }
    for place, token in enumerate(line, start=1):
        joined = await client.data(place % 2, JOIN, token, i=wish)
        assert joined["joinWaitlist"]["position"] == place
    key = uuid.uuid4().hex
    booked = await client.data(
        1, BOOK, booker, i={"doctorId": DOCTOR, "start": chosen, "idempotencyKey": key}
    )
    await client.data(0, CANCEL, booker, id=booked["bookAppointment"]["id"])
    system.kill("worker-1")  # the other worker takes whatever the killed one held

    first = await eventually(
        "an offer to the first in line",
        lambda: client.data(1, MINE, line[0]),
        lambda d: d["myWaitlist"][0]["offer"] is not None,
    )
    offer = first["myWaitlist"][0]["offer"]
    assert (offer["start"], offer["state"]) == (chosen, "OFFERED")
    for token in line[1:]:
        assert (await client.data(0, MINE, token))["myWaitlist"][0]["offer"] is None

    # The first lets the minute's hold run out: a sweep passes the slot to the second.
    second = await eventually(
        "the offer passed to the second in line",
        lambda: client.data(0, MINE, line[1]),
        lambda d: d["myWaitlist"][0]["offer"] is not None,
    )
    passed = second["myWaitlist"][0]["offer"]
    assert passed["start"] == chosen
    late = await client.call(0, ACCEPT, line[0], id=offer["id"])
    assert late["errors"][0]["extensions"]["code"] == "OFFER_EXPIRED"
    foreign = await client.call(1, ACCEPT, line[2], id=passed["id"])
    assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    answers = await asyncio.gather(
        *(client.data(i % 2, ACCEPT, line[1], id=passed["id"]) for i in range(6))
    )
    assert len({a["acceptWaitlistOffer"]["id"] for a in answers}) == 1

    async with stores["appointments"].engine.connect() as connection:
        active = (
            await connection.execute(
                text(
                    "SELECT count(*) FROM appointments WHERE doctor_id = :d AND starts_at = :s "
                    "AND status IN ('PENDING', 'CONFIRMED')"
                ),
                {"d": uuid.UUID(DOCTOR), "s": datetime.fromisoformat(chosen)},
            )
        ).scalar_one()
        offers = (
            (
                await connection.execute(
                    text(
                        "SELECT state FROM waitlist_offers WHERE doctor_id = :d ORDER BY created_at"
                    ),
                    {"d": uuid.UUID(DOCTOR)},
                )
            )
            .scalars()
            .all()
        )
    assert active == 1
    assert list(offers) == ["EXPIRED", "ACCEPTED"]
