"""Issue 15's replicas-and-faults suite: two replicas of every component (4 subgraphs x 2,
router x 2, worker x 2, scheduler x 2) on real PostgreSQL, RabbitMQ and Redis, each reached
through its own TCP proxy. A mixed load runs through both routers (patients racing for the
same slots, reschedules, cancels; every patient subscribed on both routers) while, in turn,
a worker is SIGKILLed mid-delivery, RabbitMQ's connection is cut, PostgreSQL is cut and
Redis is cut, each then restored. Afterwards the stores, the SMTP server and the
subscribers are checked and the figures printed (bench/FAULTS.md keeps them).

Bounded in `make test` (a short database cut); `FAULTS_DB_CUT_SECONDS=30` runs the form the
issue names (bench/FAULTS.md).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
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
from tests.support.live import Subscriber, subscribed
from tests.support.rabbitmq import private_vhost
from tests.support.replicas import System, replicas

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.rabbitmq,
    pytest.mark.redis,
    pytest.mark.timeout(900),
]

DB_CUT_SECONDS = float(os.environ.get("FAULTS_DB_CUT_SECONDS", "6"))
BROKER_CUT_SECONDS = float(os.environ.get("FAULTS_BROKER_CUT_SECONDS", "3"))
REDIS_CUT_SECONDS = float(os.environ.get("FAULTS_REDIS_CUT_SECONDS", "3"))
PATIENTS = 4
LOAD_DOCTORS = ("tanaka", "nguyen", "rossi", "patel")  # four time zones: many distinct starts
WARMUP_DOCTORS = ("okafor", "mueller", "haddad", "schmidt")  # one reminder visit per patient
BOUND_SECONDS = 150.0  # upper bounds against hanging, never timing assertions
SMTP_HOLD_SECONDS = 0.1  # each email takes a moment, so that a kill finds some in flight
PASSWORD = "a long replicas secret"

BOOK = "mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id start status } }"
RESCHEDULE = (
    "mutation($i: RescheduleAppointmentInput!) { rescheduleAppointment(input: $i) { id start } }"
)
CANCEL = "mutation($i: CancelAppointmentInput!) { cancelAppointment(input: $i) { id status } }"
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken user { id } } }"
SLOTS = (
    "query($d: ID!, $f: DateTime!, $t: DateTime!) "
    "{ availableSlots(doctorId: $d, from: $f, to: $t) { start end } }"
)
PREFERENCES = (
    "mutation($i: NotificationPreferencesInput!) "
    "{ updateNotificationPreferences(input: $i) { reminderLeadMinutes } }"
)


def doctor_id(surname: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:dr.{surname}@healthbook.local"))


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
    """One migrated PostgreSQL database per subgraph (dropped after the test)."""
    return {name: await make_store(name) for name in COMPONENTS}  # migrations import models


@dataclass
class Patient:
    email: str
    token: str = ""
    user_id: str = ""


@dataclass
class Call:
    """One mutation a client sent, and what it was told."""

    kind: str  # book, reschedule, cancel
    patient: Patient
    router: int
    variables: dict[str, Any]
    sent: float
    answered: float = 0.0
    ok: bool = False
    code: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Phases:
    """When each fault began and ended (time.monotonic())."""

    spans: dict[str, tuple[float, float]] = field(default_factory=dict)
    clock: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)

    def mark(self, name: str, began: float, ended: float) -> None:
        now, wall = time.monotonic(), datetime.now(UTC)
        self.spans[name] = (began, ended)
        self.clock[name] = tuple(  # type: ignore[assignment]
            wall - timedelta(seconds=now - moment) for moment in (began, ended)
        )

    def during(self, moment: float) -> str:
        for name, (began, ended) in self.spans.items():
            if began <= moment <= ended:
                return name
        return "normal"

    def monotonic(self, moment: datetime) -> float:
        """A wall-clock moment on time.monotonic()'s scale."""
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return time.monotonic() - (datetime.now(UTC) - moment).total_seconds()

    def during_clock(self, moment: datetime) -> str:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        for name, (began, ended) in self.clock.items():
            if began <= moment <= ended:
                return name
        return "normal"


class Client:
    def __init__(self, system: System) -> None:
        self.routers = system.routers
        self.http = httpx.AsyncClient(timeout=30)

    async def call(
        self, router: int, query: str, variables: dict[str, Any], token: str = ""
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self.http.post(
                f"{self.routers[router]}/graphql",
                json={"query": query, "variables": variables},
                headers=headers,
            )
        except httpx.HTTPError as error:
            return {"errors": [{"extensions": {"code": f"TRANSPORT:{type(error).__name__}"}}]}
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            return {"errors": [{"extensions": {"code": f"HTTP_{response.status_code}"}}]}
        return body

    async def must(
        self, router: int, query: str, variables: dict[str, Any], token: str = ""
    ) -> dict[str, Any]:
        body = await self.call(router, query, variables, token)
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data


def code_of(body: dict[str, Any]) -> str:
    errors = body.get("errors") or [{}]
    return str((errors[0].get("extensions") or {}).get("code") or "NO_CODE")


async def scalar(db: Database, sql: str, **params: Any) -> Any:
    async with db.engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar()


async def rows(db: Database, sql: str, **params: Any) -> list[Any]:
    async with db.engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def wait_until(what: str, check: Any, seconds: float = BOUND_SECONDS) -> float:
    """Poll the async `check` until true; the seconds it took (fails after `seconds`)."""
    began = time.monotonic()
    while not await check():
        if time.monotonic() - began > seconds:
            raise AssertionError(f"{what}: not within {seconds:g} s")
        await asyncio.sleep(0.2)
    return round(time.monotonic() - began, 2)


@pytest.fixture
async def sink(tmp_path: Path) -> AsyncIterator[SmtpSink]:
    smtp = SmtpSink(mbox=tmp_path / "mail.mbox").start()
    accept = smtp.handler.handle_DATA

    async def slow(server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(SMTP_HOLD_SECONDS)
        return await accept(server, session, envelope)

    smtp.handler.handle_DATA = slow  # type: ignore[method-assign]
    try:
        yield smtp
    finally:
        smtp.stop()


async def test_two_replicas_of_everything_survive_a_worker_kill_and_broker_db_redis_cuts(
    stores: dict[str, Database], amqp_url: str, sink: SmtpSink, tmp_path: Path
) -> None:
    services.require("Redis", services.REDIS)
    began = time.monotonic()
    figures: dict[str, Any] = {"db_cut_s": DB_CUT_SECONDS}
    extra = {
        "JOB_MAX_RETRIES": "8",
        "JOB_MIN_BACKOFF_MS": "200",
        "JOB_MAX_BACKOFF_MS": "2000",
        "NOTIFICATION_LEASE_SECONDS": "3",
        "NOTIFICATION_REQUEUE_SECONDS": "5",
        "SCHEDULER_INTERVAL_SECONDS": "0.5",
    }
    with FakeSmsProvider(account_sid="AC_REPLICAS", auth_token="s3cret") as sms:
        async with replicas(
            stores, tmp_path, amqp_url=amqp_url, smtp_port=sink.port, sms=sms, extra_env=extra
        ) as system:
            figures["started_s"] = round(time.monotonic() - began, 1)
            client = Client(system)
            try:
                await _scenario(system, client, stores, sink, figures)
            finally:
                await client.http.aclose()
            figures["exited"] = system.exited()
    figures["wall_s"] = round(time.monotonic() - began, 1)
    print(f"\nreplicas and faults figures: {figures}")


async def _scenario(
    system: System,
    client: Client,
    stores: dict[str, Database],
    sink: SmtpSink,
    figures: dict[str, Any],
) -> None:
    patients = await _sign_up(client, stores["notifications"])
    warmups, load_slots = await _slots(client, patients[0])
    subscribers = [
        Subscriber(system.routers[r], p.token, f"{p.email}@router-{r + 1}")
        for p in patients
        for r in (0, 1)
    ]
    phases = Phases()
    calls: list[Call] = []
    async with subscribed(subscribers):
        await wait_until("every subscriber subscribed", lambda: _all_subscribed(subscribers))
        reminder_visits = await _warm_up(client, patients, warmups, calls)
        pool = iter(load_slots)
        figures["probes_until_every_subscriber_heard"], silent = await _until_live(
            client, patients, subscribers, pool, calls
        )
        assert not silent, silent
        await wait_until(
            "notifications knows the warm-up visits",
            lambda: _copied(stores["notifications"], list(reminder_visits.values())),
        )
        reminders_due = await _ask_for_reminders_soon(client, patients, warmups[0])
        stop = asyncio.Event()
        load = asyncio.create_task(_load(client, patients, pool, calls, stop))
        try:
            await _faults(system, stores, sink, phases, calls, subscribers, figures)
        finally:
            stop.set()
            await load
        # Checked with the rest (a subscription open but deaf is a loss the figures show).
        (
            figures["probes_until_every_resubscriber_heard"],
            figures["silent_subscribers"],
        ) = await _until_live(client, patients, subscribers, pool, calls)
        figures["settled_s"] = await wait_until(
            "every message settled and every outbox drained", lambda: _settled(stores)
        )
        try:
            figures["reminders_sent_after_due_s"] = await wait_until(
                "the reminders due sent",
                lambda: _reminders_done(stores["notifications"], reminders_due, len(patients)),
            )
        except AssertionError:
            found = await rows(
                stores["notifications"],
                "SELECT user_id, lead_minutes, due_at, status, dispatched_at "
                "FROM notification_reminders ORDER BY due_at",
            )
            print(f"reminders due {reminders_due}: {found}")
            raise
        await asyncio.sleep(1.0)  # the last live updates
    await _check(stores, sink, calls, phases, subscribers, patients, figures)


async def _true(value: bool) -> bool:
    return value


async def _all_subscribed(subscribers: list[Subscriber]) -> bool:
    return all(s.subscribed_at for s in subscribers)


async def _sign_up(client: Client, notifications: Database) -> list[Patient]:
    """PATIENTS new patients register and sign in, half through each router."""
    patients = [Patient(f"replica-{i}-{uuid.uuid4().hex[:6]}@example.org") for i in range(PATIENTS)]

    async def one(index: int, patient: Patient) -> None:
        router = index % 2
        await client.must(
            router,
            REGISTER,
            {"i": {"email": patient.email, "password": PASSWORD, "name": f"Replica {index}"}},
        )
        data = await client.must(
            1 - router, LOGIN, {"i": {"email": patient.email, "password": PASSWORD}}
        )
        patient.token = data["login"]["accessToken"]
        patient.user_id = data["login"]["user"]["id"]

    await asyncio.gather(*(one(i, p) for i, p in enumerate(patients)))

    async def known() -> bool:
        count = await scalar(
            notifications,
            "SELECT count(*) FROM notification_recipients WHERE email LIKE 'replica-%'",
        )
        return bool(count == PATIENTS)

    await wait_until("notifications knows every new patient", known)
    return patients


Slot = tuple[str, str]  # (doctor id, start ISO)


async def _slots(client: Client, patient: Patient) -> tuple[list[Slot], list[Slot]]:
    """A start all warm-up doctors offer (two days ahead or more, for the cut-off), and
    load slots of other doctors none of which overlaps another or the warm-up start."""
    now = datetime.now(UTC)
    window = {
        "f": (now + timedelta(days=2)).isoformat(),
        "t": (now + timedelta(days=9)).isoformat(),
    }

    async def offered(surname: str) -> list[dict[str, Any]]:
        data = await client.must(0, SLOTS, {"d": doctor_id(surname), **window}, patient.token)
        return list(data["availableSlots"])

    warm = await asyncio.gather(*(offered(s) for s in WARMUP_DOCTORS))
    common = set.intersection(*({slot["start"] for slot in slots} for slots in warm))
    start = min(common, key=datetime.fromisoformat)
    warmups = [(doctor_id(s), start) for s in WARMUP_DOCTORS]
    taken_until = datetime.fromisoformat(start) + timedelta(minutes=30)
    load: list[Slot] = []
    offers = await asyncio.gather(*(offered(s) for s in LOAD_DOCTORS))
    candidates = sorted(
        ((datetime.fromisoformat(o["start"]), datetime.fromisoformat(o["end"]), doctor_id(s))
         for s, slots in zip(LOAD_DOCTORS, offers, strict=True) for o in slots),
    )  # fmt: skip
    last_end = taken_until
    for slot_start, slot_end, doctor in candidates:
        if slot_start >= last_end:
            load.append((doctor, slot_start.isoformat()))
            last_end = slot_end
    assert len(load) >= 60, len(load)
    return warmups, load


async def _warm_up(
    client: Client, patients: list[Patient], warmups: list[Slot], calls: list[Call]
) -> dict[str, str]:
    """Each patient books one visit at the warm-up start (kept: its reminder is checked)."""
    visits: dict[str, str] = {}

    async def one(index: int, patient: Patient) -> None:
        doctor, start = warmups[index]
        call = await _book(client, patient, index % 2, doctor, start)
        calls.append(call)
        assert call.ok, call
        visits[patient.user_id] = str(call.data["id"])

    await asyncio.gather(*(one(i, p) for i, p in enumerate(patients)))
    return visits


async def _copied(db: Database, appointment_ids: list[str]) -> bool:
    """Notifications holds its copy of every one of these appointments (from the events)."""
    count = await scalar(
        db,
        "SELECT count(*) FROM notification_appointments WHERE CAST(appointment_id AS TEXT) "
        "= ANY(:ids)",
        ids=appointment_ids,
    )
    return bool(count == len(appointment_ids))


async def _until_live(
    client: Client,
    patients: list[Patient],
    subscribers: list[Subscriber],
    pool: Iterator[Slot],
    calls: list[Call],
) -> tuple[int, dict[str, Any]]:
    """Until every subscriber's latest subscription has heard an update (the warm-up
    booking or the load, else a probe: the patient books a spare slot and cancels it), so
    that each is observably live; the number of probe rounds it took, and what is known of
    the subscribers still silent after eight rounds (none if all heard)."""
    began = time.monotonic()
    for probes in range(8):
        try:
            await wait_until("every subscriber heard", lambda: _all_heard(subscribers), 10)
            return probes, {}
        except AssertionError:
            pass
        deaf = {s.token for s in subscribers if not s.heard_since_subscribed()}
        for index, patient in enumerate(p for p in patients if p.token in deaf):
            slot = next(pool, None)
            assert slot is not None, "no spare slot left to probe a deaf subscriber"
            doctor, start = slot
            booked = await _book(client, patient, index % 2, doctor, start)
            calls.append(booked)
            if booked.ok:
                variables = {"i": {"id": str(booked.data["id"]), "reason": "probe"}}
                calls.append(
                    await _send(
                        client, "cancel", patient, 1 - index % 2, CANCEL, variables,
                        "cancelAppointment",
                    )
                )  # fmt: skip
    now, wall = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    silent = {
        s.name: {
            "subscribed_s_ago": [round(now - t, 1) for t in s.subscribed_at],
            "dropped_s_ago": [round(now - t, 1) for t in s.dropped_at],
            "last_heard_s_ago": round(now - s.updates[-1].at, 1) if s.updates else None,
            "ends": s.errors[-3:],
            "at": wall,
        }
        for s in subscribers
        if not s.heard_since_subscribed()
    }
    answers = Counter(f"{c.kind}:{'ok' if c.ok else c.code}" for c in calls if c.sent > began)
    print(f"subscribers that never heard an update: {silent}; probes {answers}")
    return 8, silent


async def _all_heard(subscribers: list[Subscriber]) -> bool:
    return all(s.heard_since_subscribed() for s in subscribers)


async def _ask_for_reminders_soon(
    client: Client, patients: list[Patient], warmup: Slot
) -> datetime:
    """Each patient asks for one reminder, so that the warm-up visit's is due in 45-105 s
    (a reminder is planned only while its time is ahead, and a loaded machine may take a
    while to answer); returns when it is due."""
    start = datetime.fromisoformat(warmup[1])
    seconds = (start - datetime.now(UTC)).total_seconds()
    lead = int((seconds - 45) // 60)
    await asyncio.gather(
        *(
            client.must(i % 2, PREFERENCES, {"i": {"reminderLeadMinutes": [lead]}}, p.token)
            for i, p in enumerate(patients)
        )
    )
    return start - timedelta(minutes=lead)


async def _book(client: Client, patient: Patient, router: int, doctor: str, start: str) -> Call:
    variables = {"i": {"doctorId": doctor, "start": start, "idempotencyKey": uuid.uuid4().hex}}
    return await _send(client, "book", patient, router, BOOK, variables, "bookAppointment")


async def _send(
    client: Client,
    kind: str,
    patient: Patient,
    router: int,
    query: str,
    variables: dict[str, Any],
    field_name: str,
) -> Call:
    call = Call(kind, patient, router, variables, sent=time.monotonic())
    body = await client.call(router, query, variables, patient.token)
    call.answered = time.monotonic()
    data = body.get("data") or {}
    if not body.get("errors") and data.get(field_name):
        call.ok, call.data = True, data[field_name]
    else:
        call.code = code_of(body)
    return call


async def _load(
    client: Client,
    patients: list[Patient],
    pool: Iterator[Slot],
    calls: list[Call],
    stop: asyncio.Event,
) -> None:
    """Rounds until `stop`: every patient races for one slot (alternate routers); the
    winner then reschedules (to a slot kept for that), cancels, or keeps it. A slot nobody
    won (the database was cut) is raced for again, so that a long cut does not use up
    the slots."""
    unwon: Slot | None = None
    for turn in itertools.count():
        if stop.is_set():
            return
        slot = unwon or next(pool, None)
        if slot is None:
            return
        race = await asyncio.gather(
            *(_book(client, p, (i + turn) % 2, *slot) for i, p in enumerate(patients))
        )
        calls.extend(race)
        winner = next((c for c in race if c.ok), None)
        unwon = slot if winner is None and not any(c.code == "SLOT_TAKEN" for c in race) else None
        if winner is None:
            await asyncio.sleep(0.2)
            continue
        router = 1 - winner.router
        appointment = str(winner.data["id"])
        spare = next(pool, None) if turn % 3 == 0 else None
        if spare is not None:
            variables = {"i": {"id": appointment, "start": spare[1]}}
            calls.append(
                await _send(
                    client, "reschedule", winner.patient, router, RESCHEDULE, variables,
                    "rescheduleAppointment",
                )
            )  # fmt: skip
        elif turn % 3 == 1:
            variables = {"i": {"id": appointment, "reason": "replicas test"}}
            calls.append(
                await _send(
                    client, "cancel", winner.patient, router, CANCEL, variables,
                    "cancelAppointment",
                )
            )  # fmt: skip
        await asyncio.sleep(0.1)


# ----------------------------------------------------------------------------- faults


async def _faults(
    system: System,
    stores: dict[str, Database],
    sink: SmtpSink,
    phases: Phases,
    calls: list[Call],
    subscribers: list[Subscriber],
    figures: dict[str, Any],
) -> None:
    notifications = stores["notifications"]
    # 1. SIGKILL a worker while it holds deliveries (claimed, not yet recorded SENT).
    await wait_until("emails flowing", lambda: _true(len(sink.messages) >= 4), 60)
    await wait_until("a delivery in flight", lambda: _in_flight_now(notifications), 60)
    before = await _in_flight(notifications)
    killed_at = time.monotonic()
    system.kill("worker-1")
    # Either worker's (the store does not say whose): held just before or left by the kill.
    claimed_ids = sorted(set(before) | set(await _in_flight(notifications)))
    figures["claims_in_flight_at_kill"] = len(claimed_ids)

    async def claims_delivered() -> bool:
        left = await scalar(
            notifications,
            "SELECT count(*) FROM notifications WHERE id = ANY(:ids) AND status <> 'SENT'",
            ids=claimed_ids,
        )
        return bool(left == 0)

    figures["worker_kill_claims_delivered_s"] = await wait_until(
        "the killed worker's claims delivered", claims_delivered
    )
    phases.mark("worker_kill", killed_at, killed_at + 0.1)
    # 2. Cut RabbitMQ's connection, then restore it.
    system.rabbitmq.cut()
    cut = time.monotonic()
    await asyncio.sleep(BROKER_CUT_SECONDS)
    system.rabbitmq.restore()
    back = time.monotonic()
    phases.mark("broker_cut", cut, back)
    figures["broker_back_outboxes_drained_s"] = await wait_until(
        "outboxes drained after the broker came back", lambda: _outboxes_drained(stores)
    )
    # 3. Cut PostgreSQL for DB_CUT_SECONDS while the load keeps booking.
    figures["claims_in_flight_at_db_cut"] = len(await _in_flight(notifications))
    system.postgres.cut()
    cut = time.monotonic()
    await asyncio.sleep(DB_CUT_SECONDS)
    system.postgres.restore()
    back = time.monotonic()
    phases.mark("db_cut", cut, back)
    figures["db_back_first_success_s"] = await wait_until(
        "a mutation succeeds after the database came back",
        lambda: _true(any(c.ok and c.sent > back for c in calls)),
    )
    figures["db_back_outboxes_drained_s"] = await wait_until(
        "outboxes drained after the database came back", lambda: _outboxes_drained(stores)
    )
    # 4. Cut Redis, then restore it.
    system.redis.cut()
    cut = time.monotonic()
    await asyncio.sleep(REDIS_CUT_SECONDS)
    system.redis.restore()
    back = time.monotonic()
    phases.mark("redis_cut", cut, back)
    figures["redis_back_first_success_s"] = await wait_until(
        "a mutation succeeds after Redis came back",
        lambda: _true(any(c.ok and c.sent > back for c in calls)),
    )
    figures["redis_back_first_live_update_s"] = await wait_until(
        "a live update heard after Redis came back",
        lambda: _true(any(u.at > back for s in subscribers for u in s.updates)),
    )
    await asyncio.sleep(2.0)  # some load after the last fault


async def _in_flight(db: Database) -> list[uuid.UUID]:
    """Notifications some worker has claimed and not yet recorded as sent."""
    found = await rows(
        db,
        "SELECT id FROM notifications WHERE claimed_until IS NOT NULL AND status <> 'SENT'",
    )
    return [r[0] for r in found]


async def _in_flight_now(db: Database) -> bool:
    return bool(await _in_flight(db))


async def _outboxes_drained(stores: dict[str, Database]) -> bool:
    for db in stores.values():
        pending = await scalar(db, "SELECT count(*) FROM outbox_messages WHERE status <> 'SENT'")
        if pending:
            return False
    return True


async def _settled(stores: dict[str, Database]) -> bool:
    if not await _outboxes_drained(stores):
        return False
    open_ = await scalar(
        stores["notifications"],
        "SELECT count(*) FROM notifications WHERE status NOT IN ('SENT', 'DEAD')",
    )
    return bool(open_ == 0)


async def _reminders_done(db: Database, due: datetime, expected: int) -> bool:
    """Past `due`, every patient's reminder dispatched and every message settled."""
    if datetime.now(UTC) < due:
        return False
    dispatched = await scalar(
        db,
        "SELECT count(*) FROM notification_reminders WHERE status = 'DISPATCHED'",
    )
    return bool(dispatched >= expected) and await _settled_notifications(db)


async def _settled_notifications(db: Database) -> bool:
    open_ = await scalar(
        db, "SELECT count(*) FROM notifications WHERE status NOT IN ('SENT', 'DEAD')"
    )
    return bool(open_ == 0)


# ----------------------------------------------------------------------------- checks


async def _check(
    stores: dict[str, Database],
    sink: SmtpSink,
    calls: list[Call],
    phases: Phases,
    subscribers: list[Subscriber],
    patients: list[Patient],
    figures: dict[str, Any],
) -> None:
    appointments, notifications = stores["appointments"], stores["notifications"]
    # No double booking: no two active appointments of a doctor or of a patient overlap.
    overlaps = await scalar(
        appointments,
        "SELECT count(*) FROM appointments a JOIN appointments b ON a.id < b.id "
        "AND (a.doctor_id = b.doctor_id OR a.patient_id = b.patient_id) "
        "AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
        "WHERE a.status IN ('PENDING', 'CONFIRMED') AND b.status IN ('PENDING', 'CONFIRMED')",
    )
    raced: dict[tuple[str, str], int] = Counter(
        (c.variables["i"]["doctorId"], c.variables["i"]["start"]) for c in calls
        if c.kind == "book" and c.ok
    )  # fmt: skip
    figures["double_bookings"] = overlaps
    figures["slots_won_twice"] = sum(1 for n in raced.values() if n > 1)
    figures["calls"] = dict(Counter(f"{c.kind}:{'ok' if c.ok else c.code}" for c in calls))
    figures["calls_by_phase"] = dict(
        Counter(f"{phases.during(c.sent)}:{c.kind}:{'ok' if c.ok else c.code}" for c in calls)
    )
    # No false success, no false failure: what each caller was told is what the store holds.
    false_success, false_failure = await _told_versus_stored(appointments, calls)
    figures["false_success"] = len(false_success)
    figures["false_failure"] = len(false_failure)
    # The outboxes: every event recorded was published, and notifications handled each
    # appointments event.
    events = await rows(
        appointments,
        "SELECT id, event_type, status FROM outbox_messages WHERE event_type LIKE 'Appointment%'",
    )
    handled = {r[0] for r in await rows(notifications, "SELECT event_id FROM handled_events")}
    unsent = [e for e in events if e[2] != "SENT"]
    figures["appointment_events"] = len(events)
    figures["events_unpublished"] = len(unsent)
    figures["events_not_handled_by_notifications"] = sum(1 for e in events if e[0] not in handled)
    # Notifications: one per (event, recipient, channel), each SENT, each email received.
    notes = await rows(
        notifications,
        "SELECT id, source_event_id, user_id, channel, template, status, last_error "
        "FROM notifications",
    )
    per_event = Counter((n[1], n[2], n[3]) for n in notes if n[1] is not None)
    statuses = Counter(n[5] for n in notes)
    events_without_notes = {e[0] for e in events} - {n[1] for n in notes}
    emails = {f"<{n[0]}@healthbook.local>" for n in notes if n[3] == "EMAIL"}
    received = Counter(str(m["Message-ID"]) for m in sink.messages)
    reminders = [n for n in notes if "reminder" in str(n[4]).lower()]
    figures |= {
        "notifications": len(notes),
        "statuses": dict(statuses),
        "duplicate_notifications": sum(1 for n in per_event.values() if n > 1),
        "events_without_notifications": len(events_without_notes),
        "emails_expected": len(emails),
        "emails_missing": len(emails - set(received)),
        "emails_unknown": len(set(received) - emails),
        "emails_received_twice": sum(1 for n in received.values() if n > 1),
        "in_app_sent": sum(1 for n in notes if n[3] == "IN_APP" and n[5] == "SENT"),
        "reminder_notifications": dict(Counter(f"{n[3]}:{n[5]}" for n in reminders)),
    }
    # Live updates: every subscriber heard every change of its patient's appointments.
    missed = await _missed_updates(appointments, subscribers, patients, phases, calls)
    figures["live_updates_expected"] = missed.pop("expected")
    figures["live_changes_made_while_a_subscriber_reconnected"] = missed.pop(
        "made_while_disconnected"
    )
    figures["live_updates_missed"] = dict(missed)
    figures["subscriber_reconnects"] = sum(len(s.subscribed_at) - 1 for s in subscribers)
    figures["subscriber_end_reasons"] = dict(
        Counter(code_of(e) if "errors" in e else str(e.get("type")) for s in subscribers
                for e in s.errors)
    )  # fmt: skip
    print(f"\nreplicas and faults figures: {figures}")
    problems = {
        "false_success": false_success[:5],
        "false_failure": false_failure[:5],
        "dead": [n[6] for n in notes if n[5] == "DEAD"][:5],
    }
    assert overlaps == 0, figures
    assert figures["slots_won_twice"] == 0, figures
    assert not false_success, problems
    assert not false_failure, problems
    assert statuses == Counter({"SENT": len(notes)}), problems
    assert not unsent, figures
    assert figures["events_not_handled_by_notifications"] == 0, figures
    assert figures["duplicate_notifications"] == 0, figures
    assert not events_without_notes, figures
    assert figures["emails_missing"] == 0, figures
    assert figures["emails_unknown"] == 0, figures
    # An email can arrive twice only if its sender died, or lost the database, after the
    # SMTP server accepted it and before SENT was recorded: at most the claims in flight then.
    window = figures["claims_in_flight_at_kill"] + figures["claims_in_flight_at_db_cut"]
    assert figures["emails_received_twice"] <= window, figures
    assert len({n[2] for n in reminders}) == len(patients), figures  # every patient's reminder
    # An outage is never reported as a bad token (clients would sign users out) nor as a bug.
    codes = Counter(c.code for c in calls if not c.ok)
    assert codes["UNAUTHENTICATED"] == 0, figures
    assert codes["INTERNAL_SERVER_ERROR"] == 0, figures
    assert not missed, figures
    assert not figures["silent_subscribers"], figures


async def _told_versus_stored(db: Database, calls: list[Call]) -> tuple[list[Any], list[Any]]:
    changes = await rows(
        db,
        "SELECT c.appointment_id, c.action, c.to_start, a.patient_id FROM appointment_changes c "
        "JOIN appointments a ON a.id = c.appointment_id",
    )
    stored = {(str(r[0]), r[1], _iso(r[2])) for r in changes}
    booked: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in changes:
        if r[1] == "BOOKED":
            booked[(str(r[3]), _iso(r[2]))].add(str(r[0]))
    answered = {str(c.data["id"]) for c in calls if c.kind == "book" and c.ok}
    false_success, false_failure = [], []
    for call in calls:
        i = call.variables["i"]
        if call.kind == "book":  # a slot nobody won is raced for again: the same request
            made = booked[(call.patient.user_id, _iso_text(i["start"]))]
            there = str(call.data["id"]) in made if call.ok else bool(made - answered)
        elif call.kind == "reschedule":
            there = (i["id"], "RESCHEDULED", _iso_text(i["start"])) in stored
        else:
            there = any(s[0] == i["id"] and s[1] == "CANCELLED" for s in stored)
        if call.ok and not there:
            false_success.append(call)
        if not call.ok and there:
            false_failure.append(call)
    return false_success, false_failure


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _iso_text(value: str) -> str:
    return _iso(datetime.fromisoformat(value))


async def _missed_updates(
    db: Database,
    subscribers: list[Subscriber],
    patients: list[Patient],
    phases: Phases,
    calls: list[Call],
) -> dict[str, Any]:
    """(appointment, action) changes of each subscriber's patient it never heard though
    they were owed to it (`Subscriber.owed`), by the phase in which the change was made;
    'expected' counts every change looked for."""
    changes = await rows(
        db,
        "SELECT a.patient_id, c.appointment_id, c.action, c.at FROM appointment_changes c "
        "JOIN appointments a ON a.id = c.appointment_id",
    )
    answered = _answered(calls)
    of_patient: dict[str, list[tuple[str, str]]] = defaultdict(list)
    made_in: dict[tuple[str, str], str] = {}
    made_at: dict[tuple[str, str], float] = {}
    for patient_id, appointment_id, action, at in changes:
        change = (str(appointment_id), str(action))
        of_patient[str(patient_id)].append(change)
        made_in[change] = phases.during_clock(at)
        made_at[change] = phases.monotonic(at)
    # A change is published at commit, before its mutation answers; one whose caller was
    # not told of it (a false failure, checked apart) is taken as published when it began.
    published = {c: answered.get(c, made) for c, made in made_at.items()}
    by_token = {p.token: p for p in patients}
    missed: dict[str, Any] = Counter()
    expected = 0
    for subscriber in subscribers:
        heard = Counter((u.appointment_id, u.action) for u in subscriber.updates)
        want = Counter(
            c for c in of_patient[by_token[subscriber.token].user_id]
            if subscriber.owed(made_at[c], published[c], answered)
        )  # fmt: skip
        expected += sum(want.values())
        disconnected = len(of_patient[by_token[subscriber.token].user_id]) - sum(want.values())
        missed["made_while_disconnected"] += disconnected
        for change, count in (want - heard).items():
            missed[f"{made_in[change]}:{change[1]}"] += count
            zero = phases.spans.get("redis_cut", (0.0, 0.0))[1]
            print(
                f"missed by {subscriber.name}: {change} made in {made_in[change]} at "
                f"{made_at[change] - zero:+.1f} s from the end of the Redis cut, answered at "
                f"{published[change] - zero:+.1f} s; subscribed "
                f"{[round(t - zero, 1) for t in subscriber.subscribed_at]}, live from "
                f"{[round(a - zero, 1) for a, _ in subscriber.live_periods(answered)]}, dropped "
                f"{[round(t - zero, 1) for t in subscriber.dropped_at]}; "
                f"phases {[(n, round(a - zero, 1)) for n, (a, _) in phases.spans.items()]}"
            )
    return {"expected": expected, **missed}


def _answered(calls: list[Call]) -> dict[tuple[str, str], float]:
    """When each (appointment, action) change's mutation answered success (monotonic)."""
    found: dict[tuple[str, str], float] = {}
    for call in calls:
        if not call.ok:
            continue
        if call.kind == "book":
            change = (str(call.data["id"]), "BOOKED")
        elif call.kind == "reschedule":
            change = (str(call.variables["i"]["id"]), "RESCHEDULED")
        else:
            change = (str(call.variables["i"]["id"]), "CANCELLED")
        found[change] = max(found.get(change, 0.0), call.answered)
    return found
