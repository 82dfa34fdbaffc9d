"""Node tooling from `schema/node_modules`: supergraph composition and the Hive Gateway.

In CI (`CI=true`) missing tooling is an error; elsewhere tests needing it are skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import httpx

from router.testing.servers import free_port

__all__ = [
    "NODE_DIR",
    "REPO_ROOT",
    "NodeToolingMissing",
    "compose",
    "compose_many",
    "hive_gateway_command",
    "node_environment",
    "node_modules",
    "running_hive_gateway",
    "running_hive_gateways",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = Path(__file__).resolve().parent / "node"


class NodeToolingMissing(RuntimeError):
    """node or the npm packages are not installed (run `make node`)."""


def node_modules() -> Path:
    """`<repo>/schema/node_modules`, checked to hold the packages the router's tests need."""
    path = REPO_ROOT / "schema" / "node_modules"
    if shutil.which("node") is None:
        raise NodeToolingMissing("node is not on PATH")
    for package in ("graphql", "@theguild/federation-composition", "@graphql-hive/gateway"):
        if not (path / package / "package.json").is_file():
            raise NodeToolingMissing(f"{path / package} is missing: run `make node`")
    return path


def node_environment() -> dict[str, str]:
    """The environment for node processes: Promise.withResolvers polyfilled on Node 20."""
    env = dict(os.environ)
    polyfill = (NODE_DIR / "polyfill.mjs").as_uri()
    env["NODE_OPTIONS"] = f"{env.get('NODE_OPTIONS', '')} --import {polyfill}".strip()
    return env


def compose(
    subgraphs: Sequence[tuple[str, str, str]], *, public: bool = False, timeout: float = 60
) -> str:
    """Compose (name, url, sdl) subgraphs into a supergraph SDL (or, `public`, the API SDL)."""
    modules = node_modules()
    services = [{"name": n, "url": u, "sdl": s} for n, u, s in subgraphs]
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [  # noqa: S607 - node from PATH
            "node",
            str(NODE_DIR / "compose.mjs"),
            str(modules),
            *(["--public"] if public else []),
        ],
        input=json.dumps(services),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise ValueError(f"composition failed:\n{result.stderr}")
    return result.stdout


def compose_many(
    federations: Sequence[Sequence[tuple[str, str, str]]], *, timeout: float = 120
) -> list[str]:
    """Compose many federations in one node process; raises naming each one that fails."""
    modules = node_modules()
    batch = [[{"name": n, "url": u, "sdl": s} for n, u, s in f] for f in federations]
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["node", str(NODE_DIR / "compose_many.mjs"), str(modules)],  # noqa: S607
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise ValueError(f"composition failed:\n{result.stderr}")
    answers: list[dict[str, object]] = json.loads(result.stdout)
    failed = [f"#{i}: {a['errors']}" for i, a in enumerate(answers) if "errors" in a]
    if failed:
        raise ValueError("composition failed:\n" + "\n".join(failed))
    return [str(a["supergraph"]) for a in answers]


def hive_gateway_command(supergraph: Path, port: int) -> list[str]:
    """argv running Hive Gateway on 127.0.0.1:`port` for `supergraph`."""
    binary = node_modules() / "@graphql-hive" / "gateway" / "dist" / "bin.js"
    return [
        "node",
        str(binary),
        "supergraph",
        str(supergraph),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


@contextlib.contextmanager
def running_hive_gateway(
    supergraph: Path, *, startup_timeout: float = 60, extra_args: Sequence[str] = ()
) -> Iterator[str]:
    """Run Hive Gateway for `supergraph` on a free loopback port; yields its /graphql URL."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [*hive_gateway_command(supergraph, port), *extra_args],
        env=node_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthcheck", process, startup_timeout, log)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        _stop(process)
        log.close()


@contextlib.contextmanager
def running_hive_gateways(
    supergraphs: Sequence[tuple[str, Path]], *, startup_timeout: float = 60
) -> Iterator[str]:
    """One Hive Gateway runtime per (name, supergraph file) in ONE node process (starting a
    gateway per federation costs seconds each); yields the base URL, each federation is
    served at `<base>/<name>/graphql`."""
    port = free_port()
    manifest = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
    with manifest:
        json.dump([{"name": n, "supergraph": str(p)} for n, p in supergraphs], manifest)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [  # noqa: S607 - node from PATH
            "node",
            str(NODE_DIR / "hive_many.mjs"),
            str(node_modules()),
            str(port),
            manifest.name,
        ],
        env=node_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthcheck", process, startup_timeout, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
        log.close()
        Path(manifest.name).unlink(missing_ok=True)


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], timeout: float, log: IO[bytes]
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"Hive Gateway exited:\n{log.read().decode(errors='replace')}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("Hive Gateway did not become healthy in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the gateway we started (its own process group, by its PID)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
