"""A private RabbitMQ virtual host per test, created and deleted with `rabbitmqctl`."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support import services


def _ctl(*args: str) -> None:
    tool = shutil.which("rabbitmqctl")
    if tool is None:
        pytest.fail("rabbitmqctl is needed to create test virtual hosts")
    subprocess.run([tool, "-q", *args], check=True, capture_output=True, timeout=60)


@contextmanager
def private_vhost() -> Iterator[str]:
    """The amqp URL of a fresh virtual host (guest/guest), deleted afterwards."""
    services.require("RabbitMQ", services.RABBITMQ)
    name = f"hb-test-{uuid.uuid4().hex[:10]}"
    _ctl("add_vhost", name)
    try:
        _ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        yield f"amqp://guest:guest@127.0.0.1:5672/{name}"
    finally:
        _ctl("delete_vhost", name)
