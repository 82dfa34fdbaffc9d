"""`python -m bench.subgraphs [--requests 100] [--profile-requests 50] [--top 12]`: what
Healthbook's main operations cost the subgraphs themselves, per request, with the top items
of a profile of each subgraph that does the work.

The operations are the web app's own documents (`web/src/pages`), sent through ONE router
(`bench.healthbook.serve`, edge on) one at a time (so nothing is shared in flight):
- **search**: `SearchDoctors(filter: {}, first: 20)`, anonymous;
- **doctor page with slots**: `DoctorPage(id)` + `DoctorSlots(id, now, now + 7 days)`, the
  two requests the page makes, anonymous, each request another seeded doctor;
- **my appointments**: `MyAppointments(when: UPCOMING, first: 20)` as the demo patient
  (appointments, then doctors and identity entities for `doctor` and `patient`);
- **book**: `BookAppointment` (the web's `AppointmentFields`) as a new patient, a distinct
  free slot each time.

Topology as `bench.booking`: the seeded subgraphs each in its own process, signed, the
appointments store on PostgreSQL, the others on SQLite. Each subgraph runs under
`bench.profiled`. Per operation: `--requests` requests measured without the profiler (CPU
ms per request of each process group, from /proc), then `--profile-requests` more with
cProfile on in every subgraph, whose statistics are printed for each subgraph that spent
more than `--min-ms` per request: the top functions by own time, and by cumulative time
among Healthbook's own functions. Results in bench/SUBGRAPHS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import pstats
import secrets
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.booking import Patient, assign, free_slots, graphql, patients, postgres_database
from bench.gateways.processes import Process, cpu_seconds
from bench.healthbook.run import target
from bench.healthbook.system import REPO, System, running_system
from bench.healthbook.workload import PASSWORD
from bench.live import load_average
from router.http_pool import HttpPool

__all__ = ["main"]

SUBGRAPHS = ("identity", "doctors", "appointments", "notifications")

SEARCH = """query SearchDoctors($filter: DoctorFilter, $first: Int!, $after: String) {
  doctors(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name city languages acceptedInsurance timeZone fee currency
      specializations { code name }
      nextAvailable { start end localStart localEnd }
    }
  }
}"""

DOCTOR_PAGE = """query DoctorPage($id: ID!) {
  doctor(id: $id) {
    id name city clinicAddress clinicPhone languages bio consultationMinutes fee currency
    acceptedInsurance timeZone acceptingNewPatients
    specializations { code name }
    bookingPolicy {
      minimumNoticeMinutes bookingWindowDays bufferBeforeMinutes bufferAfterMinutes
    }
    nextAvailable { start end localStart localEnd }
  }
}"""

DOCTOR_SLOTS = """query DoctorSlots($id: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(doctorId: $id, from: $from, to: $to) { start end localStart localEnd }
}"""

APPOINTMENT_FIELDS = """fragment AppointmentFields on Appointment {
  id start end status timeZone rescheduleCount patientChangeDeadline reschedulesRemaining
  reason statusReason updatedAt
  doctor { id name city clinicAddress timeZone }
  patient { id name }
}"""

MY_APPOINTMENTS = (
    """query MyAppointments($when: AppointmentWhen!, $first: Int!, $after: String) {
  myAppointments(when: $when, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ...AppointmentFields }
  }
}
"""
    + APPOINTMENT_FIELDS
)

BOOK = (
    """mutation BookAppointment($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { ...AppointmentFields }
}
"""
    + APPOINTMENT_FIELDS
)

Request = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Measured:
    requests: int
    cpu: dict[str, float]  # CPU ms per request, per process group
    profiles: dict[str, pstats.Stats]


async def operations(pool: HttpPool, url: str, system: System, bookings: int) -> dict[str, Request]:
    """One request of each operation, as closures over the data they need."""
    found = await graphql(pool, url, "{ doctors(first: 100) { nodes { id } } }")
    doctors = [d["id"] for d in found["doctors"]["nodes"]]
    token = (
        await graphql(
            pool,
            url,
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            i={"email": "patient@healthbook.local", "password": PASSWORD},
        )
    )["login"]["accessToken"]
    booker: Patient = (await patients(pool, url, 1))[0]
    booker.slots = assign(await free_slots(pool, url, 56), 1, bookings)[0]
    turn = 0

    async def search() -> None:
        data = await graphql(pool, url, SEARCH, filter={}, first=20)
        assert data["doctors"]["nodes"], "the search found nobody"

    async def doctor_page() -> None:
        nonlocal turn
        doctor = doctors[turn % len(doctors)]
        turn += 1
        now = datetime.now(UTC)
        page = await graphql(pool, url, DOCTOR_PAGE, id=doctor)
        assert page["doctor"]["id"] == doctor
        await graphql(
            pool,
            url,
            DOCTOR_SLOTS,
            id=doctor,
            **{"from": now.isoformat(), "to": (now + timedelta(days=7)).isoformat()},
        )

    async def my_appointments() -> None:
        data = await graphql(pool, url, MY_APPOINTMENTS, token, when="UPCOMING", first=20)
        assert data["myAppointments"]["nodes"], "the demo patient has no upcoming visit"

    async def book() -> None:
        slot = booker.take()
        made = await graphql(
            pool,
            url,
            BOOK,
            booker.token,
            input={
                "doctorId": slot.doctor_id,
                "start": slot.start.isoformat(),
                "idempotencyKey": secrets.token_hex(16),
            },
        )
        assert datetime.fromisoformat(made["bookAppointment"]["start"]) == slot.start

    return {
        "search": search,
        "doctor page with slots": doctor_page,
        "my appointments": my_appointments,
        "book": book,
    }


async def measure(
    request: Request,
    groups: dict[str, int],
    *,
    requests: int,
    profile_requests: int,
    profiles: Path,
) -> Measured:
    for _ in range(3):  # warm-up: caches, connections, first-use imports
        await request()
    before = {name: cpu_seconds(pid) for name, pid in groups.items()}
    for _ in range(requests):
        await request()
    cpu = {
        name: (cpu_seconds(pid) - before[name]) * 1000 / requests for name, pid in groups.items()
    }
    for name in SUBGRAPHS:
        (profiles / f"{name}.prof").unlink(missing_ok=True)
        os.kill(groups[name], signal.SIGUSR1)
    await asyncio.sleep(0.2)
    for _ in range(profile_requests):
        await request()
    for name in SUBGRAPHS:
        os.kill(groups[name], signal.SIGUSR2)
    stats: dict[str, pstats.Stats] = {}
    for name in SUBGRAPHS:
        path = profiles / f"{name}.prof"
        async with asyncio.timeout(30):
            while not path.exists():  # noqa: ASYNC110 - another process writes it
                await asyncio.sleep(0.1)
        with contextlib.suppress(TypeError):  # a subgraph that ran nothing
            stats[name] = pstats.Stats(str(path), stream=io.StringIO())
    return Measured(requests, cpu, stats)


def where(function: tuple[str, int, str]) -> str:
    """`path:line(name)` with the repository or site-packages prefix cut."""
    path, line, name = function
    for prefix in (f"{REPO}/", "site-packages/"):
        if prefix in path:
            path = path.split(prefix, 1)[1]
    return f"{path}:{line}({name})" if line else name


def top(stats: pstats.Stats, count: int, requests: int) -> list[str]:
    """Markdown rows: by own time (any function), then by cumulative (our code only)."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values()) or 1.0
    rows = ["| by own time | calls/req | own ms/req | own % |", "|---|---:|---:|---:|"]
    by_own = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:count]
    for function, (_cc, calls, own, _cum, _callers) in by_own:
        rows.append(
            f"| `{where(function)}` | {calls / requests:.1f} | {own * 1000 / requests:.3f} "
            f"| {own * 100 / total:.1f} |"
        )
    ours = [
        item
        for item in table.items()
        if str(REPO) in item[0][0] and "/.venv/" not in item[0][0] and "/bench/" not in item[0][0]
    ]
    rows += [
        "",
        "| ours, by cumulative time | calls/req | cum ms/req | cum % |",
        "|---|---:|---:|---:|",
    ]
    for function, (_cc, calls, _own, cum, _callers) in sorted(
        ours, key=lambda item: item[1][3], reverse=True
    )[:count]:
        rows.append(
            f"| `{where(function)}` | {calls / requests:.1f} | {cum * 1000 / requests:.3f} "
            f"| {cum * 100 / total:.1f} |"
        )
    return rows


async def _run(args: argparse.Namespace, system: System, router: Process, profiles: Path) -> None:
    groups = {"router": router.pid, **{name: system.processes[name].pid for name in SUBGRAPHS}}
    url = f"{router.base_url}/graphql"
    pool = HttpPool(max_connections=4)
    try:
        bookings = (args.requests + args.profile_requests + 3) + 5
        requests = await operations(pool, url, system, bookings)
        print(f"load average at the start: {load_average()}")
        results: dict[str, Measured] = {}
        for name, request in requests.items():
            started = time.perf_counter()
            results[name] = await measure(
                request,
                groups,
                requests=args.requests,
                profile_requests=args.profile_requests,
                profiles=profiles,
            )
            cells = ", ".join(f"{g} {ms:.2f}" for g, ms in results[name].cpu.items())
            print(
                f"{name}: CPU ms/request {cells} ({time.perf_counter() - started:.0f} s, "
                f"load {load_average()})"
            )
    finally:
        await pool.aclose()
    print("\n| operation | " + " | ".join(groups) + " | subgraphs total |")
    print("|---|" + "---:|" * (len(groups) + 1))
    for name, measured in results.items():
        subgraphs = sum(measured.cpu[g] for g in SUBGRAPHS)
        cells = " | ".join(f"{measured.cpu[g]:.2f}" for g in groups)
        print(f"| {name} | {cells} | {subgraphs:.2f} |")
    for name, measured in results.items():
        for subgraph in SUBGRAPHS:
            if measured.cpu[subgraph] < args.min_ms or subgraph not in measured.profiles:
                continue
            print(
                f"\n### {name}: {subgraph} ({measured.cpu[subgraph]:.2f} CPU ms/request "
                f"unprofiled; profile of {args.profile_requests} requests)\n"
            )
            print("\n".join(top(measured.profiles[subgraph], args.top, args.profile_requests)))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.subgraphs", description=__doc__)
    parser.add_argument("--requests", type=int, default=100, help="measured per operation")
    parser.add_argument("--profile-requests", type=int, default=50, help="profiled per operation")
    parser.add_argument("--top", type=int, default=12, help="profile rows per table")
    parser.add_argument(
        "--min-ms", type=float, default=0.5, help="profile subgraphs above this CPU ms/request"
    )
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server where the appointments store is made",
    )
    args = parser.parse_args()
    asyncio.run(_main(args))


async def _main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="healthbook-profiles-") as tmp:
        async with postgres_database(args.postgres) as url:
            with (
                running_system(
                    signing_key=secrets.token_urlsafe(24),
                    database_urls={"appointments": url},
                    profiles=Path(tmp),
                ) as system,
                target("router", system) as router,
            ):
                assert router is not None
                await _run(args, system, router, Path(tmp))


if __name__ == "__main__":
    main()
