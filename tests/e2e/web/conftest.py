"""One `healthbook up --seed` on free ports for the whole web app suite (journeys share it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    _require((WEB_ASSETS / "index.html").is_file(), "the web app is not built (run `make node`)")
    root = tmp_path_factory.mktemp("web-e2e")
    ports = free_ports()
    base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(root / "data"),
        "LOG_LEVEL": "WARNING",
        "PUBLIC_APP_URL": base,
        "ROUTER_RATE_LIMIT": "0",
    }
    log = root / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        wait_ready(f"{base}/health/ready", process, log, seconds=120)
        yield Running(base=base, data_dir=root / "data", log=log)


def require_browser() -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    _require(
        Path(chromium).exists() or shutil.which("chromium") is not None,
        "chromium is needed (scripts/ensure-tools.sh installs it)",
    )
