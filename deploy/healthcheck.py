#!/usr/bin/env python3
"""Container health check of a Healthbook process (installed as `healthbook-healthcheck`).

    healthbook-healthcheck                     # the component this container runs, liveness
    healthbook-healthcheck doctors ready       # GET /health/ready on the doctors port
    healthbook-healthcheck worker              # worker/scheduler: the broker answers

HTTP components (router and the subgraphs) are asked on 127.0.0.1 at their ops port
(`HEALTHBOOK_OPS_PORT`) when one is set, else at their port (`<NAME>_PORT`, else the
default); the worker and the scheduler without an ops port serve no HTTP, so their check is
that the RabbitMQ of `BROKER_URL` accepts a connection. Exit 0 when healthy.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

PORTS = {"router": 4000, "identity": 4001, "doctors": 4002, "appointments": 4003,
         "notifications": 4004}  # fmt: skip
BROKER_ONLY = ("worker", "scheduler")
TIMEOUT_SECONDS = 4.0


def running_component(cmdline: Path = Path("/proc/1/cmdline")) -> str:
    """What `healthbook serve <component>` this container's first process runs ('' if none)."""
    try:
        words = cmdline.read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return ""
    if "serve" in words and words.index("serve") + 1 < len(words):
        return words[words.index("serve") + 1]
    return ""


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status) == 200
    except (OSError, urllib.error.URLError):
        return False


def broker_reachable(broker_url: str) -> bool:
    if not broker_url:
        return True  # the in-process broker: nothing to reach
    parts = urllib.parse.urlsplit(broker_url)
    default = 5671 if parts.scheme == "amqps" else 5672
    try:
        with socket.create_connection((parts.hostname or "", parts.port or default), 3):
            return True
    except OSError:
        return False


def healthy(component: str, probe: str, environ: Mapping[str, str]) -> bool:
    ops = environ.get("HEALTHBOOK_OPS_PORT", "").strip()
    if ops not in ("", "0") and (component in PORTS or component in BROKER_ONLY):
        return http_ok(f"http://127.0.0.1:{ops}/health/{probe}")
    if component in PORTS:
        port = environ.get(f"{component.upper()}_PORT") or str(PORTS[component])
        return http_ok(f"http://127.0.0.1:{port}/health/{probe}")
    if component in BROKER_ONLY:
        return broker_reachable(environ.get("BROKER_URL", ""))
    return True  # one-shot commands (migrate, seed) have nothing to serve


def main(argv: Sequence[str]) -> int:
    component = argv[0] if argv else running_component()
    probe = argv[1] if len(argv) > 1 else "live"
    if probe not in ("live", "ready"):
        print(f"unknown probe {probe!r}: live or ready", file=sys.stderr)
        return 2
    if healthy(component, probe, os.environ):
        return 0
    print(f"{component or 'healthbook'} is not {probe}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
