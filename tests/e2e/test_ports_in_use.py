"""A port `healthbook up` needs is taken: one line naming the variable, nothing started."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support.processes import free_ports, healthbook


@pytest.mark.parametrize("variable", ["SMTP_PORT", "ROUTER_PORT", "NOTIFICATIONS_PORT"])
def test_a_port_in_use_stops_up_with_one_line_naming_its_variable(
    tmp_path: Path, variable: str
) -> None:
    ports = free_ports()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(ports[variable])))
        taken.listen()
        env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
        log = tmp_path / "up.log"
        with healthbook(["up"], env, log) as process:
            assert process.wait(60) == 2
    lines = log.read_text().strip().splitlines()
    assert lines == [
        f"healthbook: port {ports[variable]} on 127.0.0.1 is in use; set {variable} to a free port."
    ]
