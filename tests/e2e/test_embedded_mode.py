"""`healthbook up`: the whole system in one process on SQLite, demo data, clean Ctrl-C."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import orjson

from healthbook.components import present_subgraphs
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from tests.support.processes import free_ports, healthbook, wait_ready


def test_up_serves_every_subgraph_healthy_and_stops_cleanly(tmp_path: Path) -> None:
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        for name in present_subgraphs():
            port = ports[f"{name.upper()}_PORT"]
            wait_ready(f"http://127.0.0.1:{port}/health/ready", process, log)
        key = (tmp_path / "data" / "secrets" / "signing.key").read_text().strip()
        body = orjson.dumps({"query": "{ _service { sdl } }"})
        response = httpx.post(
            f"http://127.0.0.1:{ports['IDENTITY_PORT']}/graphql",
            content=body,
            headers={"content-type": "application/json", SIGNATURE_HEADER: sign(body, key=key)},
        )
        assert "type User" in response.json()["data"]["_service"]["sdl"]
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    output = log.read_text()
    assert "Healthbook is running" in output
    assert "Healthbook stopped." in output
    for name in present_subgraphs():
        assert (tmp_path / "data" / f"{name}.sqlite3").exists()
