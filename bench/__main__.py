"""`python -m bench [gateways] [--seconds S] [--warmup S] [--concurrency N] [--targets ...]`.

Runs the gateways benchmark (see bench/README.md) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform

from bench.gateways.run import TARGETS, Settings, markdown, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suite", nargs="?", default="gateways", choices=["gateways"])
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per target")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per target")
    parser.add_argument("--concurrency", type=int, default=50, help="closed-loop workers")
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help=f"comma-separated, from {', '.join(TARGETS)}"
    )
    args = parser.parse_args()
    settings = Settings(
        seconds=args.seconds,
        warmup=args.warmup,
        concurrency=args.concurrency,
        targets=tuple(t for t in args.targets.split(",") if t),
    )
    rows = asyncio.run(run(settings))
    print()
    print(
        f"gateways benchmark: {settings.concurrency} closed-loop workers, {settings.warmup:g} s "
        f"warm-up + {settings.seconds:g} s per target, {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}); client request deduplication off, "
        "subgraph request deduplication on in hive-gateway and router (see bench/README.md)"
    )
    print(markdown(rows))


if __name__ == "__main__":
    main()
