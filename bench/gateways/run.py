"""The gateways benchmark: the same workload through our router, Hive Gateway, and direct.

Every target gets the same closed loop (same concurrency, duration, warm-up, request
body); every answer is checked against `workload/expected-response.json`.

Request deduplication: neither gateway deduplicates client requests (Hive Gateway's
`inboundInflightRequestDeduplication` is off by default and left off; our router has none).
Both deduplicate identical subgraph queries in flight by default (Hive Gateway's HTTP
executor `deduplicateInflightRequests`, our `ROUTER_DEDUPLICATE_SUBGRAPH_REQUESTS`);
`router-no-dedupe` is our router with it off. `direct` replays the router's subgraph calls
for one query, every time, without deduplication.
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from bench.gateways.direct import record
from bench.gateways.load import LoadResult, closed_loop
from bench.gateways.processes import Process, cpu_seconds, python_process, started
from bench.gateways.subgraphs import WORKLOAD
from router.supergraph import read_supergraph
from router.testing.nodetools import hive_gateway_command, node_environment
from router.testing.servers import free_port

__all__ = ["Row", "Settings", "run"]

TARGETS = ("direct", "router", "router-no-dedupe", "hive-gateway")
# Not run by default: the router on the standard library's event loop (with httptools, then
# with h11 too), to measure what uvloop and httptools are worth on the serving path.
SERVING_VARIANTS = {
    "router-asyncio": ("asyncio", "httptools"),
    "router-asyncio-h11": ("asyncio", "h11"),
}


@dataclass(frozen=True)
class Settings:
    seconds: float = 15.0
    warmup: float = 3.0
    concurrency: int = 50
    targets: tuple[str, ...] = TARGETS


@dataclass(frozen=True)
class Row:
    target: str
    result: LoadResult
    gateway_cpu: float | None
    subgraph_cpu: float

    def cells(self) -> list[str]:
        r = self.result
        per = 1000 / max(r.requests, 1)
        gateway = "-" if self.gateway_cpu is None else f"{self.gateway_cpu * per:.2f}"
        return [
            self.target,
            f"{r.rps:.1f}",
            f"{r.percentile(50) * 1000:.1f}",
            f"{r.percentile(99) * 1000:.1f}",
            gateway,
            f"{self.subgraph_cpu * per:.2f}",
            str(r.requests),
            str(r.failures),
        ]


HEADER = [
    "target",
    "req/s",
    "p50 ms",
    "p99 ms",
    "gateway CPU ms/req",
    "subgraphs CPU ms/req",
    "requests",
    "failures",
]


async def run(settings: Settings, report: Callable[[str], None] = print) -> list[Row]:
    expected = orjson.loads((WORKLOAD / "expected-response.json").read_bytes())
    expected_bytes = orjson.dumps(expected)
    body = (WORKLOAD / "request-body.json").read_bytes()
    port = free_port()
    rows: list[Row] = []
    with (
        started(
            python_process("subgraphs", "--port", str(port)), f"http://127.0.0.1:{port}/health"
        ) as subgraphs,
        tempfile.TemporaryDirectory() as tmp,
    ):
        sdl = (WORKLOAD / "supergraph.graphql").read_text()
        sdl = sdl.replace("http://127.0.0.1:4200", f"http://127.0.0.1:{port}")
        supergraph_file = Path(tmp) / "supergraph.graphql"
        supergraph_file.write_text(sdl)
        limits = httpx.Limits(
            max_connections=settings.concurrency * 4,
            max_keepalive_connections=settings.concurrency * 4,
        )
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            for target in settings.targets:
                report(f"{target}: starting")
                with _target(target, supergraph_file) as gateway:
                    iteration: Callable[[], Awaitable[bool]]
                    if gateway is None:
                        recorded = await record(read_supergraph(sdl), _query())
                        iteration = functools.partial(recorded.replay, client)
                    else:
                        url = f"{gateway.base_url}/graphql"
                        iteration = _gateway_iteration(client, url, body, expected, expected_bytes)
                    if not await iteration():
                        raise RuntimeError(f"{target} does not answer the expected response")
                    await closed_loop(
                        iteration, concurrency=settings.concurrency, seconds=settings.warmup
                    )
                    gateway_before = cpu_seconds(gateway.pid) if gateway else 0.0
                    subgraphs_before = cpu_seconds(subgraphs.pid)
                    result = await closed_loop(
                        iteration, concurrency=settings.concurrency, seconds=settings.seconds
                    )
                    gateway_cpu = cpu_seconds(gateway.pid) - gateway_before if gateway else None
                    subgraph_cpu = cpu_seconds(subgraphs.pid) - subgraphs_before
                    row = Row(target, result, gateway_cpu, subgraph_cpu)
                    rows.append(row)
                    cells = zip(HEADER[1:], row.cells()[1:], strict=True)
                    report(f"{target}: " + ", ".join(f"{h} {c}" for h, c in cells))
    return rows


def _query() -> str:
    return (WORKLOAD / "query.graphql").read_text()


def _gateway_iteration(
    client: httpx.AsyncClient, url: str, body: bytes, expected: object, expected_bytes: bytes
) -> Callable[[], Awaitable[bool]]:
    async def iteration() -> bool:
        response = await client.post(
            url, content=body, headers={"content-type": "application/json"}
        )
        if response.status_code != 200:
            return False
        return response.content == expected_bytes or orjson.loads(response.content) == expected

    return iteration


@contextlib.contextmanager
def _target(name: str, supergraph_file: Path) -> Iterator[Process | None]:
    port = free_port()
    if name == "direct":
        yield None
    elif name in ("router", "router-no-dedupe", *SERVING_VARIANTS):
        argv = python_process("router", "--supergraph", str(supergraph_file), "--port", str(port))
        if name == "router-no-dedupe":
            argv.append("--no-dedupe")
        if name in SERVING_VARIANTS:
            loop, http = SERVING_VARIANTS[name]
            argv += ["--loop", loop, "--http", http]
        with started(argv, f"http://127.0.0.1:{port}/health/ready") as process:
            yield process
    elif name == "hive-gateway":
        argv = hive_gateway_command(supergraph_file, port)
        with started(
            argv, f"http://127.0.0.1:{port}/healthcheck", env=node_environment()
        ) as process:
            yield process
    else:
        known = ", ".join((*TARGETS, *SERVING_VARIANTS))
        raise ValueError(f"unknown target {name!r}; choose from {known}")


def markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)
