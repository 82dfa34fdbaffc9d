"""Several router worker processes behind one port (SO_REUSEPORT), each answering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from router.testing.servers import free_port
from router.workers import listening_socket

# Two workers, each answering its own pid: the same code path `healthbook serve router` uses.
_SERVE = """
import os, sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from router.workers import listening_socket, run_loop, run_workers

port = int(sys.argv[1])

def serve_one():
    app = Starlette(routes=[Route("/", lambda _r: PlainTextResponse(str(os.getpid())))])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", http="httptools"))
    run_loop(server.serve(sockets=[listening_socket("127.0.0.1", port, reuse_port=True)]))

sys.exit(run_workers(2, serve_one))
"""


def test_two_sockets_may_bind_one_port_with_reuse_port() -> None:
    port = free_port()
    first = listening_socket("127.0.0.1", port, reuse_port=True)
    second = listening_socket("127.0.0.1", port, reuse_port=True)
    first.close()
    second.close()


def test_two_workers_share_one_port_and_stop_together() -> None:
    port = free_port()
    parent = subprocess.Popen([sys.executable, "-c", _SERVE, str(port)])
    try:
        pids: set[str] = set()
        deadline = time.monotonic() + 30
        while len(pids) < 2 and time.monotonic() < deadline:
            try:
                # A new connection each time: the kernel picks a worker per connection.
                pids.add(httpx.get(f"http://127.0.0.1:{port}/", timeout=2).text)
            except httpx.HTTPError:
                time.sleep(0.1)
        assert len(pids) == 2
        assert str(parent.pid) not in pids
        os.kill(parent.pid, signal.SIGTERM)
        assert parent.wait(timeout=20) == 0
        for pid in pids:
            assert not _alive(int(pid))
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
