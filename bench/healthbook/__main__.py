"""`python -m bench.healthbook [--seconds S] [--warmup S] [--concurrency N] [--targets ...]
[--subscribers 1,10,100]`: the Healthbook operations through each target and the subscription
fan-out; prints Markdown tables (see bench/HEALTHBOOK.md)."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform

import httpx

from bench.gateways.run import markdown
from bench.healthbook import fanout
from bench.healthbook.run import TARGETS, run_queries, target
from bench.healthbook.system import running_system
from bench.healthbook.workload import login


async def _main(args: argparse.Namespace) -> None:
    with running_system() as system:
        tables = await run_queries(
            system,
            seconds=args.seconds,
            warmup=args.warmup,
            concurrency=args.concurrency,
            targets=tuple(t for t in args.targets.split(",") if t),
        )
        print(
            f"\n{args.concurrency} closed-loop workers, {args.warmup:g} s warm-up + "
            f"{args.seconds:g} s per target, {os.cpu_count()} CPUs "
            f"({platform.processor() or platform.machine()})"
        )
        for name, rows in tables.items():
            print(f"\n### {name}\n")
            print(markdown(rows))
        results = []
        with target("router", system) as router:
            assert router is not None
            async with httpx.AsyncClient(timeout=60) as client:
                tokens = {
                    email: await login(client, system.url("identity"), email)
                    for email in (fanout.PATIENT, fanout.DOCTOR)
                }
            address = router.base_url.removeprefix("http://")
            for n in (int(x) for x in args.subscribers.split(",") if x):
                result = await fanout.fan_out(address, tokens, n)
                print(f"fan-out {n}: " + ", ".join(result.cells()))
                results.append(result)
        print("\n### subscription fan-out (one reschedule, N devices of the patient)\n")
        lines = ["| " + " | ".join(fanout.HEADER) + " |", "|" + "---|" * len(fanout.HEADER)]
        lines += ["| " + " | ".join(r.cells()) + " |" for r in results]
        print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.healthbook", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--subscribers", default="1,10,100")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
