"""deploy/healthcheck.py: the container health check of every Healthbook process."""

from __future__ import annotations

import importlib.util
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from subgraphs.shared.settings import DEFAULT_PORTS
from tests.deploy.compose_file import REPO


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", REPO / "deploy/healthcheck.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load()


class _Health(BaseHTTPRequestHandler):
    statuses = {"/health/live": 200, "/health/ready": 503}

    def do_GET(self) -> None:
        self.send_response(self.statuses.get(self.path, 404))
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def health_port() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_ports_are_the_default_ports() -> None:
    assert check.PORTS == DEFAULT_PORTS


def test_live_component_is_healthy(health_port: int) -> None:
    assert check.healthy("doctors", "live", {"DOCTORS_PORT": str(health_port)})


def test_component_that_is_not_ready_is_unhealthy(health_port: int) -> None:
    assert not check.healthy("doctors", "ready", {"DOCTORS_PORT": str(health_port)})


@pytest.mark.parametrize("component", ["router", "doctors", "worker", "scheduler"])
def test_an_ops_port_is_asked_instead_of_the_public_one(component: str, health_port: int) -> None:
    env = {"HEALTHBOOK_OPS_PORT": str(health_port), "ROUTER_PORT": str(_closed_port())}
    assert check.healthy(component, "live", {**env, "BROKER_URL": "amqp://x:1@127.0.0.1:1/"})
    assert not check.healthy(component, "ready", env)


def test_component_that_does_not_answer_is_unhealthy() -> None:
    assert not check.healthy("router", "live", {"ROUTER_PORT": str(_closed_port())})


def test_worker_is_healthy_while_its_broker_accepts_connections() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert check.healthy("worker", "live", {"BROKER_URL": f"amqp://u:p@127.0.0.1:{port}/"})
    assert not check.healthy("worker", "live", {"BROKER_URL": f"amqp://127.0.0.1:{port}/"})


def test_the_in_process_broker_needs_nothing_to_reach() -> None:
    assert check.healthy("scheduler", "live", {})


def test_the_running_component_is_read_from_the_first_process(tmp_path: Path) -> None:
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"/opt/venv/bin/python\0/opt/venv/bin/healthbook\0serve\0doctors\0")
    assert check.running_component(cmdline) == "doctors"
    cmdline.write_bytes(b"/opt/venv/bin/healthbook\0migrate\0")
    assert check.running_component(cmdline) == ""
    assert check.running_component(tmp_path / "absent") == ""


def test_main_exits_non_zero_when_unhealthy(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["nobody-listens", "ready"]) == 0  # one-shot commands: healthy
    assert check.main(["router", "sideways"]) == 2
    assert "unknown probe" in capsys.readouterr().err
