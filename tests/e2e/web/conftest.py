"""One `healthbook up --seed` on free ports for the whole web app suite (journeys share it);
the resilience tests start their own (a low rate limit, a subgraph behind a TCP proxy)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from router.webapp import WEB_ASSETS
from tests.support.processes import free_ports, healthbook, wait_ready


@dataclass(frozen=True)
class Running:
    base: str
    data_dir: Path
    log: Path


def _require(condition: bool, message: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def running_app(
    root: Path, extra: Mapping[str, str] | None = None, ports: Mapping[str, str] | None = None
) -> Iterator[Running]:
    """`healthbook up --seed` on free ports (or `ports`), the router's rate limit off unless
    `extra` sets it; `extra` may point the router elsewhere (ROUTER_SUBGRAPH_<NAME>_URL)."""
    _require((WEB_ASSETS / "index.html").is_file(), "the web app is not built (run `make node`)")
    ports = dict(ports or free_ports())
    base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(root / "data"),
        "LOG_LEVEL": "WARNING",
        "PUBLIC_APP_URL": base,
        "ROUTER_RATE_LIMIT": "0",
        **(extra or {}),
    }
    log = root / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        wait_ready(f"{base}/health/ready", process, log, seconds=120)
        yield Running(base=base, data_dir=root / "data", log=log)


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    # Local http endpoints allowed: the admin's webhook journey registers a local receiver.
    local_webhooks = {"WEBHOOKS_ALLOW_LOCAL_HTTP": "true"}
    with running_app(tmp_path_factory.mktemp("web-e2e"), local_webhooks) as app:
        yield app


def require_browser() -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    _require(
        Path(chromium).exists() or shutil.which("chromium") is not None,
        "chromium is needed (scripts/ensure-tools.sh installs it)",
    )
