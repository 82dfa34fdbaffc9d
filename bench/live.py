"""`python -m bench.live [--subscribers 5000] [--changes 3]`: live updates at scale.

N WebSocket clients (graphql-transport-ws) of the demo patient subscribe through ONE router
process to `appointmentUpdates { action appointment { id start doctor { name
specializations { name } } } }`; the demo doctor reschedules one of the patient's visits;
for each change, every client's delay from sending the mutation to having the event, as
p50/p99/max. Before any change: the router's and the appointments subgraph's RSS per idle
subscriber ((RSS with N subscribed - RSS before) / N, each process group from /proc).

Topology ("distributed" layout on one machine): each subgraph its own `healthbook serve`
process (SQLite, demo data), **signed** (HEALTHBOOK_SIGNING_KEY set: the router signs every
call, each multiplexed subscribe included), the router with its edge on, uvloop; clients in
this process. Results in bench/LIVE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.gateways.processes import cpu_seconds
from bench.healthbook.fanout import DOCTOR, PATIENT, RESCHEDULE, SUBSCRIPTION, _graphql
from bench.healthbook.run import target
from bench.healthbook.system import running_system
from bench.healthbook.workload import login

__all__ = ["Delivery", "main"]


@dataclass(frozen=True)
class Delivery:
    delays: list[float]  # seconds, one per subscriber
    cpu: dict[str, float]  # CPU seconds of the change's delivery, per process group

    def cells(self) -> list[str]:
        ordered = sorted(self.delays)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return [
            f"{statistics.median(ordered) * 1000:.0f}",
            f"{p99 * 1000:.0f}",
            f"{ordered[-1] * 1000:.0f}",
            *(f"{self.cpu[name] * 1000:.0f}" for name in CPU_OF),
        ]


CPU_OF = ("router", "appointments", "doctors", "clients")


def group_rss(group: int) -> int:
    """Resident bytes of every process in the process group `group`."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:
                continue
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


class Devices:
    """N subscribed sockets; `heard` gets each `next`'s arrival time."""

    def __init__(self, address: str, tokens: list[str]) -> None:
        self.address = address
        self.tokens = tokens
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.heard: list[float] = []
        self.expected = 0
        self.all_heard = asyncio.Event()

    async def open(self, count: int, *, concurrency: int = 50) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(number: int) -> None:
            token = self.tokens[number % len(self.tokens)]
            async with gate:
                socket = await connect(
                    f"ws://{self.address}/graphql",
                    subprotocols=[Subprotocol("graphql-transport-ws")],
                    max_queue=None,
                    open_timeout=60,
                )
                init = {"type": "connection_init", "payload": {"authorization": token}}
                await socket.send(orjson.dumps(init).decode())
                await socket.recv()  # connection_ack
                message = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
                await socket.send(orjson.dumps(message).decode())
                self.sockets.append(socket)
                self.readers.append(asyncio.create_task(self._read(socket)))

        await asyncio.gather(*(one(number) for number in range(count)))
        self.expected = count

    async def _read(self, socket: ClientConnection) -> None:
        async for raw in socket:
            message = orjson.loads(raw)
            kind = message.get("type")
            if kind == "next":
                self.heard.append(time.perf_counter())
                if len(self.heard) >= self.expected:
                    self.all_heard.set()
            elif kind == "ping":
                await socket.send('{"type":"pong"}')
            elif kind in ("error", "complete"):
                raise RuntimeError(f"a subscription ended: {message}")

    def reset(self) -> None:
        self.heard.clear()
        self.all_heard.clear()

    async def close(self) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)


async def _run(args: argparse.Namespace) -> None:
    key = secrets.token_urlsafe(24)
    with running_system(signing_key=key) as system, target("router", system, ws=args.ws) as router:
        assert router is not None
        address = router.base_url.removeprefix("http://")
        url = f"http://{address}/graphql"
        appointments = system.processes["appointments"]
        async with httpx.AsyncClient(timeout=120) as client:
            patient = await login(client, url, PATIENT)
            doctor = await login(client, url, DOCTOR)
            mine = await _graphql(client, url, doctor, "{ myDoctorProfile { id } }")
            visits = await _graphql(
                client, url, patient, "{ myAppointments { items { id doctor { id } } } }"
            )
            visit = next(
                v["id"]
                for v in visits["myAppointments"]["items"]
                if v["doctor"]["id"] == mine["myDoctorProfile"]["id"]
            )
            now = datetime.now(UTC)
            slots = await _graphql(
                client,
                url,
                doctor,
                "query($d: ID!, $f: DateTime!, $t: DateTime!) "
                "{ availableSlots(doctorId: $d, from: $f, to: $t) { start } }",
                d=mine["myDoctorProfile"]["id"],
                f=(now + timedelta(days=1)).isoformat(),
                t=(now + timedelta(days=60)).isoformat(),
            )
            starts = iter([s["start"] for s in slots["availableSlots"]])

            async def change() -> float:
                started = time.perf_counter()
                move = {"id": visit, "start": next(starts)}
                await _graphql(client, url, doctor, RESCHEDULE, i=move)
                return started

            await asyncio.sleep(1)
            before = {"router": group_rss(router.pid), "appointments": group_rss(appointments.pid)}
            tokens = [f"Bearer {patient}", f"Bearer {doctor}"][: args.identities]
            devices = Devices(address, tokens)
            opened = time.perf_counter()
            await devices.open(args.subscribers)
            print(
                f"{args.subscribers} subscribers opened in {time.perf_counter() - opened:.1f} s "
                f"(load {load_average()})"
            )
            await asyncio.sleep(3)
            idle = {"router": group_rss(router.pid), "appointments": group_rss(appointments.pid)}
            # Warm-up changes until every device hears one (all upstream subscriptions open).
            for _ in range(20):
                devices.reset()
                await change()
                try:
                    await asyncio.wait_for(devices.all_heard.wait(), args.warmup_seconds)
                    break
                except TimeoutError:
                    print(f"warm-up: {len(devices.heard)} of {args.subscribers} heard a change")
                    continue
            else:
                raise RuntimeError(f"only {len(devices.heard)} of {args.subscribers} hear changes")
            rounds: list[Delivery] = []
            loads = [load_average()]
            groups = {
                "router": router.pid,
                "appointments": appointments.pid,
                "doctors": system.processes["doctors"].pid,
            }

            def cpu() -> dict[str, float]:
                spent = {name: cpu_seconds(pid) for name, pid in groups.items()}
                return {**spent, "clients": time.process_time()}

            for _ in range(args.changes):
                devices.reset()
                cpu_before = cpu()
                started = await change()
                await asyncio.wait_for(devices.all_heard.wait(), 120)
                spent = {k: v - cpu_before[k] for k, v in cpu().items()}
                delays = [t - started for t in devices.heard[: args.subscribers]]
                rounds.append(Delivery(delays, spent))
                loads.append(load_average())
                await asyncio.sleep(1)
            after = {"router": group_rss(router.pid), "appointments": group_rss(appointments.pid)}
            await devices.close()
    print(f"\nload average (1, 5, 15 min) before/after each change: {' → '.join(loads)}\n")
    print(
        "| change | subscribers | p50 ms | p99 ms | max ms | CPU ms: router "
        "| appointments | doctors | clients |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for number, delivery in enumerate(rounds, 1):
        print(f"| {number} | {args.subscribers} | " + " | ".join(delivery.cells()) + " |")
    print(
        "\n| process | RSS before MiB | RSS with N idle MiB | KiB per idle subscriber "
        "| RSS after the changes MiB |"
    )
    print("|---|---:|---:|---:|---:|")
    for name in ("router", "appointments"):
        per = (idle[name] - before[name]) / args.subscribers / 1024
        print(
            f"| {name} | {before[name] / 2**20:.1f} | {idle[name] / 2**20:.1f} | {per:.1f} "
            f"| {after[name] / 2**20:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__)
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=3)
    parser.add_argument("--warmup-seconds", type=float, default=30.0)
    parser.add_argument(
        "--ws",
        default="auto",
        choices=("auto", "websockets", "websockets-sansio", "wsproto"),
        help="the router's uvicorn WebSocket implementation",
    )
    parser.add_argument(
        "--identities",
        type=int,
        choices=(1, 2),
        default=2,
        help="1: every device the patient's; 2: half the patient's, half the doctor's",
    )
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
