"""Start the benchmark's processes, wait until they answer, measure their CPU time, stop them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

__all__ = ["Process", "cpu_seconds", "python_process", "started"]

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Process:
    pid: int
    base_url: str


@contextlib.contextmanager
def started(
    argv: Sequence[str], health_url: str, *, env: dict[str, str] | None = None, timeout: float = 60
) -> Iterator[Process]:
    """Run argv in its own process group until the block ends; wait for `health_url`."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - argv built by the harness
        list(argv), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{argv[:3]} exited:\n{log.read().decode(errors='replace')}")
            try:
                if httpx.get(health_url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv[:3]} did not answer {health_url}")
            time.sleep(0.1)
        yield Process(pid=process.pid, base_url="/".join(health_url.split("/", 3)[:3]))
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def python_process(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.gateways.serve", *args]


def cpu_seconds(group: int) -> float:
    """User + system CPU seconds of every process in the process group `group`."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state (field 3); pgrp is field 5, utime 14, stime 15.
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / _TICKS
