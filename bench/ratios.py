"""`python -m bench.ratios`: our router ÷ Hive Gateway, CPU per request, in one run.

    python -m bench.ratios [--seconds 5] [--warmup 1] [--concurrency 50] [--rounds 1]

Same machine, same load, side by side: memoized Python subgraphs (so the gateways are what
costs), a closed loop of N keep-alive workers, every answer checked against the first one
(and the benchmark query against `expected-response.json`). For each workload, each
deduplication setting, and each round, the router and Hive Gateway run one after the other;
CPU time is the process group's (from /proc), so it counts every worker process.

Deduplication "off": no subgraph dedupe and no inbound dedupe in either gateway. "on":
both (ours: ROUTER_DEDUPLICATE_SUBGRAPH_REQUESTS and ROUTER_DEDUPLICATE_REQUESTS; Hive
Gateway: `deduplicateInflightRequests` and `inboundInflightRequestDeduplication`).
Last, the router with 1 and with 2 worker processes: requests per second (scaling).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from bench.gateways.load import closed_loop
from bench.gateways.processes import Process, cpu_seconds, python_process, started
from bench.gateways.subgraphs import WORKLOAD
from router.testing.nodetools import hive_gateway_command, node_environment
from router.testing.servers import free_port

WORKLOADS = {
    "benchmark query (7 subgraph calls)": (WORKLOAD / "request-body.json").read_bytes(),
    "single subgraph { users { id username name } }": orjson.dumps(
        {"query": "{ users { id username name } }"}
    ),
}
HIVE_CONFIG = """export const gatewayConfig = {{
  inboundInflightRequestDeduplication: {dedupe},
  transportEntries: {{ '*.http': {{ options: {{ deduplicateInflightRequests: {dedupe} }} }} }},
}};
"""


@dataclass(frozen=True)
class Measured:
    requests: int
    failures: int
    rps: float
    cpu_ms: float  # gateway CPU per request


@contextlib.contextmanager
def _router(supergraph: Path, *, dedupe: bool, workers: int = 1) -> Iterator[Process]:
    port = free_port()
    argv = python_process("router", "--supergraph", str(supergraph), "--port", str(port))
    argv += ["--workers", str(workers)]
    argv += ["--dedupe-inbound"] if dedupe else ["--no-dedupe"]
    with started(argv, f"http://127.0.0.1:{port}/health/ready") as process:
        yield process


@contextlib.contextmanager
def _hive(supergraph: Path, tmp: Path, *, dedupe: bool) -> Iterator[Process]:
    port = free_port()
    config = tmp / f"gateway-{dedupe}.config.mjs"
    config.write_text(HIVE_CONFIG.format(dedupe="true" if dedupe else "false"))
    argv = [*hive_gateway_command(supergraph, port), "--config-path", str(config)]
    with started(argv, f"http://127.0.0.1:{port}/healthcheck", env=node_environment()) as p:
        yield p


async def _measure(
    client: httpx.AsyncClient, gateway: Process, body: bytes, args: argparse.Namespace
) -> Measured:
    url = f"{gateway.base_url}/graphql"
    headers = {"content-type": "application/json"}
    first = await client.post(url, content=body, headers=headers)
    expected = first.content
    if first.status_code != 200 or b'"errors"' in expected:
        raise RuntimeError(f"{url} answered {first.status_code}: {expected[:300]!r}")
    if body == WORKLOADS["benchmark query (7 subgraph calls)"]:
        wanted = orjson.loads((WORKLOAD / "expected-response.json").read_bytes())
        if orjson.loads(expected) != wanted:
            raise RuntimeError(f"{url} does not answer the expected response")

    async def iteration() -> bool:
        response = await client.post(url, content=body, headers=headers)
        return response.status_code == 200 and (
            response.content == expected or orjson.loads(response.content) == orjson.loads(expected)
        )

    await closed_loop(iteration, concurrency=args.concurrency, seconds=args.warmup)
    before = cpu_seconds(gateway.pid)
    result = await closed_loop(iteration, concurrency=args.concurrency, seconds=args.seconds)
    cpu = cpu_seconds(gateway.pid) - before
    return Measured(result.requests, result.failures, result.rps, cpu * 1000 / result.requests)


async def run(args: argparse.Namespace) -> None:
    port = free_port()
    subgraphs = python_process("subgraphs", "--port", str(port), "--memoize")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    limits = httpx.Limits(max_connections=args.concurrency * 2)
    with (
        started(subgraphs, f"http://127.0.0.1:{port}/health"),
        tempfile.TemporaryDirectory() as tmp_name,
    ):
        tmp = Path(tmp_name)
        sdl = (WORKLOAD / "supergraph.graphql").read_text()
        supergraph = tmp / "supergraph.graphql"
        supergraph.write_text(sdl.replace("http://127.0.0.1:4200", f"http://127.0.0.1:{port}"))
        rows: list[str] = []
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            for name, body in WORKLOADS.items():
                for dedupe in (False, True):
                    ours: list[Measured] = []
                    theirs: list[Measured] = []
                    for _ in range(args.rounds):
                        with _router(supergraph, dedupe=dedupe) as gateway:
                            ours.append(await _measure(client, gateway, body, args))
                        with _hive(supergraph, tmp, dedupe=dedupe) as gateway:
                            theirs.append(await _measure(client, gateway, body, args))
                    rows.append(_row(name, dedupe, ours, theirs))
                    print(rows[-1], flush=True)
            scaling = []
            body = WORKLOADS["benchmark query (7 subgraph calls)"]
            for workers in (1, 2):
                with _router(supergraph, dedupe=False, workers=workers) as gateway:
                    scaling.append(await _measure(client, gateway, body, args))
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{args.concurrency} keep-alive workers, {args.warmup:g} s warm-up + {args.seconds:g} s"
        f" per target, {args.rounds} round(s), {os.cpu_count()} CPUs shared with everything else"
    )
    print(
        "\n| workload | dedupe | router CPU ms/req | Hive Gateway CPU ms/req | ratio |"
        " router req/s | Hive req/s | failures |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row)
    one, two = scaling
    print(
        f"\nrouter workers, benchmark query, dedupe off: 1 → {one.rps:.0f} req/s"
        f" ({one.cpu_ms:.2f} ms CPU/req), 2 → {two.rps:.0f} req/s ({two.cpu_ms:.2f} ms CPU/req):"
        f" x{two.rps / one.rps:.2f}"
    )


def _row(name: str, dedupe: bool, ours: list[Measured], theirs: list[Measured]) -> str:
    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    a = mean([m.cpu_ms for m in ours])
    b = mean([m.cpu_ms for m in theirs])
    failures = sum(m.failures for m in ours + theirs)
    return (
        f"| {name} | {'on' if dedupe else 'off'} | {a:.3f} | {b:.3f} | {a / b:.2f} |"
        f" {mean([m.rps for m in ours]):.0f} | {mean([m.rps for m in theirs]):.0f} | {failures} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ratios", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
