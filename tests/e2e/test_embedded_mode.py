"""`healthbook up`: the whole system in one process on SQLite, demo data, clean Ctrl-C."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from healthbook.components import present_subgraphs
from tests.support.processes import free_ports, healthbook, wait_ready


def test_up_serves_every_subgraph_behind_the_router_and_stops_cleanly(tmp_path: Path) -> None:
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        for name in present_subgraphs():
            port = ports[f"{name.upper()}_PORT"]
            wait_ready(f"http://127.0.0.1:{port}/health/ready", process, log)
        wait_ready(f"http://127.0.0.1:{ports['ROUTER_PORT']}/health/ready", process, log)
        router = f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql"
        # Clients reach the subgraphs through the router only.
        direct = httpx.post(
            f"http://127.0.0.1:{ports['IDENTITY_PORT']}/graphql",
            json={"query": "{ _service { sdl } }"},
        )
        assert direct.status_code == 403
        mutation = "mutation($i: RegisterInput!) { register(input: $i) { user { name role } } }"
        variables = {"i": {"email": "eve@example.org", "password": "a long secret", "name": "Eve"}}
        response = httpx.post(router, json={"query": mutation, "variables": variables}, timeout=30)
        assert response.json() == {
            "data": {"register": {"user": {"name": "Eve", "role": "PATIENT"}}}
        }
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    output = log.read_text()
    assert "Healthbook is running" in output
    assert "Healthbook stopped." in output
    for name in present_subgraphs():
        assert (tmp_path / "data" / f"{name}.sqlite3").exists()
    # Stores hold password hashes, mail holds live reset links: owner only.
    data = tmp_path / "data"
    assert data.stat().st_mode & 0o777 == 0o700
    for path in data.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == expected, path
