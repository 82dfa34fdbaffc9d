"""`python -m bench.clients`: the router's subgraph HTTP client against httpx (and aiohttp
when installed), CPU per request in this process, same server, same concurrency.

The server is the gateways benchmark's Python subgraphs in their own process; each client
sends the same small `_entities`-free query to `accounts` with N concurrent callers, after
a warm-up that grows its pool to N connections (the case where httpcore's cost grew).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

import router.subgraph_client  # noqa: F401  (its sniffio fix makes httpx fair here)
from bench.gateways.processes import python_process, started
from router.http_pool import HttpPool
from router.testing.servers import free_port

BODY = b'{"query":"{ users { id username name } }"}'
HEADERS = {"content-type": "application/json"}
Post = Callable[[], Awaitable[bytes]]
Close = Callable[[], Awaitable[None]]


async def measure(post: Post, *, concurrency: int, seconds: float) -> tuple[int, float]:
    """(requests, process CPU seconds) for `seconds` of a closed loop."""
    stop = time.monotonic() + seconds
    count = 0

    async def worker() -> None:
        nonlocal count
        while time.monotonic() < stop:
            body = await post()
            assert body.startswith(b'{"data"')
            count += 1

    cpu = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count, time.process_time() - cpu


async def clients(
    url: str, concurrency: int
) -> dict[str, tuple[Post, Callable[[], Awaitable[None]]]]:
    found: dict[str, tuple[Post, Callable[[], Awaitable[None]]]] = {}
    pool = HttpPool(max_connections=concurrency)

    async def lean() -> bytes:
        return (await pool.request("POST", url, BODY, HEADERS, time_limit=30))[1]

    found["router.http_pool"] = (lean, pool.aclose)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    http = httpx.AsyncClient(limits=limits)

    async def via_httpx() -> bytes:
        return (await http.post(url, content=BODY, headers=HEADERS, timeout=30)).content

    found["httpx"] = (via_httpx, http.aclose)
    try:
        aiohttp: Any = importlib.import_module("aiohttp")  # optional, not a dependency
    except ImportError:
        print("aiohttp is not installed: skipped (pip install aiohttp to include it)")
    else:
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency))

        async def via_aiohttp() -> bytes:
            async with session.post(url, data=BODY, headers=HEADERS) as response:
                body: bytes = await response.read()
                return body

        found["aiohttp"] = (via_aiohttp, session.close)
    return found


async def run(concurrency: int, seconds: float, rounds: int) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/accounts"
    argv = python_process("subgraphs", "--port", str(port))
    with started(argv, f"http://127.0.0.1:{port}/health"):
        found = await clients(url, concurrency)
        totals = {name: (0, 0.0) for name in found}
        for _ in range(rounds):  # interleaved rounds: the machine's load hits every client
            for name, (post, _close) in found.items():
                await measure(post, concurrency=concurrency, seconds=0.5)
                count, cpu = await measure(post, concurrency=concurrency, seconds=seconds)
                totals[name] = (totals[name][0] + count, totals[name][1] + cpu)
        for _post, close in found.values():
            await close()
    base = totals["httpx"][1] / max(totals["httpx"][0], 1)
    print(f"load average {os.getloadavg()[0]:.2f}; {concurrency} concurrent callers")
    print("| client | requests | client CPU µs/req | ÷ httpx |")
    print("|---|---:|---:|---:|")
    for name, (count, cpu) in totals.items():
        per = cpu / max(count, 1)
        print(f"| {name} | {count} | {per * 1e6:.0f} | {per / base:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.clients", description=__doc__)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    import uvloop

    uvloop.run(run(args.concurrency, args.seconds, args.rounds))


if __name__ == "__main__":
    main()
