"""`healthbook serve worker|scheduler` with an ops port: it stays live through a RabbitMQ outage and
is not ready while the broker is away, then ready again when it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import services
from tests.support.processes import healthbook, wait_ready
from tests.support.proxy import TcpProxy, free_port

pytestmark = pytest.mark.rabbitmq


@pytest.fixture
def rabbitmq() -> Iterator[TcpProxy]:
    services.require("RabbitMQ", services.RABBITMQ)
    proxy = TcpProxy(("127.0.0.1", 5672))
    proxy.start()
    yield proxy
    proxy.stop()


def _until(url: str, status: int, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = httpx.get(url, timeout=5)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


@pytest.mark.parametrize(
    ("component", "metric"),
    [("worker", "worker_jobs_dead_total"), ("scheduler", "scheduler_reminders_overdue")],
)
def test_it_stays_live_while_rabbitmq_is_briefly_down(
    component: str, metric: str, rabbitmq: TcpProxy, tmp_path: Path
) -> None:
    ops = free_port()
    env = {
        "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"),
        "BROKER_URL": f"amqp://guest:guest@127.0.0.1:{rabbitmq.port}/",
        "HEALTHBOOK_OPS_PORT": str(ops),
    }
    log = tmp_path / f"{component}.log"
    base = f"http://127.0.0.1:{ops}"
    with healthbook(["serve", component], env, log) as process:
        wait_ready(f"{base}/health/ready", process, log)
        metrics = httpx.get(f"{base}/metrics", timeout=5).text
        assert f"# TYPE {metric}" in metrics
        rabbitmq.cut()
        down = _until(f"{base}/health/ready", 503)
        assert down.json()["failed"] == ["broker"], log.read_text()
        assert httpx.get(f"{base}/health/live", timeout=5).status_code == 200
        rabbitmq.restore()
        assert _until(f"{base}/health/ready", 200).status_code == 200
        assert httpx.get(f"{base}/health/live", timeout=5).status_code == 200
        assert process.poll() is None
