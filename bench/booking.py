"""`python -m bench.booking [--requests 400] [--concurrency 20] [--rounds 2]`: booking through
the router ÷ booking directly at the appointments subgraph.

Topology: the seeded subgraphs each in its own `healthbook serve` process, **signed** (a
fresh `HEALTHBOOK_SIGNING_KEY`), the appointments store on **PostgreSQL** (a fresh database
on `--postgres`, migrated, seeded and dropped afterwards; the others on SQLite), and ONE
router process with its edge on (`bench.healthbook.serve`: JWT verified, CSRF, limits, rate
limits off; uvloop, httptools).

Workload: `--concurrency` patients (registered and signed in through the router), one
closed-loop worker each; every request books a slot nobody booked before (distinct doctors'
slots from `availableSlots`, none overlapping another of the same patient's), with a fresh
idempotency key, and every answer is checked (HTTP 200, no errors, the booked start).
- `router`: `mutation Book($i: BookAppointmentInput!) { bookAppointment(input: $i) { id
  start end status } }` posted to the router with the patient's bearer token;
- `direct`: the subgraph call the router's planner makes for that operation (recorded once),
  sent with the router's own `SubgraphClient` (its keep-alive pool, its forwarded headers,
  signed with `healthbook.gateway.request_signer` like the router's calls).

Both targets use the same number of workers, and the same cheap HTTP client on the bench
side (`router.http_pool`); the targets alternate for `--rounds` rounds of
`--requests / --rounds` bookings each, after a warm-up of one booking per worker each way.
Printed: req/s, p50/p99, failures, CPU ms per booking of each process group, the bench's own,
the load average, and the ratio router ÷ direct of req/s (goal ≥ 0.8). Results in
bench/BOOKING.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import secrets
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from bench.gateways.load import LoadResult
from bench.gateways.processes import Process, cpu_seconds
from bench.healthbook.run import target
from bench.healthbook.system import System, running_system
from bench.healthbook.workload import PASSWORD as DEMO_PASSWORD
from bench.live import load_average
from healthbook.gateway import request_signer
from router.document import prepare_operation
from router.executor import Json, execute_plan
from router.http_pool import HttpPool
from router.planner import Planner
from router.subgraph_client import REQUEST_ID, SubgraphClient
from router.subgraph_transport import PoolSender
from router.supergraph import load_supergraph

__all__ = ["Slot", "assign", "main"]

BOOK = (
    "mutation Book($i: BookAppointmentInput!) "
    "{ bookAppointment(input: $i) { id start end status } }"
)
PASSWORD = "bench-booking-Passw0rd!"  # noqa: S105 - the bench's own throwaway accounts
TARGETS = ("router", "direct")
CPU_OF = ("router", "appointments", "doctors", "identity")


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    end: datetime
    doctor_id: str


def assign(slots: list[Slot], workers: int, each: int) -> list[list[Slot]]:
    """`each` slots per worker, no slot twice and no two of one worker overlapping (a worker
    books as one patient, who cannot be in two places at once); ValueError if too few."""
    lists: list[list[Slot]] = [[] for _ in range(workers)]
    turn = 0
    for slot in sorted(slots):
        for offset in range(workers):
            mine = lists[(turn + offset) % workers]
            if len(mine) < each and all(
                slot.end <= other.start or other.end <= slot.start for other in mine
            ):
                mine.append(slot)
                turn = (turn + offset + 1) % workers
                break
    if any(len(mine) < each for mine in lists):
        raise ValueError(
            f"{len(slots)} free slots cannot give {workers} patients {each} bookings each"
        )
    return lists


@dataclass
class Patient:
    token: str
    slots: list[Slot] = field(default_factory=list)

    def take(self) -> Slot:
        return self.slots.pop(0)


def variables(slot: Slot) -> dict[str, Any]:
    return {
        "i": {
            "doctorId": slot.doctor_id,
            "start": slot.start.isoformat(),
            "idempotencyKey": uuid.uuid4().hex,
        }
    }


def verdict(status: int, decoded: Any, slot: Slot) -> str | None:
    """None when the answer booked this very slot, else why not (an error code, briefly)."""
    errors = decoded.get("errors") if isinstance(decoded, dict) else None
    if errors:
        first = errors[0]
        extensions = first.get("extensions") or {}
        code = str(extensions.get("code") or first.get("message", "?"))[:60]
        return f"{code} ({extensions['whose']})" if extensions.get("whose") else code
    if status != 200:
        return f"HTTP {status}"
    data = decoded.get("data") if isinstance(decoded, dict) else None
    appointment = data.get("bookAppointment") if isinstance(data, dict) else None
    if (
        isinstance(appointment, dict)
        and appointment.get("id")
        and datetime.fromisoformat(appointment["start"]) == slot.start
        and appointment.get("status") in ("PENDING", "CONFIRMED")
    ):
        return None
    return "not the slot asked for"


# One booking; None when it booked, else why it did not.
Book = Callable[[Patient], Awaitable[str | None]]


def through_router(pool: HttpPool, url: str) -> Book:
    async def book(patient: Patient) -> str | None:
        slot = patient.take()
        body = orjson.dumps({"query": BOOK, "operationName": "Book", "variables": variables(slot)})
        headers = {"content-type": "application/json", "authorization": f"Bearer {patient.token}"}
        status, answer = await pool.request("POST", url, body, headers, time_limit=60)
        return verdict(status, orjson.loads(answer), slot)

    return book


def direct(client: SubgraphClient, subgraph_query: str) -> Book:
    async def book(patient: Patient) -> str | None:
        slot = patient.take()
        headers = {
            "authorization": f"Bearer {patient.token}",
            REQUEST_ID: uuid.uuid4().hex,
            "x-forwarded-for": "127.0.0.1",
        }
        body: Json = {"query": subgraph_query, "variables": variables(slot)}
        return verdict(200, await client.fetch("appointments", body, headers), slot)

    return book


async def recorded_query(supergraph_path: Path) -> str:
    """The appointments query the router's planner sends for `BOOK` (one fetch)."""
    supergraph = load_supergraph(supergraph_path)
    prepared = prepare_operation(supergraph.api_schema, BOOK, "Book")
    plan = Planner(supergraph).plan(prepared.operation, prepared.fragments, {})
    if [f.subgraph for f in plan.fetches] != ["appointments"]:
        raise RuntimeError(f"the booking plan changed: {plan.describe()}")
    seen: list[str] = []

    async def call(_fetch: Any, body: Json) -> Json:
        seen.append(str(body["query"]))
        return {"data": None}

    now = datetime.now(UTC)
    await execute_plan(plan, variables(Slot(now, now, "")), call)
    return seen[0]


@dataclass(frozen=True)
class Round:
    result: LoadResult
    why: Counter[str]  # failed bookings by reason


async def closed_loop(book: Book, patients: list[Patient], each: int) -> Round:
    """Every patient books `each` times, one booking after the other; all at once."""
    latencies: list[float] = []
    why: Counter[str] = Counter()

    async def worker(patient: Patient) -> None:
        for _ in range(each):
            begin = time.perf_counter()
            try:
                failure = await book(patient)
            except Exception as error:
                failure = f"{type(error).__name__}: {error}"[:80]
            latencies.append(time.perf_counter() - begin)
            if failure is not None:
                why[failure] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(p) for p in patients))
    elapsed = time.perf_counter() - started
    return Round(LoadResult(len(latencies), why.total(), elapsed, latencies), why)


async def graphql(
    pool: HttpPool, url: str, query: str, token: str | None = None, **variables: Any
) -> Any:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = orjson.dumps({"query": query, "variables": variables})
    _status, answer = await pool.request("POST", url, body, headers, time_limit=120)
    decoded = orjson.loads(answer)
    if decoded.get("errors"):
        raise RuntimeError(f"{query[:40]}…: {decoded['errors']}")
    return decoded["data"]


async def patients(pool: HttpPool, url: str, count: int) -> list[Patient]:
    """`count` new patient accounts, signed in."""
    run = secrets.token_hex(4)

    async def one(number: int) -> Patient:
        email = f"bench-{run}-{number}@example.org"
        account = {"email": email, "password": PASSWORD, "name": f"Bench Patient {number}"}
        await graphql(
            pool,
            url,
            "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
            i=account,
        )
        signed = await graphql(
            pool,
            url,
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            i={"email": email, "password": PASSWORD},
        )
        return Patient(signed["login"]["accessToken"])

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def free_slots(pool: HttpPool, url: str, days: int) -> list[Slot]:
    """Every bookable slot of every listed doctor from tomorrow on, `days` ahead."""
    found = await graphql(pool, url, "{ doctors(first: 100) { nodes { id } } }")
    now = datetime.now(UTC)
    slots: list[Slot] = []
    for doctor in found["doctors"]["nodes"]:
        for week in range(0, days, 7):
            window = await graphql(
                pool,
                url,
                "query($d: ID!, $f: DateTime!, $t: DateTime!) "
                "{ availableSlots(doctorId: $d, from: $f, to: $t) { start end } }",
                d=doctor["id"],
                f=(now + timedelta(days=1 + week)).isoformat(),
                t=(now + timedelta(days=1 + min(week + 7, days))).isoformat(),
            )
            slots += [
                Slot(
                    datetime.fromisoformat(s["start"]),
                    datetime.fromisoformat(s["end"]),
                    doctor["id"],
                )
                for s in window["availableSlots"]
            ]
    taken = await held(pool, url)
    return [slot for slot in apart(slots) if not _overlaps(slot, taken.get(slot.doctor_id, []))]


async def held(pool: HttpPool, url: str) -> dict[str, list[tuple[datetime, datetime]]]:
    """Active appointments already in the store (the seed's), per doctor, as the admin sees
    them. Without a broker the doctors subgraph never heard of them, so `availableSlots`
    still offers their times; booking one would be SLOT_TAKEN."""
    admin = await graphql(
        pool,
        url,
        "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
        i={"email": "admin@healthbook.local", "password": DEMO_PASSWORD},
    )
    token = admin["login"]["accessToken"]
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    after = None
    while True:
        page = await graphql(
            pool,
            url,
            "query($f: AppointmentFilter, $after: String) { appointments(filter: $f, first: 100, "
            "after: $after) { nodes { start end doctor { id } } pageInfo { hasNextPage "
            "endCursor } } }",
            token,
            f={"statuses": ["PENDING", "CONFIRMED"]},
            after=after,
        )
        for node in page["appointments"]["nodes"]:
            found.setdefault(node["doctor"]["id"], []).append(
                (datetime.fromisoformat(node["start"]), datetime.fromisoformat(node["end"]))
            )
        info = page["appointments"]["pageInfo"]
        if not info["hasNextPage"]:
            return found
        after = info["endCursor"]


def _overlaps(slot: Slot, times: list[tuple[datetime, datetime]]) -> bool:
    return any(slot.start < end and start < slot.end for start, end in times)


def apart(slots: list[Slot]) -> list[Slot]:
    """The slots without any that overlaps an earlier one of the same doctor (a one-off slot
    may overlap a weekly one: booking both would be SLOT_TAKEN, not a cost of either path)."""
    kept: list[Slot] = []
    last_end: dict[str, datetime] = {}
    for slot in sorted(slots):
        if slot.doctor_id in last_end and slot.start < last_end[slot.doctor_id]:
            continue
        kept.append(slot)
        last_end[slot.doctor_id] = max(slot.end, last_end.get(slot.doctor_id, slot.end))
    return kept


@contextlib.asynccontextmanager
async def postgres_database(admin_dsn: str) -> AsyncIterator[str]:
    """A new empty database on the server of `admin_dsn`; its SQLAlchemy URL; dropped after."""
    name = f"hb_bench_booking_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    server = admin_dsn.removeprefix("postgresql://").rsplit("/", 1)[0]
    try:
        yield f"postgresql+asyncpg://{server}/{name}"
    finally:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


@dataclass
class Tally:
    """One target's rounds, summed."""

    results: list[LoadResult] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    why: Counter[str] = field(default_factory=Counter)

    def add(self, done: Round, spent: dict[str, float]) -> None:
        self.results.append(done.result)
        self.why.update(done.why)
        for name, seconds in spent.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + seconds

    @property
    def total(self) -> LoadResult:
        return LoadResult(
            sum(r.requests for r in self.results),
            sum(r.failures for r in self.results),
            sum(r.seconds for r in self.results),
            [latency for r in self.results for latency in r.latencies],
        )


async def _run(args: argparse.Namespace, system: System, router: Process, key: str) -> None:
    router_url = f"{router.base_url}/graphql"
    groups = {"router": router.pid}
    groups.update({name: system.processes[name].pid for name in CPU_OF if name != "router"})
    each_round = math.ceil(args.requests / args.rounds / args.concurrency)
    pool = HttpPool(max_connections=args.concurrency * 2)
    client = SubgraphClient(
        PoolSender(HttpPool(max_connections=args.concurrency * 2)),
        {"appointments": system.url("appointments")},
        signer=request_signer(key),
    )
    try:
        people = await patients(pool, router_url, args.concurrency)
        slots = await free_slots(pool, router_url, args.days)
        needed = (each_round * args.rounds + 1) * len(TARGETS)
        for patient, mine in zip(people, assign(slots, len(people), needed), strict=True):
            patient.slots = mine
        print(
            f"{len(people)} patients, {len(slots)} free slots; {each_round * len(people)} "
            f"bookings per round per target (load {load_average()})"
        )
        books = {
            "router": through_router(pool, router_url),
            "direct": direct(client, await recorded_query(system.supergraph)),
        }
        for name, book in books.items():  # warm-up: one booking per patient each way
            warm = await closed_loop(book, people, 1)
            if warm.why:
                raise RuntimeError(f"{name}: warm-up bookings failed: {dict(warm.why)}")
        tallies = {name: Tally() for name in TARGETS}
        loads = [load_average()]
        for _ in range(args.rounds):
            for name, book in books.items():
                before = {g: cpu_seconds(pid) for g, pid in groups.items()}
                before["bench"] = time.process_time()
                done = await closed_loop(book, people, each_round)
                spent = {g: cpu_seconds(pid) - before[g] for g, pid in groups.items()}
                spent["bench"] = time.process_time() - before["bench"]
                tallies[name].add(done, spent)
                result = done.result
                loads.append(load_average())
                print(
                    f"{name}: {result.requests} bookings, {result.rps:.1f} req/s, "
                    f"p50 {result.percentile(50) * 1000:.0f} ms, "
                    f"p99 {result.percentile(99) * 1000:.0f} ms, {result.failures} failures "
                    f"{dict(done.why) or ''} (load {loads[-1]})"
                )
    finally:
        await pool.aclose()
        await client.aclose()
    report(tallies, loads, args)


def report(tallies: dict[str, Tally], loads: list[str], args: argparse.Namespace) -> None:
    print(f"\nload average (1, 5, 15 min) before and after each round: {' → '.join(loads)}")
    print(
        f"{args.concurrency} patients booking at once, {args.rounds} rounds per target, "
        "alternating; CPU ms per booking per process group\n"
    )
    print(
        "| target | bookings | req/s | p50 ms | p99 ms | failures | router | appointments "
        "| doctors | identity | bench |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in TARGETS:
        tally = tallies[name]
        total = tally.total
        per = {g: s * 1000 / max(total.requests, 1) for g, s in tally.cpu.items()}
        cpu = " | ".join(f"{per[g]:.2f}" if g in per else "-" for g in (*CPU_OF, "bench"))
        print(
            f"| {name} | {total.requests} | {total.rps:.1f} | {total.percentile(50) * 1000:.0f} "
            f"| {total.percentile(99) * 1000:.0f} | {total.failures} | {cpu} |"
        )
    for name in TARGETS:
        if tallies[name].why:
            print(f"\n{name}: failed bookings by reason: {dict(tallies[name].why)}")
    routed, direct_ = tallies["router"].total, tallies["direct"].total
    print(
        f"\nrouter ÷ direct: {routed.rps / direct_.rps:.2f} of the throughput (goal ≥ 0.8), "
        f"p50 {routed.percentile(50) / direct_.percentile(50):.2f}x, "
        f"p99 {routed.percentile(99) / direct_.percentile(99):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.booking", description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="measured bookings per target")
    parser.add_argument("--concurrency", type=int, default=20, help="patients booking at once")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per target")
    parser.add_argument("--days", type=int, default=56, help="how far ahead slots are taken")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (any database on it) where the appointments store is made",
    )
    asyncio.run(_main(parser.parse_args()))


async def _main(args: argparse.Namespace) -> None:
    async with postgres_database(args.postgres) as url:
        key = secrets.token_urlsafe(24)
        with (
            running_system(signing_key=key, database_urls={"appointments": url}) as system,
            target("router", system) as router,
        ):
            assert router is not None
            await _run(args, system, router, key)


if __name__ == "__main__":
    main()
