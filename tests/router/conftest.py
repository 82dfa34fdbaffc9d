"""Fixtures shared by the router suites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from router.testing.nodetools import NodeToolingMissing, node_modules


@pytest.fixture(scope="session")
def node_tooling() -> Path:
    """schema/node_modules; missing tooling skips locally and fails in CI (CI=true)."""
    try:
        return node_modules()
    except NodeToolingMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"node tooling is required in CI: {missing}")
        pytest.skip(f"node tooling is missing: {missing}")
