"""Each operation through each target: direct subgraph calls, our router, Hive Gateway."""

from __future__ import annotations

import contextlib
import functools
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import orjson

from bench.gateways.load import closed_loop
from bench.gateways.processes import Process, cpu_seconds, started
from bench.gateways.run import HEADER, Row
from bench.healthbook.system import System
from bench.healthbook.workload import OPERATIONS, login, record
from router.supergraph import load_supergraph
from router.testing.nodetools import hive_gateway_command, node_environment
from router.testing.servers import free_port

__all__ = ["TARGETS", "run_queries", "target"]

TARGETS = ("direct", "router", "hive-gateway")

# Hive Gateway forwards no client header by default; the subgraphs need the token.
HIVE_CONFIG = """export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get("authorization") ?? undefined,
    }),
  },
};
"""


async def run_queries(
    system: System,
    *,
    seconds: float,
    warmup: float,
    concurrency: int,
    targets: tuple[str, ...] = TARGETS,
    report: Callable[[str], None] = print,
) -> dict[str, list[Row]]:
    """Rows per operation (one per target)."""
    limits = httpx.Limits(
        max_connections=concurrency * 4, max_keepalive_connections=concurrency * 4
    )
    tables: dict[str, list[Row]] = {name: [] for name in OPERATIONS}
    subgraph_pids = [p.pid for p in system.processes.values()]
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        tokens = {
            email: await login(client, system.url("identity"), email)
            for _query, email in OPERATIONS.values()
            if email
        }
        for target_name in targets:
            with target(target_name, system) as gateway:
                for name, (query, email) in OPERATIONS.items():
                    headers = {"authorization": f"Bearer {tokens[email]}"} if email else {}
                    iteration: Callable[[], Awaitable[bool]]
                    if gateway is None:
                        supergraph = load_supergraph(system.supergraph)
                        calls = await record(supergraph, query, headers, client)
                        iteration = functools.partial(calls.replay, client)
                    else:
                        iteration = _iteration(
                            client, f"{gateway.base_url}/graphql", query, headers
                        )
                    if not await iteration():
                        raise RuntimeError(f"{target_name} fails {name}")
                    await closed_loop(iteration, concurrency=concurrency, seconds=warmup)
                    gateway_before = cpu_seconds(gateway.pid) if gateway else 0.0
                    subgraphs_before = sum(cpu_seconds(pid) for pid in subgraph_pids)
                    result = await closed_loop(iteration, concurrency=concurrency, seconds=seconds)
                    gateway_cpu = cpu_seconds(gateway.pid) - gateway_before if gateway else None
                    subgraph_cpu = sum(cpu_seconds(pid) for pid in subgraph_pids) - subgraphs_before
                    row = Row(target_name, result, gateway_cpu, subgraph_cpu)
                    tables[name].append(row)
                    cells = zip(HEADER[1:], row.cells()[1:], strict=True)
                    report(f"{name} / {target_name}: " + ", ".join(f"{h} {c}" for h, c in cells))
    return tables


def _iteration(
    client: httpx.AsyncClient, url: str, query: str, headers: dict[str, str]
) -> Callable[[], Awaitable[bool]]:
    body = orjson.dumps({"query": query})

    async def iteration() -> bool:
        response = await client.post(
            url, content=body, headers={"content-type": "application/json", **headers}
        )
        return response.status_code == 200 and b'"errors"' not in response.content

    return iteration


@contextlib.contextmanager
def target(name: str, system: System, *, ws: str = "auto") -> Iterator[Process | None]:
    port = free_port()
    if name == "direct":
        yield None
    elif name == "router":
        argv = [
            *_python("bench.healthbook.serve"),
            "--supergraph",
            str(system.supergraph),
            "--port",
            str(port),
            "--ws",
            ws,
        ]
        with started(argv, f"http://127.0.0.1:{port}/health/ready", env=system.env) as process:
            yield process
    elif name == "hive-gateway":
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "gateway.config.mjs").write_text(HIVE_CONFIG)
            argv = [
                "sh",
                "-c",
                'cd "$0" && exec "$@"',
                tmp,
                *hive_gateway_command(system.supergraph, port),
            ]
            with started(
                argv, f"http://127.0.0.1:{port}/healthcheck", env=node_environment()
            ) as process:
                yield process
    else:
        raise ValueError(f"unknown target {name!r}; choose from {', '.join(TARGETS)}")


def _python(module: str) -> list[str]:
    return [sys.executable, "-m", module]
