"""Serving on every core: N worker processes behind one port (SO_REUSEPORT), each on uvloop.

Each worker builds its own app and event loop after the fork (nothing with a socket or a
loop is shared), binds its own listening socket with `SO_REUSEPORT` on the same address,
and the kernel spreads incoming connections over them. The parent only forwards SIGINT and
SIGTERM and waits; when one worker ends, it stops the others, so a supervisor (systemd,
Kubernetes) sees the whole router exit and restarts it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from collections.abc import Callable, Coroutine
from typing import Any

import uvloop

from router.collector import settle_collector

__all__ = ["listening_socket", "run_loop", "run_workers"]


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A bound (not yet listening) TCP socket; `reuse_port` lets sibling workers share it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def run_loop(main: Coroutine[Any, Any, None]) -> None:
    """Run `main` on a uvloop event loop (libuv: cheaper I/O per request than asyncio's),
    with the collector set for a long-running server (`router.collector`)."""
    settle_collector()
    uvloop.run(main)


def run_workers(count: int, serve_one: Callable[[], None]) -> int:
    """Run `serve_one` in `count` forked processes (in this one when `count` is 1).

    The exit status is 0 when every worker ended cleanly, else 1.
    """
    if count <= 1:
        serve_one()
        return 0
    children: list[int] = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                serve_one()
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)

    def stop(_signal: int, _frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = False
    remaining = set(children)
    while remaining:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        remaining.discard(pid)
        # uvicorn re-raises the SIGTERM it shut down on: that is a clean stop too.
        failed = failed or os.waitstatus_to_exitcode(status) not in (0, -signal.SIGTERM)
        stop(signal.SIGTERM, None)  # one worker ended: the router as a whole stops
    return 1 if failed else 0
