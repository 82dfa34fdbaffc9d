"""Running `healthbook` as a separate process, the way a person or an orchestrator would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from subgraphs.shared.settings import DEFAULT_PORTS
from tests.support.proxy import free_port
from tests.support.suite_logs import keep

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_ports() -> dict[str, str]:
    """Environment setting every component's port (and the local SMTP server's) to a free one."""
    ports = {f"{name.upper()}_PORT": str(free_port()) for name in DEFAULT_PORTS}
    return {**ports, "SMTP_PORT": str(free_port())}


@contextmanager
def healthbook(
    args: list[str], env: Mapping[str, str], log: Path, *, stdin: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `python -m healthbook ARGS` with `env` added; stop it with SIGINT (then SIGKILL).
    Its output (stdout and stderr) goes to `log`, kept for the run's scan for secrets."""
    full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "healthbook", *args],
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        if stdin is not None and process.stdin is not None:
            process.stdin.write(stdin.encode())
            process.stdin.close()
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
            keep(log)  # for the run's final scan for secrets (tests/support/suite_logs.py)


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    """Poll `url` until it answers 200; fail with the process output if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} not ready after {seconds}s:\n{log.read_text()}")
