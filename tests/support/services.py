"""The real services the suite talks to, and what to do when one is missing.

Locally a missing service skips the tests that need it; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
RABBITMQ = ("127.0.0.1", 5672)


def reachable(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def require(name: str, address: tuple[str, int]) -> None:
    """Fail in CI, skip elsewhere, when `name` does not answer at `address`."""
    if reachable(address):
        return
    message = f"{name} is not reachable at {address[0]}:{address[1]}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI needs it (run scripts/ensure-services.sh)")
    pytest.skip(message)
